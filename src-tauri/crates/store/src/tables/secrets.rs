//! `secrets`: sealed values. Plaintext only ever exists in memory, inside `Secret`.

use crate::{now_ms, Secret, StoreResult, Vault};
use sqlx::SqliteExecutor;

/// Seals and stores (or replaces) a secret. `connection_id` ties its lifetime to a
/// connection; app-level secrets (a provider's client secret) pass `None`.
pub async fn put(
    db: impl SqliteExecutor<'_>,
    vault: &Vault,
    scope: &str,
    name: &str,
    connection_id: Option<&str>,
    value: &Secret<String>,
) -> StoreResult<()> {
    let (nonce, ciphertext) = vault.seal(scope, name, value)?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO secrets (scope, name, connection_id, nonce, ciphertext, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (scope, name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext,
             connection_id = excluded.connection_id, updated_at = excluded.updated_at",
    )
    .bind(scope)
    .bind(name)
    .bind(connection_id)
    .bind(nonce)
    .bind(ciphertext)
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn get(
    db: impl SqliteExecutor<'_>,
    vault: &Vault,
    scope: &str,
    name: &str,
) -> StoreResult<Option<Secret<String>>> {
    let row: Option<(Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT nonce, ciphertext FROM secrets WHERE scope = ? AND name = ?")
            .bind(scope)
            .bind(name)
            .fetch_optional(db)
            .await?;
    row.map(|(nonce, ct)| vault.open_secret(scope, name, &nonce, &ct))
        .transpose()
}

/// Names of the secrets held for a scope (never their values).
pub async fn names(db: impl SqliteExecutor<'_>, scope: &str) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM secrets WHERE scope = ? ORDER BY name")
            .bind(scope)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

pub async fn delete(db: impl SqliteExecutor<'_>, scope: &str, name: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM secrets WHERE scope = ? AND name = ?")
        .bind(scope)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Wipes every secret of a scope (disconnect).
pub async fn delete_scope(db: impl SqliteExecutor<'_>, scope: &str) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM secrets WHERE scope = ?")
        .bind(scope)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

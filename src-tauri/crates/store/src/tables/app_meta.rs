//! `app_meta`: facts about the database file itself (who migrated it, the vault check).

use crate::{now_ms, StoreResult};
use sqlx::SqliteExecutor;

pub async fn get(db: impl SqliteExecutor<'_>, key: &str) -> StoreResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM app_meta WHERE key = ?")
        .bind(key)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(v,)| v))
}

pub async fn set(db: impl SqliteExecutor<'_>, key: &str, value: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

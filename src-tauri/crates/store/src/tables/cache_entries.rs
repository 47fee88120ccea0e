//! `cache_entries`: the persistent side of the TTL cache for cacheable reads
//! (describe/metadata, lookups), so a restart does not re-fetch schemas.

use crate::{now_ms, StoreResult};
use sqlx::SqliteExecutor;

/// A fresh value, or `None` when missing or expired.
pub async fn get(
    db: impl SqliteExecutor<'_>,
    connection_id: &str,
    kind: &str,
    key: &str,
) -> StoreResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT value FROM cache_entries WHERE connection_id = ? AND kind = ? AND key = ? AND expires_at > ?",
    )
    .bind(connection_id)
    .bind(kind)
    .bind(key)
    .bind(now_ms())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(v,)| v))
}

pub async fn put(
    db: impl SqliteExecutor<'_>,
    connection_id: &str,
    kind: &str,
    key: &str,
    value: &str,
    ttl_ms: i64,
) -> StoreResult<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cache_entries (connection_id, kind, key, value, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (connection_id, kind, key) DO UPDATE SET value = excluded.value,
             created_at = excluded.created_at, expires_at = excluded.expires_at",
    )
    .bind(connection_id)
    .bind(kind)
    .bind(key)
    .bind(value)
    .bind(now)
    .bind(now.saturating_add(ttl_ms.max(0)))
    .execute(db)
    .await?;
    Ok(())
}

/// Invalidates a kind for a connection (after a write or webhook); `key = None` drops all of the kind.
pub async fn invalidate(
    db: impl SqliteExecutor<'_>,
    connection_id: &str,
    kind: &str,
    key: Option<&str>,
) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM cache_entries WHERE connection_id = ? AND kind = ? AND (?3 IS NULL OR key = ?3)")
        .bind(connection_id)
        .bind(kind)
        .bind(key)
        .execute(db)
        .await?
        .rows_affected())
}

pub async fn purge_expired(db: impl SqliteExecutor<'_>) -> StoreResult<u64> {
    Ok(
        sqlx::query("DELETE FROM cache_entries WHERE expires_at <= ?")
            .bind(now_ms())
            .execute(db)
            .await?
            .rows_affected(),
    )
}

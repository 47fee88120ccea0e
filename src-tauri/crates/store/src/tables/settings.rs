//! `settings`: user preferences as JSON values under stable keys.

use crate::{now_ms, StoreError, StoreResult};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::SqliteExecutor;

pub async fn get<T: DeserializeOwned>(
    db: impl SqliteExecutor<'_>,
    key: &str,
) -> StoreResult<Option<T>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
        .bind(key)
        .fetch_optional(db)
        .await?;
    row.map(|(v,)| serde_json::from_str(&v).map_err(StoreError::json("settings.value")))
        .transpose()
}

pub async fn set<T: Serialize>(
    db: impl SqliteExecutor<'_>,
    key: &str,
    value: &T,
) -> StoreResult<()> {
    let json = serde_json::to_string(value).map_err(StoreError::json("settings.value"))?;
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(json)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: impl SqliteExecutor<'_>, key: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM settings WHERE key = ?")
        .bind(key)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

//! `cursors`: where each side of a mapping last read up to (opaque connector value).

use crate::kinds::Side;
use crate::{now_ms, StoreResult};
use sqlx::SqliteExecutor;

pub async fn get(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    side: Side,
) -> StoreResult<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM cursors WHERE mapping_id = ? AND side = ?")
            .bind(mapping_id)
            .bind(side)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(v,)| v))
}

pub async fn set(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    side: Side,
    value: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO cursors (mapping_id, side, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (mapping_id, side) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(mapping_id)
    .bind(side)
    .bind(value)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets both cursors, so the next run reads in full.
pub async fn reset(db: impl SqliteExecutor<'_>, mapping_id: &str) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM cursors WHERE mapping_id = ?")
        .bind(mapping_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

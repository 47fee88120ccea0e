//! `run_errors`: per-record failures with the provider's code, message and payload.

use crate::kinds::{RunErrorStatus, Side};
use crate::{now_ms, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RunError {
    pub id: i64,
    pub run_id: String,
    pub mapping_id: String,
    pub side: Side,
    pub record_id: Option<String>,
    pub code: String,
    pub message: String,
    pub payload: Option<String>,
    pub status: RunErrorStatus,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewRunError<'a> {
    pub run_id: &'a str,
    pub mapping_id: &'a str,
    pub side: Side,
    pub record_id: Option<&'a str>,
    pub code: &'a str,
    pub message: &'a str,
    pub payload: Option<&'a str>,
}

pub async fn insert(db: impl SqliteExecutor<'_>, e: &NewRunError<'_>) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO run_errors (run_id, mapping_id, side, record_id, code, message, payload, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(e.run_id)
    .bind(e.mapping_id)
    .bind(e.side)
    .bind(e.record_id)
    .bind(e.code)
    .bind(e.message)
    .bind(e.payload)
    .bind(now_ms())
    .fetch_one(db)
    .await?;
    Ok(id)
}

pub async fn get(db: impl SqliteExecutor<'_>, id: i64) -> StoreResult<RunError> {
    sqlx::query_as("SELECT * FROM run_errors WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| crate::StoreError::NotFound {
            what: "record error",
            id: id.to_string(),
        })
}

pub async fn for_run(db: impl SqliteExecutor<'_>, run_id: &str) -> StoreResult<Vec<RunError>> {
    Ok(
        sqlx::query_as("SELECT * FROM run_errors WHERE run_id = ? ORDER BY id")
            .bind(run_id)
            .fetch_all(db)
            .await?,
    )
}

/// Open failures of a mapping: what "retry failed" re-runs.
pub async fn open_for_mapping(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
) -> StoreResult<Vec<RunError>> {
    Ok(sqlx::query_as(
        "SELECT * FROM run_errors WHERE mapping_id = ? AND status = 'open' ORDER BY id",
    )
    .bind(mapping_id)
    .fetch_all(db)
    .await?)
}

pub async fn set_status(
    db: impl SqliteExecutor<'_>,
    id: i64,
    status: RunErrorStatus,
) -> StoreResult<()> {
    let resolved_at = (status == RunErrorStatus::Resolved).then(now_ms);
    sqlx::query("UPDATE run_errors SET status = ?, resolved_at = ? WHERE id = ?")
        .bind(status)
        .bind(resolved_at)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

//! `outbox`: write intents recorded before they are sent, so a crash neither loses
//! nor doubles a write. `idempotency_key` makes recording the same intent twice a no-op.

use crate::kinds::{OutboxOp, OutboxState};
use crate::{now_ms, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Intent {
    pub id: i64,
    pub run_id: String,
    pub mapping_id: String,
    pub connection_id: String,
    pub object: String,
    pub operation: OutboxOp,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
    pub idempotency_key: String,
    pub payload: String,
    pub state: OutboxState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewIntent<'a> {
    pub run_id: &'a str,
    pub mapping_id: &'a str,
    pub connection_id: &'a str,
    pub object: &'a str,
    pub operation: OutboxOp,
    pub source_id: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub idempotency_key: &'a str,
    pub payload: &'a str,
}

/// Records an intent; returns its id and state, or those of the existing intent with the
/// same idempotency key (a failed one goes back to pending: recording it again means
/// trying again; a confirmed one stays confirmed and must not be sent).
pub async fn record(
    db: &mut sqlx::SqliteConnection,
    i: &NewIntent<'_>,
) -> StoreResult<(i64, OutboxState)> {
    let now = now_ms();
    // One statement: the upsert always writes the row, so RETURNING gives it whether it
    // was inserted or already there.
    let row: (i64, OutboxState) = sqlx::query_as(
        "INSERT INTO outbox (run_id, mapping_id, connection_id, object, operation, source_id, target_id,
             idempotency_key, payload, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO UPDATE SET run_id = excluded.run_id,
             state = CASE WHEN outbox.state = 'failed' THEN 'pending' ELSE outbox.state END,
             updated_at = excluded.updated_at
         RETURNING id, state",
    )
    .bind(i.run_id)
    .bind(i.mapping_id)
    .bind(i.connection_id)
    .bind(i.object)
    .bind(i.operation)
    .bind(i.source_id)
    .bind(i.target_id)
    .bind(i.idempotency_key)
    .bind(i.payload)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *db)
    .await?;
    Ok(row)
}

/// Marks intents as handed to the provider (before the HTTP call).
pub async fn mark_sent(db: impl SqliteExecutor<'_>, ids: &[i64]) -> StoreResult<()> {
    let ids = serde_json::to_string(ids).map_err(crate::StoreError::json("outbox ids"))?;
    sqlx::query(
        "UPDATE outbox SET state = 'sent', attempts = attempts + 1, updated_at = ?
         WHERE id IN (SELECT value FROM json_each(?)) AND state IN ('pending', 'sent')",
    )
    .bind(now_ms())
    .bind(ids)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn confirm(
    db: impl SqliteExecutor<'_>,
    id: i64,
    target_id: Option<&str>,
) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET state = 'confirmed', target_id = COALESCE(?, target_id), last_error = NULL, updated_at = ? WHERE id = ?")
        .bind(target_id)
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn fail(db: impl SqliteExecutor<'_>, id: i64, error: &str) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?")
        .bind(error)
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Puts a sent intent back to pending (target down or out of quota: queued, not dropped).
pub async fn requeue(db: impl SqliteExecutor<'_>, id: i64, error: &str) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET state = 'pending', last_error = ?, updated_at = ? WHERE id = ? AND state IN ('pending', 'sent')")
        .bind(error)
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Fails the pending intents earlier runs left that this run did not take up again
/// (their records changed or were linked since): they will never be sent as they were.
pub async fn supersede(
    db: impl SqliteExecutor<'_>,
    mapping_id: &str,
    run_id: &str,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET state = 'failed', last_error = 'superseded by a later run', updated_at = ?
         WHERE mapping_id = ? AND run_id <> ? AND state = 'pending'",
    )
    .bind(now_ms())
    .bind(mapping_id)
    .bind(run_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Intents not yet confirmed or failed, oldest first: what a restart must reconcile.
pub async fn unfinished(db: impl SqliteExecutor<'_>, mapping_id: &str) -> StoreResult<Vec<Intent>> {
    Ok(sqlx::query_as(
        "SELECT * FROM outbox WHERE mapping_id = ? AND state IN ('pending', 'sent') ORDER BY id",
    )
    .bind(mapping_id)
    .fetch_all(db)
    .await?)
}

pub async fn count_unfinished(db: impl SqliteExecutor<'_>) -> StoreResult<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sent')")
            .fetch_one(db)
            .await?;
    Ok(n)
}

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

/// Records intents in one statement; returns each one's id and state, in order. An
/// intent with an existing idempotency key returns that intent instead (a failed one goes
/// back to pending: recording it again means trying again; a confirmed one stays
/// confirmed and must not be sent).
pub async fn record_many(
    db: &mut sqlx::SqliteConnection,
    intents: &[NewIntent<'_>],
) -> StoreResult<Vec<(i64, OutboxState)>> {
    if intents.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<serde_json::Value> = intents
        .iter()
        .map(|i| {
            serde_json::json!({
                "run": i.run_id, "mapping": i.mapping_id, "connection": i.connection_id,
                "object": i.object, "op": i.operation.as_str(), "source": i.source_id,
                "target": i.target_id, "key": i.idempotency_key, "payload": i.payload,
            })
        })
        .collect();
    let rows = serde_json::to_string(&rows).map_err(crate::StoreError::json("outbox intents"))?;
    let now = now_ms();
    // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    let done: Vec<(i64, OutboxState, String)> = sqlx::query_as(
        "INSERT INTO outbox (run_id, mapping_id, connection_id, object, operation, source_id, target_id,
             idempotency_key, payload, created_at, updated_at)
         SELECT json_extract(value, '$.run'), json_extract(value, '$.mapping'),
             json_extract(value, '$.connection'), json_extract(value, '$.object'),
             json_extract(value, '$.op'), json_extract(value, '$.source'),
             json_extract(value, '$.target'), json_extract(value, '$.key'),
             json_extract(value, '$.payload'), ?2, ?2
         FROM json_each(?1) WHERE true
         ON CONFLICT (idempotency_key) DO UPDATE SET run_id = excluded.run_id,
             state = CASE WHEN outbox.state = 'failed' THEN 'pending' ELSE outbox.state END,
             updated_at = excluded.updated_at
         RETURNING id, state, idempotency_key",
    )
    .bind(rows)
    .bind(now)
    .fetch_all(&mut *db)
    .await?;
    let by_key: std::collections::HashMap<String, (i64, OutboxState)> = done
        .into_iter()
        .map(|(id, state, key)| (key, (id, state)))
        .collect();
    intents
        .iter()
        .map(|i| {
            by_key
                .get(i.idempotency_key)
                .copied()
                .ok_or_else(|| crate::StoreError::NotFound {
                    what: "recorded intent",
                    id: i.idempotency_key.to_owned(),
                })
        })
        .collect()
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

/// `confirm` for a batch in one statement: (intent id, the written record's id).
pub async fn confirm_many(
    db: impl SqliteExecutor<'_>,
    done: &[(i64, Option<&str>)],
) -> StoreResult<()> {
    if done.is_empty() {
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = done
        .iter()
        .map(|(id, target)| serde_json::json!({ "id": id, "target": target }))
        .collect();
    let rows = serde_json::to_string(&rows).map_err(crate::StoreError::json("outbox ids"))?;
    sqlx::query(
        "UPDATE outbox SET state = 'confirmed', target_id = COALESCE(done.target, outbox.target_id),
             last_error = NULL, updated_at = ?2
         FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.target') AS target
               FROM json_each(?1)) AS done
         WHERE outbox.id = done.id",
    )
    .bind(rows)
    .bind(now_ms())
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

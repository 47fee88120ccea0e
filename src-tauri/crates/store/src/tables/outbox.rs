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

/// Rows per multi-row statement: 13 bound values each stays far below SQLite's 32,766.
const ROWS_PER_STATEMENT: usize = 1000;

/// Records intents, a statement per thousand; returns each one's id and state, in order.
/// An intent with the idempotency key of an open one (pending, sent or failed) returns
/// that intent instead: a failed one goes back to pending (recording it again means
/// trying again). Keys are unique among open intents only; a confirmed intent is history,
/// and recording its key again is a new intent. With `sent`, every intent is recorded as
/// handed to the provider at once (state `sent`, one attempt more).
pub async fn record_many(
    db: &mut sqlx::SqliteConnection,
    intents: &[NewIntent<'_>],
    sent: bool,
) -> StoreResult<Vec<(i64, OutboxState)>> {
    record_many_at(db, intents, sent, now_ms()).await
}

/// `record_many`, dated `now` (milliseconds): an intent taken over from a batch keeps
/// the time the batch was recorded.
pub async fn record_many_at(
    db: &mut sqlx::SqliteConnection,
    intents: &[NewIntent<'_>],
    sent: bool,
    now: i64,
) -> StoreResult<Vec<(i64, OutboxState)>> {
    let (state, attempts, on_conflict) = if sent {
        ("sent", 1, "'sent'")
    } else {
        (
            "pending",
            0,
            "CASE WHEN outbox.state = 'failed' THEN 'pending' ELSE outbox.state END",
        )
    };
    let mut by_key: std::collections::HashMap<String, (i64, OutboxState)> =
        std::collections::HashMap::with_capacity(intents.len());
    for chunk in intents.chunks(ROWS_PER_STATEMENT) {
        let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO outbox (run_id, mapping_id, connection_id, object, operation, source_id,
                 target_id, idempotency_key, payload, state, attempts, created_at, updated_at) ",
        );
        qb.push_values(chunk, |mut row, i| {
            row.push_bind(i.run_id)
                .push_bind(i.mapping_id)
                .push_bind(i.connection_id)
                .push_bind(i.object)
                .push_bind(i.operation.as_str())
                .push_bind(i.source_id)
                .push_bind(i.target_id)
                .push_bind(i.idempotency_key)
                .push_bind(i.payload)
                .push_bind(state)
                .push_bind(attempts)
                .push_bind(now)
                .push_bind(now);
        });
        qb.push(format!(
            " ON CONFLICT (idempotency_key) WHERE state IN ('pending', 'sent', 'failed')
             DO UPDATE SET run_id = excluded.run_id, state = {on_conflict},
                 attempts = outbox.attempts + excluded.attempts,
                 updated_at = excluded.updated_at
             RETURNING id, state, idempotency_key"
        ));
        let done: Vec<(i64, OutboxState, String)> = qb.build_query_as().fetch_all(&mut *db).await?;
        by_key.extend(done.into_iter().map(|(id, state, key)| (key, (id, state))));
    }
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

/// Whether any open intent (pending, sent or failed) has a key starting with `prefix`.
/// Keys start with their mapping's id, so this asks whether a mapping has any: one seek
/// in the open-key index.
pub async fn any_open_with_prefix(db: impl SqliteExecutor<'_>, prefix: &str) -> StoreResult<bool> {
    // Every key with the prefix sorts in [prefix, prefix with its last character the next).
    let mut past = prefix.to_owned();
    let next = past
        .pop()
        .and_then(|c| char::from_u32(u32::from(c) + 1))
        .map_or(String::from(char::MAX), String::from);
    past.push_str(&next);
    let (found,): (bool,) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_open_key
             WHERE idempotency_key >= ? AND idempotency_key < ?
               AND state IN ('pending', 'sent', 'failed'))",
    )
    .bind(prefix)
    .bind(past)
    .fetch_one(db)
    .await?;
    Ok(found)
}

/// Deletes the open intents with these keys: a batch that carries the same writes was
/// recorded in their place (and stores a failure as an intent of its own again).
pub async fn take_over(db: impl SqliteExecutor<'_>, keys: &[&str]) -> StoreResult<u64> {
    if keys.is_empty() {
        return Ok(0);
    }
    let keys = serde_json::to_string(keys).map_err(crate::StoreError::json("outbox keys"))?;
    let done = sqlx::query(
        "DELETE FROM outbox WHERE idempotency_key IN (SELECT value FROM json_each(?))
             AND state IN ('pending', 'sent', 'failed')",
    )
    .bind(keys)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
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

//! Write intents. Each batch of writes is recorded as one intent (an `outbox_batches`
//! row) and committed before it is sent; its answers settle it, and a record that failed
//! becomes an `outbox` intent of its own. Before a mapping's run sends anything, batches
//! an interrupted run left are turned into per-record intents in state `sent`, which
//! `reconcile` settles one by one against the provider.

use super::context::{Ctx, Way};
use super::plan::{Action, Decision};
use crate::EngineResult;
use switchyard_store::kinds::OutboxOp;
use switchyard_store::tables::{outbox, outbox_batches};

/// A batch recorded: what its failures are stored as intents under.
#[derive(Debug, Clone, Copy)]
pub(super) struct Batch<'a> {
    pub id: i64,
    pub operation: OutboxOp,
    pub connection_id: &'a str,
    pub object: &'a str,
}

/// A record of a batch that failed: its decision, its payload, whether it stays queued
/// (retryable, or never sent) rather than failed, and why.
pub(super) struct Failure<'d> {
    pub decision: &'d Decision,
    pub payload: &'d str,
    pub requeue: bool,
    pub message: String,
}

fn operation(action: Action) -> OutboxOp {
    if action == Action::Create {
        OutboxOp::Create
    } else {
        OutboxOp::Update
    }
}

/// Records a batch intent for each action in `todo` (creates, then updates), in one
/// transaction committed before anything is sent. Open per-record intents for the same
/// writes (left by an interrupted run, or failed before) are taken over by the batches.
/// Returns the batches by action; `payloads[i]` is `todo[i]`'s.
pub(super) async fn record<'a>(
    ctx: &Ctx<'_>,
    to: Way,
    todo: &[&Decision],
    payloads: &[String],
    object: &'a str,
    connection_id: &'a str,
) -> EngineResult<Vec<(Action, Batch<'a>)>> {
    let mut tx = switchyard_store::begin_write(&ctx.db).await?;
    let prefix = format!("{}:", ctx.mapping_id);
    if outbox::any_open_with_prefix(&mut *tx, &prefix).await? {
        let keys: Vec<String> = todo
            .iter()
            .zip(payloads)
            .map(|(d, p)| idempotency_key(ctx.mapping_id, to, &d.source_id, operation(d.action), p))
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        outbox::take_over(&mut *tx, &keys).await?;
    }
    let mut batches = Vec::new();
    for action in [Action::Create, Action::Update] {
        let items: Vec<outbox_batches::BatchItem<'_>> = todo
            .iter()
            .zip(payloads)
            .filter(|(d, _)| d.action == action)
            .map(|(d, p)| outbox_batches::BatchItem {
                source_id: &d.source_id,
                target_id: d.target_id.as_deref(),
                payload: p,
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let new = outbox_batches::NewBatch {
            run_id: &ctx.run_id,
            mapping_id: ctx.mapping_id,
            connection_id,
            object,
            operation: operation(action),
            way: to.tag(),
        };
        let id = outbox_batches::record(&mut *tx, &new, &items).await?;
        batches.push((
            action,
            Batch {
                id,
                operation: new.operation,
                connection_id,
                object,
            },
        ));
    }
    tx.commit()
        .await
        .map_err(switchyard_store::StoreError::from)?;
    Ok(batches)
}

/// Stores the records of `batch` that failed as intents of their own (pending when they
/// stay queued, failed otherwise) and settles the batch, in the caller's transaction.
pub(super) async fn settle(
    db: &mut switchyard_store::sqlx::SqliteConnection,
    ctx: &Ctx<'_>,
    to: Way,
    batch: &Batch<'_>,
    failed: &[Failure<'_>],
) -> EngineResult<()> {
    if !failed.is_empty() {
        let keys: Vec<String> = failed
            .iter()
            .map(|f| {
                idempotency_key(
                    ctx.mapping_id,
                    to,
                    &f.decision.source_id,
                    batch.operation,
                    f.payload,
                )
            })
            .collect();
        let new: Vec<outbox::NewIntent<'_>> = failed
            .iter()
            .zip(&keys)
            .map(|(f, key)| outbox::NewIntent {
                run_id: &ctx.run_id,
                mapping_id: ctx.mapping_id,
                connection_id: batch.connection_id,
                object: batch.object,
                operation: batch.operation,
                source_id: Some(&f.decision.source_id),
                target_id: f.decision.target_id.as_deref(),
                idempotency_key: key,
                payload: f.payload,
            })
            .collect();
        let recorded = outbox::record_many(&mut *db, &new, true).await?;
        for (f, (id, _)) in failed.iter().zip(recorded) {
            if f.requeue {
                outbox::requeue(&mut *db, id, &f.message).await?;
            } else {
                outbox::fail(&mut *db, id, &f.message).await?;
            }
        }
    }
    outbox_batches::settle(&mut *db, batch.id).await?;
    Ok(())
}

/// Turns every batch an interrupted run left for this mapping into per-record intents
/// in state `sent`, dated when the batch was recorded; returns how many records they held.
pub(super) async fn explode_left(ctx: &Ctx<'_>) -> EngineResult<usize> {
    let left = outbox_batches::open(&ctx.db, ctx.mapping_id).await?;
    let mut records = 0;
    for batch in &left {
        let to = if batch.way == Way::Backward.tag() {
            Way::Backward
        } else {
            Way::Forward
        };
        let keys: Vec<String> = batch
            .items
            .iter()
            .map(|i| {
                idempotency_key(
                    ctx.mapping_id,
                    to,
                    &i.source_id,
                    batch.operation,
                    &i.payload,
                )
            })
            .collect();
        let mut tx = switchyard_store::begin_write(&ctx.db).await?;
        outbox_batches::explode(&mut tx, batch, &keys).await?;
        tx.commit()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        records += batch.items.len();
    }
    if !left.is_empty() {
        tracing::warn!(
            mapping_id = ctx.mapping_id,
            batches = left.len(),
            records,
            "an interrupted run left batches of writes unconfirmed; each record is checked against the provider before anything is sent"
        );
    }
    Ok(records)
}

/// An intent's idempotency key: the mapping, the way, the record read, the operation
/// and a digest of the payload.
pub(super) fn idempotency_key(
    mapping_id: &str,
    to: Way,
    source_id: &str,
    op: OutboxOp,
    payload: &str,
) -> String {
    format!(
        "{}:{}:{}:{}:{}",
        mapping_id,
        to.tag(),
        source_id,
        op,
        digest(payload)
    )
}

/// A short digest of an intent's payload (part of its idempotency key).
fn digest(payload: &str) -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(payload.as_bytes());
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_names_mapping_way_record_operation_and_payload() {
        let key = idempotency_key("m1", Way::Backward, "s1", OutboxOp::Update, "{}");
        assert_eq!(key, format!("m1:back:s1:update:{}", digest("{}")));
        assert_eq!(digest("{}").len(), 16);
        assert_ne!(digest("{}"), digest("{\"a\":1}"));
    }
}

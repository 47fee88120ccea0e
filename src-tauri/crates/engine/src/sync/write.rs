//! Stage 4, write: creates and updates go out in the target's batch shapes through the
//! outbox. Every write is first recorded as an intent, committed before anything is
//! sent (an interrupted run leaves intents `reconcile` settles, never a blind resend);
//! updates are sent under the race rule of `recheck`; the answers are confirmed by
//! `checkpoint::confirm`.

use super::checkpoint::{confirm, Sent};
use super::context::{Ctx, Failed, Way};
use super::plan::{base_json, Action, Decision};
use super::recheck::{fill_versions, send_updates};
use super::snapshots::Snapshots;
use super::upsert;
use crate::api::schema::connector_error;
use crate::EngineResult;
use switchyard_connectors::connector::{WriteOp, WriteRow};
use switchyard_store::kinds::{OutboxOp, OutboxState};
use switchyard_store::tables::outbox;

/// Records intents, sends creates and updates in batches, links what was written.
/// Returns (created, updated); failures are added to `failures`. Forward writes go to
/// the target; backward ones (two-way) to the source, where a decision's `source_id`
/// is the target record read and its `target_id` the source record written.
pub(super) async fn write_decisions(
    ctx: &Ctx,
    to: Way,
    decisions: &[Decision],
    snaps: &mut Snapshots,
    failures: &mut Vec<Failed>,
) -> EngineResult<(u32, u32)> {
    let (connector, spec, connection_id) = match to {
        Way::Forward => (&ctx.target, &ctx.tspec, &ctx.draft.target_connection_id),
        Way::Backward => (&ctx.source, &ctx.sspec, &ctx.draft.source_connection_id),
    };
    let todo: Vec<&Decision> = decisions
        .iter()
        .filter(|d| matches!(d.action, Action::Create | Action::Update))
        .collect();
    if todo.is_empty() {
        return Ok((0, 0));
    }
    // 1. Intents first, committed before anything is sent.
    let (intents, payloads) = record_intents(ctx, to, &todo, &spec.name, connection_id).await?;
    let updates: Vec<&Decision> = intents
        .iter()
        .filter(|(_, d, _)| d.action == Action::Update)
        .map(|(_, d, _)| *d)
        .collect();
    fill_versions(ctx, to, connector, spec, &updates, snaps).await?;
    let mut created = 0;
    let mut updated = 0;
    for action in [Action::Create, Action::Update] {
        let group: Vec<&Sent<'_>> = intents
            .iter()
            .filter(|(_, d, _)| d.action == action)
            .collect();
        if group.is_empty() {
            continue;
        }
        let upsert_key = ctx
            .upsert_key
            .as_deref()
            .filter(|_| to == Way::Forward && action == Action::Create);
        let mut results = if action == Action::Create {
            let op = match upsert_key {
                Some(key) => WriteOp::Upsert {
                    key_field: key.to_owned(),
                },
                None => WriteOp::Create,
            };
            let rows: Vec<WriteRow> = group
                .iter()
                .map(|(_, d, _)| WriteRow {
                    id: None,
                    version: None,
                    fields: d.changes.clone(),
                })
                .collect();
            connector
                .write(spec, &op, &rows)
                .await
                .map_err(|e| connector_error(connector.provider(), e))?
        } else {
            let updates: Vec<&Decision> = group.iter().map(|(_, d, _)| *d).collect();
            send_updates(ctx, to, connector, spec, &updates, snaps, failures).await?
        };
        // Upserts: how many of those written updated a record that was there already.
        let mut existing = 0;
        if upsert_key.is_some() {
            let sources: Vec<&str> = group.iter().map(|(_, d, _)| d.source_id.as_str()).collect();
            let linked_now = ctx.target_changes.is_some().then_some(&ctx.linked_now);
            results = upsert::checked(
                &ctx.db,
                &ctx.mapping_id,
                &spec.label,
                linked_now,
                &sources,
                results,
            )
            .await?;
            existing = u32::try_from(
                results
                    .iter()
                    .filter(|r| r.as_ref().is_ok_and(|w| !w.created))
                    .count(),
            )
            .unwrap_or(u32::MAX);
        }
        let n = confirm(ctx, to, &group, results, &payloads, failures).await?;
        if action == Action::Create {
            created += n.saturating_sub(existing);
            updated += existing.min(n);
        } else {
            updated += n;
        }
    }
    Ok((created, updated))
}

/// Records one intent per decision in `todo`, each as sent, in one statement per thousand
/// and one transaction. Returns the intents to send (one settled after an interruption — linked,
/// or flagged for the user — is not sent again) and every decision's payload.
async fn record_intents<'d>(
    ctx: &Ctx,
    to: Way,
    todo: &[&'d Decision],
    object: &str,
    connection_id: &str,
) -> EngineResult<(Vec<Sent<'d>>, Vec<String>)> {
    // (intent id, decision, index into `payloads`)
    let mut intents: Vec<Sent<'d>> = Vec::new();
    let mut tx = switchyard_store::begin_write(&ctx.db).await?;
    let ops: Vec<OutboxOp> = todo
        .iter()
        .map(|d| {
            if d.action == Action::Create {
                OutboxOp::Create
            } else {
                OutboxOp::Update
            }
        })
        .collect();
    let payloads: Vec<String> = todo.iter().map(|d| base_json(&d.values)).collect();
    let keys: Vec<String> = todo
        .iter()
        .zip(&ops)
        .zip(&payloads)
        .map(|((d, op), payload)| idempotency_key(&ctx.mapping_id, to, &d.source_id, *op, payload))
        .collect();
    let new: Vec<outbox::NewIntent<'_>> = todo
        .iter()
        .enumerate()
        .map(|(i, d)| outbox::NewIntent {
            run_id: &ctx.run_id,
            mapping_id: &ctx.mapping_id,
            connection_id,
            object,
            operation: ops[i],
            source_id: Some(&d.source_id),
            target_id: d.target_id.as_deref(),
            idempotency_key: &keys[i],
            payload: &payloads[i],
        })
        .collect();
    // Recorded as sent in the same statement: the commit below comes before any call.
    let recorded = outbox::record_many(&mut tx, &new, true).await?;
    for (i, (id, state)) in recorded.into_iter().enumerate() {
        // Settled after an interruption (linked, or flagged for the user): not sent again.
        if state != OutboxState::Confirmed {
            intents.push((id, todo[i], i));
        }
    }
    tx.commit()
        .await
        .map_err(switchyard_store::StoreError::from)?;
    Ok((intents, payloads))
}

/// An intent's idempotency key: the mapping, the way, the record read, the operation
/// and a digest of the payload.
fn idempotency_key(
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

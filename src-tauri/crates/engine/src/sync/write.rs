//! Stage 4, write: creates and updates go out in the target's batch shapes through the
//! outbox. Every batch is first recorded as an intent (`intents`), committed before
//! anything is sent (an interrupted run leaves intents `reconcile` settles, never a blind resend);
//! updates are sent under the race rule of `recheck`; the answers are confirmed by
//! `checkpoint::confirm`.

use super::checkpoint::{confirm, Sent};
use super::context::{Ctx, Failed, Way};
use super::intents;
use super::plan::{base_json, Action, Decision};
use super::recheck::{fill_versions, send_updates};
use super::snapshots::Snapshots;
use super::upsert;
use crate::api::schema::connector_error;
use crate::EngineResult;
use switchyard_connectors::connector::{WriteOp, WriteRow};

/// Records intents, sends creates and updates in batches, links what was written.
/// Returns (created, updated); failures are added to `failures`. Forward writes go to
/// the target; backward ones (two-way) to the source, where a decision's `source_id`
/// is the target record read and its `target_id` the source record written.
pub(super) async fn write_decisions(
    ctx: &Ctx<'_>,
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
    // 1. Intents first, one per batch, committed before anything is sent.
    let payloads: Vec<String> = todo.iter().map(|d| base_json(&d.values)).collect();
    let batches = intents::record(ctx, to, &todo, &payloads, &spec.name, connection_id).await?;
    let updates: Vec<&Decision> = todo
        .iter()
        .filter(|d| d.action == Action::Update)
        .copied()
        .collect();
    fill_versions(ctx, to, connector, spec, &updates, snaps).await?;
    let mut created = 0;
    let mut updated = 0;
    for (action, batch) in &batches {
        let action = *action;
        // (decision, index into `payloads`), in the order sent.
        let group: Vec<Sent<'_>> = todo
            .iter()
            .enumerate()
            .filter(|(_, d)| d.action == action)
            .map(|(i, d)| (*d, i))
            .collect();
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
                .map(|(d, _)| WriteRow {
                    id: None,
                    version: None,
                    fields: std::borrow::Cow::Borrowed(&d.changes),
                })
                .collect();
            connector
                .write(spec, &op, &rows)
                .await
                .map_err(|e| connector_error(connector.provider(), e))?
        } else {
            let updates: Vec<&Decision> = group.iter().map(|(d, _)| *d).collect();
            send_updates(ctx, to, connector, spec, &updates, snaps, failures).await?
        };
        // Upserts: how many of those written updated a record that was there already.
        let mut existing = 0;
        if upsert_key.is_some() {
            let sources: Vec<&str> = group.iter().map(|(d, _)| d.source_id.as_str()).collect();
            let linked_now = ctx.target_changes.is_some().then_some(&ctx.linked_now);
            results = upsert::checked(
                &ctx.db,
                ctx.mapping_id,
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
        let n = confirm(ctx, to, batch, &group, results, &payloads, failures).await?;
        if action == Action::Create {
            created += n.saturating_sub(existing);
            updated += existing.min(n);
        } else {
            updated += n;
        }
    }
    Ok((created, updated))
}

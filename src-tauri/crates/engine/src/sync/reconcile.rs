//! Before a run sends anything, intents an earlier run left unfinished are settled
//! against the target: a create that may have gone out is looked up by its match key —
//! found, it is linked and confirmed (no duplicate); not found, it goes back to pending
//! and is sent again when its page is read again. Updates are safe to send twice and go
//! back to pending. A create without a match value is looked for by its own values (a
//! record holding exactly what was sent); when that cannot tell, it is settled without
//! sending and reported for the user to check — never sent blind a second time: later
//! runs hold the record (`held`) until the user links it or retries it.

use super::context::Ctx;
use super::intents;
use super::matching;
use super::plan::{base_json, Values};
use crate::api::schema::connector_error;
use crate::{Engine, EngineResult};
use std::collections::HashMap;
use switchyard_connectors::connector::Connector;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::Record;
use switchyard_store::kinds::{OutboxOp, OutboxState, Side};
use switchyard_store::tables::{links, outbox, run_errors};

/// How far the provider's clock may be behind ours when a record it made is compared with
/// the time its intent was recorded.
const CLOCK_SKEW_MS: i64 = 120_000;

/// Target records an interrupted forward create may have made, holding exactly `values` (found
/// through the first text value sent): not archived, last changed no earlier than the
/// intent was recorded at `recorded_ms` (less `CLOCK_SKEW_MS`), and linked to no source
/// record. A record that was there before, or is another record's pair, only looks the
/// same: linking it would leave this record's own create unsent.
async fn same_values(
    ctx: &Ctx<'_>,
    values: &Values,
    recorded_ms: i64,
) -> EngineResult<Vec<Record>> {
    let (target, tspec) = (ctx.target.as_ref(), &ctx.tspec);
    let probe = values.iter().find(|(field, v)| {
        v.as_text().is_some_and(|t| !t.trim().is_empty())
            && tspec.field(field).is_some_and(|f| f.ty.is_text())
    });
    let Some((field, value)) = probe else {
        return Ok(Vec::new());
    };
    let fields: Vec<String> = values.keys().cloned().collect();
    let candidates = target
        .lookup(tspec, field, &[value.to_string()], &fields)
        .await
        .map_err(|e| connector_error(target.provider(), e))?;
    let alike: Vec<Record> = candidates
        .into_iter()
        .filter(|r| {
            !r.archived
                && r.modified
                    .is_none_or(|m| m.timestamp_millis() >= recorded_ms - CLOCK_SKEW_MS)
                && values
                    .iter()
                    .all(|(f, v)| r.get(f).same(v) || (v.is_blank() && r.get(f).is_blank()))
        })
        .collect();
    let ids: Vec<String> = alike.iter().map(|r| r.id.clone()).collect();
    let paired: std::collections::HashSet<String> =
        links::by_target_ids(&ctx.db, ctx.mapping_id, &ids)
            .await?
            .into_iter()
            .map(|l| l.target_id)
            .collect();
    Ok(alike
        .into_iter()
        .filter(|r| !paired.contains(&r.id))
        .collect())
}

/// An interrupted create settled without a target, for the user to check.
const UNKNOWN_OUTCOME: &str = "unknown_outcome";

/// The source records whose interrupted create is still `unknown_outcome` and open: a
/// run must not create them again on its own (`Ctx::held`).
pub(super) async fn held(ctx: &Ctx<'_>) -> EngineResult<std::collections::HashSet<String>> {
    Ok(run_errors::open_for_mapping(&ctx.db, ctx.mapping_id)
        .await?
        .into_iter()
        .filter(|e| e.code == UNKNOWN_OUTCOME)
        .filter_map(|e| e.record_id)
        .collect())
}

/// The side an interrupted create went to: connector, object and match field.
fn side_of<'c>(
    ctx: &'c Ctx<'_>,
    backward: bool,
) -> (&'c dyn Connector, &'c ObjectSpec, &'c String) {
    if backward {
        (
            ctx.source.as_ref(),
            &ctx.sspec,
            &ctx.draft.match_rule.source_field,
        )
    } else {
        (
            ctx.target.as_ref(),
            &ctx.tspec,
            &ctx.draft.match_rule.target_field,
        )
    }
}

/// Settles the unfinished intents of a mapping; returns how many were linked.
pub(super) async fn reconcile(engine: &Engine, ctx: &Ctx<'_>) -> EngineResult<usize> {
    let (run_id, mapping_id, draft) = (ctx.run_id.as_str(), ctx.mapping_id, &ctx.draft);
    let pool = engine.store().pool();
    // Batches an interrupted run recorded become per-record intents first.
    intents::explode_left(ctx).await?;
    let open = outbox::unfinished(pool, mapping_id).await?;
    // Intents of a two-way run's writes back to the source are looked for there.
    let backward_of = |i: &outbox::Intent| i.idempotency_key.contains(":back:");
    let sent_create =
        |i: &outbox::Intent| i.operation == OutboxOp::Create && i.state == OutboxState::Sent;
    let key_of = |values: &Values| {
        values
            .get(&draft.match_rule.target_field)
            .and_then(|v| matching::key(draft.match_rule.kind, v))
    };
    // The match values of every interrupted create, looked up in one batch per side.
    let mut keys: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    for intent in open.iter().filter(|i| sent_create(i)) {
        let values: Values = serde_json::from_str(&intent.payload).unwrap_or_default();
        if let Some(k) = key_of(&values) {
            keys[usize::from(backward_of(intent))].push(k);
        }
    }
    let mut found_by: [HashMap<String, Vec<Record>>; 2] = [HashMap::new(), HashMap::new()];
    for backward in [false, true] {
        let wanted = std::mem::take(&mut keys[usize::from(backward)]);
        if wanted.is_empty() {
            continue;
        }
        let (side, spec, field) = side_of(ctx, backward);
        let rule = crate::mapping::model::MatchRule {
            target_field: field.clone(),
            ..draft.match_rule.clone()
        };
        found_by[usize::from(backward)] = matching::find(side, spec, &rule, wanted, &[])
            .await
            .map_err(|e| connector_error(side.provider(), e))?;
    }
    let mut linked = 0;
    for intent in open {
        let values: Values = serde_json::from_str(&intent.payload).unwrap_or_default();
        if !sent_create(&intent) {
            outbox::requeue(pool, intent.id, "left by an interrupted run").await?;
            continue;
        }
        let backward = backward_of(&intent);
        // `None`: there is nothing to look for it by.
        let found: Option<Vec<Record>> = match (key_of(&values), backward) {
            (Some(key), _) => Some(
                found_by[usize::from(backward)]
                    .get(&key)
                    .cloned()
                    .unwrap_or_default(),
            ),
            (None, false) => Some(same_values(ctx, &values, intent.created_at).await?),
            // Back in the source the values are the target's: nothing to compare by.
            (None, true) => None,
        };
        match (found.as_deref(), intent.source_id.as_deref()) {
            (Some([record]), Some(read_id)) => {
                let (source_id, target_id) = if backward {
                    (record.id.as_str(), read_id)
                } else {
                    (read_id, record.id.as_str())
                };
                let mut tx = switchyard_store::begin_write(pool).await?;
                links::upsert(
                    &mut *tx,
                    &links::LinkUpsert {
                        mapping_id,
                        source_id,
                        target_id,
                        base: &base_json(&values),
                        source_modified_at: None,
                        target_modified_at: None,
                        run_id: Some(run_id),
                    },
                )
                .await?;
                outbox::confirm(&mut *tx, intent.id, Some(&record.id)).await?;
                tx.commit()
                    .await
                    .map_err(switchyard_store::StoreError::from)?;
                linked += 1;
            }
            (Some([]), _) => {
                outbox::requeue(
                    pool,
                    intent.id,
                    "not found in the target after an interruption; will be sent again",
                )
                .await?
            }
            _ => {
                let message = "A create was interrupted and Switchyard cannot tell whether it landed (several records could be it, or it has no match value): check, link the right one by hand, then retry.";
                let mut tx = switchyard_store::begin_write(pool).await?;
                // Settled without a target: never sent again on its own.
                outbox::confirm(&mut *tx, intent.id, None).await?;
                run_errors::insert(
                    &mut *tx,
                    &run_errors::NewRunError {
                        run_id,
                        mapping_id,
                        side: Side::Target,
                        record_id: intent.source_id.as_deref(),
                        code: UNKNOWN_OUTCOME,
                        message,
                        payload: Some(&intent.payload),
                    },
                )
                .await?;
                tx.commit()
                    .await
                    .map_err(switchyard_store::StoreError::from)?;
            }
        }
    }
    Ok(linked)
}

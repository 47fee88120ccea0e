//! Before a run sends anything, intents an earlier run left unfinished are settled
//! against the target: a create that may have gone out is looked up by its match key —
//! found, it is linked and confirmed (no duplicate); not found, it goes back to pending
//! and is sent again when its page is read again. Updates are safe to send twice and go
//! back to pending. A create without a match value is looked for by its own values (a
//! record holding exactly what was sent); when that cannot tell, it is settled without
//! sending and reported for the user to check — never sent blind a second time.

use super::matching;
use super::plan::{base_json, Values};
use crate::api::schema::connector_error;
use crate::mapping::model::MappingDraft;
use crate::{Engine, EngineResult};
use switchyard_connectors::connector::Connector;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::Record;
use switchyard_store::kinds::{OutboxOp, OutboxState, Side};
use switchyard_store::tables::{links, outbox, run_errors};

/// Target records holding exactly `values`, found through the first text value sent.
async fn same_values(
    target: &dyn Connector,
    tspec: &ObjectSpec,
    values: &Values,
) -> EngineResult<Vec<Record>> {
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
    Ok(candidates
        .into_iter()
        .filter(|r| {
            !r.archived
                && values
                    .iter()
                    .all(|(f, v)| r.get(f).same(v) || (v.is_blank() && r.get(f).is_blank()))
        })
        .collect())
}

/// Settles the unfinished intents of a mapping; returns how many were linked.
pub(super) async fn reconcile(
    engine: &Engine,
    run_id: &str,
    mapping_id: &str,
    draft: &MappingDraft,
    target: &dyn Connector,
    tspec: &ObjectSpec,
) -> EngineResult<usize> {
    let pool = engine.store().pool();
    let open = outbox::unfinished(pool, mapping_id).await?;
    let mut linked = 0;
    for intent in open {
        let values: Values = serde_json::from_str(&intent.payload).unwrap_or_default();
        let sent_create = intent.operation == OutboxOp::Create && intent.state == OutboxState::Sent;
        if !sent_create {
            outbox::requeue(pool, intent.id, "left by an interrupted run").await?;
            continue;
        }
        let key = values
            .get(&draft.match_rule.target_field)
            .and_then(|v| matching::key(draft.match_rule.kind, v));
        let found = match &key {
            Some(key) => matching::find(target, tspec, &draft.match_rule, vec![key.clone()], &[])
                .await
                .map_err(|e| connector_error(target.provider(), e))?
                .remove(key)
                .unwrap_or_default(),
            None => same_values(target, tspec, &values).await?,
        };
        match (found.as_slice(), intent.source_id.as_deref()) {
            ([record], Some(source_id)) => {
                let mut tx = pool
                    .begin()
                    .await
                    .map_err(switchyard_store::StoreError::from)?;
                links::upsert(
                    &mut *tx,
                    &links::LinkUpsert {
                        mapping_id,
                        source_id,
                        target_id: &record.id,
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
            ([], _) => {
                outbox::requeue(
                    pool,
                    intent.id,
                    "not found in the target after an interruption; will be sent again",
                )
                .await?
            }
            _ => {
                let message = "A create was interrupted and the target holds several records that could be it: check them, link the right one by hand, then retry.";
                let mut tx = pool
                    .begin()
                    .await
                    .map_err(switchyard_store::StoreError::from)?;
                // Settled without a target: never sent again on its own.
                outbox::confirm(&mut *tx, intent.id, None).await?;
                run_errors::insert(
                    &mut *tx,
                    &run_errors::NewRunError {
                        run_id,
                        mapping_id,
                        side: Side::Target,
                        record_id: intent.source_id.as_deref(),
                        code: "unknown_outcome",
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

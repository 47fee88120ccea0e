//! Before a run sends anything, intents an earlier run left unfinished are settled
//! against the target: a create that may have gone out is looked up by its match key —
//! found, it is linked and confirmed (no duplicate); not found, it goes back to pending
//! and is sent again when its page is read again. Updates are safe to send twice and go
//! back to pending. A create without a match key cannot be checked: it is failed with a
//! message asking the user to look, never sent blind a second time.

use super::matching;
use super::plan::{base_json, Values};
use crate::mapping::model::MappingDraft;
use crate::{Engine, EngineResult};
use switchyard_connectors::connector::Connector;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_store::kinds::{OutboxOp, OutboxState, Side};
use switchyard_store::tables::{links, outbox, run_errors};

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
        let Some(key) = key else {
            let message = "A create was interrupted and cannot be checked (the record has no match value): look for it in the target before retrying.";
            outbox::fail(pool, intent.id, message).await?;
            run_errors::insert(
                pool,
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
            continue;
        };
        let found = matching::find(target, tspec, &draft.match_rule, vec![key.clone()], &[])
            .await
            .map_err(|e| crate::api::schema::connector_error(target.provider(), e))?;
        match (
            found.get(&key).map(Vec::as_slice),
            intent.source_id.as_deref(),
        ) {
            (Some([record]), Some(source_id)) => {
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
            _ => {
                outbox::requeue(
                    pool,
                    intent.id,
                    "not found in the target after an interruption; will be sent again",
                )
                .await?
            }
        }
    }
    Ok(linked)
}

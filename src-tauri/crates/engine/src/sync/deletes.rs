//! Deletes, by the mapping's policy. After the changes are read, the records deleted
//! (Salesforce), archived (HubSpot) or made inactive (QuickBooks customers) in the source
//! since the last pass are looked up in the identity map: with `propagate` their target
//! records are archived / deleted / deactivated and the pairs forgotten; with `review`
//! each is queued for the user (an open record error), the target left alone; `ignore`
//! never gets here. A dry run only counts them.

use super::compare_deletes::deletes_by_comparison;
use super::context::{Ctx, Way};
use crate::api::schema::connector_error;
use crate::{Engine, EngineResult};
use chrono::{DateTime, Utc};
use switchyard_connectors::connector::ConnectorError;
use switchyard_store::kinds::{DeletePolicy, Side};
use switchyard_store::tables::{links, run_errors};

/// (archived in the target, queued for review, failed with their reasons).
#[derive(Debug, Default)]
pub struct Outcome {
    pub archived: u32,
    pub queued: u32,
    pub failed: u32,
    pub note: Option<String>,
}

/// Carries the deletes of the `way`'s deleting side since `since` by the mapping's
/// policy (see above).
pub(super) async fn apply_deletes(
    engine: &Engine,
    ctx: &Ctx,
    way: Way,
    since: Option<DateTime<Utc>>,
) -> EngineResult<Outcome> {
    let mut out = Outcome::default();
    // Forward: deleted in the source, removed from the target; backward (two-way
    // runs): deleted in the target, removed from the source.
    let (deleted_in, deleted_spec, other, other_spec, deleted_label, other_label) = match way {
        Way::Forward => (
            &ctx.source,
            &ctx.sspec,
            &ctx.target,
            &ctx.tspec,
            "the source",
            &ctx.tspec.label,
        ),
        Way::Backward => (
            &ctx.target,
            &ctx.tspec,
            &ctx.source,
            &ctx.sspec,
            "the target",
            &ctx.sspec.label,
        ),
    };
    let ids = match deleted_in.deleted_since(deleted_spec, since).await {
        Ok(ids) => ids,
        Err(ConnectorError::Unsupported(why)) => {
            out.note = Some(why);
            return Ok(out);
        }
        Err(ConnectorError::ChangesUnavailable(why)) => {
            let (gone, note) = deletes_by_comparison(engine, ctx, way, &why).await?;
            out.note = Some(note);
            gone
        }
        Err(e) => return Err(connector_error(deleted_in.provider(), e)),
    };
    let pool = engine.store().pool();
    for chunk in ids.chunks(500) {
        let pairs = match way {
            Way::Forward => links::by_source_ids(pool, &ctx.mapping_id, chunk).await?,
            Way::Backward => links::by_target_ids(pool, &ctx.mapping_id, chunk).await?,
        };
        // The record on the other side of each pair.
        let other_id = |l: &links::Link| match way {
            Way::Forward => l.target_id.clone(),
            Way::Backward => l.source_id.clone(),
        };
        if pairs.is_empty() {
            continue;
        }
        if ctx.dry_run {
            match ctx.draft.delete_policy {
                DeletePolicy::Propagate => out.archived += pairs.len() as u32,
                _ => out.queued += pairs.len() as u32,
            }
            continue;
        }
        match ctx.draft.delete_policy {
            DeletePolicy::Propagate => {
                let targets: Vec<String> = pairs.iter().map(other_id).collect();
                let results = other
                    .archive(other_spec, &targets)
                    .await
                    .map_err(|e| connector_error(other.provider(), e))?;
                let mut tx = switchyard_store::begin_write(pool).await?;
                for (pair, result) in pairs.iter().zip(results) {
                    match result {
                        Ok(_) => {
                            links::unlink(&mut *tx, &ctx.mapping_id, &pair.source_id).await?;
                            out.archived += 1;
                        }
                        Err(e) => {
                            let message = format!(
                                "Deleted in {deleted_label}, but removing {other_label} {} failed: {}",
                                other_id(pair),
                                e.message
                            );
                            run_errors::insert(
                                &mut *tx,
                                &run_errors::NewRunError {
                                    run_id: &ctx.run_id,
                                    mapping_id: &ctx.mapping_id,
                                    side: Side::Target,
                                    record_id: Some(&pair.source_id),
                                    code: &e.code,
                                    message: &message,
                                    payload: None,
                                },
                            )
                            .await?;
                            out.failed += 1;
                        }
                    }
                }
                tx.commit()
                    .await
                    .map_err(switchyard_store::StoreError::from)?;
            }
            DeletePolicy::Review | DeletePolicy::Ignore => {
                let open = run_errors::open_for_mapping(pool, &ctx.mapping_id).await?;
                for pair in pairs {
                    let queued = open.iter().any(|e| {
                        e.code == "delete_review"
                            && e.record_id.as_deref() == Some(pair.source_id.as_str())
                    });
                    if queued {
                        continue;
                    }
                    let message = format!(
                        "Deleted in {deleted_label}; {other_label} {} was left alone for you to review.",
                        other_id(&pair)
                    );
                    run_errors::insert(
                        pool,
                        &run_errors::NewRunError {
                            run_id: &ctx.run_id,
                            mapping_id: &ctx.mapping_id,
                            side: Side::Source,
                            record_id: Some(&pair.source_id),
                            code: "delete_review",
                            message: &message,
                            payload: None,
                        },
                    )
                    .await?;
                    out.queued += 1;
                }
            }
        }
    }
    Ok(out)
}

//! Stage 5, confirm and checkpoint: what a run commits to SQLite once something is
//! settled, each in one transaction — a batch's answers (links with their new base,
//! its intent settled, failures kept as intents requeued or failed), the links found without a write
//! with the page's record errors, and the source cursor with the run's counters as far
//! as nothing waits behind it.

use super::context::{Ctx, Failed, Way};
use super::cursor_row::Stored;
use super::intents::{self, Batch, Failure};
use super::pending::Pending;
use super::plan::{base_json, Decision, Values};
use super::tally::Tally;
use crate::EngineResult;
use switchyard_connectors::connector::{WriteResult, NOT_SENT};
use switchyard_store::kinds::Side;
use switchyard_store::tables::{cursors, links, run_errors, runs};

/// A record sent in a batch: (decision, index into the batch's payloads).
pub(super) type Sent<'d> = (&'d Decision, usize);

/// Stores the answers to one batch of writes: a written record is linked (its payload
/// the new base); a failed one becomes an intent of its own, requeued (retryable, or
/// never sent) or failed, and the failure is added to `failures`; the batch's intent is
/// settled. Returns how many were written.
pub(super) async fn confirm(
    ctx: &Ctx<'_>,
    to: Way,
    batch: &Batch<'_>,
    group: &[Sent<'_>],
    results: Vec<WriteResult>,
    payloads: &[String],
    failures: &mut Vec<Failed>,
) -> EngineResult<u32> {
    let pool = &ctx.db;
    let mut tx = switchyard_store::begin_write(pool).await?;
    // (decision, index into `payloads`, the written record's id)
    let mut written = Vec::new();
    let mut failed = Vec::new();
    for (&(d, payload), result) in group.iter().zip(results) {
        match result {
            Ok(w) => {
                let written_id = d.target_id.clone().unwrap_or(w.id);
                written.push((d, payload, written_id));
            }
            Err(e) => {
                failed.push(Failure {
                    decision: d,
                    payload: &payloads[payload],
                    requeue: e.retryable || e.code == NOT_SENT,
                    message: e.message.clone(),
                });
                failures.push(Failed {
                    side: to.written_side(),
                    record_id: d.source_id.clone(),
                    code: e.code,
                    message: e.message,
                    payload: serde_json::to_string(&d.changes).ok(),
                });
            }
        }
    }
    intents::settle(&mut tx, ctx, to, batch, &failed).await?;
    let pairs: Vec<links::LinkUpsert<'_>> = written
        .iter()
        .map(|(d, payload, written_id)| {
            let (source_id, target_id) = match to {
                Way::Forward => (d.source_id.as_str(), written_id.as_str()),
                Way::Backward => (written_id.as_str(), d.source_id.as_str()),
            };
            links::LinkUpsert {
                mapping_id: ctx.mapping_id,
                source_id,
                target_id,
                base: &payloads[*payload],
                source_modified_at: None,
                target_modified_at: None,
                run_id: Some(&ctx.run_id),
            }
        })
        .collect();
    links::upsert_many(&mut tx, &pairs).await?;
    let n = u32::try_from(written.len()).unwrap_or(u32::MAX);
    tx.commit()
        .await
        .map_err(switchyard_store::StoreError::from)?;
    Ok(n)
}

/// Commits the source cursor as far as nothing waits behind it, with the counters
/// `add`s to the run's row, in one transaction.
pub(super) async fn commit_progress(
    ctx: &Ctx<'_>,
    pending: &mut Pending,
    deletes_since: Option<chrono::DateTime<chrono::Utc>>,
    add: &Tally,
) -> EngineResult<()> {
    let mut tx = switchyard_store::begin_write(&ctx.db).await?;
    if let Some(read) = pending.committable() {
        let stored = Stored {
            read,
            deletes_since,
        };
        cursors::set(&mut *tx, ctx.mapping_id, Side::Source, &stored.to_row()).await?;
    }
    runs::checkpoint(&mut *tx, &ctx.run_id, "writing", add.counts(), None).await?;
    tx.commit()
        .await
        .map_err(switchyard_store::StoreError::from)?;
    Ok(())
}

/// Links pairs found without a write, and stores record errors, in one transaction.
pub(super) async fn commit_links_and_errors(
    ctx: &Ctx<'_>,
    pairs: &[(String, String, Values)],
    failures: &[Failed],
) -> EngineResult<()> {
    if pairs.is_empty() && failures.is_empty() {
        return Ok(());
    }
    let pool = &ctx.db;
    let mut tx = switchyard_store::begin_write(pool).await?;
    let bases: Vec<String> = pairs.iter().map(|(_, _, v)| base_json(v)).collect();
    let found: Vec<links::LinkUpsert<'_>> = pairs
        .iter()
        .zip(&bases)
        .map(|((source_id, target_id, _), base)| links::LinkUpsert {
            mapping_id: ctx.mapping_id,
            source_id,
            target_id,
            base,
            source_modified_at: None,
            target_modified_at: None,
            run_id: Some(&ctx.run_id),
        })
        .collect();
    links::upsert_many(&mut tx, &found).await?;
    for f in failures {
        let error = run_errors::NewRunError {
            run_id: &ctx.run_id,
            mapping_id: ctx.mapping_id,
            side: f.side,
            record_id: Some(&f.record_id),
            code: &f.code,
            message: &f.message,
            payload: f.payload.as_deref(),
        };
        run_errors::insert(&mut *tx, &error).await?;
    }
    tx.commit()
        .await
        .map_err(switchyard_store::StoreError::from)?;
    Ok(())
}

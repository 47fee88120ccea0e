//! Filling the target's batches across pages: a page is decided (its creates and
//! updates waiting in `Pending`), then whatever batches are full are written — or
//! everything, when the page repeats a waiting record, when the cursor would lag too
//! far, or at a safe point (the run stops or ends).
//!
//! Pipelined (`handle_page` with `pipelined`), the batches a page filled are written
//! while the next page is decided and the one after it read: on two cores the engine's
//! SQLite thread, its own work and the providers' answers overlap instead of taking
//! turns. A page repeating a record or match key of the batch in flight waits for it
//! to land first, so the page is decided on what that batch wrote.

use super::checkpoint::{commit_links_and_errors, commit_progress};
use super::context::{Ctx, Way};
use super::decide_page::decide_page;
use super::pending::{Pending, Taken};
use super::report::PlannedRecord;
use super::tally::Tally;
use super::write::write_decisions;
use crate::EngineResult;
use std::future::Future;
use std::pin::Pin;
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::value::Record;

/// Part-filled batches are sent anyway once they hold a record read this many pages ago,
/// so the committed cursor never lags further (a crash re-reads at most this much).
const MAX_LAG_PAGES: u64 = 10;

/// A batch being written while the next page is handled.
pub(super) type Flying<'c> = Pin<Box<dyn Future<Output = EngineResult<(Taken, Tally)>> + Send + 'c>>;

/// Decides a page; unless dry, queues its writes and sends whatever batches are full
/// (or everything, when the page repeats a waiting record or the cursor lags). The batch
/// in `flying` is written meanwhile and `next` (the next page's read) awaited alongside;
/// when `pipelined`, the batches this page filled are left in `flying`, otherwise they
/// are written before it returns.
#[allow(clippy::too_many_arguments)]
pub(super) async fn handle_page<'c, F: Future>(
    ctx: &'c Ctx<'_>,
    records: &[Record],
    plan: &mut Vec<PlannedRecord>,
    pending: &mut Pending,
    page_no: u64,
    read_up_to: &Cursor,
    flying: &mut Option<Flying<'c>>,
    pipelined: bool,
    next: Option<F>,
) -> EngineResult<(Tally, Option<F::Output>)> {
    let mut tally = Tally::default();
    if !ctx.dry_run && pending.overlaps(records, &ctx.draft.match_rule) {
        tally.add(&land(pending, flying.take()).await?);
        tally.add(&flush(ctx, pending, true).await?);
    }
    let decide = async {
        if records.is_empty() {
            return Ok(Tally::default());
        }
        decide_page(ctx, records, plan, pending, page_no).await
    };
    let written = async {
        match flying.take() {
            Some(f) => Some(f.await),
            None => None,
        }
    };
    let read = async {
        match next {
            Some(f) => Some(f.await),
            None => None,
        }
    };
    let (decided, written, read) = tokio::join!(decide, written, read);
    if let Some(written) = written {
        let (taken, t) = written?;
        pending.landed(&taken);
        tally.add(&t);
    }
    tally.add(&decided?);
    if !ctx.dry_run && !records.is_empty() {
        pending.read_up_to(page_no, read_up_to.clone());
        let all = pending.lags(page_no, MAX_LAG_PAGES);
        if let Some(taken) = pending.take(ctx.target.batch_size(), all) {
            let write: Flying<'c> = Box::pin(write_taken(ctx, taken));
            if pipelined {
                *flying = Some(write);
            } else {
                tally.add(&land(pending, Some(write)).await?);
            }
        }
    }
    Ok((tally, read))
}

/// Waits for the batch in flight, if any, and clears its marks in `pending`.
pub(super) async fn land(pending: &mut Pending, flying: Option<Flying<'_>>) -> EngineResult<Tally> {
    let Some(flying) = flying else {
        return Ok(Tally::default());
    };
    let (taken, tally) = flying.await?;
    pending.landed(&taken);
    Ok(tally)
}

/// Sends what waits in `pending`: whole batches only, or everything when `all`.
pub(super) async fn flush(ctx: &Ctx<'_>, pending: &mut Pending, all: bool) -> EngineResult<Tally> {
    let Some(taken) = pending.take(ctx.target.batch_size(), all) else {
        return Ok(Tally::default());
    };
    let (taken, tally) = write_taken(ctx, taken).await?;
    pending.landed(&taken);
    Ok(tally)
}

/// Writes decisions taken from `Pending` and stores their failures; returns them (to be
/// marked landed) with what they did.
async fn write_taken(ctx: &Ctx<'_>, mut taken: Taken) -> EngineResult<(Taken, Tally)> {
    let mut failures = Vec::new();
    let (created, updated) = write_decisions(
        ctx,
        Way::Forward,
        &taken.decisions,
        &mut taken.snapshots,
        &mut failures,
    )
    .await?;
    commit_links_and_errors(ctx, &[], &failures).await?;
    let raced = failures.iter().filter(|f| f.code == "conflict").count();
    let tally = Tally {
        created,
        updated,
        failed: u32::try_from(failures.len() - raced).unwrap_or(u32::MAX),
        conflicts: u32::try_from(raced).unwrap_or(u32::MAX),
        ..Default::default()
    };
    Ok((taken, tally))
}

/// A safe point (the run stops or has read its last page): unless dry, the batch in
/// flight lands, everything still waiting is sent and the cursor committed with what
/// that sent, which `tally` counts.
pub(super) async fn send_all(
    ctx: &Ctx<'_>,
    pending: &mut Pending,
    flying: Option<Flying<'_>>,
    deletes_since: Option<chrono::DateTime<chrono::Utc>>,
    tally: &mut Tally,
) -> EngineResult<()> {
    if !ctx.dry_run {
        let mut sent = land(pending, flying).await?;
        sent.add(&flush(ctx, pending, true).await?);
        commit_progress(ctx, pending, deletes_since, &sent).await?;
        tally.add(&sent);
    }
    Ok(())
}

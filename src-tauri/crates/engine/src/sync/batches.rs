//! Filling the target's batches across pages: a page is decided (its creates and
//! updates waiting in `Pending`), then whatever batches are full are written — or
//! everything, when the page repeats a waiting record, when the cursor would lag too
//! far, or at a safe point (the run stops or ends).
//!
//! Pipelined (`handle_page` with `pipelined`), the batches a page filled take off into
//! the `Flight` and are written while the pages after it are read and decided, up to
//! `MAX_FLYING` batches at once: on two cores the engine's SQLite thread, its own work
//! and the providers' answers overlap instead of taking turns. A page repeating a
//! record or match key of a batch in flight waits for every batch to land first, so
//! the page is decided on what they wrote; the cursor never passes a batch in flight.

use super::checkpoint::{commit_links_and_errors, commit_progress};
use super::context::{Ctx, Way};
use super::decide_page::decide_page;
use super::pending::{Pending, Taken};
use super::report::PlannedRecord;
use super::tally::Tally;
use super::write::write_decisions;
use crate::EngineResult;
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::value::Record;

/// Part-filled batches are sent anyway once they hold a record read this many pages ago,
/// so the committed cursor never lags further (a crash re-reads at most this much).
const MAX_LAG_PAGES: u64 = 10;

/// Batches written at once while later pages are decided: one is sent while the next
/// records its intent, and a third waits for either to land.
const MAX_FLYING: usize = 2;

/// A batch being written: its decisions (to be marked landed) with what it did.
type Flying<'c> = Pin<Box<dyn Future<Output = EngineResult<(Taken, Tally)>> + Send + 'c>>;

/// The batches in flight.
pub(super) type Flight<'c> = FuturesUnordered<Flying<'c>>;

/// Decides a page; unless dry, queues its writes and sends whatever batches are full
/// (or everything, when the page repeats a waiting record or the cursor lags). The
/// batches in `flight` are written meanwhile and `next` (the next page's read) awaited
/// alongside; when `pipelined`, the batches this page filled take off into `flight`,
/// otherwise they are written before it returns.
#[allow(clippy::too_many_arguments)]
pub(super) async fn handle_page<'c, F: Future>(
    ctx: &'c Ctx<'_>,
    records: &[Record],
    plan: &mut Vec<PlannedRecord>,
    pending: &mut Pending,
    page_no: u64,
    read_up_to: &Cursor,
    flight: &mut Flight<'c>,
    pipelined: bool,
    next: Option<F>,
) -> EngineResult<(Tally, Option<F::Output>)> {
    let mut tally = Tally::default();
    if !ctx.dry_run && pending.overlaps(records, &ctx.draft.match_rule) {
        tally.add(&land_all(pending, flight).await?);
        tally.add(&flush(ctx, pending, true).await?);
    }
    let decide = async {
        if records.is_empty() {
            return Ok(Tally::default());
        }
        decide_page(ctx, records, plan, pending, page_no).await
    };
    let read = async {
        match next {
            Some(f) => Some(f.await),
            None => None,
        }
    };
    let ((decided, read), landed) = beside(async { tokio::join!(decide, read) }, flight).await;
    tally.add(&absorb(pending, landed)?);
    tally.add(&decided?);
    if !ctx.dry_run && !records.is_empty() {
        pending.read_up_to(page_no, read_up_to.clone());
        let all = pending.lags(page_no, MAX_LAG_PAGES);
        if let Some(taken) = pending.take(ctx.target.batch_size(), all) {
            let write: Flying<'c> = Box::pin(write_taken(ctx, taken));
            if pipelined {
                while flight.len() >= MAX_FLYING {
                    tally.add(&land_one(pending, flight).await?);
                }
                flight.push(write);
            } else {
                let (taken, t) = write.await?;
                pending.landed(&taken);
                tally.add(&t);
            }
        }
    }
    Ok((tally, read))
}

/// Runs `main` to its end while the batches in `flight` are written; returns its output
/// with the answers of the batches that landed meanwhile (for `absorb`). Whatever the
/// run awaits while batches fly goes through here: a batch holds the run's one
/// connection while its transaction is open, and must be polled to let it go.
pub(super) async fn beside<T>(
    main: impl Future<Output = T>,
    flight: &mut Flight<'_>,
) -> (T, Vec<EngineResult<(Taken, Tally)>>) {
    let mut main = pin!(main);
    let mut landed = Vec::new();
    let out = poll_fn(|cx| {
        while let Poll::Ready(Some(written)) = flight.poll_next_unpin(cx) {
            landed.push(written);
        }
        main.as_mut().poll(cx)
    })
    .await;
    (out, landed)
}

/// Marks the batches that landed in `pending`; returns what they did.
pub(super) fn absorb(
    pending: &mut Pending,
    landed: Vec<EngineResult<(Taken, Tally)>>,
) -> EngineResult<Tally> {
    let mut tally = Tally::default();
    for written in landed {
        let (taken, t) = written?;
        pending.landed(&taken);
        tally.add(&t);
    }
    Ok(tally)
}

/// Waits for the first batch in flight to land and clears its marks in `pending`.
async fn land_one(pending: &mut Pending, flight: &mut Flight<'_>) -> EngineResult<Tally> {
    match flight.next().await {
        Some(written) => {
            let (taken, tally) = written?;
            pending.landed(&taken);
            Ok(tally)
        }
        None => Ok(Tally::default()),
    }
}

/// Waits for every batch in flight to land and clears their marks in `pending`.
pub(super) async fn land_all(
    pending: &mut Pending,
    flight: &mut Flight<'_>,
) -> EngineResult<Tally> {
    let mut tally = Tally::default();
    while !flight.is_empty() {
        tally.add(&land_one(pending, flight).await?);
    }
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

/// A safe point (the run stops or has read its last page): unless dry, the batches in
/// flight land, everything still waiting is sent and the cursor committed with what
/// that sent (which `tally` counts) and what landed since the last commit (`carried`,
/// which it counts already).
pub(super) async fn send_all(
    ctx: &Ctx<'_>,
    pending: &mut Pending,
    flight: &mut Flight<'_>,
    carried: Tally,
    deletes_since: Option<chrono::DateTime<chrono::Utc>>,
    tally: &mut Tally,
) -> EngineResult<()> {
    if !ctx.dry_run {
        let mut sent = land_all(pending, flight).await?;
        sent.add(&flush(ctx, pending, true).await?);
        tally.add(&sent);
        sent.add(&carried);
        commit_progress(ctx, pending, deletes_since, &sent).await?;
    }
    Ok(())
}

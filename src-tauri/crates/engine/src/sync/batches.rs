//! Filling the target's batches across pages: a page is decided (its creates and
//! updates waiting in `Pending`), then whatever batches are full are written — or
//! everything, when the page repeats a waiting record, when the cursor would lag too
//! far, or at a safe point (the run stops or ends).

use super::checkpoint::{commit_links_and_errors, commit_progress};
use super::context::{Ctx, Way};
use super::decide_page::decide_page;
use super::pending::Pending;
use super::report::PlannedRecord;
use super::tally::Tally;
use super::write::write_decisions;
use crate::EngineResult;
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::value::Record;

/// Part-filled batches are sent anyway once they hold a record read this many pages ago,
/// so the committed cursor never lags further (a crash re-reads at most this much).
const MAX_LAG_PAGES: u64 = 10;

/// Decides a page; unless dry, queues its writes and sends whatever batches are full
/// (or everything, when the page repeats a waiting record or the cursor lags).
pub(super) async fn handle_page(
    ctx: &Ctx<'_>,
    records: &[Record],
    plan: &mut Vec<PlannedRecord>,
    pending: &mut Pending,
    page_no: u64,
    read_up_to: &Cursor,
) -> EngineResult<Tally> {
    let mut tally = Tally::default();
    if records.is_empty() {
        return Ok(tally);
    }
    if !ctx.dry_run && pending.overlaps(records, &ctx.draft.match_rule) {
        tally.add(&flush(ctx, pending, true).await?);
    }
    tally.add(&decide_page(ctx, records, plan, pending, page_no).await?);
    if !ctx.dry_run {
        pending.read_up_to(page_no, read_up_to.clone());
        let all = pending.lags(page_no, MAX_LAG_PAGES);
        tally.add(&flush(ctx, pending, all).await?);
    }
    Ok(tally)
}

/// Sends what waits in `pending`: whole batches only, or everything when `all`.
pub(super) async fn flush(ctx: &Ctx<'_>, pending: &mut Pending, all: bool) -> EngineResult<Tally> {
    let decisions = pending.take(ctx.target.batch_size(), all);
    if decisions.is_empty() {
        return Ok(Tally::default());
    }
    let mut failures = Vec::new();
    let (created, updated) = write_decisions(
        ctx,
        Way::Forward,
        &decisions,
        &mut pending.snapshots,
        &mut failures,
    )
    .await?;
    for t in decisions.iter().filter_map(|d| d.target_id.as_ref()) {
        pending.snapshots.forget(t);
    }
    commit_links_and_errors(ctx, &[], &failures).await?;
    let raced = failures.iter().filter(|f| f.code == "conflict").count();
    Ok(Tally {
        created,
        updated,
        failed: u32::try_from(failures.len() - raced).unwrap_or(u32::MAX),
        conflicts: u32::try_from(raced).unwrap_or(u32::MAX),
        ..Default::default()
    })
}

/// A safe point (the run stops or has read its last page): unless dry, everything still
/// waiting is sent and the cursor committed with what that sent, which `tally` counts.
pub(super) async fn send_all(
    ctx: &Ctx<'_>,
    pending: &mut Pending,
    deletes_since: Option<chrono::DateTime<chrono::Utc>>,
    tally: &mut Tally,
) -> EngineResult<()> {
    if !ctx.dry_run {
        let sent = flush(ctx, pending, true).await?;
        commit_progress(ctx, pending, deletes_since, &sent).await?;
        tally.add(&sent);
    }
    Ok(())
}

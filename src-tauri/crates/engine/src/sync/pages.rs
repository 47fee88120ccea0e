//! Stage 1, read: the source is read page by page from the stored cursor (a look-back
//! window before it), the next page fetched while this one is handled (and the last
//! one's batches written, see `batches`); each page is
//! handed to `batches::handle_page` and checkpointed, progress sent after it. Before
//! each page the run may stop at a safe point: cancelled, out of call budget or below
//! the headroom floor. A retry reads only the records asked for, by id.

use super::batches::{absorb, beside, flush, handle_page, send_all, Flight};
use super::checkpoint::commit_progress;
use super::context::Ctx;
use super::cursor_row::Stored;
use super::decide_page::decide_page;
use super::pending::Pending;
use super::report::{PlannedRecord, Progress, RunOptions};
use super::tally::Tally;
use crate::api::schema::connector_error;
use crate::{Engine, EngineResult};
use std::time::Instant;
use switchyard_connectors::connector::ReadRequest;
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::value::Record;
use switchyard_store::kinds::{RunStatus, Side};
use switchyard_store::tables::{cursors, runs};

/// What reading every page left for the finish.
pub(super) struct Paged {
    pub(super) tally: Tally,
    pub(super) plan: Vec<PlannedRecord>,
    /// The cursor to keep for the next run (only over records changed before it began).
    pub(super) kept_cursor: Cursor,
    /// Since when deletes were last looked for, as stored.
    pub(super) deletes_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Set when the run stopped at a safe point before its last page.
    pub(super) stopped: Option<(RunStatus, String)>,
}

/// Reads, decides and writes every page, from the stored cursor (or everything with
/// `options.full`); what waits is sent before it returns, stopped or not.
pub(super) async fn read_pages(
    engine: &Engine,
    ctx: &Ctx<'_>,
    options: &RunOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> EngineResult<Paged> {
    let mut pending = Pending::default();
    let stored = if options.full {
        None
    } else {
        cursors::get(&ctx.db, ctx.mapping_id, Side::Source).await?
    };
    let stored = Stored::parse(stored);
    let deletes_since = stored.deletes_since;
    // Reads start a look-back window before the stored cursor (records a provider
    // showed late are read then); the cursor kept for the next run only moves over
    // records changed before this run began, and never back into the window.
    let horizon = chrono::Utc::now();
    let lookback = ctx.source.read_lookback();
    let cursor: Option<Cursor> = stored
        .read
        .at
        .is_some()
        .then(|| stored.read.looking_back(lookback));
    let mut kept_cursor = stored.read.clone();
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut plan = Vec::new();
    let mut request = ReadRequest {
        fields: ctx.source_fields.clone(),
        since: cursor.clone(),
        ..Default::default()
    };
    let mut full_cursor = cursor.clone().unwrap_or_default();
    let mut page_no: u64 = 0;
    let mut prefetched = None;
    // A page's batches are written while the next page is decided (`batches`), unless
    // a call budget must be kept to the call or the run is two-way (the target's side
    // of a record is settled as its page is decided).
    let pipelined = options.call_budget.is_none() && ctx.target_changes.is_none();
    let mut flight = Flight::new();
    let mut carry = Tally::default();
    let stopped = loop {
        if let Some(stop) = stop_before_page(engine, ctx, options, tally.read) {
            // A safe point: what was decided is sent before the run stops.
            break Some(stop);
        }
        let page = match prefetched.take() {
            Some(page) => page,
            None => ctx.source.read(&ctx.sspec, &request).await,
        }
        .map_err(|e| connector_error(ctx.source.provider(), e))?;
        full_cursor.advance(&page.records);
        kept_cursor.advance_until(&page.records, Some(horizon));
        // What the look-back window reads again at the stored cursor itself was synced.
        let records: Vec<Record> = page
            .records
            .into_iter()
            .filter(|r| !stored.read.saw(r))
            .collect();
        page_no += 1;
        let more = request.follow(page.next, &full_cursor);
        // The next page is read while this one is decided and written, unless a call
        // budget must be kept to the call.
        let next =
            (more && options.call_budget.is_none()).then(|| ctx.source.read(&ctx.sspec, &request));
        let (page_tally, next) = handle_page(
            ctx,
            &records,
            &mut plan,
            &mut pending,
            page_no,
            &kept_cursor,
            &mut flight,
            pipelined,
            next,
        )
        .await?;
        prefetched = next;
        if !ctx.dry_run {
            // Batches that land while the progress is committed count with the next page.
            let mut add = std::mem::take(&mut carry);
            add.add(&page_tally);
            let commit = commit_progress(ctx, &mut pending, deletes_since, &add);
            let (committed, landed) = beside(commit, &mut flight).await;
            committed?;
            carry = absorb(&mut pending, landed)?;
            tally.add(&carry);
        } else {
            runs::checkpoint(&ctx.db, &ctx.run_id, "planning", page_tally.counts(), None).await?;
        }
        tally.add(&page_tally);
        let secs = started.elapsed().as_secs_f64().max(0.001);
        progress(Progress::Page {
            read: tally.read,
            created: tally.created,
            updated: tally.updated,
            skipped: tally.skipped,
            failed: tally.failed,
            calls: ctx.calls(),
            records_per_sec: f64::from(tally.read) / secs,
        });
        if !more {
            break None;
        }
    };
    send_all(
        ctx,
        &mut pending,
        &mut flight,
        carry,
        deletes_since,
        &mut tally,
    )
    .await?;
    Ok(Paged {
        tally,
        plan,
        kept_cursor,
        deletes_since,
        stopped,
    })
}

/// A retry: only the records `ids` names, looked up in the source by id in batches,
/// each batch decided, sent and counted at once; the cursor is left alone.
pub(super) async fn read_only(
    ctx: &Ctx<'_>,
    ids: &[String],
) -> EngineResult<(Tally, Vec<PlannedRecord>)> {
    let mut pending = Pending::default();
    let mut plan = Vec::new();
    let mut tally = Tally::default();
    for chunk in ids.chunks(ctx.source.batch_size().max(1)) {
        let records = ctx
            .source
            .lookup(
                &ctx.sspec,
                &ctx.sspec.id_field.clone(),
                chunk,
                &ctx.source_fields,
            )
            .await
            .map_err(|e| connector_error(ctx.source.provider(), e))?;
        let mut t = decide_page(ctx, &records, &mut plan, &mut pending, 0).await?;
        t.add(&flush(ctx, &mut pending, true).await?);
        runs::checkpoint(&ctx.db, &ctx.run_id, "retrying", t.counts(), None).await?;
        tally.add(&t);
    }
    Ok((tally, plan))
}

/// Why the run stops before its next page, if it must: its budget, or a cancel.
fn stop_before_page(
    engine: &Engine,
    ctx: &Ctx<'_>,
    options: &RunOptions,
    read: u32,
) -> Option<(RunStatus, String)> {
    match budget_spent(engine, ctx, options) {
        Some(why) => Some((RunStatus::Partial, format!("{why}; stopped at a checkpoint after {read} records. The next run continues from here."))),
        None => engine.run_cancelled(&ctx.run_id).then(|| {
            (
                RunStatus::Cancelled,
                "Cancelled at a safe point; the next run continues from here.".to_owned(),
            )
        }),
    }
}

/// Why the run must stop before its next page, when its budget says so.
fn budget_spent(engine: &Engine, ctx: &Ctx<'_>, options: &RunOptions) -> Option<String> {
    let calls = ctx.calls();
    if let Some(why) = over_budget(calls, options.call_budget) {
        return Some(why);
    }
    let floor = options.min_headroom_pct?;
    for (connector, connection) in [
        (&ctx.source, &ctx.draft.source_connection_id),
        (&ctx.target, &ctx.draft.target_connection_id),
    ] {
        let Some(q) = engine.stack(connector.provider(), Some(connection)).quota() else {
            continue;
        };
        let name = switchyard_connectors::provider(connector.provider()).name;
        if let Some(why) = below_floor(name, q.remaining, q.total, floor) {
            return Some(why);
        }
    }
    None
}

/// The call budget's reason to stop, once `calls` reached it.
fn over_budget(calls: u32, budget: Option<u32>) -> Option<String> {
    let budget = budget.filter(|b| calls >= *b)?;
    Some(format!(
        "The call budget of {budget} was reached ({calls} calls)"
    ))
}

/// The headroom floor's reason to stop, once an account's share of its daily calls
/// left fell below it (an account reporting no total has no floor).
fn below_floor(name: &str, remaining: i64, total: i64, floor: f64) -> Option<String> {
    if total <= 0 {
        return None;
    }
    let pct = remaining as f64 * 100.0 / total as f64;
    (pct < floor).then(|| format!("{name} has {pct:.1}% of its daily API calls left, below the {floor}% floor ({remaining} of {total})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_budget_stops_the_run_once_reached() {
        assert_eq!(over_budget(9, Some(10)), None);
        assert_eq!(over_budget(10, None), None);
        let why = over_budget(10, Some(10)).unwrap();
        assert_eq!(why, "The call budget of 10 was reached (10 calls)");
    }

    #[test]
    fn the_headroom_floor_stops_the_run_below_it_only() {
        assert_eq!(below_floor("HubSpot", 50, 0, 10.0), None);
        assert_eq!(below_floor("HubSpot", 100, 1000, 10.0), None);
        let why = below_floor("HubSpot", 99, 1000, 10.0).unwrap();
        assert_eq!(
            why,
            "HubSpot has 9.9% of its daily API calls left, below the 10% floor (99 of 1000)"
        );
    }
}

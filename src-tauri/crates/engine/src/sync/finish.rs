//! Stage 6, finish: after the last page, deletes are carried by the mapping's policy
//! (the source cursor row then notes when they were looked for), a two-way run's target
//! changes flow back to the source (and its target deletes, and its target cursor is
//! stored), intents no run will send any more are superseded, and the run's report and
//! message are written.

use super::context::{Ctx, Way};
use super::cursor_row::Stored;
use super::deletes::{apply_deletes, Outcome};
use super::pages::Paged;
use super::report::{PlannedRecord, RunReport};
use super::tally::Tally;
use super::write_back::apply_target_changes;
use crate::{Engine, EngineResult};
use switchyard_store::kinds::{DeletePolicy, RunStatus, Side};
use switchyard_store::tables::{cursors, outbox, run_errors};

/// (created, updated, failed) writing a two-way run's target changes back.
type WrittenBack = (u32, u32, u32);

/// Finishes a run that read all its pages; `target_cursor` is a two-way run's.
pub(super) async fn finish(
    engine: &Engine,
    ctx: &Ctx,
    paged: Paged,
    target_cursor: Option<Stored>,
) -> EngineResult<RunReport> {
    let Paged {
        mut tally,
        plan,
        kept_cursor,
        deletes_since,
        ..
    } = paged;
    let mut deleted = Outcome::default();
    if ctx.draft.delete_policy != DeletePolicy::Ignore {
        let pass_started = chrono::Utc::now() - chrono::Duration::seconds(60);
        deleted = apply_deletes(engine, ctx, Way::Forward, deletes_since).await?;
        tally.failed += deleted.failed;
        if !ctx.dry_run {
            let stored = Stored {
                read: kept_cursor.clone(),
                deletes_since: Some(pass_started),
            };
            cursors::set(&ctx.db, &ctx.mapping_id, Side::Source, &stored.to_row()).await?;
        }
    }
    let mut written_back = (0, 0, 0);
    if let (Some(cursor), false) = (target_cursor, ctx.dry_run) {
        written_back = flow_back(engine, ctx, cursor, &mut tally, &mut deleted).await?;
    }
    if !ctx.dry_run {
        outbox::supersede(&ctx.db, &ctx.mapping_id, &ctx.run_id).await?;
    }
    let calls = ctx.calls();
    let status = if tally.failed > 0 {
        RunStatus::Partial
    } else {
        RunStatus::Succeeded
    };
    let message = summary(&tally, ctx.dry_run, calls, &deleted, written_back);
    Ok(report(ctx, tally, status, message, plan))
}

/// Two-way runs: the target's changes not this run's own flow back to the source, then
/// the target's deletes (by policy); the target cursor is stored after them.
async fn flow_back(
    engine: &Engine,
    ctx: &Ctx,
    cursor: Stored,
    tally: &mut Tally,
    deleted: &mut Outcome,
) -> EngineResult<WrittenBack> {
    let changes = ctx.target_changes.clone().unwrap_or_default();
    let skip = ctx
        .linked_now
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let mut review = ctx.under_review.clone();
    review.extend(
        run_errors::for_run(&ctx.db, &ctx.run_id)
            .await?
            .into_iter()
            .filter(|e| e.code == "conflict")
            .filter_map(|e| e.record_id),
    );
    let written_back = apply_target_changes(engine, ctx, changes, &skip, &review).await?;
    tally.created += written_back.0;
    tally.updated += written_back.1;
    tally.failed += written_back.2;
    let mut cursor = cursor;
    if ctx.draft.delete_policy != DeletePolicy::Ignore {
        let pass_started = chrono::Utc::now() - chrono::Duration::seconds(60);
        let back = apply_deletes(engine, ctx, Way::Backward, cursor.deletes_since).await?;
        deleted.archived += back.archived;
        deleted.queued += back.queued;
        deleted.failed += back.failed;
        tally.failed += back.failed;
        cursor.deletes_since = Some(pass_started);
    }
    cursors::set(&ctx.db, &ctx.mapping_id, Side::Target, &cursor.to_row()).await?;
    Ok(written_back)
}

/// The run's message: its counts and calls, then deletes, writes back to the source,
/// conflicts and the deletes' note where there are any.
fn summary(
    tally: &Tally,
    dry_run: bool,
    calls: u32,
    deleted: &Outcome,
    written_back: WrittenBack,
) -> String {
    let verb = if dry_run { "would be" } else { "were" };
    let mut message = format!("{} read: {} {verb} created, {} {verb} updated, {} unchanged, {} failed; {calls} API calls.", tally.read, tally.created, tally.updated, tally.skipped, tally.failed);
    if deleted.archived + deleted.queued > 0 {
        message.push_str(&format!(
            " Deletes: {} {verb} carried to the other side, {} queued for review.",
            deleted.archived, deleted.queued
        ));
    }
    if written_back.0 + written_back.1 > 0 {
        message.push_str(&format!(
            " Back to the source: {} created, {} updated.",
            written_back.0, written_back.1
        ));
    }
    if tally.conflicts > 0 {
        message.push_str(&format!(
            " {} conflicting field changes settled by the mapping's rules or queued for review.",
            tally.conflicts
        ));
    }
    if let Some(note) = &deleted.note {
        message.push_str(&format!(" {note}."));
    }
    message
}

/// The report of a retry of `asked` records.
pub(super) fn retried(
    ctx: &Ctx,
    asked: usize,
    tally: Tally,
    plan: Vec<PlannedRecord>,
) -> RunReport {
    let status = if tally.failed > 0 {
        RunStatus::Partial
    } else {
        RunStatus::Succeeded
    };
    let message = format!(
        "Retried {} records: {} created, {} updated, {} unchanged, {} failed again.",
        asked, tally.created, tally.updated, tally.skipped, tally.failed
    );
    report(ctx, tally, status, message, plan)
}

/// The run's report: its counters and the calls made so far.
pub(super) fn report(
    ctx: &Ctx,
    t: Tally,
    status: RunStatus,
    message: String,
    plan: Vec<PlannedRecord>,
) -> RunReport {
    RunReport {
        run_id: ctx.run_id.clone(),
        status,
        read: t.read,
        created: t.created,
        updated: t.updated,
        skipped: t.skipped,
        failed: t.failed,
        conflicts: t.conflicts,
        calls: ctx.calls(),
        message,
        plan,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_counts_and_adds_only_what_happened() {
        let tally = Tally {
            read: 5,
            created: 2,
            updated: 1,
            skipped: 2,
            ..Default::default()
        };
        let quiet = summary(&tally, true, 4, &Outcome::default(), (0, 0, 0));
        assert_eq!(
            quiet,
            "5 read: 2 would be created, 1 would be updated, 2 unchanged, 0 failed; 4 API calls."
        );
        let deleted = Outcome {
            archived: 1,
            note: Some("Deletes found by comparison".into()),
            ..Default::default()
        };
        let busy = summary(
            &Tally {
                conflicts: 3,
                ..tally
            },
            false,
            4,
            &deleted,
            (1, 0, 0),
        );
        assert_eq!(busy, "5 read: 2 were created, 1 were updated, 2 unchanged, 0 failed; 4 API calls. Deletes: 1 were carried to the other side, 0 queued for review. Back to the source: 1 created, 0 updated. 3 conflicting field changes settled by the mapping's rules or queued for review. Deletes found by comparison.");
    }
}

//! A run, end to end: `run_mapping` checks the mapping, claims it, records the run and
//! gives it a connection of its own (`Store::dedicated_pool`, closed after the run), then
//! drives the stages — open the context (`context`), read a two-way run's target changes
//! (`two_way`), settle intents an earlier run left (`reconcile`), read, match, decide,
//! write and checkpoint page by page (`pages`), and finish (`finish`). The run's row,
//! its summary notifications and the progress it streams are written here.

use super::context::Ctx;
use super::finish::{finish, report, retried};
use super::pages::{read_only, read_pages};
use super::reconcile::{self, reconcile};
use super::report::{Progress, RunOptions, RunReport};
use super::two_way;
use crate::mapping::model::MappingDraft;
use crate::{Engine, EngineError, EngineResult};
use switchyard_store::kinds::{RunStatus, RunTrigger, SyncDirection};
use switchyard_store::tables::runs;

impl Engine {
    /// Runs a mapping once, source → target, and reports what happened.
    pub async fn run_mapping(
        &self,
        mapping_id: &str,
        options: RunOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> EngineResult<RunReport> {
        let pool = self.store().pool();
        let detail = self.get_mapping(mapping_id).await?;
        let draft = detail.draft;
        let detail_name = draft.name.clone();
        let problems = self.validate_mapping(&draft).await?;
        if let Some(p) = problems.first() {
            return Err(EngineError::validation(format!(
                "This mapping cannot run until its problems are fixed ({} in all). First: {}",
                problems.len(),
                p.message
            )));
        }
        // Two runs of one mapping at once would read the same records and race on the
        // same writes; a dry run writes nothing and may run beside one.
        let _claim = match options.dry_run {
            true => None,
            false => Some(self.claim_mapping(mapping_id).ok_or_else(|| {
                EngineError::new(
                    crate::ErrorCode::Conflict,
                    format!(
                        "\u{201c}{detail_name}\u{201d} is already running; start it again when that run ends"
                    ),
                )
            })?),
        };
        let run = runs::insert(
            pool,
            &runs::NewRun {
                mapping_id,
                trigger: options.trigger.unwrap_or(RunTrigger::Manual),
                dry_run: options.dry_run,
                full_resync: options.full,
                call_budget: None,
            },
        )
        .await?;
        progress(Progress::Started {
            run_id: run.id.clone(),
        });
        let result = match self.store().dedicated_pool().await {
            Ok(db) => {
                let result =
                    run_inner(self, &run.id, mapping_id, draft, &options, progress, &db).await;
                db.close().await;
                result
            }
            Err(e) => Err(e.into()),
        };
        if let Ok(report) = &result {
            runs::checkpoint(
                pool,
                &run.id,
                "finishing",
                runs::Counts {
                    calls: i64::from(report.calls),
                    ..Default::default()
                },
                None,
            )
            .await?;
        }
        let (status, message, report) = match result {
            Ok(report) => (report.status, report.message.clone(), Some(report)),
            Err(e) => (RunStatus::Failed, e.message.clone(), None),
        };
        runs::finish(pool, &run.id, status, Some(&message)).await?;
        if let (Some(r), false) = (&report, options.dry_run) {
            for d in self.notify_run(&detail_name, r).await {
                tracing::info!(channel = %d.channel, ok = d.ok, "run summary: {}", d.detail);
            }
        }
        progress(Progress::Finished { status });
        match report {
            Some(r) => Ok(r),
            None => {
                let r = runs::get(pool, &run.id).await?;
                Ok(RunReport {
                    run_id: run.id,
                    status,
                    read: r.records_read as u32,
                    created: r.records_created as u32,
                    updated: r.records_updated as u32,
                    skipped: r.records_skipped as u32,
                    failed: r.records_failed as u32,
                    conflicts: r.conflicts as u32,
                    calls: r.calls_made as u32,
                    message,
                    plan: Vec::new(),
                })
            }
        }
    }
}

/// The stages of one run, on its own connection `db`.
async fn run_inner(
    engine: &Engine,
    run_id: &str,
    mapping_id: &str,
    draft: MappingDraft,
    options: &RunOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    db: &switchyard_store::sqlx::SqlitePool,
) -> EngineResult<RunReport> {
    let mut ctx = Ctx::open(engine, run_id, mapping_id, draft, options.dry_run, db).await?;
    // A two-way run reads the target's changes first; a retry only sends source records.
    let target_cursor = if ctx.draft.direction == SyncDirection::TwoWay && options.only.is_none() {
        Some(two_way::prepare(engine, &mut ctx, options.full).await?)
    } else {
        None
    };
    if !ctx.dry_run {
        reconcile(engine, &ctx).await?;
    }
    // "Retry failed" sends the held records: that is the user settling them.
    if options.only.is_none() {
        ctx.held = reconcile::held(&ctx).await?;
    }
    let ctx = ctx;
    if let Some(ids) = &options.only {
        let (tally, plan) = read_only(&ctx, ids).await?;
        return Ok(retried(&ctx, ids.len(), tally, plan));
    }
    let mut paged = read_pages(engine, &ctx, options, progress).await?;
    if let Some((status, message)) = paged.stopped.take() {
        return Ok(report(&ctx, paged.tally, status, message, paged.plan));
    }
    finish(engine, &ctx, paged, target_cursor).await
}

//! The run loop: one page at a time — read, match, decide; creates and updates wait in
//! `Pending` until a full batch of the target's size is ready (across pages), then are
//! recorded as intents, sent, and linked. The source cursor is committed with the run's
//! counters only as far as no waiting record depends on it. Dry runs stop after deciding
//! and write nothing.
use super::matching;
use super::pending::Pending;
use super::plan::{base_json, decide, parse_base, Action, Decision, FieldChange, Values};
use crate::api::schema::connector_error;
use crate::mapping::model::MappingDraft;
use crate::mapping::validate::validate;
use crate::{Engine, EngineError, EngineResult};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;
use switchyard_connectors::connector::{Connector, ReadRequest, WriteOp, WriteRow, NOT_SENT};
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::Record;
use switchyard_store::kinds::{DeletePolicy, OutboxOp, OutboxState, RunStatus, RunTrigger, Side};
use switchyard_store::tables::{cursors, links, outbox, run_errors, runs};

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub dry_run: bool,
    /// Read everything, ignoring the stored cursor.
    pub full: bool,
    pub trigger: Option<RunTrigger>,
    /// Only these source records (retrying failed ones); the cursor is left alone.
    pub only: Option<Vec<String>>,
    /// Stop at the first checkpoint after this many API calls.
    pub call_budget: Option<u32>,
    /// Stop at a checkpoint when either account's daily headroom falls below this
    /// percentage (as the providers' own limit headers report it).
    pub min_headroom_pct: Option<f64>,
}

/// Live progress, sent after every page.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(
    tag = "event",
    content = "data",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Progress {
    Started {
        run_id: String,
    },
    Page {
        read: u32,
        created: u32,
        updated: u32,
        skipped: u32,
        failed: u32,
        calls: u32,
        records_per_sec: f64,
    },
    Finished {
        status: RunStatus,
    },
}

/// One record of a dry run's plan.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRecord {
    pub source_id: String,
    pub target_id: Option<String>,
    pub action: Action,
    pub changes: Vec<FieldChange>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub run_id: String,
    pub status: RunStatus,
    pub read: u32,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub failed: u32,
    /// Fields changed on both sides since the last sync (two-way runs).
    pub conflicts: u32,
    pub calls: u32,
    pub message: String,
    /// A dry run's plan (the first 500 records).
    pub plan: Vec<PlannedRecord>,
}

/// The most records a dry run's report lists (counts cover all of them).
const PLAN_MAX: usize = 500;
/// Part-filled batches are sent anyway once they hold a record read this many pages ago,
/// so the committed cursor never lags further (a crash re-reads at most this much).
const MAX_LAG_PAGES: u64 = 10;

pub(super) struct Ctx<'a> {
    pub(super) run_id: String,
    pub(super) mapping_id: &'a str,
    pub(super) draft: MappingDraft,
    pub(super) sspec: ObjectSpec,
    pub(super) tspec: ObjectSpec,
    pub(super) source: Arc<dyn Connector>,
    pub(super) target: Arc<dyn Connector>,
    /// The run's own connection (`Store::dedicated_pool`): its pages' statements keep one
    /// warm page cache.
    pub(super) db: switchyard_store::sqlx::SqlitePool,
    pub(super) dry_run: bool,
    pub(super) target_fields: Vec<String>,
    source_fields: Vec<String>,
    /// Two-way runs: the target's changes read before the source, by target id.
    pub(super) target_changes: Option<HashMap<String, Record>>,
    /// Target ids this run linked from the source side (their changes are its own).
    pub(super) linked_now: std::sync::Mutex<HashSet<String>>,
    /// Source ids with a conflict waiting for the user: left alone until settled.
    pub(super) under_review: HashSet<String>,
    /// Target fields this run wrote from the source, by target id: the target's earlier
    /// values of those fields (read before the write) must not flow back.
    pub(super) written_fields: std::sync::Mutex<HashMap<String, HashSet<String>>>,
}

#[derive(Default)]
struct Tally {
    read: u32,
    created: u32,
    updated: u32,
    skipped: u32,
    failed: u32,
    conflicts: u32,
}

impl Tally {
    fn add(&mut self, page: &Tally) {
        self.read += page.read;
        self.created += page.created;
        self.updated += page.updated;
        self.skipped += page.skipped;
        self.failed += page.failed;
        self.conflicts += page.conflicts;
    }

    /// The counters a page adds to its run's row.
    fn counts(&self) -> runs::Counts {
        runs::Counts {
            read: i64::from(self.read),
            created: i64::from(self.created),
            updated: i64::from(self.updated),
            skipped: i64::from(self.skipped),
            failed: i64::from(self.failed),
            conflicts: i64::from(self.conflicts),
            calls: 0,
        }
    }
}

/// A failure to store for one record.
pub(super) struct Failed {
    pub(super) side: Side,
    pub(super) record_id: String,
    pub(super) code: String,
    pub(super) message: String,
    pub(super) payload: Option<String>,
}

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
                let result = self
                    .run_inner(&run.id, mapping_id, draft, &options, progress, &db)
                    .await;
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

    async fn run_inner(
        &self,
        run_id: &str,
        mapping_id: &str,
        draft: MappingDraft,
        options: &RunOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
        db: &switchyard_store::sqlx::SqlitePool,
    ) -> EngineResult<RunReport> {
        let pool = db;
        let source = self
            .connector_for_run(&draft.source_connection_id, Some(run_id))
            .await?;
        let target = self
            .connector_for_run(&draft.target_connection_id, Some(run_id))
            .await?;
        let sspec = source
            .describe(&draft.source_object)
            .await
            .map_err(|e| connector_error(source.provider(), e))?;
        let tspec = target
            .describe(&draft.target_object)
            .await
            .map_err(|e| connector_error(target.provider(), e))?;
        if !validate(&draft, &sspec, &tspec).is_empty() {
            return Err(EngineError::validation(
                "the mapping no longer fits the discovered schemas; open it to see why",
            ));
        }
        let mut source_fields: Vec<String> = draft
            .fields
            .iter()
            .filter_map(|f| f.source_field.clone())
            .collect();
        source_fields.push(draft.match_rule.source_field.clone());
        for row in &draft.fields {
            for step in &row.transform {
                if let crate::mapping::transform::Step::Concat { fields, .. } = step {
                    source_fields.extend(fields.iter().cloned());
                }
            }
        }
        source_fields.sort();
        source_fields.dedup();
        let mut target_fields: Vec<String> = draft
            .fields
            .iter()
            .map(|f| f.target_field.clone())
            .collect();
        target_fields.push(draft.match_rule.target_field.clone());
        target_fields.sort();
        target_fields.dedup();
        let ctx = Ctx {
            run_id: run_id.to_owned(),
            mapping_id,
            draft,
            sspec,
            tspec,
            source,
            target,
            db: db.clone(),
            dry_run: options.dry_run,
            target_fields,
            source_fields,
            target_changes: None,
            linked_now: Default::default(),
            under_review: HashSet::new(),
            written_fields: Default::default(),
        };
        let mut ctx = ctx;
        let two_way = ctx.draft.direction == switchyard_store::kinds::SyncDirection::TwoWay
            && options.only.is_none();
        let mut target_cursor = None;
        if two_way {
            ctx.under_review = run_errors::open_for_mapping(pool, mapping_id)
                .await?
                .into_iter()
                .filter(|e| e.code == "conflict")
                .filter_map(|e| e.record_id)
                .collect();
            let (changes, cursor) =
                super::two_way::read_target_changes(self, &ctx, options.full).await?;
            ctx.target_changes = Some(changes);
            target_cursor = Some(cursor);
        }
        let ctx = ctx;

        if !ctx.dry_run {
            super::reconcile::reconcile(self, &ctx).await?;
        }
        let mut pending = Pending::default();
        if let Some(ids) = &options.only {
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
                let mut t = self
                    .process_page(&ctx, &records, &mut plan, &mut pending, 0)
                    .await?;
                t.add(&self.flush(&ctx, &mut pending, true).await?);
                runs::checkpoint(pool, run_id, "retrying", t.counts(), None).await?;
                tally.add(&t);
            }
            let status = if tally.failed > 0 {
                RunStatus::Partial
            } else {
                RunStatus::Succeeded
            };
            let message = format!(
                "Retried {} records: {} created, {} updated, {} unchanged, {} failed again.",
                ids.len(),
                tally.created,
                tally.updated,
                tally.skipped,
                tally.failed
            );
            return Ok(self.report(&ctx, tally, status, message, plan));
        }
        let stored = if options.full {
            None
        } else {
            cursors::get(pool, mapping_id, Side::Source).await?
        };
        let stored: super::deletes::Stored = stored
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
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
        loop {
            let stop = match self.budget_spent(&ctx, options) {
                Some(why) => Some((RunStatus::Partial, format!("{why}; stopped at a checkpoint after {} records. The next run continues from here.", tally.read))),
                None => self.run_cancelled(run_id).then(|| {
                    (
                        RunStatus::Cancelled,
                        "Cancelled at a safe point; the next run continues from here.".to_owned(),
                    )
                }),
            };
            if let Some((status, message)) = stop {
                if !ctx.dry_run {
                    // A safe point: what was decided is sent before the run stops.
                    let sent = self.flush(&ctx, &mut pending, true).await?;
                    self.commit_progress(&ctx, &mut pending, deletes_since, &sent)
                        .await?;
                    tally.add(&sent);
                }
                return Ok(self.report(&ctx, tally, status, message, plan));
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
            let handled = self.handle_page(
                &ctx,
                &records,
                &mut plan,
                &mut pending,
                page_no,
                &kept_cursor,
            );
            let page_tally = if more && options.call_budget.is_none() {
                let (handled, next) = tokio::join!(handled, ctx.source.read(&ctx.sspec, &request));
                prefetched = Some(next);
                handled?
            } else {
                handled.await?
            };
            if !ctx.dry_run {
                self.commit_progress(&ctx, &mut pending, deletes_since, &page_tally)
                    .await?;
            } else {
                runs::checkpoint(pool, run_id, "planning", page_tally.counts(), None).await?;
            }
            tally.add(&page_tally);
            let secs = started.elapsed().as_secs_f64().max(0.001);
            progress(Progress::Page {
                read: tally.read,
                created: tally.created,
                updated: tally.updated,
                skipped: tally.skipped,
                failed: tally.failed,
                calls: self.calls_of(&ctx),
                records_per_sec: f64::from(tally.read) / secs,
            });
            if !more {
                break;
            }
        }
        if !ctx.dry_run {
            let sent = self.flush(&ctx, &mut pending, true).await?;
            self.commit_progress(&ctx, &mut pending, deletes_since, &sent)
                .await?;
            tally.add(&sent);
        }
        let mut deleted = super::deletes::Outcome::default();
        if ctx.draft.delete_policy != DeletePolicy::Ignore {
            let pass_started = chrono::Utc::now() - chrono::Duration::seconds(60);
            deleted = self
                .apply_deletes(&ctx, Way::Forward, deletes_since)
                .await?;
            tally.failed += deleted.failed;
            if !ctx.dry_run {
                let stored = super::deletes::Stored {
                    read: kept_cursor.clone(),
                    deletes_since: Some(pass_started),
                };
                cursors::set(
                    pool,
                    mapping_id,
                    Side::Source,
                    &serde_json::to_string(&stored).unwrap_or_default(),
                )
                .await?;
            }
        }
        let mut written_back = (0, 0, 0);
        if let (Some(cursor), false) = (target_cursor, ctx.dry_run) {
            let changes = ctx.target_changes.clone().unwrap_or_default();
            let skip = ctx
                .linked_now
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            let mut review = ctx.under_review.clone();
            review.extend(
                run_errors::for_run(pool, run_id)
                    .await?
                    .into_iter()
                    .filter(|e| e.code == "conflict")
                    .filter_map(|e| e.record_id),
            );
            written_back =
                super::two_way::apply_target_changes(self, &ctx, changes, &skip, &review).await?;
            tally.created += written_back.0;
            tally.updated += written_back.1;
            tally.failed += written_back.2;
            let mut cursor = cursor;
            if ctx.draft.delete_policy != DeletePolicy::Ignore {
                let pass_started = chrono::Utc::now() - chrono::Duration::seconds(60);
                let back = self
                    .apply_deletes(&ctx, Way::Backward, cursor.deletes_since)
                    .await?;
                deleted.archived += back.archived;
                deleted.queued += back.queued;
                deleted.failed += back.failed;
                tally.failed += back.failed;
                cursor.deletes_since = Some(pass_started);
            }
            cursors::set(
                pool,
                mapping_id,
                Side::Target,
                &serde_json::to_string(&cursor).unwrap_or_default(),
            )
            .await?;
        }
        if !ctx.dry_run {
            outbox::supersede(pool, mapping_id, run_id).await?;
        }
        let calls = self.calls_of(&ctx);
        let status = if tally.failed > 0 {
            RunStatus::Partial
        } else {
            RunStatus::Succeeded
        };
        let verb = if ctx.dry_run { "would be" } else { "were" };
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
            message.push_str(&format!(" {} conflicting field changes settled by the mapping's rules or queued for review.", tally.conflicts));
        }
        if let Some(note) = deleted.note {
            message.push_str(&format!(" {note}."));
        }
        Ok(self.report(&ctx, tally, status, message, plan))
    }

    /// Why the run must stop before its next page, when its budget says so.
    fn budget_spent(&self, ctx: &Ctx<'_>, options: &RunOptions) -> Option<String> {
        let calls = self.calls_of(ctx);
        if let Some(budget) = options.call_budget.filter(|b| calls >= *b) {
            return Some(format!(
                "The call budget of {budget} was reached ({calls} calls)"
            ));
        }
        let floor = options.min_headroom_pct?;
        for (connector, connection) in [
            (&ctx.source, &ctx.draft.source_connection_id),
            (&ctx.target, &ctx.draft.target_connection_id),
        ] {
            let Some(q) = self.stack(connector.provider(), Some(connection)).quota() else {
                continue;
            };
            if q.total <= 0 {
                continue;
            }
            let pct = q.remaining as f64 * 100.0 / q.total as f64;
            if pct < floor {
                let name = switchyard_connectors::provider(connector.provider()).name;
                return Some(format!("{name} has {pct:.1}% of its daily API calls left, below the {floor}% floor ({} of {})", q.remaining, q.total));
            }
        }
        None
    }

    fn calls_of(&self, ctx: &Ctx<'_>) -> u32 {
        u32::try_from(ctx.source.calls() + ctx.target.calls()).unwrap_or(u32::MAX)
    }

    fn report(
        &self,
        ctx: &Ctx<'_>,
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
            calls: self.calls_of(ctx),
            message,
            plan,
        }
    }

    /// Decides every record of a page; unless dry, queues its creates and updates in
    /// `pending` and stores its links found without a write and its failures.
    async fn process_page(
        &self,
        ctx: &Ctx<'_>,
        records: &[Record],
        plan: &mut Vec<PlannedRecord>,
        pending: &mut Pending,
        page_no: u64,
    ) -> EngineResult<Tally> {
        let pool = &ctx.db;
        let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
        let linked: HashMap<String, links::Link> = links::by_source_ids(pool, ctx.mapping_id, &ids)
            .await?
            .into_iter()
            .map(|l| (l.source_id.clone(), l))
            .collect();
        let rule = &ctx.draft.match_rule;
        let keys: Vec<String> = records
            .iter()
            .filter(|r| !linked.contains_key(&r.id))
            .filter_map(|r| matching::key(rule.kind, r.get(&rule.source_field)))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        // Upserted records need no look-up: the target finds them by their key.
        let upsert_key = super::upsert::key_field(rule, &ctx.tspec, ctx.dry_run);
        let matches = if upsert_key.is_some() {
            HashMap::new()
        } else {
            matching::find(
                ctx.target.as_ref(),
                &ctx.tspec,
                rule,
                keys,
                &ctx.target_fields,
            )
            .await
            .map_err(|e| connector_error(ctx.target.provider(), e))?
        };
        let candidate_ids: Vec<String> = matches.values().flatten().map(|r| r.id.clone()).collect();
        let taken: HashSet<String> = links::by_target_ids(pool, ctx.mapping_id, &candidate_ids)
            .await?
            .into_iter()
            .map(|l| l.target_id)
            .collect();

        let mut tally = Tally {
            read: u32::try_from(records.len()).unwrap_or(u32::MAX),
            ..Default::default()
        };
        let mut decisions: Vec<Decision> = Vec::new();
        // The match key of each decision's record, for creates waiting in `pending`.
        let mut create_keys: Vec<Option<String>> = Vec::new();
        let mut failures: Vec<Failed> = Vec::new();
        let mut reviews: Vec<Failed> = Vec::new();
        let mut fresh_links: Vec<(String, String, Values)> = Vec::new();
        let mut seen = super::recheck::Snapshots::default();
        let mut seen_keys: HashSet<String> = HashSet::new();
        for record in records {
            let (target_id, before) = if let Some(link) = linked.get(&record.id) {
                (Some(link.target_id.clone()), Some(parse_base(&link.base)))
            } else {
                match matching::key(rule.kind, record.get(&rule.source_field)) {
                    Some(k) => {
                        if !seen_keys.insert(k.clone()) {
                            failures.push(Failed { side: Side::Source, record_id: record.id.clone(), code: "duplicate_source_key".into(), message: format!("Another record on this page has the same {} ({k}); it was synced first.", rule.source_field), payload: None });
                            continue;
                        }
                        match matches.get(&k).map(Vec::as_slice) {
                            Some([one]) if taken.contains(&one.id) => {
                                failures.push(Failed { side: Side::Target, record_id: record.id.clone(), code: "target_already_linked".into(), message: format!("The {} record {} with {k} is already linked to another source record.", ctx.tspec.label, one.id), payload: None });
                                continue;
                            }
                            Some([one]) => {
                                seen.saw(one);
                                let current: Values = ctx
                                    .target_fields
                                    .iter()
                                    .map(|f| (f.clone(), one.get(f).clone()))
                                    .collect();
                                (Some(one.id.clone()), Some(current))
                            }
                            Some(many) if many.len() > 1 => {
                                failures.push(Failed {
                                    side: Side::Target,
                                    record_id: record.id.clone(),
                                    code: "ambiguous_match".into(),
                                    message: format!(
                                        "{} {} records have {k}; link one by hand.",
                                        many.len(),
                                        ctx.tspec.label
                                    ),
                                    payload: None,
                                });
                                continue;
                            }
                            _ => (None, None),
                        }
                    }
                    None => (None, None),
                }
            };
            let mut d = decide(
                &ctx.draft,
                record,
                &ctx.tspec,
                target_id.as_deref(),
                before.as_ref(),
            );
            if upsert_key.is_some() {
                super::upsert::carry_key(&mut d, rule, record);
            }
            if let Some(changes) = &ctx.target_changes {
                match linked.get(&record.id) {
                    // A conflict waits for the user: the record is left alone.
                    Some(_) if ctx.under_review.contains(&record.id) => {
                        d.action = Action::Skip;
                        d.changes.clear();
                    }
                    // Changed on both sides since the last sync: settle field by field.
                    Some(link) => {
                        if let Some(now) = changes.get(&link.target_id) {
                            let base = parse_base(&link.base);
                            let settled = super::two_way::settle(ctx, &mut d, record, now, &base);
                            ctx.written_fields
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .entry(link.target_id.clone())
                                .or_default()
                                .extend(d.changes.keys().cloned());
                            tally.conflicts += settled.conflicts;
                            for c in settled.review {
                                let message = format!("{} changed on both sides: {} has {:?}, {} has {:?}. Choose which to keep.", c.field, ctx.sspec.label, c.source.to_string(), ctx.tspec.label, c.target.to_string());
                                reviews.push(Failed {
                                    side: Side::Source,
                                    record_id: record.id.clone(),
                                    code: "conflict".into(),
                                    message,
                                    payload: serde_json::to_string(&c).ok(),
                                });
                            }
                        }
                    }
                    None => {
                        if let Some(t) = &d.target_id {
                            ctx.linked_now
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .insert(t.clone());
                        }
                    }
                }
            }
            if d.action == Action::Skip && !linked.contains_key(&record.id) {
                if let Some(t) = &d.target_id {
                    fresh_links.push((d.source_id.clone(), t.clone(), d.values.clone()));
                }
            }
            decisions.push(d);
            create_keys.push(matching::key(rule.kind, record.get(&rule.source_field)));
        }
        for d in &decisions {
            match d.action {
                Action::Skip => tally.skipped += 1,
                Action::Fail => {
                    let (code, message) = d.error.clone().unwrap_or_default();
                    failures.push(Failed {
                        side: Side::Source,
                        record_id: d.source_id.clone(),
                        code,
                        message,
                        payload: None,
                    });
                }
                Action::Create | Action::Update => {}
            }
        }
        if ctx.dry_run {
            for d in &decisions {
                match d.action {
                    Action::Create => tally.created += 1,
                    Action::Update => tally.updated += 1,
                    _ => {}
                }
            }
            tally.failed += u32::try_from(failures.len()).unwrap_or(u32::MAX);
            for d in &decisions {
                if plan.len() >= PLAN_MAX {
                    break;
                }
                plan.push(PlannedRecord {
                    source_id: d.source_id.clone(),
                    target_id: d.target_id.clone(),
                    action: d.action,
                    changes: d.diff.clone(),
                    error: d.error.as_ref().map(|e| e.1.clone()),
                });
            }
            for f in &failures {
                if plan.len() >= PLAN_MAX {
                    break;
                }
                if !plan.iter().any(|p| p.source_id == f.record_id) {
                    plan.push(PlannedRecord {
                        source_id: f.record_id.clone(),
                        target_id: None,
                        action: Action::Fail,
                        changes: Vec::new(),
                        error: Some(f.message.clone()),
                    });
                }
            }
            return Ok(tally);
        }
        // Creates and updates wait for full batches; see `flush`.
        pending.snapshots.extend(seen);
        for (d, key) in decisions.into_iter().zip(create_keys) {
            pending.push(page_no, d, key);
        }
        // Links of records matched with nothing to change, and the page's failures.
        tally.failed += u32::try_from(failures.len()).unwrap_or(u32::MAX);
        failures.append(&mut reviews);
        self.commit_links_and_errors(ctx, &fresh_links, &failures)
            .await?;
        Ok(tally)
    }

    /// Decides a page; unless dry, queues its writes and sends whatever batches are full
    /// (or everything, when the page repeats a waiting record or the cursor lags).
    async fn handle_page(
        &self,
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
            tally.add(&self.flush(ctx, pending, true).await?);
        }
        tally.add(
            &self
                .process_page(ctx, records, plan, pending, page_no)
                .await?,
        );
        if !ctx.dry_run {
            pending.read_up_to(page_no, read_up_to.clone());
            let all = pending.lags(page_no, MAX_LAG_PAGES);
            tally.add(&self.flush(ctx, pending, all).await?);
        }
        Ok(tally)
    }

    /// Sends what waits in `pending`: whole batches only, or everything when `all`.
    async fn flush(&self, ctx: &Ctx<'_>, pending: &mut Pending, all: bool) -> EngineResult<Tally> {
        let decisions = pending.take(ctx.target.batch_size(), all);
        if decisions.is_empty() {
            return Ok(Tally::default());
        }
        let mut failures = Vec::new();
        let (created, updated) = self
            .write_decisions(
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
        self.commit_links_and_errors(ctx, &[], &failures).await?;
        let raced = failures.iter().filter(|f| f.code == "conflict").count();
        Ok(Tally {
            created,
            updated,
            failed: u32::try_from(failures.len() - raced).unwrap_or(u32::MAX),
            conflicts: u32::try_from(raced).unwrap_or(u32::MAX),
            ..Default::default()
        })
    }

    /// Commits the source cursor as far as nothing waits behind it, with the counters
    /// `add`s to the run's row, in one transaction.
    async fn commit_progress(
        &self,
        ctx: &Ctx<'_>,
        pending: &mut Pending,
        deletes_since: Option<chrono::DateTime<chrono::Utc>>,
        add: &Tally,
    ) -> EngineResult<()> {
        let mut tx = switchyard_store::begin_write(&ctx.db).await?;
        if let Some(read) = pending.committable() {
            let stored = super::deletes::Stored {
                read,
                deletes_since,
            };
            cursors::set(
                &mut *tx,
                ctx.mapping_id,
                Side::Source,
                &serde_json::to_string(&stored).unwrap_or_default(),
            )
            .await?;
        }
        runs::checkpoint(&mut *tx, &ctx.run_id, "writing", add.counts(), None).await?;
        tx.commit()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        Ok(())
    }

    /// Links pairs found without a write, and stores record errors, in one transaction.
    pub(super) async fn commit_links_and_errors(
        &self,
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

    /// Records intents, sends creates and updates in batches, links what was written.
    /// Returns (created, updated); failures are added to `failures`. Forward writes go to
    /// the target; backward ones (two-way) to the source, where a decision's `source_id`
    /// is the target record read and its `target_id` the source record written.
    pub(super) async fn write_decisions(
        &self,
        ctx: &Ctx<'_>,
        to: Way,
        decisions: &[Decision],
        snaps: &mut super::recheck::Snapshots,
        failures: &mut Vec<Failed>,
    ) -> EngineResult<(u32, u32)> {
        let pool = &ctx.db;
        let (connector, spec, connection_id) = match to {
            Way::Forward => (&ctx.target, &ctx.tspec, &ctx.draft.target_connection_id),
            Way::Backward => (&ctx.source, &ctx.sspec, &ctx.draft.source_connection_id),
        };
        let todo: Vec<&Decision> = decisions
            .iter()
            .filter(|d| matches!(d.action, Action::Create | Action::Update))
            .collect();
        if todo.is_empty() {
            return Ok((0, 0));
        }
        // 1. Intents first, committed before anything is sent.
        // (intent id, decision, index into `payloads`)
        let mut intents: Vec<(i64, &Decision, usize)> = Vec::new();
        let payloads: Vec<String>;
        {
            let mut tx = switchyard_store::begin_write(pool).await?;
            let ops: Vec<OutboxOp> = todo
                .iter()
                .map(|d| {
                    if d.action == Action::Create {
                        OutboxOp::Create
                    } else {
                        OutboxOp::Update
                    }
                })
                .collect();
            payloads = todo.iter().map(|d| base_json(&d.values)).collect();
            let keys: Vec<String> = todo
                .iter()
                .zip(&ops)
                .zip(&payloads)
                .map(|((d, op), payload)| {
                    format!(
                        "{}:{}:{}:{}:{}",
                        ctx.mapping_id,
                        to.tag(),
                        d.source_id,
                        op,
                        digest(payload)
                    )
                })
                .collect();
            let new: Vec<outbox::NewIntent<'_>> = todo
                .iter()
                .enumerate()
                .map(|(i, d)| outbox::NewIntent {
                    run_id: &ctx.run_id,
                    mapping_id: ctx.mapping_id,
                    connection_id,
                    object: &spec.name,
                    operation: ops[i],
                    source_id: Some(&d.source_id),
                    target_id: d.target_id.as_deref(),
                    idempotency_key: &keys[i],
                    payload: &payloads[i],
                })
                .collect();
            let recorded = outbox::record_many(&mut tx, &new).await?;
            for (i, (id, state)) in recorded.into_iter().enumerate() {
                // Settled after an interruption (linked, or flagged for the user): not sent again.
                if state != OutboxState::Confirmed {
                    intents.push((id, todo[i], i));
                }
            }
            let ids: Vec<i64> = intents.iter().map(|(id, _, _)| *id).collect();
            outbox::mark_sent(&mut *tx, &ids).await?;
            tx.commit()
                .await
                .map_err(switchyard_store::StoreError::from)?;
        }
        let updates: Vec<&Decision> = intents
            .iter()
            .filter(|(_, d, _)| d.action == Action::Update)
            .map(|(_, d, _)| *d)
            .collect();
        super::recheck::fill_versions(ctx, to, connector, spec, &updates, snaps).await?;
        let mut created = 0;
        let mut updated = 0;
        for action in [Action::Create, Action::Update] {
            let group: Vec<&(i64, &Decision, usize)> = intents
                .iter()
                .filter(|(_, d, _)| d.action == action)
                .collect();
            if group.is_empty() {
                continue;
            }
            let upsert_key = super::upsert::key_field(&ctx.draft.match_rule, spec, ctx.dry_run)
                .filter(|_| to == Way::Forward && action == Action::Create);
            let mut results = if action == Action::Create {
                let op = match upsert_key {
                    Some(key) => WriteOp::Upsert {
                        key_field: key.to_owned(),
                    },
                    None => WriteOp::Create,
                };
                let rows: Vec<WriteRow> = group
                    .iter()
                    .map(|(_, d, _)| WriteRow {
                        id: None,
                        version: None,
                        fields: d.changes.clone(),
                    })
                    .collect();
                connector
                    .write(spec, &op, &rows)
                    .await
                    .map_err(|e| connector_error(connector.provider(), e))?
            } else {
                let updates: Vec<&Decision> = group.iter().map(|(_, d, _)| *d).collect();
                super::recheck::send_updates(ctx, to, connector, spec, &updates, snaps, failures)
                    .await?
            };
            if upsert_key.is_some() {
                let sources: Vec<&str> =
                    group.iter().map(|(_, d, _)| d.source_id.as_str()).collect();
                let linked_now = ctx.target_changes.is_some().then_some(&ctx.linked_now);
                results = super::upsert::checked(
                    pool,
                    ctx.mapping_id,
                    &spec.label,
                    linked_now,
                    &sources,
                    results,
                )
                .await?;
            }
            let mut tx = switchyard_store::begin_write(pool).await?;
            // (intent id, decision, index into `payloads`, the written record's id)
            let mut written = Vec::new();
            // Upserts: how many of the written updated a record that was there already.
            let mut upserted_existing = 0;
            for (&&(intent_id, d, payload), result) in group.iter().zip(results) {
                match result {
                    Ok(w) => {
                        if upsert_key.is_some() && !w.created {
                            upserted_existing += 1;
                        }
                        let written_id = d.target_id.clone().unwrap_or(w.id);
                        written.push((intent_id, d, payload, written_id));
                    }
                    Err(e) => {
                        let payload = serde_json::to_string(&d.changes).ok();
                        if e.retryable || e.code == NOT_SENT {
                            outbox::requeue(&mut *tx, intent_id, &e.message).await?;
                        } else {
                            outbox::fail(&mut *tx, intent_id, &e.message).await?;
                        }
                        failures.push(Failed {
                            side: to.written_side(),
                            record_id: d.source_id.clone(),
                            code: e.code,
                            message: e.message,
                            payload,
                        });
                    }
                }
            }
            let pairs: Vec<links::LinkUpsert<'_>> = written
                .iter()
                .map(|(_, d, payload, written_id)| {
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
            let done: Vec<(i64, Option<&str>)> = written
                .iter()
                .map(|(id, _, _, written_id)| (*id, Some(written_id.as_str())))
                .collect();
            outbox::confirm_many(&mut tx, &done).await?;
            let n = u32::try_from(written.len()).unwrap_or(u32::MAX);
            if action == Action::Create {
                created += n - upserted_existing;
                updated += upserted_existing;
            } else {
                updated += n;
            }
            tx.commit()
                .await
                .map_err(switchyard_store::StoreError::from)?;
        }
        Ok((created, updated))
    }
}

/// Which way a write goes: source → target, or (two-way) target → source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    Forward,
    Backward,
}

impl Way {
    fn tag(self) -> &'static str {
        match self {
            Way::Forward => "fwd",
            Way::Backward => "back",
        }
    }

    fn written_side(self) -> Side {
        match self {
            Way::Forward => Side::Target,
            Way::Backward => Side::Source,
        }
    }
}

/// A short digest of an intent's payload (part of its idempotency key).
fn digest(payload: &str) -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(payload.as_bytes());
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

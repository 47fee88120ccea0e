//! Stage 3 of a page, decide: each matched record is converted through the mapping and
//! compared with its base (`plan::decide`); in two-way runs a field the target changed
//! too is settled first (`conflict`). A dry run only counts and lists the plan; a real
//! one queues its creates and updates in `Pending` for the write stage and stores at
//! once the links found without a write and the page's failures.

use super::checkpoint::commit_links_and_errors;
use super::conflict::settle;
use super::context::{Ctx, Failed};
use super::match_page::match_page;
use super::matching;
use super::pending::Pending;
use super::plan::{decide, parse_base, Action, Decision, Values};
use super::report::{PlannedRecord, PLAN_MAX};
use super::tally::Tally;
use super::upsert;
use crate::EngineResult;
use std::collections::HashMap;
use switchyard_connectors::value::Record;
use switchyard_store::kinds::Side;
use switchyard_store::tables::links;

/// Decides every record of a page; unless dry, queues its creates and updates in
/// `pending` and stores its links found without a write and its failures.
pub(super) async fn decide_page(
    ctx: &Ctx<'_>,
    records: &[Record],
    plan: &mut Vec<PlannedRecord>,
    pending: &mut Pending,
    page_no: u64,
) -> EngineResult<Tally> {
    let mut matches = match_page(ctx, records).await?;
    let rule = &ctx.draft.match_rule;
    let mut tally = Tally {
        read: u32::try_from(records.len()).unwrap_or(u32::MAX),
        ..Default::default()
    };
    let mut decisions: Vec<Decision> = Vec::new();
    // The match keys of each decision, for the writes waiting in `pending`.
    let mut create_keys: Vec<Vec<String>> = Vec::new();
    let mut failures: Vec<Failed> = Vec::new();
    let mut reviews: Vec<Failed> = Vec::new();
    let mut fresh_links: Vec<(String, String, Values)> = Vec::new();
    for record in records {
        let (target_id, before) = match matches.pick(record) {
            Ok(target) => target,
            Err(failed) => {
                failures.push(failed);
                continue;
            }
        };
        let mut d = decide(
            &ctx.draft,
            record,
            &ctx.tspec,
            target_id.as_deref(),
            before.as_ref(),
        );
        if ctx.upsert_key.is_some() {
            upsert::carry_key(&mut d, &ctx.draft.match_rule, record);
        }
        let link = matches.linked.get(&record.id);
        if let Some(changes) = &ctx.target_changes {
            tally.conflicts += two_way(ctx, changes, link, record, &mut d, &mut reviews);
        }
        // Its create may have landed already, as one of several look-alikes: held.
        if d.action == Action::Create && ctx.held.contains(&record.id) {
            d.action = Action::Skip;
            d.changes.clear();
        }
        if d.action == Action::Skip && link.is_none() {
            if let Some(t) = &d.target_id {
                fresh_links.push((d.source_id.clone(), t.clone(), d.values.clone()));
            }
        }
        let mut keys: Vec<String> = matching::key(rule.kind, record.get(&rule.source_field))
            .into_iter()
            .collect();
        // A create whose target match field another source field fills: a later record
        // with that value must see the created target too.
        if d.action == Action::Create {
            let target_key = d
                .changes
                .get(&rule.target_field)
                .and_then(|v| matching::key(rule.kind, v));
            if let Some(k) = target_key.filter(|k| !keys.contains(k)) {
                keys.push(k);
            }
        }
        decisions.push(d);
        create_keys.push(keys);
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
        plan_rows(plan, &decisions, &failures);
        return Ok(tally);
    }
    // Creates and updates wait for full batches; see `batches::flush`.
    pending.snapshots.extend(matches.seen);
    for (d, key) in decisions.into_iter().zip(create_keys) {
        pending.push(page_no, d, key);
    }
    // Links of records matched with nothing to change, and the page's failures.
    tally.failed += u32::try_from(failures.len()).unwrap_or(u32::MAX);
    failures.append(&mut reviews);
    commit_links_and_errors(ctx, &fresh_links, &failures).await?;
    Ok(tally)
}

/// Two-way runs: a record under review is left alone; a linked record the target also
/// changed is settled field by field (conflicts left for the user go to `reviews`); a
/// record linked now is remembered, its target's changes being this run's own. Returns
/// the conflicts found.
fn two_way(
    ctx: &Ctx<'_>,
    changes: &HashMap<String, Record>,
    link: Option<&links::Link>,
    record: &Record,
    d: &mut Decision,
    reviews: &mut Vec<Failed>,
) -> u32 {
    match link {
        // A conflict waits for the user: the record is left alone.
        Some(_) if ctx.under_review.contains(&record.id) => {
            d.action = Action::Skip;
            d.changes.clear();
            0
        }
        // Changed on both sides since the last sync: settle field by field.
        Some(link) => {
            let Some(now) = changes.get(&link.target_id) else {
                return 0;
            };
            let base = parse_base(&link.base);
            let settled = settle(&ctx.draft, d, record, now, &base);
            ctx.written_fields
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(link.target_id.clone())
                .or_default()
                .extend(d.changes.keys().cloned());
            for c in settled.review {
                let message = format!(
                    "{} changed on both sides: {} has {:?}, {} has {:?}. Choose which to keep.",
                    c.field,
                    ctx.sspec.label,
                    c.source.to_string(),
                    ctx.tspec.label,
                    c.target.to_string()
                );
                reviews.push(Failed {
                    side: Side::Source,
                    record_id: record.id.clone(),
                    code: "conflict".into(),
                    message,
                    payload: serde_json::to_string(&c).ok(),
                });
            }
            settled.conflicts
        }
        None => {
            if let Some(t) = &d.target_id {
                ctx.linked_now
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(t.clone());
            }
            0
        }
    }
}

/// A dry run's plan: the page's decisions, then its failures not listed yet, while the
/// plan holds fewer than `PLAN_MAX` records.
fn plan_rows(plan: &mut Vec<PlannedRecord>, decisions: &[Decision], failures: &[Failed]) {
    for d in decisions {
        if plan.len() >= PLAN_MAX {
            break;
        }
        plan.push(PlannedRecord {
            source_id: d.source_id.clone(),
            target_id: d.target_id.clone(),
            action: d.action,
            changes: d.diff(),
            error: d.error.as_ref().map(|e| e.1.clone()),
        });
    }
    for f in failures {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(id: &str, action: Action) -> Decision {
        Decision {
            source_id: id.into(),
            target_id: None,
            action,
            values: Default::default(),
            changes: Default::default(),
            expected: Default::default(),
            error: (action == Action::Fail).then(|| ("transform".into(), "bad date".into())),
        }
    }

    fn failed(id: &str) -> Failed {
        Failed {
            side: Side::Target,
            record_id: id.into(),
            code: "ambiguous_match".into(),
            message: "two match".into(),
            payload: None,
        }
    }

    #[test]
    fn the_plan_lists_decisions_then_failures_once_each() {
        let mut plan = Vec::new();
        let decisions = [decision("1", Action::Create), decision("2", Action::Fail)];
        plan_rows(&mut plan, &decisions, &[failed("2"), failed("3")]);
        let rows: Vec<(&str, Action, Option<&str>)> = plan
            .iter()
            .map(|p| (p.source_id.as_str(), p.action, p.error.as_deref()))
            .collect();
        assert_eq!(
            rows,
            [
                ("1", Action::Create, None),
                ("2", Action::Fail, Some("bad date")),
                ("3", Action::Fail, Some("two match")),
            ]
        );
    }

    #[test]
    fn the_plan_stops_at_its_limit() {
        let mut plan = Vec::new();
        let many: Vec<Decision> = (0..PLAN_MAX + 5)
            .map(|i| decision(&i.to_string(), Action::Update))
            .collect();
        plan_rows(&mut plan, &many, &[failed("x")]);
        assert_eq!(plan.len(), PLAN_MAX);
        assert!(plan.iter().all(|p| p.source_id != "x"));
    }
}

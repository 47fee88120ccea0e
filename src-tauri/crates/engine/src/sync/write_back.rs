//! Two-way runs, last step: the target's changes this run did not make flow back to the
//! source. Linked records get their changed two-way fields written to the source through
//! the rows' reverse steps; unlinked ones are matched in the source (never by guess) or
//! created there. A value that equals the base is never written, so nothing echoes back.

use super::checkpoint::commit_links_and_errors;
use super::context::{Ctx, Failed, Way};
use super::matching;
use super::plan::{parse_base, Action, Decision, Values};
use super::snapshots::Snapshots;
use super::write::write_decisions;
use crate::api::schema::connector_error;
use crate::mapping::transform::{apply, coerce};
use crate::{Engine, EngineResult};
use std::collections::{HashMap, HashSet};
use switchyard_connectors::value::{Record, Value};
use switchyard_store::kinds::{Side, SyncRule};
use switchyard_store::tables::links;

/// Converts a target value back into the source field of `row`.
fn back(ctx: &Ctx<'_>, field: &str, now: &Record) -> Option<Result<(String, Value), String>> {
    let row = ctx
        .draft
        .fields
        .iter()
        .find(|r| r.target_field == field && r.sync_rule == SyncRule::TwoWay)?;
    let source_field = row.source_field.as_ref()?;
    let spec = ctx.sspec.field(source_field)?;
    if !spec.updateable && !spec.createable {
        return None;
    }
    let converted = apply(&row.reverse, now.get(field).clone(), now).and_then(|v| coerce(v, spec));
    Some(
        converted
            .map(|v| (source_field.clone(), v))
            .map_err(|e| format!("{field} → {source_field}: {}", e.message)),
    )
}

/// (records written back, records failed).
pub(super) async fn apply_target_changes(
    engine: &Engine,
    ctx: &Ctx<'_>,
    changes: HashMap<String, Record>,
    skip: &HashSet<String>,
    under_review: &HashSet<String>,
) -> EngineResult<(u32, u32, u32)> {
    let pool = engine.store().pool();
    let ids: Vec<String> = changes
        .keys()
        .filter(|id| !skip.contains(*id))
        .cloned()
        .collect();
    let mut pairs: HashMap<String, links::Link> = HashMap::new();
    for chunk in ids.chunks(500) {
        pairs.extend(
            links::by_target_ids(pool, ctx.mapping_id, chunk)
                .await?
                .into_iter()
                .map(|l| (l.target_id.clone(), l)),
        );
    }
    let mut decisions = Vec::new();
    let mut failures: Vec<Failed> = Vec::new();
    let mut unlinked = Vec::new();
    for id in &ids {
        let Some(now) = changes.get(id) else { continue };
        let Some(pair) = pairs.get(id) else {
            unlinked.push(now);
            continue;
        };
        if under_review.contains(&pair.source_id) {
            continue;
        }
        let mut base = parse_base(&pair.base);
        let mut write = Values::new();
        let written = ctx
            .written_fields
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
            .unwrap_or_default();
        for row in ctx
            .draft
            .fields
            .iter()
            .filter(|r| r.sync_rule == SyncRule::TwoWay)
        {
            let field = &row.target_field;
            if written.contains(field) {
                continue;
            }
            let (was, value) = (
                base.get(field).cloned().unwrap_or(Value::Null),
                now.get(field).clone(),
            );
            if value.same(&was) || (value.is_blank() && was.is_blank()) {
                continue;
            }
            match back(ctx, field, now) {
                Some(Ok((source_field, v))) => {
                    write.insert(source_field, v);
                    base.insert(field.clone(), value);
                }
                Some(Err(message)) => failures.push(Failed {
                    side: Side::Target,
                    record_id: id.clone(),
                    code: "transform".into(),
                    message,
                    payload: None,
                }),
                None => {}
            }
        }
        if write.is_empty() {
            continue;
        }
        decisions.push(Decision {
            source_id: id.clone(),
            target_id: Some(pair.source_id.clone()),
            action: Action::Update,
            values: base,
            changes: write,
            expected: Default::default(),
            error: None,
        });
    }
    // Target records nobody links: match them in the source, or create them there.
    let rule = &ctx.draft.match_rule;
    let keys: Vec<String> = unlinked
        .iter()
        .filter_map(|r| matching::key(rule.kind, r.get(&rule.target_field)))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut found: HashMap<String, Vec<Record>> = HashMap::new();
    if !keys.is_empty() {
        for r in ctx
            .source
            .lookup(&ctx.sspec, &rule.source_field, &keys, &[])
            .await
            .map_err(|e| connector_error(ctx.source.provider(), e))?
        {
            if let Some(k) = matching::key(rule.kind, r.get(&rule.source_field)) {
                found.entry(k).or_default().push(r);
            }
        }
    }
    // A key several unlinked target records share, or a source record already linked to
    // another target record, is never paired by guess.
    let mut per_key: HashMap<String, usize> = HashMap::new();
    for now in &unlinked {
        if let Some(k) = matching::key(rule.kind, now.get(&rule.target_field)) {
            *per_key.entry(k).or_default() += 1;
        }
    }
    let candidates: Vec<String> = found.values().flatten().map(|r| r.id.clone()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    for chunk in candidates.chunks(500) {
        taken.extend(
            links::by_source_ids(pool, ctx.mapping_id, chunk)
                .await?
                .into_iter()
                .map(|l| l.source_id),
        );
    }
    let mut fresh = Vec::new();
    for now in unlinked {
        let values: Values = ctx
            .target_fields
            .iter()
            .map(|f| (f.clone(), now.get(f).clone()))
            .collect();
        let key = matching::key(rule.kind, now.get(&rule.target_field));
        if key
            .as_ref()
            .is_some_and(|k| per_key.get(k).copied().unwrap_or(0) > 1)
        {
            let message = format!(
                "Several {} records share this {}; link one by hand.",
                ctx.tspec.label, rule.target_field
            );
            failures.push(Failed {
                side: Side::Target,
                record_id: now.id.clone(),
                code: "ambiguous_match".into(),
                message,
                payload: None,
            });
            continue;
        }
        match key.as_ref().and_then(|k| found.get(k)).map(Vec::as_slice) {
            Some([one]) if taken.contains(&one.id) => failures.push(Failed {
                side: Side::Target,
                record_id: now.id.clone(),
                code: "source_already_linked".into(),
                message: format!(
                    "The {} record {} with this {} is already linked to another {} record.",
                    ctx.sspec.label, one.id, rule.source_field, ctx.tspec.label
                ),
                payload: None,
            }),
            Some([one]) => fresh.push((one.id.clone(), now.id.clone(), values)),
            Some(_) => failures.push(Failed {
                side: Side::Source,
                record_id: now.id.clone(),
                code: "ambiguous_match".into(),
                message: format!(
                    "Several {} records match this {} record; link one by hand.",
                    ctx.sspec.label, ctx.tspec.label
                ),
                payload: None,
            }),
            None => {
                let mut write = Values::new();
                let mut error = None;
                for row in ctx
                    .draft
                    .fields
                    .iter()
                    .filter(|r| r.sync_rule == SyncRule::TwoWay)
                {
                    match back(ctx, &row.target_field, now) {
                        Some(Ok((f, v))) if !v.is_blank() => {
                            write.insert(f, v);
                        }
                        Some(Err(m)) => error = Some(m),
                        _ => {}
                    }
                }
                match error {
                    Some(message) => failures.push(Failed {
                        side: Side::Target,
                        record_id: now.id.clone(),
                        code: "transform".into(),
                        message,
                        payload: None,
                    }),
                    None => decisions.push(Decision {
                        source_id: now.id.clone(),
                        target_id: None,
                        action: Action::Create,
                        values,
                        changes: write,
                        expected: Default::default(),
                        error: None,
                    }),
                }
            }
        }
    }
    let mut snaps = Snapshots::default();
    let (created, updated) =
        write_decisions(ctx, Way::Backward, &decisions, &mut snaps, &mut failures).await?;
    commit_links_and_errors(ctx, &fresh, &failures).await?;
    Ok((
        created,
        updated,
        u32::try_from(failures.len()).unwrap_or(u32::MAX),
    ))
}

//! Validation before a run: every problem a mapping has against the two discovered
//! schemas, one clear message per problem row — required target fields left unmapped,
//! unknown or read-only fields, conversions a step chain cannot make, picklist values
//! the target does not allow, a match rule on a field that is not unique, duplicate
//! targets, and two-way rows whose source cannot be written back.

use super::model::{MappingDraft, MatchKind};
use super::transform::{check_row, Step};
use serde::Serialize;
use std::collections::HashSet;
use switchyard_connectors::schema::{FieldSpec, FieldType, ObjectSpec};
use switchyard_store::kinds::{SyncDirection, SyncRule};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The field row (0-based) the problem is on; `None` for the mapping as a whole.
    pub row: Option<u32>,
    /// The field concerned, when one is.
    pub field: Option<String>,
    /// Stable code: `required_unmapped`, `unknown_field`, `read_only_field`,
    /// `invalid_picklist_value`, `not_unique`, `duplicate_target`, `not_writable_back`,
    /// or a transform code (`incompatible_type`, `lossy_conversion`, …).
    pub code: String,
    pub message: String,
}

impl Problem {
    fn new(row: Option<usize>, field: &str, code: &str, message: String) -> Self {
        Self {
            row: row.and_then(|r| u32::try_from(r).ok()),
            field: Some(field.to_owned()),
            code: code.to_owned(),
            message,
        }
    }
}

/// Fills a field with a value whatever the source holds.
fn always_fills(steps: &[Step]) -> bool {
    steps
        .iter()
        .any(|s| matches!(s, Step::Constant { value } | Step::Default { value } if !value.trim().is_empty()))
}

fn picklist_outputs(steps: &[Step]) -> Vec<&str> {
    let mut out = Vec::new();
    for step in steps {
        match step {
            Step::MapValues { map, .. } => out.extend(map.values().map(String::as_str)),
            Step::Constant { value } | Step::Default { value } => out.push(value.as_str()),
            _ => {}
        }
    }
    out
}

pub fn validate(draft: &MappingDraft, source: &ObjectSpec, target: &ObjectSpec) -> Vec<Problem> {
    let mut problems = Vec::new();
    if draft.name.trim().is_empty() {
        problems.push(Problem {
            row: None,
            field: None,
            code: "name_missing".into(),
            message: "Give the mapping a name.".into(),
        });
    }
    let mut seen = HashSet::new();
    for (i, row) in draft.fields.iter().enumerate() {
        let at = Some(i);
        if row.sync_rule == SyncRule::DontSync {
            continue;
        }
        let Some(t) = target.field(&row.target_field) else {
            problems.push(Problem::new(
                at,
                &row.target_field,
                "unknown_field",
                format!("{} has no field {}.", target.label, row.target_field),
            ));
            continue;
        };
        if !seen.insert(row.target_field.as_str()) {
            problems.push(Problem::new(
                at,
                &row.target_field,
                "duplicate_target",
                format!("{} is filled by more than one row.", t.label),
            ));
        }
        if t.read_only() {
            problems.push(Problem::new(
                at,
                &row.target_field,
                "read_only_field",
                format!(
                    "{} is read-only in {}; it cannot be written.",
                    t.label, target.label
                ),
            ));
            continue;
        }
        let source_field: Option<&FieldSpec> = match &row.source_field {
            Some(name) => match source.field(name) {
                Some(f) => Some(f),
                None => {
                    problems.push(Problem::new(
                        at,
                        name,
                        "unknown_field",
                        format!("{} has no field {name}.", source.label),
                    ));
                    continue;
                }
            },
            None => None,
        };
        for e in check_row(&row.transform, source_field.map(|f| f.ty), t) {
            problems.push(Problem::new(
                at,
                &row.target_field,
                e.code,
                format!("{}: {}", t.label, e.message),
            ));
        }
        if matches!(t.ty, FieldType::Picklist | FieldType::MultiPicklist) {
            for value in picklist_outputs(&row.transform) {
                if !t.allows(value) {
                    problems.push(Problem::new(
                        at,
                        &row.target_field,
                        "invalid_picklist_value",
                        format!("{:?} is not one of the values {} allows.", value, t.label),
                    ));
                }
            }
        }
        if draft.direction == SyncDirection::TwoWay && row.sync_rule == SyncRule::TwoWay {
            if let Some(sf) = source_field.filter(|f| !f.updateable) {
                problems.push(Problem::new(at, &sf.name, "not_writable_back", format!("{} is read-only in {}, so changes cannot flow back; set this row to \"always source\".", sf.label, source.label)));
            }
        }
    }
    let mapped: HashSet<&str> = draft
        .fields
        .iter()
        .filter(|r| {
            r.sync_rule != SyncRule::DontSync
                && (r.source_field.is_some() || always_fills(&r.transform))
        })
        .map(|r| r.target_field.as_str())
        .collect();
    for f in target.fields.iter().filter(|f| f.required && f.createable) {
        if !mapped.contains(f.name.as_str()) {
            problems.push(Problem::new(
                None,
                &f.name,
                "required_unmapped",
                format!(
                    "{} requires {} on every new record: map a field to it or give it a default.",
                    target.label, f.label
                ),
            ));
        }
    }
    let rule = &draft.match_rule;
    if source.field(&rule.source_field).is_none() {
        problems.push(Problem::new(
            None,
            &rule.source_field,
            "unknown_field",
            format!(
                "The match rule uses {}, which {} does not have.",
                rule.source_field, source.label
            ),
        ));
    }
    match target.field(&rule.target_field) {
        None => problems.push(Problem::new(
            None,
            &rule.target_field,
            "unknown_field",
            format!(
                "The match rule uses {}, which {} does not have.",
                rule.target_field, target.label
            ),
        )),
        Some(t) => {
            let fits = match rule.kind {
                MatchKind::Email => t.ty == FieldType::Email || t.unique,
                MatchKind::ExternalId => t.external_id || t.unique,
                MatchKind::Field => t.unique || t.external_id || t.ty == FieldType::Email,
            };
            if !fits {
                problems.push(Problem::new(None, &rule.target_field, "not_unique", format!("{} is not unique in {}, so it cannot tell records apart; match on an e-mail, external-id or unique field.", t.label, target.label)));
            }
        }
    }
    problems
}

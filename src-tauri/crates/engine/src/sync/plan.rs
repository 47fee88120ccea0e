//! What to do with one source record: convert it through the mapping, compare the
//! result with the base (the values as last synced) and decide — create, update only the
//! fields that changed, skip (nothing changed: no write, no echo), or fail with the
//! transform's reason. Pure: the runner feeds it records, links and matches.

use crate::mapping::model::MappingDraft;
use crate::mapping::preview::convert_record;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::{Record, Value};
use switchyard_store::kinds::SyncRule;

/// Target field → value, as last written (stored as the link's `base`).
pub type Values = BTreeMap<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Skip,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub source_id: String,
    pub target_id: Option<String>,
    pub action: Action,
    /// Every mapped value (the new base once written).
    pub values: Values,
    /// What is sent: every non-empty value on create, the changed ones on update.
    pub changes: Values,
    /// On update, the value each changed field had when the update was decided (the
    /// base, or the target's value when just matched): what a re-check before or after
    /// the write compares the target's current value with.
    pub expected: Values,
    /// `(code, message)` when the record cannot be converted.
    pub error: Option<(String, String)>,
}

impl Decision {
    /// The field-level diff a dry run shows: each change, with the value it replaces on
    /// an update (on a create there is nothing before).
    pub fn diff(&self) -> Vec<FieldChange> {
        self.changes
            .iter()
            .map(|(field, after)| FieldChange {
                field: field.clone(),
                before: self
                    .target_id
                    .as_ref()
                    .and_then(|_| self.expected.get(field))
                    .and_then(shown),
                after: shown(after),
            })
            .collect()
    }
}

fn shown(v: &Value) -> Option<String> {
    (!v.is_blank()).then(|| v.to_string())
}

pub fn parse_base(json: &str) -> Values {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn base_json(values: &Values) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "{}".into())
}

/// Decides for one record. `before` is the base of a linked record, or the current
/// values of a target record just matched (so fields already equal are not rewritten).
pub fn decide(
    draft: &MappingDraft,
    record: &Record,
    target: &ObjectSpec,
    target_id: Option<&str>,
    before: Option<&Values>,
) -> Decision {
    let mut decision = Decision {
        source_id: record.id.clone(),
        target_id: target_id.map(str::to_owned),
        action: Action::Skip,
        values: Values::new(),
        changes: Values::new(),
        expected: Values::new(),
        error: None,
    };
    let mut converted = convert_record(draft, record, target);
    for row in draft
        .fields
        .iter()
        .filter(|r| r.sync_rule != SyncRule::DontSync)
    {
        // Taken out, not cloned: each target field is converted once.
        let Some((field, result)) = converted.remove_entry(&row.target_field) else {
            continue;
        };
        match result {
            Ok(v) => {
                if row.sync_rule == SyncRule::PreferSourceUnlessBlank && v.is_blank() {
                    continue;
                }
                decision.values.insert(field, v);
            }
            Err(e) => {
                decision.action = Action::Fail;
                decision.error = Some((
                    e.code.to_owned(),
                    format!("{}: {}", row.target_field, e.message),
                ));
                return decision;
            }
        }
    }
    let empty = Values::new();
    let base = before.unwrap_or(&empty);
    let mut kept = Vec::new();
    for (field, value) in &decision.values {
        // A field that must hold a value is never emptied: the target keeps what it has,
        // and so does the base (so a two-way run does not mistake it for a change there).
        if value.is_blank() && target.field(field).is_some_and(|f| !f.nillable) {
            kept.push(field.clone());
            continue;
        }
        let old = base.get(field).unwrap_or(&Value::Null);
        let same = old.same(value) || (old.is_blank() && value.is_blank());
        if target_id.is_none() {
            if !value.is_blank() {
                decision.changes.insert(field.clone(), value.clone());
            }
        } else if !same {
            decision.changes.insert(field.clone(), value.clone());
            decision.expected.insert(field.clone(), old.clone());
        }
    }
    for field in kept {
        if let Some(old) = base.get(&field) {
            decision.values.insert(field, old.clone());
        } else if target_id.is_none() {
            // Created without a value: the provider fills in its default, and the base
            // says so (or the next two-way run would take the default for an edit).
            let default = target.field(&field).and_then(|f| f.default_value.clone());
            if let Some(d) = default {
                decision.values.insert(field, Value::Text(d));
            }
        }
    }
    decision.action = match (target_id, decision.changes.is_empty()) {
        (None, _) => Action::Create,
        (Some(_), true) => Action::Skip,
        (Some(_), false) => Action::Update,
    };
    decision
}

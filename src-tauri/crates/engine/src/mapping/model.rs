//! A mapping as the editor sees and saves it: which object of which connection feeds
//! which, the direction, how records are matched, the conflict and delete policies, and
//! the field rows (source field, target field, transform steps, sync rule). Stored as a
//! `mappings` row plus its `field_maps` rows; the match rule and steps as JSON.

use super::transform::{parse_steps, steps_to_json, Step};
use serde::{Deserialize, Serialize};
use switchyard_store::kinds::{ConflictPolicy, DeletePolicy, SyncDirection, SyncRule};
use switchyard_store::tables::{field_maps, mappings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// E-mail addresses, compared without case.
    Email,
    /// A source value stored in the target's external-id field.
    ExternalId,
    /// Any field unique on the target.
    Field,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MatchRule {
    pub kind: MatchKind,
    pub source_field: String,
    pub target_field: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldRule {
    /// `None` when the value comes from a constant.
    pub source_field: Option<String>,
    pub target_field: String,
    pub transform: Vec<Step>,
    pub sync_rule: SyncRule,
    /// Two-way rows: the steps turning a target value back into a source value.
    #[serde(default)]
    pub reverse: Vec<Step>,
}

impl FieldRule {
    pub fn copy(source: &str, target: &str) -> Self {
        Self {
            source_field: Some(source.to_owned()),
            target_field: target.to_owned(),
            transform: Vec::new(),
            sync_rule: SyncRule::AlwaysSource,
            reverse: Vec::new(),
        }
    }

    pub fn with(mut self, step: Step) -> Self {
        self.transform.push(step);
        self
    }

    pub fn rule(mut self, rule: SyncRule) -> Self {
        self.sync_rule = rule;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MappingDraft {
    pub name: String,
    pub source_connection_id: String,
    pub source_object: String,
    pub target_connection_id: String,
    pub target_object: String,
    pub direction: SyncDirection,
    pub match_rule: MatchRule,
    pub conflict_policy: ConflictPolicy,
    pub delete_policy: DeletePolicy,
    pub fields: Vec<FieldRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MappingDetail {
    pub id: String,
    pub enabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub draft: MappingDraft,
}

impl MappingDraft {
    pub fn to_row(&self) -> mappings::NewMapping {
        mappings::NewMapping {
            name: self.name.trim().to_owned(),
            source_connection_id: self.source_connection_id.clone(),
            source_object: self.source_object.clone(),
            target_connection_id: self.target_connection_id.clone(),
            target_object: self.target_object.clone(),
            direction: self.direction,
            match_rule: serde_json::to_string(&self.match_rule).unwrap_or_default(),
            conflict_policy: self.conflict_policy,
            delete_policy: self.delete_policy,
        }
    }

    pub fn field_rows(&self) -> Vec<field_maps::FieldRow> {
        self.fields
            .iter()
            .map(|f| field_maps::FieldRow {
                source_field: f.source_field.clone(),
                target_field: f.target_field.clone(),
                transform: steps_to_json(&f.transform),
                sync_rule: f.sync_rule,
                reverse_transform: steps_to_json(&f.reverse),
            })
            .collect()
    }
}

/// Rebuilds the editor's view from the stored rows; unreadable JSON is an error naming it.
pub fn detail(
    m: mappings::Mapping,
    rows: Vec<field_maps::FieldMap>,
) -> Result<MappingDetail, String> {
    let match_rule: MatchRule = serde_json::from_str(&m.match_rule).map_err(|e| {
        format!(
            "the stored match rule of mapping {} is unreadable: {e}",
            m.name
        )
    })?;
    let fields = rows
        .into_iter()
        .map(|r| {
            Ok(FieldRule {
                transform: parse_steps(&r.transform).map_err(|e| {
                    format!("the stored steps of {} are unreadable: {e}", r.target_field)
                })?,
                reverse: parse_steps(&r.reverse_transform).map_err(|e| {
                    format!(
                        "the stored reverse steps of {} are unreadable: {e}",
                        r.target_field
                    )
                })?,
                source_field: r.source_field,
                target_field: r.target_field,
                sync_rule: r.sync_rule,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(MappingDetail {
        id: m.id,
        enabled: m.enabled,
        created_at: m.created_at,
        updated_at: m.updated_at,
        draft: MappingDraft {
            name: m.name,
            source_connection_id: m.source_connection_id,
            source_object: m.source_object,
            target_connection_id: m.target_connection_id,
            target_object: m.target_object,
            direction: m.direction,
            match_rule,
            conflict_policy: m.conflict_policy,
            delete_policy: m.delete_policy,
            fields,
        },
    })
}

//! The preview: a mapping applied to a few real source records, each target field shown
//! with the source value it came from, the value that would be written, or why it could
//! not be converted. The same conversion the sync runner uses (`convert_record`).

use super::model::MappingDraft;
use super::transform::{convert, TransformError};
use serde::Serialize;
use std::collections::BTreeMap;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::{Record, Value};
use switchyard_store::kinds::SyncRule;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewCell {
    pub target_field: String,
    pub source_field: Option<String>,
    /// The source value as a person reads it; `None` when empty.
    pub source_value: Option<String>,
    /// The value that would be written; `None` when empty or failed.
    pub value: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRecord {
    pub source_id: String,
    pub cells: Vec<PreviewCell>,
}

fn shown(v: &Value) -> Option<String> {
    (!v.is_blank()).then(|| v.to_string())
}

/// The target values of one source record, or the first row that failed (with its field).
pub fn convert_record(
    draft: &MappingDraft,
    record: &Record,
    target: &ObjectSpec,
) -> BTreeMap<String, Result<Value, TransformError>> {
    let mut out = BTreeMap::new();
    for row in draft
        .fields
        .iter()
        .filter(|r| r.sync_rule != SyncRule::DontSync)
    {
        let Some(field) = target.field(&row.target_field) else {
            continue;
        };
        let input = row
            .source_field
            .as_ref()
            .map(|f| record.get(f).clone())
            .unwrap_or(Value::Null);
        out.insert(
            row.target_field.clone(),
            convert(&row.transform, input, record, field),
        );
    }
    out
}

pub fn preview_record(draft: &MappingDraft, record: &Record, target: &ObjectSpec) -> PreviewRecord {
    let converted = convert_record(draft, record, target);
    let cells = draft
        .fields
        .iter()
        .filter(|r| r.sync_rule != SyncRule::DontSync)
        .map(|row| {
            let result = converted.get(&row.target_field);
            PreviewCell {
                target_field: row.target_field.clone(),
                source_field: row.source_field.clone(),
                source_value: row.source_field.as_ref().and_then(|f| shown(record.get(f))),
                value: result.and_then(|r| r.as_ref().ok()).and_then(shown),
                error: match result {
                    Some(Err(e)) => Some(e.message.clone()),
                    None => Some(format!(
                        "{} has no field {}",
                        target.label, row.target_field
                    )),
                    Some(Ok(_)) => None,
                },
            }
        })
        .collect();
    PreviewRecord {
        source_id: record.id.clone(),
        cells,
    }
}

//! The text steps: constants and defaults, joining fields, trimming and changing case.
//! Case changes use Unicode's full mappings (`ß` → `SS`, `Σ` at a word's end → `ς`),
//! which is what a person reading the target system expects.

use super::error::{code, quoted, TransformError};
use switchyard_connectors::value::{Record, Value};

/// The text of a text step's input: `None` for Null (the step passes Null through), an
/// `unsupported_input` error for any other kind.
pub(super) fn text_input(
    step: usize,
    op: &str,
    value: Value,
) -> Result<Option<String>, TransformError> {
    match value {
        Value::Null => Ok(None),
        Value::Text(s) => Ok(Some(s)),
        other => Err(unsupported(step, op, &other)),
    }
}

/// The error for a step given a kind it cannot take.
pub(super) fn unsupported(step: usize, op: &str, value: &Value) -> TransformError {
    TransformError::new(
        step,
        code::UNSUPPORTED_INPUT,
        format!(
            "{op} cannot take {} {}; convert it to text first",
            value.kind(),
            quoted(&value.to_string())
        ),
    )
}

pub(super) fn default(value: Value, fallback: &str) -> Value {
    if value.is_blank() {
        Value::text(fallback)
    } else {
        value
    }
}

/// Non-blank fields of `record`, each trimmed, joined with `separator`; Null when every
/// one is blank. Non-text values are written as [`Value`]'s display form.
pub(super) fn concat(record: &Record, fields: &[String], separator: &str) -> Value {
    let parts: Vec<String> = fields
        .iter()
        .map(|f| record.get(f).to_string())
        .filter_map(|s| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        })
        .collect();
    if parts.is_empty() {
        Value::Null
    } else {
        Value::Text(parts.join(separator))
    }
}

pub(super) fn trim(step: usize, value: Value) -> Result<Value, TransformError> {
    map_text(step, "trim", value, |s| s.trim().to_owned())
}

pub(super) fn lowercase(step: usize, value: Value) -> Result<Value, TransformError> {
    map_text(step, "lowercase", value, str::to_lowercase)
}

pub(super) fn uppercase(step: usize, value: Value) -> Result<Value, TransformError> {
    map_text(step, "uppercase", value, str::to_uppercase)
}

fn map_text(
    step: usize,
    op: &str,
    value: Value,
    f: impl FnOnce(&str) -> String,
) -> Result<Value, TransformError> {
    Ok(match text_input(step, op, value)? {
        None => Value::Null,
        Some(s) => Value::Text(f(&s)),
    })
}

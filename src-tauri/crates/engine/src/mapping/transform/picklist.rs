//! `map_values`: translate one system's picklist values into another's (HubSpot's
//! `hs_lead_status` `IN_PROGRESS` ↔ Salesforce's Lead Status `Working - Contacted`).
//! Matching is exact and case-sensitive on the trimmed text, because picklist values are
//! API identifiers, not prose; what happens to a value the table does not list is the
//! step's `otherwise`.

use super::error::{code, quoted, TransformError};
use super::step::Otherwise;
use std::collections::BTreeMap;
use switchyard_connectors::value::Value;

/// Text out, or Null; numbers and yes/no are looked up by their display form
/// (`true`, `1.5`).
pub(super) fn map_values(
    step: usize,
    value: Value,
    map: &BTreeMap<String, String>,
    otherwise: Otherwise,
) -> Result<Value, TransformError> {
    if value.is_blank() {
        return Ok(Value::Null);
    }
    let shown = value.to_string();
    let key = shown.trim();
    if let Some(mapped) = map.get(key) {
        return Ok(Value::text(mapped.as_str()));
    }
    match otherwise {
        Otherwise::Keep => Ok(Value::text(key)),
        Otherwise::Blank => Ok(Value::Null),
        Otherwise::Error => Err(TransformError::new(
            step,
            code::UNMAPPED_VALUE,
            format!(
                "{} has no entry in the value map (it lists {})",
                quoted(key),
                listed(map)
            ),
        )),
    }
}

/// The map's keys for a message, a few at most.
fn listed(map: &BTreeMap<String, String>) -> String {
    const SHOWN: usize = 5;
    let mut keys: Vec<String> = map.keys().take(SHOWN).map(|k| quoted(k)).collect();
    if map.len() > SHOWN {
        keys.push(format!("and {} more", map.len() - SHOWN));
    }
    keys.join(", ")
}

//! Matching unlinked source records to existing target records by the mapping's rule,
//! in batched look-ups (never one call per record). E-mails compare without case and
//! surrounding spaces; a key two target records share is ambiguous and never guessed.

use crate::mapping::model::{MatchKind, MatchRule};
use std::collections::HashMap;
use switchyard_connectors::connector::{Connector, ConnectorError};
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::{Record, Value};

/// The comparable key of a value, or `None` when blank (nothing to match on).
pub fn key(kind: MatchKind, v: &Value) -> Option<String> {
    if v.is_blank() {
        return None;
    }
    let text = v.to_string();
    let text = text.trim();
    Some(match kind {
        MatchKind::Email => text.to_lowercase(),
        _ => text.to_owned(),
    })
}

/// Target records by key, for the given keys (one look-up per batch of keys).
pub async fn find(
    target: &dyn Connector,
    spec: &ObjectSpec,
    rule: &MatchRule,
    keys: Vec<String>,
    fields: &[String],
) -> Result<HashMap<String, Vec<Record>>, ConnectorError> {
    let mut found: HashMap<String, Vec<Record>> = HashMap::new();
    if keys.is_empty() {
        return Ok(found);
    }
    for record in target
        .lookup(spec, &rule.target_field, &keys, fields)
        .await?
    {
        if record.archived {
            continue;
        }
        if let Some(k) = key(rule.kind, record.get(&rule.target_field)) {
            found.entry(k).or_default().push(record);
        }
    }
    Ok(found)
}

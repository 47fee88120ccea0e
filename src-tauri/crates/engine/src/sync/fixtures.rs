//! Test fixtures the stages' unit tests share: a mapping draft and records, built
//! without a database or a connector.

use crate::mapping::model::{FieldRule, MappingDraft, MatchKind, MatchRule};
use switchyard_connectors::value::{Record, Value};
use switchyard_store::kinds::{ConflictPolicy, DeletePolicy, SyncDirection};

/// A one-way draft of `fields` (contacts → Contact), matched by e-mail.
pub(super) fn draft(fields: Vec<FieldRule>) -> MappingDraft {
    MappingDraft {
        name: "test".into(),
        source_connection_id: "s".into(),
        source_object: "contacts".into(),
        target_connection_id: "t".into(),
        target_object: "Contact".into(),
        direction: SyncDirection::OneWay,
        match_rule: MatchRule {
            kind: MatchKind::Email,
            source_field: "email".into(),
            target_field: "Email".into(),
        },
        conflict_policy: ConflictPolicy::SourceWins,
        delete_policy: DeletePolicy::Ignore,
        fields,
    }
}

/// A record with text fields.
pub(super) fn record(id: &str, fields: &[(&str, &str)]) -> Record {
    Record {
        id: id.into(),
        modified: None,
        archived: false,
        version: None,
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::text(*v)))
            .collect(),
    }
}

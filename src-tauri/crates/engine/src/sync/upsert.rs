//! Writing by upsert. A mapping that matches by an external id which the target can
//! upsert by (a Salesforce external-id or idLookup field, a HubSpot unique-value
//! property) sends its unlinked records as upserts on that field: each is created or
//! updated in one call, and no look-up query is needed first. Calls are then
//! ⌈read ÷ page⌉ + ⌈written ÷ batch⌉.
//!
//! Only external-id matching upserts: its key is the source record's own identity
//! (`Id`, `hs_object_id` …), so two source records never claim one target record. An
//! e-mail can move between records, so e-mail matching keeps its look-up, which sees a
//! target already linked to another record before anything is written. Dry runs look
//! up too, so their preview tells creates from updates.

use super::plan::{Action, Decision};
use crate::mapping::model::{MatchKind, MatchRule};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use switchyard_connectors::connector::{RecordError, WriteResult};
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::Record;
use switchyard_store::sqlx::SqlitePool;
use switchyard_store::tables::links;
use switchyard_store::StoreResult;

/// The target field unlinked records are upserted on, or `None` when the run matches by
/// look-up and creates.
pub(super) fn key_field<'a>(
    rule: &'a MatchRule,
    target: &ObjectSpec,
    dry_run: bool,
) -> Option<&'a str> {
    (!dry_run
        && rule.kind == MatchKind::ExternalId
        && target
            .field(&rule.target_field)
            .is_some_and(|f| f.upsert_key))
    .then_some(rule.target_field.as_str())
}

/// Makes a create carry its key: an upsert finds its target by the key field's value,
/// which must therefore be sent even when no field row maps it.
pub(super) fn carry_key(decision: &mut Decision, rule: &MatchRule, record: &Record) {
    if decision.action != Action::Create {
        return;
    }
    let key = record.get(&rule.source_field);
    if key.is_blank() {
        return;
    }
    for values in [&mut decision.changes, &mut decision.values] {
        values
            .entry(rule.target_field.clone())
            .or_insert_with(|| key.clone());
    }
}

/// Checks what an upsert wrote, result by result (in the order of `sources`): a target
/// that is linked to a different source record (linked by hand to a record whose key it
/// holds) becomes a `target_already_linked` error, so it is not linked twice and the
/// run reports it; every other written target is noted in `linked_now` (two-way runs:
/// its changes read before the write are this run's own).
pub(super) async fn checked(
    pool: &SqlitePool,
    mapping_id: &str,
    label: &str,
    linked_now: Option<&Mutex<HashSet<String>>>,
    sources: &[&str],
    results: Vec<WriteResult>,
) -> StoreResult<Vec<WriteResult>> {
    let targets: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|w| w.id.clone()))
        .collect();
    if targets.is_empty() {
        return Ok(results);
    }
    let owner: HashMap<String, String> = links::by_target_ids(pool, mapping_id, &targets)
        .await?
        .into_iter()
        .map(|l| (l.target_id, l.source_id))
        .collect();
    let mut now = linked_now.map(|m| m.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(results
        .into_iter()
        .zip(sources)
        .map(|(result, source)| {
            let w = result?;
            match owner.get(&w.id) {
                Some(other) if other != source => Err(RecordError::new(
                    "target_already_linked",
                    format!("The {label} record {} was written by upsert, but it is already linked to source record {other}; this record was not linked to it. Check both records.", w.id),
                )),
                _ => {
                    if let Some(now) = now.as_mut() {
                        now.insert(w.id.clone());
                    }
                    Ok(w)
                }
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchyard_connectors::schema::{FieldSpec, FieldType};
    use switchyard_connectors::value::Value;

    fn spec(upsert_key: bool) -> ObjectSpec {
        let mut ext = FieldSpec::new("ExtId__c", "External id", FieldType::Text);
        ext.external_id = upsert_key;
        ext.upsert_key = upsert_key;
        ObjectSpec {
            name: "Account".into(),
            label: "Account".into(),
            id_field: "Id".into(),
            modified_field: "SystemModstamp".into(),
            writable: true,
            fields: vec![ext],
        }
    }

    fn rule(kind: MatchKind) -> MatchRule {
        MatchRule {
            kind,
            source_field: "Id".into(),
            target_field: "ExtId__c".into(),
        }
    }

    #[test]
    fn only_external_id_matching_on_an_upsert_key_upserts_and_never_in_a_dry_run() {
        assert_eq!(
            key_field(&rule(MatchKind::ExternalId), &spec(true), false),
            Some("ExtId__c")
        );
        assert_eq!(
            key_field(&rule(MatchKind::ExternalId), &spec(true), true),
            None
        );
        assert_eq!(
            key_field(&rule(MatchKind::ExternalId), &spec(false), false),
            None
        );
        assert_eq!(key_field(&rule(MatchKind::Email), &spec(true), false), None);
        assert_eq!(key_field(&rule(MatchKind::Field), &spec(true), false), None);
    }

    #[test]
    fn a_create_carries_its_key_and_an_update_is_left_alone() {
        let record = Record {
            id: "58".into(),
            modified: None,
            archived: false,
            version: None,
            fields: [("Id".to_owned(), Value::text("58"))].into(),
        };
        let mut create = Decision {
            source_id: "58".into(),
            target_id: None,
            action: Action::Create,
            values: Default::default(),
            changes: Default::default(),
            expected: Default::default(),
            error: None,
        };
        let mut update = create.clone();
        update.action = Action::Update;
        carry_key(&mut create, &rule(MatchKind::ExternalId), &record);
        carry_key(&mut update, &rule(MatchKind::ExternalId), &record);
        assert_eq!(create.changes.get("ExtId__c"), Some(&Value::text("58")));
        assert_eq!(create.values.get("ExtId__c"), Some(&Value::text("58")));
        assert!(update.changes.is_empty());
    }
}

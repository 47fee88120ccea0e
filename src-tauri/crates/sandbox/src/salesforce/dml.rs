//! Saving records: the checks Salesforce runs when a record is inserted, updated or
//! deleted (required fields, references that exist, unique values), the fields it fills
//! in itself (audit fields, Name, Opportunity IsClosed/IsWon/Probability, Lead Status)
//! and soft deletion into the recycle bin.

use super::errors::{duplicate_value, ApiError};
use super::picklists;
use super::schema::{
    self, FType, SObject, F_CREATED, F_CREATED_BY, F_ID, F_MODIFIED, F_MODIFIED_BY, F_MODSTAMP,
    F_OWNER,
};
use super::store::{Record, Store};
use crate::seed::sf_datetime;
use serde_json::Value;

/// Who saves, and when.
#[derive(Debug, Clone)]
pub struct Actor<'a> {
    pub user: &'a str,
    /// Every user id of the org (targets of OwnerId and other User references).
    pub users: &'a [String],
    pub now: i64,
}

/// Inserts a record; returns its new id.
pub fn create(
    store: &mut Store,
    obj: &'static SObject,
    changes: &[(usize, Value)],
    actor: &Actor<'_>,
) -> Result<String, ApiError> {
    let mut values = vec![Value::Null; obj.fields.len()];
    for (i, field) in obj.fields.iter().enumerate() {
        if field.ty == FType::Boolean {
            values[i] = Value::Bool(false);
        }
    }
    values[F_OWNER] = Value::String(actor.user.to_owned());
    if let Some((i, _)) = obj.field("Status").filter(|_| obj.name == "Lead") {
        values[i] = Value::String(picklists::LEAD_STATUS[0].to_owned());
    }
    for (i, v) in changes {
        values[*i] = v.clone();
    }
    let probability_given = changes
        .iter()
        .any(|(i, _)| obj.fields[*i].name == "Probability");
    derive(obj, &mut values, !probability_given);
    check(store, obj, &values, changes, None, actor)?;
    let id = store.new_id(obj);
    let stamp = Value::String(sf_datetime(actor.now));
    values[F_ID] = Value::String(id.clone());
    values[F_CREATED] = stamp.clone();
    values[F_MODIFIED] = stamp.clone();
    values[F_MODSTAMP] = stamp;
    values[F_CREATED_BY] = Value::String(actor.user.to_owned());
    values[F_MODIFIED_BY] = Value::String(actor.user.to_owned());
    store.put(
        obj,
        &id,
        Some(Record {
            values,
            deleted_ms: None,
        }),
    );
    Ok(id)
}

/// Updates a live record in place.
pub fn update(
    store: &mut Store,
    obj: &'static SObject,
    id: &str,
    changes: &[(usize, Value)],
    actor: &Actor<'_>,
) -> Result<(), ApiError> {
    let mut record = live(store, obj, id)?.clone();
    let stage_changed = changes
        .iter()
        .any(|(i, v)| obj.fields[*i].name == "StageName" && *v != record.values[*i]);
    let probability_given = changes
        .iter()
        .any(|(i, _)| obj.fields[*i].name == "Probability");
    for (i, v) in changes {
        record.values[*i] = v.clone();
    }
    derive(obj, &mut record.values, stage_changed && !probability_given);
    check(store, obj, &record.values, changes, Some(id), actor)?;
    touch(&mut record, actor);
    store.put(obj, id, Some(record));
    Ok(())
}

/// Moves a live record to the recycle bin.
pub fn delete(
    store: &mut Store,
    obj: &'static SObject,
    id: &str,
    actor: &Actor<'_>,
) -> Result<(), ApiError> {
    let mut record = live(store, obj, id)?.clone();
    touch(&mut record, actor);
    record.deleted_ms = Some(actor.now);
    store.put(obj, id, Some(record));
    Ok(())
}

/// The record if it exists and is not deleted (404 NOT_FOUND / ENTITY_IS_DELETED).
pub fn live<'s>(store: &'s Store, obj: &SObject, id: &str) -> Result<&'s Record, ApiError> {
    match store.get(obj, id) {
        None => Err(ApiError::not_found()),
        Some(r) if r.is_deleted() => {
            Err(ApiError::entity_deleted().with_fields(Vec::<String>::new()))
        }
        Some(r) => Ok(r),
    }
}

fn touch(record: &mut Record, actor: &Actor<'_>) {
    let stamp = Value::String(sf_datetime(actor.now));
    record.values[F_MODIFIED] = stamp.clone();
    record.values[F_MODSTAMP] = stamp;
    record.values[F_MODIFIED_BY] = Value::String(actor.user.to_owned());
}

/// Fields Salesforce computes: full Name, and an Opportunity's closed/won flags and
/// (when the stage is new and no probability was sent) the stage's default probability.
fn derive(obj: &SObject, values: &mut [Value], default_probability: bool) {
    if let (Some((first, _)), Some((last, _)), Some((name, _))) = (
        obj.field("FirstName"),
        obj.field("LastName"),
        obj.field("Name"),
    ) {
        let parts: Vec<&str> = [&values[first], &values[last]]
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        values[name] = if parts.is_empty() {
            Value::Null
        } else {
            Value::String(parts.join(" "))
        };
    }
    if obj.name != "Opportunity" {
        return;
    }
    let position = |name: &str| obj.field(name).map(|(i, _)| i);
    let (Some(stage), Some(closed), Some(won), Some(probability)) = (
        position("StageName"),
        position("IsClosed"),
        position("IsWon"),
        position("Probability"),
    ) else {
        return;
    };
    let known = values[stage]
        .as_str()
        .and_then(|s| picklists::STAGES.iter().find(|(n, ..)| *n == s));
    let (p, is_closed, is_won) =
        known.map_or((None, false, false), |(_, p, c, w)| (Some(*p), *c, *w));
    values[closed] = Value::Bool(is_closed);
    values[won] = Value::Bool(is_won);
    if default_probability {
        if let Some(p) = p {
            values[probability] = Value::from(p);
        }
    }
}

/// Required fields, references to records that exist, and unique values.
fn check(
    store: &Store,
    obj: &SObject,
    values: &[Value],
    changes: &[(usize, Value)],
    own_id: Option<&str>,
    actor: &Actor<'_>,
) -> Result<(), ApiError> {
    let missing: Vec<&str> = obj
        .fields
        .iter()
        .zip(values)
        .filter(|(f, v)| {
            !f.nillable && f.ty != FType::Boolean && (f.createable || f.updateable) && v.is_null()
        })
        .map(|(f, _)| f.name)
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::bad(
            "REQUIRED_FIELD_MISSING",
            format!("Required fields are missing: [{}]", missing.join(", ")),
        )
        .with_fields(missing));
    }
    for (i, value) in changes {
        let field = &obj.fields[*i];
        let Some(text) = value.as_str() else { continue };
        if field.ty == FType::Reference {
            reference(store, field, text, actor)?;
        }
        if field.unique {
            if let Some(other) = store
                .by_external(obj, *i, text)
                .into_iter()
                .find(|id| Some(id.as_str()) != own_id)
            {
                return Err(duplicate_value(field.name, &other));
            }
        }
    }
    Ok(())
}

fn reference(
    store: &Store,
    field: &schema::Field,
    id: &str,
    actor: &Actor<'_>,
) -> Result<(), ApiError> {
    let wrong_type = || {
        ApiError::bad(
            "MALFORMED_ID",
            format!("{}: id value of incorrect type: {id}", field.label),
        )
        .with_fields([field.name])
    };
    if field.reference_to.contains(&"User") {
        if !id.starts_with("005") {
            return Err(wrong_type());
        }
        if actor.users.iter().any(|u| u == id) {
            return Ok(());
        }
        return Err(
            ApiError::bad("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
                .with_fields([field.name]),
        );
    }
    let target = schema::by_prefix(id)
        .filter(|o| field.reference_to.contains(&o.name))
        .ok_or_else(wrong_type)?;
    match store.get(target, id) {
        Some(r) if r.is_deleted() => {
            Err(ApiError::bad("ENTITY_IS_DELETED", "entity is deleted").with_fields([field.name]))
        }
        Some(_) => Ok(()),
        None => Err(
            ApiError::bad("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
                .with_fields([field.name]),
        ),
    }
}

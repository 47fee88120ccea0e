//! Saving records: the checks Salesforce runs when a record is inserted, updated or
//! deleted (required fields, references that exist, unique values), the fields it fills
//! in itself (audit fields, Name, Opportunity IsClosed/IsWon/Probability, Lead Status)
//! and soft deletion into the recycle bin.

use super::errors::{duplicate_value, ApiError};
use super::objects;
use super::picklists;
use super::record::{Cell, Slot};
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
    /// `now` as the audit fields print it, formatted once per request.
    pub stamp: String,
}

impl<'a> Actor<'a> {
    pub fn new(user: &'a str, users: &'a [String], now: i64) -> Self {
        Self {
            user,
            users,
            now,
            stamp: sf_datetime(now),
        }
    }
}

/// Inserts a record; returns its new id.
pub fn create(
    store: &mut Store,
    obj: &'static SObject,
    changes: Vec<(usize, Value)>,
    actor: &Actor<'_>,
) -> Result<String, ApiError> {
    let mut slots: Vec<Slot<'_>> = obj
        .fields
        .iter()
        .map(|f| match f.ty {
            FType::Boolean => Slot::Set(Value::Bool(false)),
            _ => Slot::Kept(&[]),
        })
        .collect();
    slots[F_OWNER] = Slot::Text(actor.user);
    if let Some((i, _)) = obj.field("Status").filter(|_| obj.name == "Lead") {
        slots[i] = Slot::Text(picklists::LEAD_STATUS[0]);
    }
    let changed: Vec<usize> = changes.iter().map(|(i, _)| *i).collect();
    for (i, v) in changes {
        slots[i] = Slot::Set(v);
    }
    let probability_given = changed.iter().any(|i| obj.fields[*i].name == "Probability");
    derive(obj, &mut slots, true, !probability_given);
    check(store, obj, &slots, &changed, None, actor)?;
    let id = store.new_id(obj);
    slots[F_ID] = Slot::Text(&id);
    slots[F_CREATED] = Slot::Text(&actor.stamp);
    slots[F_CREATED_BY] = Slot::Text(actor.user);
    touch(&mut slots, actor);
    let record = Record::from_slots(&slots, None);
    drop(slots);
    store.put(obj, &id, Some(record));
    Ok(id)
}

/// Updates a live record in place.
pub fn update(
    store: &mut Store,
    obj: &'static SObject,
    id: &str,
    changes: Vec<(usize, Value)>,
    actor: &Actor<'_>,
) -> Result<(), ApiError> {
    let mut slots = live(store, obj, id)?.slots(obj.fields.len());
    let stage_changed = changes
        .iter()
        .any(|(i, v)| obj.fields[*i].name == "StageName" && Cell::of(v) != slots[*i].cell());
    let probability_given = changes
        .iter()
        .any(|(i, _)| obj.fields[*i].name == "Probability");
    let changed: Vec<usize> = changes.iter().map(|(i, _)| *i).collect();
    // The full name only changes with its parts.
    let names_changed = obj
        .full_name
        .is_some_and(|(first, last, _)| changed.iter().any(|i| *i == first || *i == last));
    for (i, v) in changes {
        slots[i] = Slot::Set(v);
    }
    derive(
        obj,
        &mut slots,
        names_changed,
        stage_changed && !probability_given,
    );
    check(store, obj, &slots, &changed, Some(id), actor)?;
    touch(&mut slots, actor);
    let record = Record::from_slots(&slots, None);
    drop(slots);
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
    let mut slots = live(store, obj, id)?.slots(obj.fields.len());
    touch(&mut slots, actor);
    let record = Record::from_slots(&slots, Some(actor.now));
    drop(slots);
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

fn touch<'a>(slots: &mut [Slot<'a>], actor: &'a Actor<'_>) {
    slots[F_MODIFIED] = Slot::Text(&actor.stamp);
    slots[F_MODSTAMP] = Slot::Text(&actor.stamp);
    slots[F_MODIFIED_BY] = Slot::Text(actor.user);
}

/// Fields Salesforce computes: full Name, and an Opportunity's closed/won flags and
/// (when the stage is new and no probability was sent) the stage's default probability.
fn derive(obj: &SObject, values: &mut [Slot<'_>], names: bool, default_probability: bool) {
    if let Some((first, last, name)) = obj.full_name.filter(|_| names) {
        let full = match (values[first].cell().as_str(), values[last].cell().as_str()) {
            (Some(f), Some(l)) => Value::String(format!("{f} {l}")),
            (Some(one), None) | (None, Some(one)) => Value::String(one.to_owned()),
            (None, None) => Value::Null,
        };
        values[name] = Slot::Set(full);
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
        .cell()
        .as_str()
        .and_then(|s| picklists::STAGES.iter().find(|(n, ..)| *n == s));
    let (p, is_closed, is_won) =
        known.map_or((None, false, false), |(_, p, c, w)| (Some(*p), *c, *w));
    values[closed] = Slot::Set(Value::Bool(is_closed));
    values[won] = Slot::Set(Value::Bool(is_won));
    if default_probability {
        if let Some(p) = p {
            values[probability] = Slot::Set(Value::from(p));
        }
    }
}

/// Required fields, references to records that exist, and unique values.
fn check(
    store: &Store,
    obj: &SObject,
    values: &[Slot<'_>],
    changed: &[usize],
    own_id: Option<&str>,
    actor: &Actor<'_>,
) -> Result<(), ApiError> {
    let missing: Vec<&str> = obj
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            !f.nillable
                && f.ty != FType::Boolean
                && (f.createable || f.updateable)
                && values[*i].cell().is_null()
        })
        .map(|(_, f)| f.name)
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::bad(
            "REQUIRED_FIELD_MISSING",
            format!("Required fields are missing: [{}]", missing.join(", ")),
        )
        .with_fields(missing));
    }
    for i in changed {
        let field = &obj.fields[*i];
        let Some(text) = values[*i].cell().as_str() else {
            continue;
        };
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
    let target = objects::by_prefix(id)
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

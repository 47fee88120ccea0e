//! "Another user edited this" (`POST /__sandbox/mutate`): creates, updates or deletes a
//! record as the org's second user, with the same validation as the API, so
//! LastModifiedDate / SystemModstamp move to now and the change shows up in incremental
//! reads (`SystemModstamp >` queries, `updated/`, `deleted/`, `queryAll`).

use super::body::RecordIn;
use super::errors::ApiError;
use super::objects;
use super::write::{parse_fields, Op};
use super::{dml, ids, render, seed, Salesforce, DEFAULT_VERSION};
use crate::oauth::now_ms;
use crate::sim::Mutation;
use serde_json::{json, Value};

fn text(e: ApiError) -> String {
    format!("{}: {}", e.code, e.message)
}

pub fn apply(sf: &Salesforce, m: &Mutation) -> Result<Value, String> {
    let obj = objects::find(&m.object).ok_or_else(|| {
        format!(
            "unknown Salesforce object {:?}; known: Account, Contact, Lead, Opportunity",
            m.object
        )
    })?;
    let org = sf.org();
    let users = org.user_ids();
    let actor = seed::other_user(&org, &users, now_ms());
    let mut store = sf.store();
    let id = match &m.id {
        None if m.delete => return Err("a delete needs the record's id".into()),
        None => {
            let changes = parse_fields(obj, RecordIn::from_map(m.fields.clone()), Op::Create)
                .map_err(text)?;
            dml::create(&mut store, obj, changes, &actor).map_err(text)?
        }
        Some(raw) => {
            let id = ids::normalize(raw)
                .filter(|id| id.starts_with(obj.prefix))
                .ok_or_else(|| format!("{raw:?} is not a {} id", obj.name))?;
            if m.delete {
                dml::delete(&mut store, obj, &id, &actor).map_err(text)?;
            } else {
                let changes = parse_fields(obj, RecordIn::from_map(m.fields.clone()), Op::Update)
                    .map_err(text)?;
                dml::update(&mut store, obj, &id, changes, &actor).map_err(text)?;
            }
            id
        }
    };
    let record = store
        .get(obj, &id)
        .map(|r| render::full(DEFAULT_VERSION, obj, r))
        .unwrap_or(Value::Null);
    Ok(json!({ "id": id, "record": record }))
}

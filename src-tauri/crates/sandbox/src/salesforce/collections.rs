//! sObject Collections: `POST /composite/sobjects` (create), `PATCH /composite/sobjects`
//! (update), `PATCH /composite/sobjects/{Obj}/{ExtField}` (upsert) and
//! `DELETE /composite/sobjects?ids=…`. Up to 200 records, mixed types in at most 10
//! chunks; HTTP 200 with one result per record in order, 400 only for a malformed
//! request. An injected PartialBatch fault fails every second record with
//! UNABLE_TO_LOCK_ROW; DuplicateValue makes a created record clash.

use super::batch::{
    self, fault_victims, lock_failure, record_type, settle, too_many, type_name, ItemResult,
    Journal, MAX_RECORDS,
};
use super::dml::{self, Actor};
use super::errors::ApiError;
use super::sobjects::{actor, duplicate_fault, object};
use super::store::Store;
use super::upsert::{external_field, matching, value_text};
use super::write::{coerce, parse_fields, Op};
use super::{ids, Salesforce};
use crate::faults::FaultKind;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Runs `each` over the items under one store lock, then settles allOrNone.
fn run(
    sf: &Salesforce,
    method: &Method,
    uri: &Uri,
    all_or_none: bool,
    len: usize,
    mut each: impl FnMut(usize, &mut Store, &mut Journal, &Actor<'_>) -> ItemResult,
) -> Response {
    let victims = if sf
        .ctx
        .faults
        .take(&FaultKind::PartialBatch, method.as_str(), uri.path())
    {
        fault_victims(len)
    } else {
        vec![false; len]
    };
    let org = sf.org();
    let users = org.user_ids();
    let who = actor(&org, &users);
    let mut store = sf.store();
    let mut journal = Journal::default();
    let mut results: Vec<ItemResult> = (0..len)
        .map(|i| {
            if victims[i] {
                ItemResult::failed(None, lock_failure(None))
            } else {
                each(i, &mut store, &mut journal, &who)
            }
        })
        .collect();
    settle(&mut results, journal, &mut store, all_or_none);
    Json(results.iter().map(ItemResult::json).collect::<Vec<_>>()).into_response()
}

pub async fn create(
    State(sf): State<Arc<Salesforce>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let (all_or_none, records) = match batch::parse(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    run(
        &sf,
        &method,
        &uri,
        all_or_none,
        records.len(),
        |i: usize, store: &mut Store, journal: &mut Journal, who: &Actor<'_>| {
            let result = (|| {
                let obj = record_type(&records[i])?;
                let changes = parse_fields(obj, &records[i], Op::Create)?;
                if let Some(e) = duplicate_fault(&sf, store, obj, &method, &uri) {
                    return Err(e);
                }
                let id = dml::create(store, obj, &changes, who)?;
                journal.note_created(obj, &id);
                Ok(id)
            })();
            result.map_or_else(
                |e| ItemResult::failed(None, e),
                |id| ItemResult::ok(id, None),
            )
        },
    )
}

pub async fn update(
    State(sf): State<Arc<Salesforce>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let (all_or_none, records) = match batch::parse(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    run(
        &sf,
        &method,
        &uri,
        all_or_none,
        records.len(),
        |i: usize, store: &mut Store, journal: &mut Journal, who: &Actor<'_>| {
            let raw = records[i]
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("Id"))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_owned);
            let id = raw.as_deref().and_then(ids::normalize);
            let result = (|| {
                let obj = record_type(&records[i])?;
                let raw = raw.as_deref().ok_or_else(|| {
                    ApiError::bad("MISSING_ARGUMENT", "Id not specified in an update call")
                })?;
                let id = id
                    .clone()
                    .filter(|id| id.starts_with(obj.prefix))
                    .ok_or_else(|| ApiError::bad("MALFORMED_ID", format!("malformed id {raw}")))?;
                let mut fields = records[i].clone();
                fields.retain(|k, _| !k.eq_ignore_ascii_case("Id"));
                let changes = parse_fields(obj, &fields, Op::Update)?;
                journal.note(store, obj, &id);
                dml::update(store, obj, &id, &changes, who).map(|()| id)
            })();
            result.map_or_else(
                |e| ItemResult::failed(id.clone(), e),
                |id| ItemResult::ok(id, None),
            )
        },
    )
}

pub async fn upsert(
    State(sf): State<Arc<Salesforce>>,
    Path(params): Path<HashMap<String, String>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let prepared = (|| {
        let obj = object(&params)?;
        let field = external_field(obj, params.get("field").map_or("", String::as_str))?;
        Ok::<_, ApiError>((obj, field, batch::parse(&body)?))
    })();
    let (obj, field, (all_or_none, records)) = match prepared {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let name = obj.fields[field].name;
    let values: Vec<Option<String>> = records
        .iter()
        .map(|r| {
            r.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| value_text(v))
        })
        .collect();
    run(
        &sf,
        &method,
        &uri,
        all_or_none,
        records.len(),
        |i: usize, store: &mut Store, journal: &mut Journal, who: &Actor<'_>| {
            let result = (|| {
                if type_name(&records[i]).is_some_and(|t| !t.eq_ignore_ascii_case(obj.name)) {
                    return Err(ApiError::bad(
                        "INVALID_TYPE",
                        format!("The record type must be {}", obj.name),
                    ));
                }
                let value = values[i].clone().ok_or_else(|| {
                    ApiError::bad("MISSING_ARGUMENT", format!("{name} not specified"))
                })?;
                if values
                    .iter()
                    .filter(|v| v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(&value)))
                    .count()
                    > 1
                {
                    return Err(ApiError::bad(
                        "DUPLICATE_EXTERNAL_ID",
                        format!("Duplicate external id specified: {value}"),
                    )
                    .with_fields([name]));
                }
                let mut fields = records[i].clone();
                fields.retain(|k, _| !k.eq_ignore_ascii_case(name));
                match matching(store, obj, field, &value).as_slice() {
                    [] => {
                        let mut changes = parse_fields(obj, &fields, Op::Create)?;
                        changes.push((field, coerce(&obj.fields[field], &Value::String(value))?));
                        if let Some(e) = duplicate_fault(&sf, store, obj, &method, &uri) {
                            return Err(e);
                        }
                        let id = dml::create(store, obj, &changes, who)?;
                        journal.note_created(obj, &id);
                        Ok((id, true))
                    }
                    [id] => {
                        let changes = parse_fields(obj, &fields, Op::Update)?;
                        journal.note(store, obj, id);
                        dml::update(store, obj, id, &changes, who).map(|()| (id.clone(), false))
                    }
                    found => Err(ApiError::bad(
                        "DUPLICATE_EXTERNAL_ID",
                        format!(
                            "{name}: more than one record found for external id field: [{}]",
                            found.join(", ")
                        ),
                    )
                    .with_fields([name])),
                }
            })();
            result.map_or_else(
                |e| ItemResult::failed(None, e),
                |(id, created)| ItemResult::ok(id, Some(created)),
            )
        },
    )
}

pub async fn delete(
    State(sf): State<Arc<Salesforce>>,
    Query(query): Query<HashMap<String, String>>,
    method: Method,
    uri: Uri,
) -> Response {
    let raw: Vec<String> = query
        .get("ids")
        .map(|s| {
            s.split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if raw.len() > MAX_RECORDS {
        return too_many().into_response();
    }
    let all_or_none = query
        .get("allOrNone")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    run(
        &sf,
        &method,
        &uri,
        all_or_none,
        raw.len(),
        |i: usize, store: &mut Store, journal: &mut Journal, who: &Actor<'_>| {
            let Some(id) = ids::normalize(&raw[i]) else {
                return ItemResult::failed(
                    Some(raw[i].clone()),
                    ApiError::bad("MALFORMED_ID", format!("malformed id {}", raw[i])),
                );
            };
            let result = match store.find(&id) {
                None => Err(ApiError::bad(
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                )),
                Some((_, r)) if r.is_deleted() => {
                    Err(ApiError::bad("ENTITY_IS_DELETED", "entity is deleted"))
                }
                Some((obj, _)) => {
                    journal.note(store, obj, &id);
                    dml::delete(store, obj, &id, who)
                }
            };
            match result {
                Ok(()) => ItemResult::ok(id, None),
                Err(e) => ItemResult::failed(Some(id), e),
            }
        },
    )
}

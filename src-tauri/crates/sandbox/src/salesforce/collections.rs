//! sObject Collections (API v42.0 and later; 404 NOT_FOUND before): `POST
//! /composite/sobjects` (create), `PATCH /composite/sobjects` (update) and `DELETE
//! /composite/sobjects?ids=…` (the upsert form is `collection_upsert.rs`). Up to 200
//! records, mixed types in at most 10 chunks; HTTP 200 with one result per record in
//! order, 400 only for a malformed request. An injected PartialBatch fault fails every
//! second record with UNABLE_TO_LOCK_ROW; DuplicateValue makes a created record clash.

use super::api_version::Api;
use super::batch::{
    self, fault_victims, lock_failure, record_type, settle, too_many, ItemResult, Journal,
    MAX_RECORDS,
};
use super::body::Scalar;
use super::dml::{self, Actor};
use super::errors::ApiError;
use super::sobjects::{actor, duplicate_fault};
use super::store::Store;
use super::write::{parse_fields, Op};
use super::{ids, Salesforce};
use crate::faults::FaultKind;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::HashMap;
use std::sync::Arc;

/// sObject Collections came with API v42.0.
pub const FIRST_VERSION: u32 = 42;

/// 404 NOT_FOUND under an API version older than `first`.
pub fn unserved(api: &Api, first: u32) -> Option<Response> {
    (api.major() < first).then(|| ApiError::not_found().into_response())
}

/// Runs `each` over the items under one store lock, then settles allOrNone.
pub fn run(
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
    let mut journal = Journal::new(all_or_none);
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
    batch::results_response(&results)
}

pub async fn create(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Some(r) = unserved(&api, FIRST_VERSION) {
        return r;
    }
    let (all_or_none, mut records) = match batch::parse(&body) {
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
            let record = std::mem::take(&mut records[i]);
            let result = (|| {
                let obj = record_type(&record)?;
                let changes = parse_fields(obj, record, Op::Create)?;
                if let Some(e) = duplicate_fault(&sf, store, obj, &method, &uri) {
                    return Err(e);
                }
                let id = dml::create(store, obj, changes, who)?;
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
    Extension(api): Extension<Api>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    if let Some(r) = unserved(&api, FIRST_VERSION) {
        return r;
    }
    let (all_or_none, mut records) = match batch::parse(&body) {
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
                .find_ci("Id")
                .and_then(Scalar::as_str)
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
                let mut fields = std::mem::take(&mut records[i]);
                fields.remove_ci("Id");
                let changes = parse_fields(obj, fields, Op::Update)?;
                journal.note(store, obj, &id);
                dml::update(store, obj, &id, changes, who).map(|()| id)
            })();
            result.map_or_else(
                |e| ItemResult::failed(id.clone(), e),
                |id| ItemResult::ok(id, None),
            )
        },
    )
}

pub async fn delete(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    Query(query): Query<HashMap<String, String>>,
    method: Method,
    uri: Uri,
) -> Response {
    if let Some(r) = unserved(&api, FIRST_VERSION) {
        return r;
    }
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

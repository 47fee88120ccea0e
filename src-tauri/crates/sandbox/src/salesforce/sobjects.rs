//! sObject rows by id: `POST /sobjects/{Obj}` creates (201 `{id, success, errors}`),
//! `GET /sobjects/{Obj}/{id}[?fields=…]` reads, `PATCH` updates (204, no body) and
//! `DELETE` moves the record to the recycle bin (204). Shared helpers parse request
//! bodies and build the acting user for the save.

use super::api_version::Api;
use super::body::RecordIn;
use super::dml::{self, Actor};
use super::errors::{duplicate_value, ApiError};
use super::objects;
use super::schema::SObject;
use super::store::Store;
use super::write::{parse_fields, Op};
use super::{ids, render, Org, Salesforce};
use crate::faults::FaultKind;
use crate::oauth::now_ms;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

type Params = Path<HashMap<String, String>>;

/// The object named in the path, or 404 NOT_FOUND.
pub fn object(params: &HashMap<String, String>) -> Result<&'static SObject, ApiError> {
    params
        .get("obj")
        .and_then(|o| objects::find(o))
        .ok_or_else(ApiError::not_found)
}

/// A JSON object body, or JSON_PARSER_ERROR.
pub fn json_object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::json_parser(format!(
            "Cannot deserialize instance of sObject from {} value",
            kind(&other)
        ))),
        Err(e) => Err(ApiError::json_parser(e)),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "START_ARRAY",
        Value::String(_) => "VALUE_STRING",
        Value::Number(_) => "VALUE_NUMBER",
        Value::Bool(_) => "VALUE_BOOLEAN",
        _ => "VALUE_NULL",
    }
}

/// The connecting user saving now.
pub fn actor<'a>(org: &'a Org, users: &'a [String]) -> Actor<'a> {
    Actor::new(&org.users[0].id, users, now_ms())
}

/// The injected DuplicateValue fault, when it fires for this request: a clash on the
/// object's unique field with an existing record, or (objects without one) the
/// `<unknown>` field form Salesforce uses for other unique indexes.
pub fn duplicate_fault(
    sf: &Salesforce,
    store: &Store,
    obj: &SObject,
    method: &Method,
    uri: &Uri,
) -> Option<ApiError> {
    if !sf
        .ctx
        .faults
        .take(&FaultKind::DuplicateValue, method.as_str(), uri.path())
    {
        return None;
    }
    let unique = obj.fields.iter().position(|f| f.unique);
    let live = || store.table(obj).rows.values().filter(|r| !r.is_deleted());
    Some(
        match unique.and_then(|i| live().find(|r| !r.get(i).is_null()).map(|r| (i, r))) {
            Some((i, r)) => duplicate_value(obj.fields[i].name, r.id()),
            None => duplicate_value("<unknown>", live().next().map_or("<unknown>", |r| r.id())),
        },
    )
}

/// The record id in the path, normalised, if it belongs to `obj`.
fn record_id(obj: &SObject, params: &HashMap<String, String>) -> Result<String, ApiError> {
    params
        .get("id")
        .and_then(|id| ids::normalize(id))
        .filter(|id| id.starts_with(obj.prefix))
        .ok_or_else(ApiError::not_found)
}

pub async fn create(
    State(sf): State<Arc<Salesforce>>,
    Path(params): Params,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let result = (|| {
        let obj = object(&params)?;
        let fields = json_object(&body)?;
        let changes = parse_fields(obj, RecordIn::from_map(fields), Op::Create)?;
        let mut store = sf.store();
        if let Some(e) = duplicate_fault(&sf, &store, obj, &method, &uri) {
            return Err(e);
        }
        let org = sf.org();
        let users = org.user_ids();
        dml::create(&mut store, obj, changes, &actor(&org, &users))
    })();
    match result {
        Ok(id) => (
            StatusCode::CREATED,
            Json(json!({ "id": id, "success": true, "errors": [] })),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn read(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    Path(params): Params,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        let obj = object(&params)?;
        let id = record_id(obj, &params)?;
        let positions = match query.get("fields") {
            None => (0..obj.fields.len()).collect(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| {
                    obj.field(f)
                        .map(|(i, _)| i)
                        .ok_or_else(|| no_such_column(obj, f))
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        let store = sf.store();
        let record = dml::live(&store, obj, &id)?;
        Ok::<_, ApiError>(render::fields(&api.version, obj, record, &positions))
    })();
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

pub fn no_such_column(obj: &SObject, field: &str) -> ApiError {
    ApiError::bad("INVALID_FIELD", format!("No such column '{field}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", obj.name))
}

pub async fn update(
    State(sf): State<Arc<Salesforce>>,
    Path(params): Params,
    body: Bytes,
) -> Response {
    let result = (|| {
        let obj = object(&params)?;
        let id = record_id(obj, &params)?;
        let changes = parse_fields(obj, RecordIn::from_map(json_object(&body)?), Op::Update)?;
        let org = sf.org();
        let users = org.user_ids();
        dml::update(&mut sf.store(), obj, &id, changes, &actor(&org, &users))
    })();
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn delete(State(sf): State<Arc<Salesforce>>, Path(params): Params) -> Response {
    let result = (|| {
        let obj = object(&params)?;
        let id = record_id(obj, &params)?;
        let org = sf.org();
        let users = org.user_ids();
        dml::delete(&mut sf.store(), obj, &id, &actor(&org, &users))
    })();
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

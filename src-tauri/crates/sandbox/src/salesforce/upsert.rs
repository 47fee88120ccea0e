//! sObject rows by external id: `PATCH /sobjects/{Obj}/{ExtField}/{value}` inserts (201,
//! `created: true`) or updates (200 `created: false` from v46, 204 before; the status is
//! `[UNCONFIRMED]` and set by the `upsert_update_status` limit), answers 300 with the
//! matching records' URLs when the value is not unique, and honours `?updateOnly=true`.
//! `GET` and `DELETE` on the same path read and delete by external id.

use super::api_version::Api;
use super::body::{RecordIn, Scalar};
use super::dml;
use super::errors::ApiError;
use super::schema::{FType, SObject};
use super::sobjects::{actor, duplicate_fault, json_object, object};
use super::store::Store;
use super::write::{coerce, parse_fields, Op};
use super::{ids, render, Salesforce};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

type Params = Path<HashMap<String, String>>;

/// The field named in the path, if records can be found by it: an external id, or a
/// field with the idLookup property (`Id`, Email). One that does not exist is 404
/// NOT_FOUND; one that exists but is neither is 400 INVALID_FIELD.
pub fn external_field(obj: &SObject, name: &str) -> Result<usize, ApiError> {
    let Some((i, f)) = obj.field(name) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("Provided external ID field does not exist or is not accessible: {name}"),
        ));
    };
    if !f.id_lookup() {
        return Err(ApiError::bad(
            "INVALID_FIELD",
            format!("Invalid field for upsert, must be an External Id custom or standard indexed field: {name}"),
        )
        .with_fields([f.name]));
    }
    Ok(i)
}

/// Live records whose field `field` holds `value`.
pub fn matching(store: &Store, obj: &SObject, field: usize, value: &str) -> Vec<String> {
    if obj.fields[field].ty == FType::Id {
        return ids::normalize(value)
            .filter(|id| store.get(obj, id).is_some_and(|r| !r.is_deleted()))
            .into_iter()
            .collect();
    }
    store.by_external(obj, field, value)
}

/// 300 Multiple Choices: the URLs of every matching record.
fn multiple(api: &Api, obj: &SObject, found: &[String]) -> Response {
    let urls: Vec<String> = found
        .iter()
        .map(|id| render::record_url(&api.version, obj.name, id))
        .collect();
    (StatusCode::MULTIPLE_CHOICES, Json(urls)).into_response()
}

fn target(params: &HashMap<String, String>) -> Result<(&'static SObject, usize, String), ApiError> {
    let obj = object(params)?;
    let field = external_field(obj, params.get("field").map_or("", String::as_str))?;
    Ok((obj, field, params.get("value").cloned().unwrap_or_default()))
}

/// What an upsert did.
enum Upserted {
    Created(String),
    Updated(String),
    Multiple(&'static SObject, Vec<String>),
}

pub async fn upsert(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    Path(params): Params,
    Query(query): Query<HashMap<String, String>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let result = (|| {
        let (obj, field, value) = target(&params)?;
        let mut fields = json_object(&body)?;
        fields.retain(|k, _| !k.eq_ignore_ascii_case(obj.fields[field].name));
        let org = sf.org();
        let users = org.user_ids();
        let mut store = sf.store();
        let found = matching(&store, obj, field, &value);
        match found.as_slice() {
            [] if query.get("updateOnly").is_some_and(|v| v == "true")
                || obj.fields[field].ty == FType::Id =>
            {
                Err(ApiError::not_found())
            }
            [] => {
                let mut changes = parse_fields(obj, RecordIn::from_map(fields), Op::Create)?;
                changes.push((
                    field,
                    coerce(&obj.fields[field], Scalar::Str(value.into()))?,
                ));
                if let Some(e) = duplicate_fault(&sf, &store, obj, &method, &uri) {
                    return Err(e);
                }
                dml::create(&mut store, obj, changes, &actor(&org, &users)).map(Upserted::Created)
            }
            [id] => {
                let changes = parse_fields(obj, RecordIn::from_map(fields), Op::Update)?;
                dml::update(&mut store, obj, id, changes, &actor(&org, &users))?;
                Ok(Upserted::Updated(id.clone()))
            }
            _ => Ok(Upserted::Multiple(obj, found)),
        }
    })();
    let legacy = api.major() < 46;
    match result {
        Err(e) => e.into_response(),
        Ok(Upserted::Multiple(obj, found)) => multiple(&api, obj, &found),
        Ok(Upserted::Created(id)) if legacy => (
            StatusCode::CREATED,
            Json(json!({ "id": id, "success": true, "errors": [] })),
        )
            .into_response(),
        Ok(Upserted::Created(id)) => (
            StatusCode::CREATED,
            Json(json!({ "id": id, "success": true, "errors": [], "created": true })),
        )
            .into_response(),
        Ok(Upserted::Updated(_)) if legacy || sf.limits().upsert_update_status == 204 => {
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Upserted::Updated(id)) => (
            StatusCode::OK,
            Json(json!({ "id": id, "success": true, "errors": [], "created": false })),
        )
            .into_response(),
    }
}

pub async fn read(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    Path(params): Params,
) -> Response {
    let result = (|| {
        let (obj, field, value) = target(&params)?;
        let store = sf.store();
        let found = matching(&store, obj, field, &value);
        match found.as_slice() {
            [] => Err(ApiError::not_found()),
            [id] => Ok(
                Json(render::full(&api.version, obj, dml::live(&store, obj, id)?)).into_response(),
            ),
            _ => Ok(multiple(&api, obj, &found)),
        }
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

pub async fn delete(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    Path(params): Params,
) -> Response {
    let result = (|| {
        let (obj, field, value) = target(&params)?;
        let org = sf.org();
        let users = org.user_ids();
        let mut store = sf.store();
        let found = matching(&store, obj, field, &value);
        match found.as_slice() {
            [] => Err(ApiError::not_found()),
            [id] => dml::delete(&mut store, obj, id, &actor(&org, &users))
                .map(|()| StatusCode::NO_CONTENT.into_response()),
            _ => Ok(multiple(&api, obj, &found)),
        }
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

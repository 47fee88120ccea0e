//! The basic object endpoints: list (`limit` default 10, `after` cursor, `archived=true`
//! for the recycle bin, no `paging` on the last page), read by id or `idProperty=email`,
//! create (201; a contact email already in use is 409 `CONFLICT`), update (PATCH 200),
//! archive (DELETE 204) — plus the control API's "another user edited this".

use super::auth::Caller;
use super::errors;
use super::page_json::{self, Shown};
use super::render::{
    body_json, kind_of, next_link, page_size, read_query, render, render_full, render_written,
};
use super::schema::Kind;
use super::store::Data;
use super::validate::check_props;
use super::Hubspot;
use crate::faults::FaultKind;
use crate::json_out;
use crate::oauth::now_ms;
use crate::sim::Mutation;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

type Params = Path<HashMap<String, String>>;

fn done(r: Result<Response, Response>) -> Response {
    r.unwrap_or_else(|e| e)
}

pub async fn list(
    State(hs): State<Arc<Hubspot>>,
    Path(p): Params,
    OriginalUri(uri): OriginalUri,
    Extension(caller): Extension<Caller>,
) -> Response {
    done((|| {
        let kind = kind_of(&p)?;
        caller.allows(kind, false)?;
        let q = read_query(uri.query());
        let limit = page_size(q.limit.as_deref(), 10, hs.limits.config().list_max_limit)?;
        let after = match q.after.as_deref() {
            None | Some("") => 0,
            Some(a) => a
                .trim()
                .parse::<u64>()
                .map_err(|_| errors::validation(&format!("Invalid after cursor: {a}")))?,
        };
        let data = hs.data();
        let mut results = Vec::with_capacity(limit);
        let mut next = None;
        for r in data
            .store(kind)
            .records
            .from(after)
            .filter(|r| r.is_live() != q.archived)
        {
            if results.len() == limit {
                next = Some(r.id.to_string());
                break;
            }
            results.push(r);
        }
        // `{"paging"?, "results"}`, written straight to bytes (keys in sorted order).
        let mut body = Vec::with_capacity(256 + results.len() * 400);
        body.push(b'{');
        if let Some(n) = next {
            let next = json!({ "next": { "after": n, "link": next_link(&hs.ctx.base_url, uri.path(), &q.pairs, &n) } });
            json_out::key(&mut body, "paging");
            json_out::value(&mut body, &next);
            body.push(b',');
        }
        json_out::key(&mut body, "results");
        let shown = Shown::new(kind, q.properties.as_deref());
        page_json::records(&mut body, kind, results.into_iter(), &shown);
        body.push(b'}');
        Ok(errors::json_bytes(StatusCode::OK, body))
    })())
}

pub async fn read(
    State(hs): State<Arc<Hubspot>>,
    Path(p): Params,
    OriginalUri(uri): OriginalUri,
    Extension(caller): Extension<Caller>,
) -> Response {
    done((|| {
        let kind = kind_of(&p)?;
        caller.allows(kind, false)?;
        let q = read_query(uri.query());
        let data = hs.data();
        let store = data.store(kind);
        let id = p.get("id").map(String::as_str).unwrap_or_default();
        let record = store
            .resolve(id, q.id_property.as_deref())
            .and_then(|id| store.records.get(&id))
            .filter(|r| r.is_live() != q.archived)
            .ok_or_else(errors::not_found)?;
        Ok(errors::json_response(
            StatusCode::OK,
            &render(kind, record, q.properties.as_deref()),
        ))
    })())
}

/// The `properties` object of a write body, checked; 400 with HubSpot's list otherwise.
pub fn written(
    kind: Kind,
    body: &Map<String, Value>,
    portal: u64,
) -> Result<BTreeMap<String, String>, Response> {
    let empty = Map::new();
    let input = match body.get("properties") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return Err(errors::bad_json("properties must be an object")),
    };
    check_props(kind, input, portal).map_err(|e| errors::invalid_properties(&e))
}

/// Ticket creation needs a pipeline and a stage (configurable).
pub fn check_required(
    hs: &Hubspot,
    kind: Kind,
    props: &BTreeMap<String, String>,
) -> Result<(), Response> {
    if kind != Kind::Tickets || !hs.limits.config().tickets_require_pipeline {
        return Ok(());
    }
    let missing: Vec<Value> = ["hs_pipeline", "hs_pipeline_stage"]
        .iter()
        .filter(|n| props.get(**n).is_none_or(|v| v.is_empty()))
        .map(|n| json!({ "isValid": false, "message": format!("{n} is required"), "error": "REQUIRED_FIELD", "name": n }))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(errors::invalid_properties(&missing))
    }
}

/// The 409 a create gets when the email is taken or the DuplicateValue fault fires.
pub fn duplicate(
    hs: &Hubspot,
    data: &Data,
    kind: Kind,
    props: &BTreeMap<String, String>,
    path: &str,
) -> Option<Response> {
    let store = data.store(kind);
    if let Some(existing) = store.email_conflict(props, None) {
        return Some(errors::conflict(kind.singular_title(), existing));
    }
    if hs.ctx.faults.take(&FaultKind::DuplicateValue, "POST", path) {
        let existing = props
            .get("email")
            .and_then(|e| store.by_email(e))
            .or_else(|| store.records.values().find(|r| r.is_live()).map(|r| r.id))
            .unwrap_or(kind.id_base());
        return Some(errors::conflict(kind.singular_title(), existing));
    }
    None
}

pub async fn create(
    State(hs): State<Arc<Hubspot>>,
    Path(p): Params,
    OriginalUri(uri): OriginalUri,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    done((|| {
        let kind = kind_of(&p)?;
        caller.allows(kind, true)?;
        let props = written(kind, &body_json(&body)?, hs.hub_id())?;
        check_required(&hs, kind, &props)?;
        let mut data = hs.data();
        if let Some(r) = duplicate(&hs, &data, kind, &props, uri.path()) {
            return Err(r);
        }
        let names: Vec<String> = props.keys().cloned().collect();
        let now = now_ms();
        let store = data.store_mut(kind);
        let id = store.insert(props, now, now);
        let record = store.records.get(&id).ok_or_else(errors::not_found)?;
        Ok(errors::json_response(
            StatusCode::CREATED,
            &render_written(kind, record, &names),
        ))
    })())
}

pub async fn update(
    State(hs): State<Arc<Hubspot>>,
    Path(p): Params,
    OriginalUri(uri): OriginalUri,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    done((|| {
        let kind = kind_of(&p)?;
        caller.allows(kind, true)?;
        let q = read_query(uri.query());
        let props = written(kind, &body_json(&body)?, hs.hub_id())?;
        let mut data = hs.data();
        let key = p.get("id").map(String::as_str).unwrap_or_default();
        let id = data
            .store(kind)
            .resolve(key, q.id_property.as_deref())
            .filter(|id| data.store(kind).live(*id).is_some())
            .ok_or_else(errors::not_found)?;
        if let Some(existing) = data.store(kind).email_conflict(&props, Some(id)) {
            return Err(errors::conflict(kind.singular_title(), existing));
        }
        let names: Vec<String> = props.keys().cloned().collect();
        let store = data.store_mut(kind);
        store.update(id, props, now_ms());
        let record = store.records.get(&id).ok_or_else(errors::not_found)?;
        Ok(errors::json_response(
            StatusCode::OK,
            &render_written(kind, record, &names),
        ))
    })())
}

/// DELETE answers 204 whether or not the record existed.
pub async fn archive(
    State(hs): State<Arc<Hubspot>>,
    Path(p): Params,
    Extension(caller): Extension<Caller>,
) -> Response {
    done((|| {
        let kind = kind_of(&p)?;
        caller.allows(kind, true)?;
        if let Some(id) = p.get("id").and_then(|s| s.trim().parse::<u64>().ok()) {
            hs.data().store_mut(kind).archive(id, now_ms());
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

/// Another user creates, edits or archives a record; the last-modified date moves to now.
pub fn mutate(hs: &Hubspot, m: &Mutation) -> Result<Value, String> {
    let kind = Kind::parse(&m.object).ok_or_else(|| {
        format!(
            "unknown HubSpot object {}; use contacts, companies, deals or tickets",
            m.object
        )
    })?;
    let now = now_ms();
    let props =
        check_props(kind, &m.fields, hs.hub_id()).map_err(|e| Value::Array(e).to_string())?;
    let mut data = hs.data();
    let store = data.store_mut(kind);
    if !m.ids.is_empty() {
        if m.delete || props.contains_key("email") {
            return Err("a bulk edit (ids) sets shared fields only: no delete, no email".into());
        }
        let ids = m
            .ids
            .iter()
            .map(|raw| {
                store
                    .resolve(raw, None)
                    .filter(|id| store.live(*id).is_some())
                    .ok_or_else(|| format!("no live {} with id {raw}", kind.plural()))
            })
            .collect::<Result<Vec<u64>, String>>()?;
        for id in &ids {
            store.update(*id, props.clone(), now);
        }
        return Ok(
            serde_json::json!({ "edited": ids.len(), "updatedAt": crate::seed::iso_z(now) }),
        );
    }
    let id = match &m.id {
        None => {
            if m.delete {
                return Err("delete needs an id".into());
            }
            if let Some(existing) = store.email_conflict(&props, None) {
                return Err(format!("Contact already exists. Existing ID: {existing}"));
            }
            store.insert(props, now, now)
        }
        Some(raw) => {
            let id = store
                .resolve(raw, None)
                .filter(|id| store.live(*id).is_some())
                .ok_or_else(|| format!("no live {} with id {raw}", kind.plural()))?;
            if m.delete {
                store.archive(id, now);
            } else {
                if let Some(existing) = store.email_conflict(&props, Some(id)) {
                    return Err(format!("Contact already exists. Existing ID: {existing}"));
                }
                store.update(id, props, now);
            }
            id
        }
    };
    let record = store.records.get(&id).ok_or("record vanished")?;
    Ok(render_full(kind, record))
}

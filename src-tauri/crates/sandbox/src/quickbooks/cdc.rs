//! Change data capture: `GET /cdc?entities=Customer,Invoice&changedSince=…` returns every
//! entity of those kinds changed at or after `changedSince` — inactive customers included,
//! deleted transactions as `{"Id","status":"Deleted","MetaData"}` — oldest first, at most
//! 1,000 objects in all, in the `[UNCONFIRMED]` envelope
//! `{"CDCResponse":[{"QueryResponse":[{"Customer":[…],"startPosition":1,"maxResults":N,
//! "totalCount":N}, …]}],"time"}` (an entity with no changes gives `{}`). `changedSince`
//! more than 30 days back is refused.

use super::api::{param, params, respond};
use super::errors::Fault;
use super::store::{Kind, Record};
use super::time::parse_instant;
use super::Quickbooks;
use crate::oauth::now_ms;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;

pub const MAX_OBJECTS: usize = 1000;
pub const LOOKBACK_MS: i64 = 30 * 24 * 3600 * 1000;

pub async fn cdc(
    State(qb): State<Arc<Quickbooks>>,
    Path(realm): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = params(raw);
    let _slot = match qb.begin(&headers, &realm, &params, false).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match changes(
        &qb,
        param(&params, "entities"),
        param(&params, "changedSince"),
        now_ms(),
    ) {
        Ok(body) => respond("CDCResponse", body),
        Err(f) => f.into_response(),
    }
}

/// The `CDCResponse` array for a request at `now`.
pub fn changes(
    qb: &Quickbooks,
    entities: Option<&str>,
    since: Option<&str>,
    now: i64,
) -> Result<Value, Fault> {
    let names = entities
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| Fault::required("entities"))?;
    let mut kinds = Vec::new();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let kind = Kind::from_name(name).ok_or_else(|| {
            Fault::invalid(
                "entities",
                &format!("{name} is not a supported entity for change data capture"),
            )
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let raw = since.ok_or_else(|| Fault::required("changedSince"))?;
    let since = parse_instant(raw).ok_or_else(|| {
        Fault::invalid(
            "changedSince",
            &format!("changedSince {raw} is not a date-time such as 2024-06-01T00:00:00-07:00"),
        )
    })?;
    if since < now - LOOKBACK_MS {
        return Err(Fault::invalid(
            "changedSince",
            "changedSince must be within the last 30 days",
        ));
    }
    let store = qb.store();
    let mut changed: Vec<(Kind, &Record)> = kinds
        .iter()
        .flat_map(|k| {
            store
                .table(*k)
                .values()
                .filter(|r| r.updated_ms.div_euclid(1000) * 1000 >= since)
                .map(move |r| (*k, r))
        })
        .collect();
    changed.sort_by_key(|(k, r)| (r.updated_ms, *k, r.id));
    changed.truncate(MAX_OBJECTS);
    let sections: Vec<Value> = kinds
        .iter()
        .map(|kind| {
            let rows: Vec<Value> = changed.iter().filter(|(k, _)| k == kind).map(|(_, r)| if r.deleted { r.tombstone() } else { r.render() }).collect();
            if rows.is_empty() {
                json!({})
            } else {
                json!({ kind.name(): rows, "startPosition": 1, "maxResults": rows.len(), "totalCount": rows.len() })
            }
        })
        .collect();
    Ok(json!([{ "QueryResponse": sections }]))
}

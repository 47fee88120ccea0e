//! The accounting API under `/v3/company/{realmId}/`: the gate every call passes (bearer
//! token → 401 lowercase fault; token for another company → 403; minor version; 429
//! ThrottleExceeded), single-entity reads (`GET /customer/{id}`, `/companyinfo/{realmId}`),
//! writes (`POST /customer`, `?operation=delete`) and queries (`GET /query?query=` or
//! `POST /query` with the statement as an `application/text` body).

use super::errors::{forbidden, throttled, unauthorized, Fault};
use super::limits::Slot;
use super::query::{self, Paging};
use super::store::Kind;
use super::time::fault_time;
use super::write::{self, Op};
use super::write_rules::WriteCtx;
use super::Quickbooks;
use crate::faults::FaultKind;
use crate::oauth::{now_ms, BearerError};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

pub type Params = Vec<(String, String)>;

pub fn params(raw: Option<String>) -> Params {
    raw.as_deref()
        .map(|q| serde_urlencoded::from_str(q).unwrap_or_default())
        .unwrap_or_default()
}

pub fn param<'a>(p: &'a Params, name: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `{"<key>": value, "time": …}` with HTTP 200.
pub fn respond(key: &str, value: Value) -> Response {
    let mut body = Map::new();
    body.insert(key.into(), value);
    body.insert("time".into(), Value::String(fault_time()));
    Json(Value::Object(body)).into_response()
}

impl Quickbooks {
    /// Authenticates, authorizes and counts one API call; hold the slot until answering.
    pub async fn begin(
        &self,
        headers: &HeaderMap,
        realm: &str,
        params: &Params,
        batch: bool,
    ) -> Result<Slot<'_>, Response> {
        let info = self.auth.check_bearer(headers).map_err(|e| {
            unauthorized(match e {
                BearerError::Missing => "Authorization header is missing or is not a Bearer token",
                BearerError::Invalid => "Token invalid: the access token is unknown or was revoked",
                BearerError::Expired => "Token expired: refresh the access token",
            })
        })?;
        let current = self.realm();
        if info.account != current || realm != current {
            return Err(forbidden(&format!(
                "The access token is not authorized for company {realm}"
            )));
        }
        let limits = self.limits();
        if let (true, Some(v)) = (
            limits.reject_minorversion_below_75,
            param(params, "minorversion"),
        ) {
            if v.trim().parse::<u32>().map_or(true, |n| n < 75) {
                return Err(Fault::business(&format!(
                    "minorversion {v} is not supported; the minimum supported minor version is 75"
                ))
                .into_response());
            }
        }
        let slot = self
            .throttle
            .admit(&current, &limits, batch)
            .ok_or_else(throttled)?;
        if limits.processing_ms > 0 {
            tokio::time::sleep(Duration::from_millis(limits.processing_ms)).await;
        }
        Ok(slot)
    }

    /// Runs a statement and answers as QuickBooks does, a Fault in HTTP 200 included.
    pub fn answer_query(&self, text: &str) -> Response {
        let limits = self.limits();
        let paging = Paging {
            default_max: limits.default_max_results,
            cap: limits.max_results,
        };
        let result = query::run(&self.store(), text, paging);
        match result {
            Ok(qr) => respond("QueryResponse", qr),
            Err(f) if f.unknown_entity && limits.fault_in_200_for_unknown_entity => {
                f.fault.with_status(StatusCode::OK).into_response()
            }
            Err(f) => f.fault.into_response(),
        }
    }
}

pub async fn read(
    State(qb): State<Arc<Quickbooks>>,
    Path((realm, resource, id)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = params(raw);
    let _slot = match qb.begin(&headers, &realm, &params, false).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(kind) = Kind::from_path(&resource) else {
        return Fault::unsupported(&format!("Read {resource}")).into_response();
    };
    let store = qb.store();
    let record = match kind {
        Kind::CompanyInfo if id == store.realm => store.get(kind, 1),
        Kind::CompanyInfo => None,
        _ => id.trim().parse().ok().and_then(|n| store.get(kind, n)),
    };
    match record {
        Some(r) => respond(kind.name(), r.render()),
        None => Fault::not_found(kind.name(), &id).into_response(),
    }
}

pub async fn write(
    State(qb): State<Arc<Quickbooks>>,
    Path((realm, resource)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = params(raw);
    let _slot = match qb.begin(&headers, &realm, &params, false).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(kind) = Kind::from_path(&resource) else {
        return Fault::unsupported(&format!("Create {resource}")).into_response();
    };
    let Ok(Value::Object(input)) = serde_json::from_slice::<Value>(&body) else {
        return Fault::invalid(
            kind.name(),
            "the request body must be a JSON object of the entity",
        )
        .into_response();
    };
    let op = match Op::decide(param(&params, "operation"), &input) {
        Ok(op) => op,
        Err(f) => return f.into_response(),
    };
    let path = format!("/v3/company/{realm}/{resource}");
    let fires = |k: &FaultKind| qb.ctx.faults.take(k, "POST", &path);
    let ctx = WriteCtx {
        now_ms: now_ms(),
        fires: &fires,
    };
    let result = write::apply(&mut qb.store(), kind, op, &input, &ctx);
    match result {
        Ok(entity) => respond(kind.name(), entity),
        Err(f) => f.into_response(),
    }
}

pub async fn query_get(
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
    qb.answer_query(param(&params, "query").unwrap_or_default())
}

pub async fn query_post(
    State(qb): State<Arc<Quickbooks>>,
    Path(realm): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = params(raw);
    let _slot = match qb.begin(&headers, &realm, &params, false).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let text = String::from_utf8_lossy(&body);
    let text = if text.trim().is_empty() {
        param(&params, "query").unwrap_or_default().to_owned()
    } else {
        text.into_owned()
    };
    qb.answer_query(&text)
}

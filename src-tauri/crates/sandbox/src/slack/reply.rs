//! Slack's response envelope: HTTP 200 with `{"ok":true,…}` or `{"ok":false,"error":…}`
//! for every API outcome, except rate limiting (429 with `Retry-After` and
//! `{"ok":false,"error":"ratelimited"}`) and server trouble (5xx).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::time::Duration;

const JSON_UTF8: &str = "application/json; charset=utf-8";

pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    response
}

/// `{"ok": true}` merged with `fields` (an object).
pub fn ok(fields: Value) -> Response {
    let mut body = json!({ "ok": true });
    if let (Some(out), Value::Object(extra)) = (body.as_object_mut(), fields) {
        out.extend(extra);
    }
    json_response(StatusCode::OK, &body)
}

pub fn error(code: &str) -> Response {
    json_response(StatusCode::OK, &json!({ "ok": false, "error": code }))
}

/// `missing_scope` names the scope needed and the scopes the token has.
pub fn missing_scope(needed: &str, provided: &str) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "ok": false, "error": "missing_scope", "needed": needed, "provided": provided }),
    )
}

/// Whole seconds to wait, at least 1 (clients parse `Retry-After` as an integer).
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

pub fn ratelimited(wait: Duration) -> Response {
    let mut response = json_response(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({ "ok": false, "error": "ratelimited" }),
    );
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(retry_after_secs(wait)),
    );
    response
}

/// A 5xx with Slack's error envelope.
pub fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(|s| s.is_server_error())
        .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    json_response(status, &json!({ "ok": false, "error": "internal_error" }))
}

/// An API error before it is rendered (small, so `Result`s carrying it stay cheap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fail {
    Code(&'static str),
    MissingScope {
        needed: &'static str,
        provided: String,
    },
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        match self {
            Fail::Code(code) => error(code),
            Fail::MissingScope { needed, provided } => missing_scope(needed, &provided),
        }
    }
}

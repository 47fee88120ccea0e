//! HubSpot's response bodies for errors — `{"status":"error","message","correlationId",
//! "category",…}` — and the JSON writer every handler uses (HubSpot answers
//! `application/json;charset=utf-8` and echoes the correlation id in
//! `X-HubSpot-Correlation-Id`).

use crate::seed::iso_z;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

pub const JSON_TYPE: &str = "application/json;charset=utf-8";
pub const GENERIC_400: &str = "There was a problem with the request.";
const AUTH_MESSAGE: &str = "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

/// A JSON response with HubSpot's content type.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
    response
}

/// A JSON body already written to bytes, with HubSpot's content type.
pub fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
    response
}

pub fn correlation_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An error body; `extra` fields (context, errors, policyName …) are merged in.
pub fn error(status: StatusCode, category: Option<&str>, message: &str, extra: Value) -> Response {
    let id = correlation_id();
    let mut body = json!({ "status": "error", "message": message, "correlationId": id });
    if let Some(c) = category {
        body["category"] = json!(c);
    }
    if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
        b.extend(extra);
    }
    let mut response = json_response(status, &body);
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-hubspot-correlation-id", v);
    }
    response
}

pub fn validation(message: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        Some("VALIDATION_ERROR"),
        message,
        Value::Null,
    )
}

/// 400 for written values HubSpot refuses, with its per-property list in the message.
pub fn invalid_properties(errors: &[Value]) -> Response {
    let list = Value::Array(errors.to_vec()).to_string();
    validation(&format!("Property values were not valid: {list}"))
}

pub fn bad_json(detail: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        Some("VALIDATION_ERROR"),
        &format!("Invalid input JSON on line 1: {detail}"),
        Value::Null,
    )
}

pub fn unknown_object(name: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        None,
        &format!("Unable to infer object type from: {name}"),
        Value::Null,
    )
}

pub fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        Some("OBJECT_NOT_FOUND"),
        "resource not found",
        Value::Null,
    )
}

pub fn conflict(singular: &str, existing: u64) -> Response {
    error(
        StatusCode::CONFLICT,
        Some("CONFLICT"),
        &format!("{singular} already exists. Existing ID: {existing}"),
        Value::Null,
    )
}

/// 401 for a missing, unknown or revoked token.
pub fn unauthenticated() -> Response {
    let mut r = error(
        StatusCode::UNAUTHORIZED,
        Some("INVALID_AUTHENTICATION"),
        AUTH_MESSAGE,
        Value::Null,
    );
    r.headers_mut().insert(
        "x-hubspot-auth-failure",
        HeaderValue::from_static("401 Unauthorized"),
    );
    r
}

/// 401 for an OAuth access token past its lifetime.
pub fn expired(expired_at_ms: i64, now_ms: i64) -> Response {
    let ago = ((now_ms - expired_at_ms).max(0) / 1000).max(1);
    let (n, unit) = match ago {
        s if s < 60 => (s, "second"),
        s if s < 3600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3600, "hour"),
        s => (s / 86_400, "day"),
    };
    let message = format!("The OAuth token used to make this call expired {n} {unit}(s) ago.");
    let mut r = error(
        StatusCode::UNAUTHORIZED,
        Some("EXPIRED_AUTHENTICATION"),
        &message,
        json!({ "context": { "expire time": [iso_z(expired_at_ms)] } }),
    );
    r.headers_mut().insert(
        "x-hubspot-auth-failure",
        HeaderValue::from_static("401 Unauthorized"),
    );
    r
}

pub fn missing_scopes(required: &[String]) -> Response {
    error(
        StatusCode::FORBIDDEN,
        Some("MISSING_SCOPES"),
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        json!({
            "errors": [{ "message": "One or more of the following scopes are required.", "context": { "requiredGranularScopes": required } }],
            "links": { "scopes": "https://developers.hubspot.com/scopes" },
        }),
    )
}

/// Which rolling limit a 429 is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    TenSecondly,
    Daily,
    /// The search endpoints' own per-second limit.
    SearchSecondly,
}

pub fn rate_limited(policy: Policy) -> Response {
    let (message, extra) = match policy {
        Policy::TenSecondly => (
            "You have reached your ten_secondly_rolling limit.",
            json!({ "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING" }),
        ),
        Policy::Daily => (
            "You have reached your daily limit.",
            json!({ "errorType": "RATE_LIMIT", "policyName": "DAILY" }),
        ),
        Policy::SearchSecondly => (
            "You have reached your secondly limit.",
            json!({ "errorType": "RATE_LIMIT" }),
        ),
    };
    error(
        StatusCode::TOO_MANY_REQUESTS,
        Some("RATE_LIMITS"),
        message,
        extra,
    )
}

/// The 5xx (or 423 / 477) an injected server fault answers with.
pub fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let message = match status.as_u16() {
        423 => "The resource is locked; retry after at least 2 seconds.",
        477 => "Migration in progress; retry later.",
        502 | 503 | 504 | 524 => "The service is temporarily unavailable; retry later.",
        _ => "internal error",
    };
    error(status, Some("INTERNAL_ERROR"), message, Value::Null)
}

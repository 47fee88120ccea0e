//! HubSpot's token endpoints: v1 `POST /oauth/v1/token` (form or query; legacy errors
//! `{"status":"BAD_AUTH_CODE","message","correlationId"}`), the dated
//! `POST /oauth/2026-03/token` (parameters in the body only; RFC 6749 errors plus the
//! legacy fields), revocation (v1 `DELETE /oauth/v1/refresh-tokens/{t}`, dated
//! `POST …/token/revoke`) and token metadata (`GET /oauth/v1/access-tokens/{t}`,
//! `GET /oauth/v1/refresh-tokens/{t}`). Access tokens last 1800 s and are 290 characters
//! long; refresh tokens are not rotated.

use super::errors::{self, json_response};
use super::{Hubspot, ACCESS_TTL_SECS, APP_ID, USER_EMAIL, USER_ID};
use crate::oauth::{basic_credentials, now_ms, GrantError};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

const ACCESS_PREFIX: &str = "CN";
const ACCESS_RANDOM_LEN: usize = 288;

/// Why a token request failed: legacy status, RFC 6749 code, description.
#[derive(Debug)]
struct TokenError(&'static str, &'static str, String);

fn grant_error(status: &'static str, e: &GrantError) -> TokenError {
    let status = match e {
        GrantError::InvalidClient => "BAD_CLIENT_ID",
        GrantError::InvalidGrant("redirect_uri mismatch") => "BAD_REDIRECT_URI",
        _ => status,
    };
    let code = if status == "BAD_CLIENT_ID" {
        "invalid_client"
    } else {
        "invalid_grant"
    };
    TokenError(status, code, e.description().to_owned())
}

fn exchange(
    hs: &Hubspot,
    p: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<Value, TokenError> {
    let get = |k: &str| p.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let basic = basic_credentials(headers);
    let id = get("client_id")
        .map(str::to_owned)
        .or_else(|| basic.as_ref().map(|b| b.0.clone()))
        .unwrap_or_default();
    let secret = get("client_secret")
        .map(str::to_owned)
        .or_else(|| basic.map(|b| b.1))
        .unwrap_or_default();
    if id.is_empty() {
        return Err(TokenError(
            "BAD_CLIENT_ID",
            "invalid_request",
            "missing client_id".into(),
        ));
    }
    hs.auth
        .authenticate(&id, &secret)
        .map_err(|e| grant_error("BAD_CLIENT_ID", &e))?;
    let (scope, refresh) = match get("grant_type") {
        Some("authorization_code") => {
            let code = get("code").ok_or_else(|| {
                TokenError(
                    "BAD_AUTH_CODE",
                    "invalid_request",
                    "missing or unknown auth code".into(),
                )
            })?;
            let redirect = get("redirect_uri").ok_or_else(|| {
                TokenError(
                    "BAD_REDIRECT_URI",
                    "invalid_request",
                    "missing redirect_uri".into(),
                )
            })?;
            let grant = hs
                .auth
                .redeem_code(code, &id, Some(redirect), get("code_verifier"))
                .map_err(|e| grant_error("BAD_AUTH_CODE", &e))?;
            let refresh = hs
                .auth
                .issue_refresh("na1-", 32, &id, &grant.scope, &grant.account);
            (grant.scope, refresh)
        }
        Some("refresh_token") => {
            let token = get("refresh_token").ok_or_else(|| {
                TokenError(
                    "BAD_REFRESH_TOKEN",
                    "invalid_request",
                    "missing or unknown refresh token".into(),
                )
            })?;
            let info = hs
                .auth
                .use_refresh(token, &id, false)
                .map_err(|e| grant_error("BAD_REFRESH_TOKEN", &e))?;
            (info.scope, token.to_owned())
        }
        other => {
            return Err(TokenError(
                "BAD_GRANT_TYPE",
                "unsupported_grant_type",
                format!("unsupported grant_type {}", other.unwrap_or("(missing)")),
            ))
        }
    };
    let access = hs.auth.issue_access(
        ACCESS_PREFIX,
        ACCESS_RANDOM_LEN,
        &id,
        &scope,
        USER_EMAIL,
        Some(ACCESS_TTL_SECS * 1000),
    );
    hs.expiries()
        .insert(access.clone(), now_ms() + ACCESS_TTL_SECS * 1000);
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    Ok(
        json!({ "token_type": "bearer", "refresh_token": refresh, "access_token": access, "expires_in": ACCESS_TTL_SECS, "hub_id": hs.hub_id(), "scopes": scopes }),
    )
}

fn form(bytes: &Bytes) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(bytes).unwrap_or_default()
}

/// v1 reads the query string and the form body.
pub(super) async fn token_v1(
    State(hs): State<Arc<Hubspot>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut p: HashMap<String, String> = query
        .map(|q| serde_urlencoded::from_str(&q).unwrap_or_default())
        .unwrap_or_default();
    p.extend(form(&body));
    match exchange(&hs, &p, &headers) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(TokenError(status, _, message)) => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "status": status, "message": message, "correlationId": errors::correlation_id() }),
        ),
    }
}

fn dated_error(e: TokenError) -> Response {
    let TokenError(status, code, message) = e;
    let http = if code == "invalid_client" {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    json_response(
        http,
        &json!({ "error": code, "error_description": message, "status": status, "message": message, "correlationId": errors::correlation_id() }),
    )
}

fn dated(version: &str) -> bool {
    let b = version.as_bytes();
    version == "v3"
        || (b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit()))
}

/// 2026-03 (and v3): parameters only in the body.
pub(super) async fn token_dated(
    State(hs): State<Arc<Hubspot>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !dated(&version) {
        return errors::not_found();
    }
    let p: HashMap<String, String> = form(&body).into_iter().collect();
    match exchange(&hs, &p, &headers) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => dated_error(e),
    }
}

/// RFC 7009: 200 whether or not the token was known; the client must authenticate.
pub(super) async fn revoke_dated(
    State(hs): State<Arc<Hubspot>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !dated(&version) {
        return errors::not_found();
    }
    let p: HashMap<String, String> = form(&body).into_iter().collect();
    let basic = basic_credentials(&headers);
    let id = p
        .get("client_id")
        .cloned()
        .or_else(|| basic.as_ref().map(|b| b.0.clone()))
        .unwrap_or_default();
    let secret = p
        .get("client_secret")
        .cloned()
        .or_else(|| basic.map(|b| b.1))
        .unwrap_or_default();
    if let Err(e) = hs.auth.authenticate(&id, &secret) {
        return dated_error(grant_error("BAD_CLIENT_ID", &e));
    }
    let Some(token) = p.get("token").filter(|t| !t.is_empty()) else {
        return dated_error(TokenError(
            "BAD_REFRESH_TOKEN",
            "invalid_request",
            "missing token".into(),
        ));
    };
    hs.auth.revoke(token);
    StatusCode::OK.into_response()
}

pub(super) async fn revoke_v1(
    State(hs): State<Arc<Hubspot>>,
    Path(token): Path<String>,
) -> Response {
    hs.auth.revoke(&token);
    StatusCode::NO_CONTENT.into_response()
}

pub(super) async fn refresh_info(
    State(hs): State<Arc<Hubspot>>,
    Path(token): Path<String>,
) -> Response {
    let Some(info) = hs
        .auth
        .clients()
        .iter()
        .find_map(|c| hs.auth.use_refresh(&token, &c.id, false).ok())
    else {
        return errors::error(
            StatusCode::NOT_FOUND,
            Some("OBJECT_NOT_FOUND"),
            "refresh token not found",
            Value::Null,
        );
    };
    let scopes: Vec<&str> = info.scope.split_whitespace().collect();
    json_response(
        StatusCode::OK,
        &json!({ "token": token, "user": info.account, "hub_domain": hs.hub_domain(), "scopes": scopes, "hub_id": hs.hub_id(), "client_id": info.client_id, "user_id": USER_ID, "token_type": "refresh" }),
    )
}

/// `GET /oauth/v1/access-tokens/{token}`: what a live access token may do and for how long.
pub(super) async fn access_info(
    State(hs): State<Arc<Hubspot>>,
    Path(token): Path<String>,
) -> Response {
    let Ok(info) = hs.auth.check_token(&token) else {
        return errors::error(
            StatusCode::NOT_FOUND,
            Some("OBJECT_NOT_FOUND"),
            "access token not found or expired",
            Value::Null,
        );
    };
    let scopes: Vec<&str> = info.scope.split_whitespace().collect();
    let groups: Vec<usize> = (0..scopes.len()).map(|i| 25 + i * 3).collect();
    let expires_in = info
        .expires_at
        .map_or(ACCESS_TTL_SECS, |at| ((at - now_ms()) / 1000).max(0));
    json_response(
        StatusCode::OK,
        &json!({
            "token": token, "user": info.account, "hub_domain": hs.hub_domain(), "scopes": scopes,
            "scope_to_scope_group_pks": groups, "trial_scopes": [], "trial_scope_to_scope_group_pks": [],
            "hub_id": hs.hub_id(), "app_id": APP_ID, "expires_in": expires_in, "user_id": USER_ID,
            "token_type": "access", "is_private_distribution": false,
        }),
    )
}

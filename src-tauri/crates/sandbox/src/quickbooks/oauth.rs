//! Intuit's OAuth 2.0 server: `/connect/oauth2` (consent page; the redirect carries `code`,
//! `state` and `realmId`, the only place realmId appears), `POST /oauth2/v1/tokens/bearer`
//! (client auth by HTTP Basic or form; authorization_code with optional PKCE, and
//! refresh_token, which rotates: the old refresh token is dead once used) and
//! `POST /v2/oauth2/tokens/revoke` (JSON `{"token"}`). Development keys accept registered
//! and loopback `http://127.0.0.1|localhost:<port>` redirects; production keys only the
//! registered HTTPS ones, and any other is refused with Intuit's redirect_uri error page.

use super::errors::oauth_error;
use super::Quickbooks;
use crate::oauth::{
    basic_credentials, consent_page, escape_html, is_loopback_http, redirect_with, AuthRequest,
    Client, GrantError,
};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Form, Json};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

pub const CLIENT_ID: &str = "sandbox-quickbooks-client";
pub const CLIENT_SECRET: &str = "sandbox-quickbooks-secret-5b1f0c7e9a";
pub const APP_NAME: &str = "Switchyard";
/// Registered redirect URIs: a loopback one (development keys only) and an HTTPS one.
pub const REDIRECT_URIS: [&str; 2] = [
    "http://127.0.0.1:53682/callback",
    "https://switchyard.example/oauth/quickbooks/callback",
];
pub const ACCESS_TTL_SECS: i64 = 3600;
pub const REFRESH_TTL_SECS: i64 = 8_726_400;
pub const SCOPES: &[&str] = &[
    "com.intuit.quickbooks.accounting",
    "com.intuit.quickbooks.payment",
    "openid",
    "email",
    "profile",
    "address",
    "phone",
];

pub fn client() -> Client {
    Client {
        id: CLIENT_ID.into(),
        secret: CLIENT_SECRET.into(),
        name: APP_NAME.into(),
        redirect_uris: REDIRECT_URIS.iter().map(|s| (*s).to_owned()).collect(),
    }
}

const BAD_REDIRECT: &str = "The redirect_uri query parameter value is invalid. Make sure it is listed in the Redirect URIs section on your app's keys tab and matches it exactly.";

fn error_page(message: &str) -> Response {
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intuit (sandbox) — error</title></head><body><h1>Something went wrong</h1><p id="error">{}</p></body></html>"#,
        escape_html(message)
    );
    (StatusCode::BAD_REQUEST, Html(page)).into_response()
}

impl Quickbooks {
    fn redirect_allowed(&self, client: &Client, uri: &str) -> bool {
        let registered = client.redirect_uris.iter().any(|r| r == uri);
        if self.ctx.config.quickbooks_production {
            registered && uri.starts_with("https://")
        } else {
            registered || is_loopback_http(uri)
        }
    }

    /// Checks an authorize request; `Some` is the response to send instead of consent.
    fn refuse_authorize(&self, req: &AuthRequest) -> Option<Response> {
        let Some(client) = req.client_id.as_deref().and_then(|id| self.auth.client(id)) else {
            return Some(error_page(
                "invalid_client: the client_id is not registered.",
            ));
        };
        let Some(redirect) = req
            .redirect_uri
            .as_deref()
            .filter(|r| self.redirect_allowed(&client, r))
        else {
            return Some(error_page(BAD_REDIRECT));
        };
        let state = req.state.clone().unwrap_or_default();
        let scope = req.scope.as_deref().unwrap_or_default();
        let error = if req.response_type.as_deref() != Some("code") {
            "unsupported_response_type"
        } else if scope.split_whitespace().next().is_none()
            || !scope.split_whitespace().all(|s| SCOPES.contains(&s))
        {
            "invalid_scope"
        } else if req.code_challenge.is_some()
            && !matches!(
                req.code_challenge_method.as_deref(),
                None | Some("S256") | Some("plain")
            )
        {
            "invalid_request"
        } else {
            return None;
        };
        Some(redirect_with(
            redirect,
            &[("error", error), ("state", &state)],
        ))
    }
}

pub async fn authorize_page(
    State(qb): State<Arc<Quickbooks>>,
    Query(req): Query<AuthRequest>,
) -> Response {
    if let Some(response) = qb.refuse_authorize(&req) {
        return response;
    }
    let scopes: Vec<&str> = req
        .scope
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let account = qb.company_name();
    consent_page(
        "QuickBooks",
        APP_NAME,
        &account,
        &scopes,
        "/connect/oauth2",
        &req,
    )
    .into_response()
}

pub async fn authorize_decision(
    State(qb): State<Arc<Quickbooks>>,
    Form(req): Form<AuthRequest>,
) -> Response {
    if let Some(response) = qb.refuse_authorize(&req) {
        return response;
    }
    let redirect = req.redirect_uri.clone().unwrap_or_default();
    let state = req.state.clone().unwrap_or_default();
    if req.decision.as_deref() != Some("allow") {
        return redirect_with(&redirect, &[("error", "access_denied"), ("state", &state)]);
    }
    let realm = qb.realm();
    let code = qb.auth.issue_code(&req, &realm);
    redirect_with(
        &redirect,
        &[("code", &code), ("state", &state), ("realmId", &realm)],
    )
}

/// Client id and secret from HTTP Basic, else from the form.
fn client_auth(
    qb: &Quickbooks,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Option<Client> {
    let (id, secret) = basic_credentials(headers).or_else(|| {
        Some((
            form.get("client_id")?.clone(),
            form.get("client_secret")?.clone(),
        ))
    })?;
    qb.auth.authenticate(&id, &secret).ok()
}

fn grant_error(e: &GrantError) -> Response {
    match e {
        GrantError::InvalidClient => oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"),
        GrantError::InvalidRequest(_) | GrantError::InvalidGrant(_) => {
            oauth_error(StatusCode::BAD_REQUEST, "invalid_grant")
        }
    }
}

pub async fn token(State(qb): State<Arc<Quickbooks>>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let Some(client) = client_auth(&qb, &headers, &form) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    let (scope, realm) = match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let (Some(code), Some(redirect)) = (form.get("code"), form.get("redirect_uri")) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
            };
            match qb.auth.redeem_code(
                code,
                &client.id,
                Some(redirect),
                form.get("code_verifier").map(String::as_str),
            ) {
                Ok(grant) => (grant.scope, grant.account),
                Err(e) => return grant_error(&e),
            }
        }
        Some("refresh_token") => {
            let Some(refresh) = form.get("refresh_token") else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
            };
            match qb.auth.use_refresh(refresh, &client.id, true) {
                Ok(info) => (info.scope, info.account),
                Err(e) => return grant_error(&e),
            }
        }
        Some(_) => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
        None => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request"),
    };
    let body = qb.issue_tokens(&client.id, &scope, &realm);
    (
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(body),
    )
        .into_response()
}

pub async fn revoke(
    State(qb): State<Arc<Quickbooks>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields: HashMap<String, String> = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(m)) => m
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
            .collect(),
        _ => serde_urlencoded::from_bytes(&body).unwrap_or_default(),
    };
    if client_auth(&qb, &headers, &fields).is_none() {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let Some(token) = fields.get("token").filter(|t| !t.is_empty()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    };
    qb.auth.revoke(token);
    StatusCode::OK.into_response()
}

/// The token endpoint's JSON body.
pub fn token_body(access: &str, refresh: &str) -> Value {
    json!({ "token_type": "bearer", "access_token": access, "refresh_token": refresh, "expires_in": ACCESS_TTL_SECS, "x_refresh_token_expires_in": REFRESH_TTL_SECS })
}

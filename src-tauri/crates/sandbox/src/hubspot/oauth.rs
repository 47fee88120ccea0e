//! HubSpot's OAuth routes and its app-host consent page `/oauth/authorize`: the install
//! URL (`client_id`, `scope`, `optional_scope`, `redirect_uri`, `state`, PKCE challenge)
//! shows a page a person can click; http redirect URIs are allowed only for localhost /
//! 127.0.0.1, otherwise https is required. Allow redirects with `code` and `state`,
//! Deny with `error=access_denied`. The token endpoints live in `tokens.rs`.

use super::tokens::{access_info, refresh_info, revoke_dated, revoke_v1, token_dated, token_v1};
use super::{Hubspot, USER_EMAIL};
use crate::oauth::{consent_page, escape_html, is_loopback_http, redirect_with, AuthRequest};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::HashMap;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Hubspot>> {
    Router::new()
        .route("/oauth/authorize", get(authorize).post(decide))
        .route("/oauth/v1/token", post(token_v1))
        .route("/oauth/{version}/token", post(token_dated))
        .route("/oauth/{version}/token/revoke", post(revoke_dated))
        .route(
            "/oauth/v1/refresh-tokens/{token}",
            get(refresh_info).delete(revoke_v1),
        )
        .route("/oauth/v1/access-tokens/{token}", get(access_info))
}

fn error_page(message: &str) -> Response {
    let body = format!("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>HubSpot (sandbox) — authorization failed</title></head><body><h1>Authorization failed</h1><p id=\"error\">{}</p></body></html>", escape_html(message));
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

/// Checks client, redirect URI and scopes of an install request.
fn check_request(hs: &Hubspot, req: &AuthRequest) -> Result<String, Response> {
    let client = req
        .client_id
        .as_deref()
        .and_then(|id| hs.auth.client(id))
        .ok_or_else(|| {
            error_page("Authorization failed because this app's client ID is invalid.")
        })?;
    let redirect = req.redirect_uri.as_deref().unwrap_or_default();
    if redirect.is_empty() {
        return Err(error_page("The redirect_uri parameter is missing."));
    }
    if !redirect.starts_with("https://") && !is_loopback_http(redirect) {
        return Err(error_page(
            "The redirect URL must use https unless its host is localhost.",
        ));
    }
    if req.scope.as_deref().unwrap_or_default().trim().is_empty() {
        return Err(error_page("The scope parameter is missing."));
    }
    Ok(client.name)
}

/// The install URL: `?client_id&scope&redirect_uri&state[&optional_scope][&code_challenge…]`.
async fn authorize(
    State(hs): State<Arc<Hubspot>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let scope: Vec<&str> = [q.get("scope"), q.get("optional_scope")]
        .into_iter()
        .flatten()
        .flat_map(|s| s.split([' ', ',']))
        .filter(|s| !s.is_empty())
        .collect();
    let req = AuthRequest {
        response_type: q.get("response_type").cloned(),
        client_id: q.get("client_id").cloned(),
        redirect_uri: q.get("redirect_uri").cloned(),
        scope: Some(scope.join(" ")).filter(|s| !s.is_empty()),
        state: q.get("state").cloned(),
        code_challenge: q.get("code_challenge").cloned(),
        code_challenge_method: q.get("code_challenge_method").cloned(),
        decision: None,
    };
    match check_request(&hs, &req) {
        Ok(app) => consent_page(
            "HubSpot",
            &app,
            USER_EMAIL,
            &scope,
            "/oauth/authorize",
            &req,
        )
        .into_response(),
        Err(page) => page,
    }
}

/// The consent form posts back here: allow → `?code&state`, deny → `?error=access_denied`.
async fn decide(State(hs): State<Arc<Hubspot>>, Form(req): Form<AuthRequest>) -> Response {
    if let Err(page) = check_request(&hs, &req) {
        return page;
    }
    let redirect = req.redirect_uri.clone().unwrap_or_default();
    let state = req.state.clone().unwrap_or_default();
    if req.decision.as_deref() != Some("allow") {
        let mut params = vec![
            ("error", "access_denied"),
            ("error_description", "The user denied the request."),
        ];
        if !state.is_empty() {
            params.push(("state", &state));
        }
        return redirect_with(&redirect, &params);
    }
    let code = hs.auth.issue_code(&req, USER_EMAIL);
    let mut params = vec![("code", code.as_str())];
    if !state.is_empty() {
        params.push(("state", &state));
    }
    redirect_with(&redirect, &params)
}

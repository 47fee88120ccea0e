//! The OAuth 2.0 web-server flow on `/services/oauth2/`: the authorize consent page
//! (a person clicks Allow or Deny), the token endpoint (`authorization_code` with PKCE,
//! `refresh_token`, rotation when the `rotate_refresh_tokens` limit is on) and revoke.
//! Redirects must be loopback `http://127.0.0.1|localhost:<any port>/…` (RFC 8252) or
//! `https://…`; token errors are `400 {"error","error_description"}`.

use super::errors::oauth_error;
use super::session::wants_refresh;
use super::{lock, Salesforce};
use crate::oauth::{
    basic_credentials, consent_page, escape_html, is_loopback_http, redirect_with, AuthRequest,
    GrantError,
};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Form, Json};
use std::collections::HashMap;
use std::sync::Arc;

const DEFAULT_SCOPE: &str = "api refresh_token";

fn allowed_redirect(uri: &str) -> bool {
    is_loopback_http(uri)
        || uri
            .strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
}

/// The error page Salesforce shows when it cannot trust the redirect URI.
fn error_page(error: &str, description: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Salesforce (sandbox) — error</title></head><body><h1>OAuth error</h1><p id=\"error\">error={}</p><p id=\"error_description\">error_description={}</p></body></html>",
        escape_html(error),
        escape_html(description)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

/// Checks an authorize request; `Some` is the response to give instead of consent.
fn validate(sf: &Salesforce, req: &AuthRequest) -> Option<Response> {
    let client = req.client_id.as_deref().and_then(|id| sf.auth.client(id));
    if client.is_none() {
        return Some(error_page("invalid_client_id", "client identifier invalid"));
    }
    let redirect = req.redirect_uri.as_deref().unwrap_or_default();
    if !allowed_redirect(redirect) {
        return Some(error_page(
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        ));
    }
    let state = req.state.as_deref().unwrap_or_default();
    if req.response_type.as_deref() != Some("code") {
        return Some(redirect_with(
            redirect,
            &[
                ("error", "unsupported_response_type"),
                ("error_description", "response type not supported"),
                ("state", state),
            ],
        ));
    }
    if req.code_challenge.is_some()
        && !matches!(
            req.code_challenge_method.as_deref(),
            None | Some("S256") | Some("plain")
        )
    {
        return Some(redirect_with(
            redirect,
            &[
                ("error", "invalid_request"),
                ("error_description", "invalid code_challenge_method"),
                ("state", state),
            ],
        ));
    }
    None
}

/// `GET /services/oauth2/authorize`: the consent page.
pub async fn authorize(
    State(sf): State<Arc<Salesforce>>,
    Query(req): Query<AuthRequest>,
) -> Response {
    if let Some(response) = validate(&sf, &req) {
        return response;
    }
    let org = sf.org();
    let scope = req
        .scope
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SCOPE.into());
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    consent_page(
        "Salesforce",
        "Switchyard",
        &org.users[0].username,
        &scopes,
        "/services/oauth2/authorize",
        &req,
    )
    .into_response()
}

/// `POST /services/oauth2/authorize`: the person's decision.
pub async fn decide(
    State(sf): State<Arc<Salesforce>>,
    Form(mut req): Form<AuthRequest>,
) -> Response {
    if let Some(response) = validate(&sf, &req) {
        return response;
    }
    let redirect = req.redirect_uri.clone().unwrap_or_default();
    let state = req.state.clone().unwrap_or_default();
    if req.decision.as_deref() != Some("allow") {
        return redirect_with(
            &redirect,
            &[
                ("error", "access_denied"),
                ("error_description", "end-user denied authorization"),
                ("state", &state),
            ],
        );
    }
    if req.scope.as_deref().is_none_or(|s| s.trim().is_empty()) {
        req.scope = Some(DEFAULT_SCOPE.into());
    }
    let account = sf.org().users[0].id.clone();
    let code = sf.auth.issue_code(&req, &account);
    redirect_with(&redirect, &[("code", &code), ("state", &state)])
}

/// `POST /services/oauth2/token`.
pub async fn token(State(sf): State<Arc<Salesforce>>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let basic = basic_credentials(&headers);
    let client_id = get("client_id")
        .map(str::to_owned)
        .or_else(|| basic.as_ref().map(|(id, _)| id.clone()));
    let secret = get("client_secret")
        .map(str::to_owned)
        .or_else(|| basic.as_ref().map(|(_, s)| s.clone()));
    let grant_type = get("grant_type").unwrap_or_default();
    if !matches!(grant_type, "authorization_code" | "refresh_token") {
        return oauth_error("unsupported_grant_type", "grant type not supported");
    }
    let Some(client) = client_id.as_deref().and_then(|id| sf.auth.client(id)) else {
        return oauth_error("invalid_client_id", "client identifier invalid");
    };
    let limits = sf.limits();
    match secret.as_deref() {
        Some(s) if s != client.secret => {
            return oauth_error("invalid_client", "invalid client credentials")
        }
        None if limits.require_client_secret => {
            return oauth_error("invalid_client", "invalid client credentials")
        }
        _ => {}
    }
    let granted = if grant_type == "authorization_code" {
        code_grant(
            &sf,
            &client.id,
            get("code"),
            get("redirect_uri"),
            get("code_verifier"),
        )
    } else {
        get("refresh_token")
            .and_then(|old| {
                sf.auth
                    .use_refresh(old, &client.id, limits.rotate_refresh_tokens)
                    .ok()
            })
            .map(|info| (info.scope, limits.rotate_refresh_tokens))
            .ok_or(("invalid_grant", "expired access/refresh token"))
    };
    match granted {
        Ok((scope, with_refresh)) => {
            let (access, refresh) = sf.issue(&client.id, &scope, with_refresh);
            Json(sf.token_body(
                &headers,
                &access,
                refresh.as_deref(),
                &scope,
                &client.secret,
            ))
            .into_response()
        }
        Err((error, description)) => oauth_error(error, description),
    }
}

/// Redeems an authorization code: the granted scope and whether it earns a refresh
/// token, or the `(error, error_description)` Salesforce answers.
fn code_grant(
    sf: &Salesforce,
    client_id: &str,
    code: Option<&str>,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> Result<(String, bool), (&'static str, &'static str)> {
    let code = code.ok_or(("invalid_grant", "invalid authorization code"))?;
    match sf.auth.redeem_code(code, client_id, redirect_uri, verifier) {
        Ok(grant) => {
            let refresh = wants_refresh(&grant.scope);
            Ok((grant.scope, refresh))
        }
        Err(GrantError::InvalidGrant("redirect_uri mismatch")) => Err((
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        )),
        Err(GrantError::InvalidGrant(d)) if d.contains("code_verifier") => {
            Err(("invalid_grant", "invalid code verifier"))
        }
        Err(GrantError::InvalidRequest(_)) => Err(("invalid_request", "invalid code verifier")),
        Err(_) => Err(("invalid_grant", "invalid authorization code")),
    }
}

/// `POST /services/oauth2/revoke` (form `token=`; `GET ?token=` also works): 200 empty.
pub async fn revoke(
    State(sf): State<Arc<Salesforce>>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let Some(token) = form
        .get("token")
        .or_else(|| query.get("token"))
        .filter(|t| !t.is_empty())
    else {
        return oauth_error("unsupported_token_type", "this token type is not supported");
    };
    let org_id = sf.org().id;
    let ours = token.starts_with(&format!("{org_id}!")) || token.starts_with("5Aep861");
    if !ours {
        return oauth_error("unsupported_token_type", "this token type is not supported");
    }
    if !sf.auth.revoke(token) {
        return oauth_error("invalid_token", "Token was invalid");
    }
    lock(&sf.sessions).remove(token.as_str());
    StatusCode::OK.into_response()
}

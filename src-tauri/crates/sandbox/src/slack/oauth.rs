//! Slack's OAuth v2 install flow: the `/oauth/v2/authorize` consent page (comma-separated
//! bot `scope=` and `user_scope=`), the redirect back with `code` and `state` (or
//! `error=access_denied`), and `oauth.v2.access` exchanging a code or a refresh token.
//! Request errors before consent are shown on an error page, not redirected, as Slack's
//! authorize page does ("redirect_uri did not match any configured URIs").

use super::install::{self, split_scopes, Pending};
use super::params::Params;
use super::{reply, Slack};
use crate::oauth::{
    basic_credentials, consent_page, escape_html, redirect_with, AuthRequest, GrantError,
};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// Why an authorize request is refused before consent.
#[derive(Debug)]
struct PageError {
    code: &'static str,
    message: String,
}

impl PageError {
    fn new(code: &'static str, message: &str) -> Self {
        Self {
            code,
            message: message.to_owned(),
        }
    }
}

/// A validated authorize request.
#[derive(Debug)]
struct Authorize {
    req: AuthRequest,
    user_scope: String,
    pending: Pending,
}

fn error_page(code: &str, message: &str) -> Response {
    let body = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slack (sandbox) — OAuth error</title></head>
<body><h1>Oops, something went wrong.</h1><p>OAuth Error: <code id="error">{}</code></p><p id="message">{}</p></body></html>"#,
        escape_html(code),
        escape_html(message)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn args(query: Option<&str>, form: &[u8]) -> HashMap<String, String> {
    let mut map: HashMap<String, String> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    map.extend(serde_urlencoded::from_bytes::<Vec<(String, String)>>(form).unwrap_or_default());
    map
}

fn validate(s: &Slack, a: &HashMap<String, String>) -> Result<Authorize, PageError> {
    let get = |k: &str| a.get(k).filter(|v| !v.is_empty()).cloned();
    let client_id = get("client_id").unwrap_or_default();
    let client = s
        .auth
        .client(&client_id)
        .ok_or_else(|| PageError::new("invalid_client_id", "Unknown client_id."))?;
    let redirect = get("redirect_uri")
        .or_else(|| client.redirect_uris.first().cloned())
        .unwrap_or_default();
    if !install::redirect_allowed(
        &redirect,
        &client.redirect_uris,
        s.limits.settings().allow_http_loopback,
    ) {
        return Err(PageError::new(
            "bad_redirect_uri",
            &format!("redirect_uri did not match any configured URIs. Passed URI: {redirect}"),
        ));
    }
    let scope = split_scopes(&get("scope").unwrap_or_default()).join(",");
    let user_scope = split_scopes(&get("user_scope").unwrap_or_default()).join(",");
    if scope.is_empty() && user_scope.is_empty() {
        return Err(PageError::new("no_scopes", "Missing scope in the request."));
    }
    let challenge = get("code_challenge");
    let method = get("code_challenge_method");
    if challenge.is_some() && !matches!(method.as_deref(), None | Some("S256") | Some("plain")) {
        return Err(PageError::new(
            "invalid_request",
            "code_challenge_method must be S256.",
        ));
    }
    let custom_scheme = install::is_custom_scheme(&redirect);
    if custom_scheme && challenge.is_none() {
        return Err(PageError::new(
            "invalid_request",
            "PKCE (code_challenge) is required when redirecting to a custom URI scheme.",
        ));
    }
    let desktop = challenge.is_some() && (custom_scheme || install::is_loopback(&redirect));
    if desktop && !scope.is_empty() {
        return Err(PageError::new("invalid_scope_requested", "Desktop redirects (custom URI schemes and localhost with PKCE) cannot request bot scopes; ask for user_scope only."));
    }
    let pending = Pending {
        user_scope: user_scope.clone(),
        public: challenge.is_some(),
        custom_scheme,
    };
    let req = AuthRequest {
        response_type: get("response_type"),
        client_id: Some(client_id),
        redirect_uri: Some(redirect),
        scope: Some(scope),
        state: get("state"),
        code_challenge: challenge,
        code_challenge_method: method,
        decision: get("decision"),
    };
    Ok(Authorize {
        req,
        user_scope,
        pending,
    })
}

/// `GET /oauth/v2/authorize`: the consent page.
pub async fn page(State(s): State<Arc<Slack>>, RawQuery(query): RawQuery) -> Response {
    let a = match validate(&s, &args(query.as_deref(), b"")) {
        Ok(a) => a,
        Err(e) => return error_page(e.code, &e.message),
    };
    let (account, team) = {
        let ws = s.ws();
        (
            ws.user(&ws.installer_id)
                .map(|u| u.real_name())
                .unwrap_or_default(),
            ws.team.name.clone(),
        )
    };
    let bot = a.req.scope.clone().unwrap_or_default();
    let scopes: Vec<String> = split_scopes(&bot)
        .iter()
        .map(|x| format!("bot: {x}"))
        .chain(
            split_scopes(&a.user_scope)
                .iter()
                .map(|x| format!("user: {x}")),
        )
        .collect();
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    // user_scope travels in the form action's query: the shared page posts the standard fields.
    let action = format!(
        "/oauth/v2/authorize?{}",
        serde_urlencoded::to_string([("user_scope", a.user_scope.as_str())]).unwrap_or_default()
    );
    consent_page(
        "Slack",
        "Switchyard",
        &format!("{account} ({team})"),
        &scopes,
        &action,
        &a.req,
    )
    .into_response()
}

/// `POST /oauth/v2/authorize`: the person clicked Allow or Deny.
pub async fn decide(
    State(s): State<Arc<Slack>>,
    RawQuery(query): RawQuery,
    body: axum::body::Bytes,
) -> Response {
    let a = match validate(&s, &args(query.as_deref(), &body)) {
        Ok(a) => a,
        Err(e) => return error_page(e.code, &e.message),
    };
    let redirect = a.req.redirect_uri.clone().unwrap_or_default();
    let (key, value) = if a.req.decision.as_deref() == Some("allow") {
        let installer = s.ws().installer_id.clone();
        let code = s.auth.issue_code(&a.req, &installer);
        s.grants().pending.insert(code.clone(), a.pending);
        ("code", code)
    } else {
        ("error", "access_denied".to_owned())
    };
    let mut params = vec![(key, value.as_str())];
    if let Some(state) = a.req.state.as_deref() {
        params.push(("state", state));
    }
    redirect_with(&redirect, &params)
}

/// `oauth.v2.access`: client credentials by HTTP Basic (preferred) or form fields.
pub fn access(s: &Slack, headers: &HeaderMap, params: &Params) -> Response {
    let (client_id, secret) = match basic_credentials(headers) {
        Some((id, secret)) => (id, Some(secret)),
        None => (
            params.text("client_id").unwrap_or_default(),
            params.text("client_secret"),
        ),
    };
    if s.auth.client(&client_id).is_none() {
        return reply::error("invalid_client_id");
    }
    let secret_ok = secret
        .as_deref()
        .is_some_and(|x| s.auth.authenticate(&client_id, x).is_ok());
    if secret.is_some() && !secret_ok {
        return reply::error("bad_client_secret");
    }
    match params.text("grant_type").as_deref() {
        None | Some("authorization_code") => exchange_code(s, &client_id, secret_ok, params),
        Some("refresh_token") => refresh(s, &client_id, secret_ok, params),
        Some(_) => reply::error("invalid_grant_type"),
    }
}

fn exchange_code(s: &Slack, client_id: &str, secret_ok: bool, params: &Params) -> Response {
    let Some(code) = params.text("code") else {
        return reply::error("invalid_code");
    };
    let public = s.grants().pending.get(&code).map(|p| p.public);
    let Some(public) = public else {
        return reply::error("invalid_code");
    };
    if !secret_ok && !public {
        return reply::error("bad_client_secret");
    }
    let pending = s.grants().pending.remove(&code);
    let Some(pending) = pending else {
        return reply::error("invalid_code");
    };
    let grant = match s.auth.redeem_code(
        &code,
        client_id,
        params.text("redirect_uri").as_deref(),
        params.text("code_verifier").as_deref(),
    ) {
        Ok(grant) => grant,
        Err(GrantError::InvalidGrant("redirect_uri mismatch")) => {
            return reply::error("bad_redirect_uri")
        }
        Err(_) => return reply::error("invalid_code"),
    };
    let rotate = s.limits.settings().rotate_tokens || pending.custom_scheme;
    reply::json_response(
        StatusCode::OK,
        &install::install(s, &grant.scope, &pending.user_scope, rotate, pending.public),
    )
}

fn refresh(s: &Slack, client_id: &str, secret_ok: bool, params: &Params) -> Response {
    let Some(token) = params.text("refresh_token") else {
        return reply::error("invalid_refresh_token");
    };
    let public = s.grants().public_refresh.contains(&token);
    if !secret_ok && !public {
        return reply::error("bad_client_secret");
    }
    match s.auth.use_refresh(&token, client_id, true) {
        Ok(info) => {
            s.grants().public_refresh.remove(&token);
            reply::json_response(
                StatusCode::OK,
                &install::refreshed(s, &info.scope, &info.account, public),
            )
        }
        Err(_) => reply::error("invalid_refresh_token"),
    }
}

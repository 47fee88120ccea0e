//! Sessions: issuing access and refresh tokens in Salesforce's shapes, the login-host /
//! instance-host split (see the module doc of `salesforce`), and the check every API
//! call makes: a known, unrevoked token used within the inactivity timeout.

use super::{lock, Salesforce, CLIENT_ID, CLIENT_SECRET, DEFAULT_VERSION};
use crate::oauth::now_ms;
use axum::http::{header, HeaderMap};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

/// The token of `Authorization: Bearer …` or the older `Authorization: OAuth …`.
pub fn api_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth"))
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The scope a grant asked for allows a refresh token.
pub fn wants_refresh(scope: &str) -> bool {
    scope
        .split_whitespace()
        .any(|s| matches!(s, "refresh_token" | "offline_access" | "full"))
}

impl Salesforce {
    /// `(login base, instance base)` for a request: the host the client used, and the other
    /// loopback spelling of this listener.
    pub(super) fn hosts(&self, headers: &HeaderMap) -> (String, String) {
        let port = self.port();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let (local, numeric) = (
            format!("http://localhost:{port}"),
            format!("http://127.0.0.1:{port}"),
        );
        if host.starts_with("localhost") {
            (local, numeric)
        } else {
            (numeric, local)
        }
    }

    /// Checks an API call's session and records its use; `false` means 401.
    pub(super) fn session(&self, headers: &HeaderMap) -> bool {
        api_token(headers).is_some_and(|token| self.touch(token))
    }

    /// Whether `token` is a live access token, extending its inactivity window if so.
    pub(super) fn touch(&self, token: &str) -> bool {
        if self.auth.check_token(token).is_err() {
            return false;
        }
        let timeout = i64::try_from(self.limits().session_timeout_secs.saturating_mul(1000))
            .unwrap_or(i64::MAX);
        let now = now_ms();
        let mut sessions = lock(&self.sessions);
        match sessions.get_mut(token) {
            Some(last) if now - *last > timeout => false,
            Some(last) => {
                *last = now;
                true
            }
            None => {
                sessions.insert(token.to_owned(), now);
                true
            }
        }
    }

    /// A new access token (and refresh token when asked), bound to the connecting user.
    pub(super) fn issue(
        &self,
        client_id: &str,
        scope: &str,
        with_refresh: bool,
    ) -> (String, Option<String>) {
        let org = self.org();
        let account = &org.users[0].id;
        let access =
            self.auth
                .issue_access(&format!("{}!", org.id), 96, client_id, scope, account, None);
        lock(&self.sessions).insert(access.clone(), now_ms());
        let refresh = with_refresh.then(|| {
            self.auth
                .issue_refresh("5Aep861", 80, client_id, scope, account)
        });
        (access, refresh)
    }

    /// The identity URL of the connecting user under `login`.
    pub(super) fn identity_url(&self, login: &str) -> String {
        let org = self.org();
        format!("{login}/id/{}/{}", org.id, org.users[0].id)
    }

    /// The token endpoint's success body (no `expires_in`, as Salesforce sends none).
    pub(super) fn token_body(
        &self,
        headers: &HeaderMap,
        access: &str,
        refresh: Option<&str>,
        scope: &str,
        secret: &str,
    ) -> Value {
        let (login, instance) = self.hosts(headers);
        let id = self.identity_url(&login);
        let issued_at = now_ms().to_string();
        let signature = sign(secret, &id, &issued_at);
        let mut body = json!({
            "access_token": access,
            "instance_url": instance,
            "id": id,
            "token_type": "Bearer",
            "issued_at": issued_at,
            "signature": signature,
            "scope": scope,
        });
        if let (Some(refresh), Some(map)) = (refresh, body.as_object_mut()) {
            map.insert("refresh_token".into(), Value::String(refresh.to_owned()));
        }
        body
    }

    /// A ready token for scripts (`POST /__sandbox/token`), on this listener's own address.
    pub(super) fn mint(&self) -> Value {
        let (access, _) = self.issue(CLIENT_ID, "api refresh_token", false);
        let base = &self.ctx.base_url;
        let id = self.identity_url(base);
        let issued_at = now_ms().to_string();
        json!({
            "access_token": access,
            "instance_url": base,
            "id": id,
            "token_type": "Bearer",
            "issued_at": issued_at,
            "signature": sign(CLIENT_SECRET, &id, &issued_at),
            "scope": "api refresh_token",
            "api_version": DEFAULT_VERSION,
        })
    }
}

/// Base64 HMAC-SHA256 over the identity URL and `issued_at`, keyed with the client secret.
pub fn sign(secret: &str, id: &str, issued_at: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(id.as_bytes());
    mac.update(issued_at.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

//! The parts every simulated OAuth 2.0 authorization server shares: registered clients,
//! a consent page a person can click, one-time authorization codes bound to the
//! redirect URI and PKCE challenge, access and refresh tokens (with optional rotation),
//! bearer checks and revocation. Each provider wraps these in its own paths, response
//! shapes and error formats.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use rand::distributions::Alphanumeric;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// Authorization codes live this long (10 minutes, as the providers document or imply).
pub const CODE_TTL_MS: i64 = 10 * 60 * 1000;

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Client {
    pub id: String,
    pub secret: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
}

/// The query (GET) or form (POST from the consent page) of an authorize request.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AuthRequest {
    #[serde(default)]
    pub response_type: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub redirect_uri: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub code_challenge: Option<String>,
    #[serde(default)]
    pub code_challenge_method: Option<String>,
    /// Set by the consent form: "allow" or "deny".
    #[serde(default)]
    pub decision: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub account: String,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub client_id: String,
    pub scope: String,
    pub account: String,
    /// Epoch ms; `None` never expires (until revoked or expired by a fault).
    pub expires_at: Option<i64>,
}

/// Why a token request failed, in RFC 6749 terms; providers render their own bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantError {
    InvalidRequest(&'static str),
    InvalidClient,
    InvalidGrant(&'static str),
}

impl GrantError {
    pub fn code(&self) -> &'static str {
        match self {
            GrantError::InvalidRequest(_) => "invalid_request",
            GrantError::InvalidClient => "invalid_client",
            GrantError::InvalidGrant(_) => "invalid_grant",
        }
    }

    pub fn description(&self) -> &'static str {
        match self {
            GrantError::InvalidRequest(d) | GrantError::InvalidGrant(d) => d,
            GrantError::InvalidClient => "invalid client credentials",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerError {
    Missing,
    Invalid,
    Expired,
}

#[derive(Debug)]
pub struct AuthServer {
    clients: Mutex<Vec<Client>>,
    codes: Mutex<HashMap<String, Grant>>,
    access: Mutex<HashMap<String, TokenInfo>>,
    refresh: Mutex<HashMap<String, TokenInfo>>,
    rng: Mutex<ChaCha8Rng>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AuthServer {
    pub fn new(seed: u64) -> Self {
        Self {
            clients: Mutex::default(),
            codes: Mutex::default(),
            access: Mutex::default(),
            refresh: Mutex::default(),
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0x0A07)),
        }
    }

    pub fn register(&self, client: Client) {
        let mut clients = lock(&self.clients);
        clients.retain(|c| c.id != client.id);
        clients.push(client);
    }

    pub fn client(&self, id: &str) -> Option<Client> {
        lock(&self.clients).iter().find(|c| c.id == id).cloned()
    }

    pub fn clients(&self) -> Vec<Client> {
        lock(&self.clients).clone()
    }

    /// Client authentication by id and secret (form fields or HTTP Basic).
    pub fn authenticate(&self, id: &str, secret: &str) -> Result<Client, GrantError> {
        self.client(id)
            .filter(|c| c.secret == secret)
            .ok_or(GrantError::InvalidClient)
    }

    /// A random token: `prefix` plus `len` alphanumeric characters.
    pub fn random(&self, prefix: &str, len: usize) -> String {
        let mut rng = lock(&self.rng);
        let tail: String = (&mut *rng)
            .sample_iter(&Alphanumeric)
            .take(len)
            .map(char::from)
            .collect();
        format!("{prefix}{tail}")
    }

    /// Issues a one-time code for a consented request (call after validating it).
    pub fn issue_code(&self, req: &AuthRequest, account: &str) -> String {
        let code = self.random("", 40);
        let grant = Grant {
            client_id: req.client_id.clone().unwrap_or_default(),
            redirect_uri: req.redirect_uri.clone().unwrap_or_default(),
            scope: req.scope.clone().unwrap_or_default(),
            account: account.to_owned(),
            code_challenge: req.code_challenge.clone(),
            code_challenge_method: req.code_challenge_method.clone(),
            expires_at: now_ms() + CODE_TTL_MS,
        };
        lock(&self.codes).insert(code.clone(), grant);
        code
    }

    /// Redeems a code once. The redirect URI must equal the authorize request's, and a
    /// PKCE challenge, when one was sent, must match the verifier.
    pub fn redeem_code(
        &self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
        verifier: Option<&str>,
    ) -> Result<Grant, GrantError> {
        let grant = lock(&self.codes)
            .remove(code)
            .ok_or(GrantError::InvalidGrant(
                "authorization code is invalid, expired or already used",
            ))?;
        if grant.expires_at < now_ms() {
            return Err(GrantError::InvalidGrant("authorization code expired"));
        }
        if grant.client_id != client_id {
            return Err(GrantError::InvalidGrant(
                "authorization code was issued to another client",
            ));
        }
        if redirect_uri.is_some_and(|r| r != grant.redirect_uri) {
            return Err(GrantError::InvalidGrant("redirect_uri mismatch"));
        }
        match (&grant.code_challenge, verifier) {
            (None, _) => {}
            (Some(_), None) => {
                return Err(GrantError::InvalidGrant(
                    "code_verifier missing for a PKCE authorization",
                ))
            }
            (Some(challenge), Some(v)) => {
                if !pkce_matches(challenge, grant.code_challenge_method.as_deref(), v) {
                    return Err(GrantError::InvalidRequest("invalid code verifier"));
                }
            }
        }
        Ok(grant)
    }

    pub fn issue_access(
        &self,
        prefix: &str,
        len: usize,
        client_id: &str,
        scope: &str,
        account: &str,
        ttl_ms: Option<i64>,
    ) -> String {
        let token = self.random(prefix, len);
        let info = TokenInfo {
            client_id: client_id.into(),
            scope: scope.into(),
            account: account.into(),
            expires_at: ttl_ms.map(|t| now_ms() + t),
        };
        lock(&self.access).insert(token.clone(), info);
        token
    }

    pub fn issue_refresh(
        &self,
        prefix: &str,
        len: usize,
        client_id: &str,
        scope: &str,
        account: &str,
    ) -> String {
        let token = self.random(prefix, len);
        let info = TokenInfo {
            client_id: client_id.into(),
            scope: scope.into(),
            account: account.into(),
            expires_at: None,
        };
        lock(&self.refresh).insert(token.clone(), info);
        token
    }

    /// Validates a refresh token; with `rotate` the old one stops working at once.
    pub fn use_refresh(
        &self,
        token: &str,
        client_id: &str,
        rotate: bool,
    ) -> Result<TokenInfo, GrantError> {
        let mut refresh = lock(&self.refresh);
        let info = refresh.get(token).cloned().ok_or(GrantError::InvalidGrant(
            "refresh token is invalid, expired or revoked",
        ))?;
        if info.client_id != client_id {
            return Err(GrantError::InvalidGrant(
                "refresh token was issued to another client",
            ));
        }
        if rotate {
            refresh.remove(token);
        }
        Ok(info)
    }

    /// Checks `Authorization: Bearer <token>`.
    pub fn check_bearer(&self, headers: &HeaderMap) -> Result<TokenInfo, BearerError> {
        let token = bearer(headers).ok_or(BearerError::Missing)?;
        self.check_token(token)
    }

    pub fn check_token(&self, token: &str) -> Result<TokenInfo, BearerError> {
        let info = lock(&self.access)
            .get(token)
            .cloned()
            .ok_or(BearerError::Invalid)?;
        match info.expires_at {
            Some(at) if at <= now_ms() => Err(BearerError::Expired),
            _ => Ok(info),
        }
    }

    /// Revokes an access or refresh token; revoking a refresh token also ends the
    /// access tokens of the same client and account.
    pub fn revoke(&self, token: &str) -> bool {
        if lock(&self.access).remove(token).is_some() {
            return true;
        }
        if let Some(info) = lock(&self.refresh).remove(token) {
            lock(&self.access)
                .retain(|_, a| !(a.client_id == info.client_id && a.account == info.account));
            return true;
        }
        false
    }

    /// Every access token expires now (refresh tokens keep working).
    pub fn expire_all(&self) {
        let now = now_ms();
        for info in lock(&self.access).values_mut() {
            info.expires_at = Some(now - 1);
        }
    }

    /// Forgets every code and token (clients stay registered).
    pub fn reset(&self) {
        lock(&self.codes).clear();
        lock(&self.access).clear();
        lock(&self.refresh).clear();
    }
}

/// The token of an `Authorization: Bearer` header (scheme case-insensitive).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Client id and secret from an `Authorization: Basic` header.
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// RFC 7636: S256 compares BASE64URL(SHA256(verifier)); "plain" compares as is.
pub fn pkce_matches(challenge: &str, method: Option<&str>, verifier: &str) -> bool {
    match method.unwrap_or("plain") {
        "S256" => {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(Sha256::digest(verifier.as_bytes()))
                == challenge
        }
        "plain" => verifier == challenge,
        _ => false,
    }
}

/// `http://127.0.0.1…`, `http://localhost…` or `http://[::1]…`.
pub fn is_loopback_http(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// A 302 to `redirect_uri` with `params` appended to its query.
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("{redirect_uri}{sep}{query}"))],
    )
        .into_response()
}

pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The consent page: who asks, for what, and Allow / Deny buttons that POST the
/// original request back to `action` with `decision=allow|deny`.
pub fn consent_page(
    provider: &str,
    app_name: &str,
    account: &str,
    scopes: &[&str],
    action: &str,
    req: &AuthRequest,
) -> Html<String> {
    let hidden: String = [
        ("response_type", &req.response_type),
        ("client_id", &req.client_id),
        ("redirect_uri", &req.redirect_uri),
        ("scope", &req.scope),
        ("state", &req.state),
        ("code_challenge", &req.code_challenge),
        ("code_challenge_method", &req.code_challenge_method),
    ]
    .iter()
    .filter_map(|(name, value)| {
        value.as_ref().map(|v| {
            format!(
                r#"<input type="hidden" name="{name}" value="{}">"#,
                escape_html(v)
            )
        })
    })
    .collect();
    let scope_items: String = scopes
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| format!("<li><code>{}</code></li>", escape_html(s)))
        .collect();
    Html(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{provider} (sandbox) — allow access?</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}}
.card{{border:1px solid #d0d7de;border-radius:12px;padding:1.5rem}}button{{font-size:1rem;padding:.6rem 1.2rem;border-radius:8px;border:1px solid #d0d7de;cursor:pointer}}
button.allow{{background:#1f6feb;color:#fff;border-color:#1f6feb}}.sandbox{{color:#9a6700;font-size:.85rem}}</style></head>
<body><div class="card"><p class="sandbox">Sandbox — no real {provider} account is involved.</p>
<h1>Allow <span id="app-name">{app}</span> to access {provider}?</h1>
<p>Signed in as <strong id="account">{account}</strong>. It will be able to:</p><ul id="scopes">{scope_items}</ul>
<form method="post" action="{action}">{hidden}
<button class="allow" type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></form></div></body></html>"#,
        provider = escape_html(provider),
        app = escape_html(app_name),
        account = escape_html(account),
        action = escape_html(action),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_the_rfc_7636_example() {
        // RFC 7636 appendix B.
        assert!(pkce_matches(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            Some("S256"),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!pkce_matches(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            Some("S256"),
            "wrong"
        ));
        assert!(!pkce_matches("x", Some("S512"), "x"));
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback_http("http://127.0.0.1:53682/callback"));
        assert!(is_loopback_http("http://localhost/cb"));
        assert!(is_loopback_http("http://[::1]:8080/cb"));
        assert!(!is_loopback_http("https://127.0.0.1:1/cb"));
        assert!(!is_loopback_http("http://example.com/cb"));
        assert!(!is_loopback_http("http://localhost.evil.com/cb"));
    }

    #[test]
    fn codes_are_single_use_and_bound_to_redirect_and_verifier() {
        let s = AuthServer::new(1);
        let req = AuthRequest {
            client_id: Some("c".into()),
            redirect_uri: Some("http://127.0.0.1:1/cb".into()),
            code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into()),
            code_challenge_method: Some("S256".into()),
            ..Default::default()
        };
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let code = s.issue_code(&req, "acct");
        assert_eq!(
            s.redeem_code(&code, "c", Some("http://127.0.0.1:2/cb"), Some(v))
                .err(),
            Some(GrantError::InvalidGrant("redirect_uri mismatch"))
        );
        let code = s.issue_code(&req, "acct");
        assert_eq!(
            s.redeem_code(&code, "c", None, None)
                .err()
                .map(|e| e.code()),
            Some("invalid_grant")
        );
        let code = s.issue_code(&req, "acct");
        assert_eq!(
            s.redeem_code(&code, "c", None, Some("bad"))
                .err()
                .map(|e| e.code()),
            Some("invalid_request")
        );
        let code = s.issue_code(&req, "acct");
        assert!(s
            .redeem_code(&code, "c", Some("http://127.0.0.1:1/cb"), Some(v))
            .is_ok());
        assert!(
            s.redeem_code(&code, "c", Some("http://127.0.0.1:1/cb"), Some(v))
                .is_err(),
            "second use"
        );
    }

    #[test]
    fn rotation_revocation_and_expiry() {
        let s = AuthServer::new(1);
        let r = s.issue_refresh("r-", 20, "c", "api", "a");
        let a = s.issue_access("t-", 20, "c", "api", "a", Some(60_000));
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            format!("Bearer {a}")
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert!(s.check_bearer(&h).is_ok());
        assert!(s.use_refresh(&r, "other", false).is_err());
        assert!(s.use_refresh(&r, "c", false).is_ok());
        s.expire_all();
        assert_eq!(s.check_bearer(&h), Err(BearerError::Expired));
        assert!(s.use_refresh(&r, "c", true).is_ok());
        assert!(s.use_refresh(&r, "c", true).is_err(), "rotated away");
        assert!(!s.revoke(&r));
        assert_eq!(s.check_bearer(&HeaderMap::new()), Err(BearerError::Missing));
    }
}

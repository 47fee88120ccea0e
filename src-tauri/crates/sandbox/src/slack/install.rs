//! The app installation the OAuth flow ends in: which redirect URIs the sandbox's Slack
//! app has registered and how a passed `redirect_uri` is matched against them, what an
//! authorization code remembers beyond the shared [`crate::oauth`] grant (user scopes,
//! PKCE, desktop redirect), and issuing bot (`xoxb-`) and user (`xoxp-`) tokens, with
//! `xoxe.` rotating tokens and `xoxe-1-` refresh tokens when rotation applies.

use super::Slack;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

pub const CLIENT_ID: &str = "sandbox-slack-client";
pub const CLIENT_SECRET: &str = "sandbox-slack-secret-6b0f3c1e9a";
pub const SIGNING_SECRET: &str = "sandbox-slack-signing-8d2e71c4f05b";
/// A public HTTPS callback (a hosted broker).
pub const REDIRECT_WEB: &str = "https://switchyard.example/oauth/slack/callback";
/// HTTPS on loopback: any port, this path.
pub const REDIRECT_LOOPBACK: &str = "https://127.0.0.1/oauth/slack/callback";
/// A custom scheme: only with PKCE, and then without bot scopes.
pub const REDIRECT_APP: &str = "switchyard://oauth/slack/callback";
/// Rotating access tokens live 12 hours.
pub const ROTATING_TTL_SECS: i64 = 43_200;

pub fn redirect_uris() -> Vec<String> {
    [REDIRECT_WEB, REDIRECT_LOOPBACK, REDIRECT_APP]
        .map(str::to_owned)
        .to_vec()
}

/// What a code carries besides the shared grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub user_scope: String,
    /// Redeemable without the client secret (PKCE).
    pub public: bool,
    /// A custom-scheme redirect: always rotating tokens.
    pub custom_scheme: bool,
}

#[derive(Debug, Default)]
pub struct Grants {
    pub pending: HashMap<String, Pending>,
    /// Refresh tokens of PKCE installs (refreshed without the client secret).
    pub public_refresh: HashSet<String>,
    /// Tokens ended by `auth.revoke` (they answer `token_revoked`, not `invalid_auth`).
    pub revoked: HashSet<String>,
}

/// (scheme, host without port, path) of an absolute URI.
fn split(uri: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = uri.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !h.is_empty() => h,
        _ => authority,
    };
    Some((
        scheme,
        host,
        path.split(['?', '#']).next().unwrap_or_default(),
    ))
}

pub fn is_loopback(uri: &str) -> bool {
    split(uri).is_some_and(|(_, host, _)| matches!(host, "127.0.0.1" | "localhost" | "[::1]"))
}

pub fn is_custom_scheme(uri: &str) -> bool {
    split(uri).is_some_and(|(scheme, _, _)| scheme != "http" && scheme != "https")
}

/// Whether `uri` matches a registered redirect: exactly, or on loopback by path with any
/// port. Plain http never matches (Slack requires HTTPS, even for localhost) unless
/// `allow_http_loopback` lets http loopback stand in for the registered HTTPS one.
pub fn redirect_allowed(uri: &str, registered: &[String], allow_http_loopback: bool) -> bool {
    let Some((scheme, _, path)) = split(uri) else {
        return false;
    };
    if scheme == "http" && !(allow_http_loopback && is_loopback(uri)) {
        return false;
    }
    registered.iter().any(|r| {
        r == uri
            || (is_loopback(uri)
                && is_loopback(r)
                && split(r)
                    .is_some_and(|(rs, _, rp)| rp == path && (rs == scheme || scheme == "http")))
    })
}

pub fn split_scopes(scopes: &str) -> Vec<&str> {
    scopes
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// One issued credential: access token, and refresh token when rotating.
fn credential(
    s: &Slack,
    bot: bool,
    scope: &str,
    account: &str,
    rotate: bool,
    public: bool,
) -> Map<String, Value> {
    let (team_num, bot_num) = s.token_numbers();
    let prefix = match (bot, rotate) {
        (true, false) => format!("xoxb-{team_num}-{bot_num}-"),
        (false, false) => format!("xoxp-{team_num}-{bot_num}-{}-", team_num / 7),
        (true, true) => "xoxe.xoxb-1-".to_owned(),
        (false, true) => "xoxe.xoxp-1-".to_owned(),
    };
    let ttl = rotate.then_some(ROTATING_TTL_SECS * 1000);
    let mut out = Map::new();
    out.insert(
        "access_token".into(),
        json!(s.auth.issue_access(
            &prefix,
            if bot { 24 } else { 32 },
            CLIENT_ID,
            scope,
            account,
            ttl
        )),
    );
    out.insert("token_type".into(), json!(if bot { "bot" } else { "user" }));
    out.insert("scope".into(), json!(scope));
    if rotate {
        let refresh = s
            .auth
            .issue_refresh("xoxe-1-", 64, CLIENT_ID, scope, account);
        if public {
            s.grants().public_refresh.insert(refresh.clone());
        }
        out.insert("expires_in".into(), json!(ROTATING_TTL_SECS));
        out.insert("refresh_token".into(), json!(refresh));
    }
    out
}

/// The `oauth.v2.access` success body for an install with these scopes.
pub fn install(s: &Slack, bot_scope: &str, user_scope: &str, rotate: bool, public: bool) -> Value {
    let (team, app_id, bot_user_id, installer) = {
        let ws = s.ws();
        (
            json!({ "id": ws.team.id, "name": ws.team.name }),
            ws.app_id.clone(),
            ws.bot_user_id.clone(),
            ws.installer_id.clone(),
        )
    };
    let mut body = Map::new();
    body.insert("ok".into(), json!(true));
    body.insert("app_id".into(), json!(app_id));
    if !bot_scope.is_empty() {
        body.extend(credential(s, true, bot_scope, &bot_user_id, rotate, public));
        body.insert("bot_user_id".into(), json!(bot_user_id));
    }
    let mut authed_user = Map::new();
    authed_user.insert("id".into(), json!(installer));
    if !user_scope.is_empty() {
        authed_user.extend(credential(s, false, user_scope, &installer, rotate, public));
    }
    body.insert("authed_user".into(), Value::Object(authed_user));
    body.insert("team".into(), team);
    body.insert("enterprise".into(), Value::Null);
    body.insert("is_enterprise_install".into(), json!(false));
    Value::Object(body)
}

/// The body of a `grant_type=refresh_token` exchange: a new access and refresh token.
pub fn refreshed(s: &Slack, scope: &str, account: &str, public: bool) -> Value {
    let (team, app_id, bot_user_id) = {
        let ws = s.ws();
        (
            json!({ "id": ws.team.id, "name": ws.team.name }),
            ws.app_id.clone(),
            ws.bot_user_id.clone(),
        )
    };
    let bot = account == bot_user_id;
    let mut body = credential(s, bot, scope, account, true, public);
    body.insert("ok".into(), json!(true));
    body.insert("app_id".into(), json!(app_id));
    body.insert(
        if bot { "bot_user_id" } else { "user_id" }.into(),
        json!(account),
    );
    body.insert("team".into(), team);
    body.insert("enterprise".into(), Value::Null);
    body.insert("is_enterprise_install".into(), json!(false));
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_matching() {
        let reg = redirect_uris();
        assert!(redirect_allowed(REDIRECT_WEB, &reg, false));
        assert!(redirect_allowed(
            "https://localhost:53682/oauth/slack/callback",
            &reg,
            false
        ));
        assert!(redirect_allowed(
            "https://127.0.0.1:1/oauth/slack/callback",
            &reg,
            false
        ));
        assert!(!redirect_allowed("https://127.0.0.1:1/other", &reg, false));
        assert!(!redirect_allowed(
            "http://127.0.0.1:53682/oauth/slack/callback",
            &reg,
            false
        ));
        assert!(redirect_allowed(
            "http://127.0.0.1:53682/oauth/slack/callback",
            &reg,
            true
        ));
        assert!(!redirect_allowed(
            "http://switchyard.example/oauth/slack/callback",
            &reg,
            true
        ));
        assert!(!redirect_allowed(
            "https://evil.example/oauth/slack/callback",
            &reg,
            false
        ));
        assert!(!redirect_allowed(
            "https://localhost.evil.example/oauth/slack/callback",
            &reg,
            false
        ));
        assert!(redirect_allowed(REDIRECT_APP, &reg, false));
        assert!(is_custom_scheme(REDIRECT_APP) && !is_custom_scheme(REDIRECT_WEB));
    }

    #[test]
    fn scopes_split_on_commas() {
        assert_eq!(
            split_scopes("chat:write, channels:read,,"),
            vec!["chat:write", "channels:read"]
        );
        assert!(split_scopes("").is_empty());
    }
}

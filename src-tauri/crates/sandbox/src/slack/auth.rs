//! Who is calling: the token check every Web API method starts with (`not_authed`,
//! `invalid_auth`, `token_revoked`, `token_expired`, `account_inactive`), scope checks
//! (`missing_scope` with `needed`/`provided`), and the `auth.test` / `auth.revoke`
//! methods.

use super::params::Params;
use super::reply::{self, Fail};
use super::Slack;
use crate::oauth::{now_ms, BearerError};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `xoxb-…` (or `xoxe.xoxb-…` with rotation): acts as the app's bot user.
    Bot,
    /// `xoxp-…` (or `xoxe.xoxp-…`): acts as the installing person.
    User,
}

impl Kind {
    pub fn of(token: &str) -> Option<Kind> {
        let bare = token.strip_prefix("xoxe.").unwrap_or(token);
        if bare.starts_with("xoxb-") {
            Some(Kind::Bot)
        } else if bare.starts_with("xoxp-") {
            Some(Kind::User)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub token: String,
    pub kind: Kind,
    /// The bot user id for bot tokens, the person's id for user tokens.
    pub user_id: String,
    pub scopes: Vec<String>,
    /// Epoch ms, for rotating tokens.
    pub expires_at: Option<i64>,
}

impl Caller {
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// `Err(missing_scope)` unless the token has `scope`.
    pub fn require(&self, scope: &'static str) -> Result<(), Fail> {
        if self.has(scope) {
            Ok(())
        } else {
            Err(Fail::MissingScope {
                needed: scope,
                provided: self.scopes.join(","),
            })
        }
    }
}

/// The caller behind the request's token, or Slack's error for it.
pub fn authenticate(s: &Slack, headers: &HeaderMap, params: &Params) -> Result<Caller, Fail> {
    let token = params.token(headers).ok_or(Fail::Code("not_authed"))?;
    let info = match s.auth.check_token(token) {
        Ok(info) => info,
        Err(BearerError::Expired) => return Err(Fail::Code("token_expired")),
        Err(_) if s.grants().revoked.contains(token) => return Err(Fail::Code("token_revoked")),
        Err(_) => return Err(Fail::Code("invalid_auth")),
    };
    let kind = Kind::of(token).ok_or(Fail::Code("invalid_auth"))?;
    if s.ws().user(&info.account).is_none_or(|u| u.deleted) {
        return Err(Fail::Code("account_inactive"));
    }
    let scopes = info
        .scope
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(Caller {
        token: token.to_owned(),
        kind,
        user_id: info.account,
        scopes,
        expires_at: info.expires_at,
    })
}

/// `auth.test`: who the token is, in which workspace.
pub fn test(s: &Slack, caller: &Caller) -> Response {
    let ws = s.ws();
    let user = ws
        .user(&caller.user_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let mut body = json!({
        "url": format!("https://{}.slack.com/", ws.team.domain),
        "team": ws.team.name,
        "user": user,
        "team_id": ws.team.id,
        "user_id": caller.user_id,
        "is_enterprise_install": false,
    });
    if caller.kind == Kind::Bot {
        body["bot_id"] = json!(ws.bot_id);
        body["app_id"] = json!(ws.app_id);
    }
    if let Some(at) = caller.expires_at {
        body["expires_in"] = json!(((at - now_ms()) / 1000).max(0));
    }
    reply::ok(body)
}

/// `auth.revoke`: ends the calling token (`test=1` only pretends).
pub fn revoke(s: &Slack, caller: &Caller, params: &Params) -> Response {
    if params.flag("test") {
        return reply::ok(json!({ "revoked": false }));
    }
    s.auth.revoke(&caller.token);
    s.grants().revoked.insert(caller.token.clone());
    reply::ok(json!({ "revoked": true }))
}

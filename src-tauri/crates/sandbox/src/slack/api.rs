//! The Web API's front door: every method is `GET` or `POST /api/<method>`, arguments
//! from the query, a form or (for methods that take it) JSON; then the token check, the
//! method's rate-limit tier, and the method itself. Unknown methods answer
//! `unknown_method`.

use super::limits::Tier;
use super::{auth, chat, conversations, oauth, params, reply, users, Slack};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, MethodRouter};
use serde_json::json;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    OauthV2Access,
    AuthTest,
    AuthRevoke,
    ChatPostMessage,
    ConversationsList,
    ConversationsJoin,
    ConversationsHistory,
    UsersList,
}

impl Api {
    pub const ALL: [Api; 8] = [
        Api::OauthV2Access,
        Api::AuthTest,
        Api::AuthRevoke,
        Api::ChatPostMessage,
        Api::ConversationsList,
        Api::ConversationsJoin,
        Api::ConversationsHistory,
        Api::UsersList,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Api::OauthV2Access => "oauth.v2.access",
            Api::AuthTest => "auth.test",
            Api::AuthRevoke => "auth.revoke",
            Api::ChatPostMessage => "chat.postMessage",
            Api::ConversationsList => "conversations.list",
            Api::ConversationsJoin => "conversations.join",
            Api::ConversationsHistory => "conversations.history",
            Api::UsersList => "users.list",
        }
    }

    /// Whether Slack reads this method's arguments from a JSON body.
    fn json_args(self) -> bool {
        !matches!(
            self,
            Api::ConversationsList | Api::UsersList | Api::AuthRevoke
        )
    }

    /// Per-method tier; `chat.postMessage` has its own per-channel limit instead.
    fn tier(self) -> Option<Tier> {
        match self {
            Api::ConversationsList | Api::UsersList => Some(Tier::Two),
            Api::ConversationsHistory | Api::ConversationsJoin | Api::AuthRevoke => {
                Some(Tier::Three)
            }
            Api::AuthTest => Some(Tier::Four),
            Api::OauthV2Access | Api::ChatPostMessage => None,
        }
    }

    /// The route for this method.
    pub fn route(self) -> MethodRouter<Arc<Slack>> {
        any(
            move |State(s): State<Arc<Slack>>,
                  RawQuery(query): RawQuery,
                  headers: HeaderMap,
                  body: Bytes| async move {
                call(&s, self, query.as_deref(), &headers, &body)
            },
        )
    }
}

fn call(s: &Slack, api: Api, query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Response {
    let params = match params::parse(query, headers, body, api.json_args()) {
        Ok(p) => p,
        Err(code) => return reply::error(code),
    };
    if api == Api::OauthV2Access {
        return oauth::access(s, headers, &params);
    }
    let caller = match auth::authenticate(s, headers, &params) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    if let Some(tier) = api.tier() {
        if let Err(wait) = s.limits.tier(api.name(), tier) {
            return reply::ratelimited(wait);
        }
    }
    match api {
        Api::AuthTest => auth::test(s, &caller),
        Api::AuthRevoke => auth::revoke(s, &caller, &params),
        Api::ChatPostMessage => chat::post_message(s, &caller, &params),
        Api::ConversationsList => conversations::list(s, &caller, &params),
        Api::ConversationsJoin => conversations::join(s, &caller, &params),
        Api::ConversationsHistory => conversations::history(s, &caller, &params),
        Api::UsersList => users::list(s, &caller, &params),
        Api::OauthV2Access => oauth::access(s, headers, &params),
    }
}

/// Any other `/api/<method>`.
pub async fn unknown(Path(method): Path<String>) -> Response {
    reply::json_response(
        StatusCode::NOT_FOUND,
        &json!({ "ok": false, "error": "unknown_method", "req_method": method }),
    )
}

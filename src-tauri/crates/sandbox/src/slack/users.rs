//! `users.list`: every member of the workspace (people, deactivated people, bots and
//! Slackbot) with cursor paging; without `limit` Slack tries to return them all. Email
//! addresses only reach tokens with `users:read.email`.

use super::auth::Caller;
use super::params::{cursor, read_cursor, Params};
use super::{render, reply, Slack};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// Slack's documented ceiling for one page.
const MAX_PAGE: i64 = 1000;

pub fn list(s: &Slack, caller: &Caller, params: &Params) -> Response {
    if let Err(missing) = caller.require("users:read") {
        return missing.into_response();
    }
    let ws = s.ws();
    let limit = match params.int("limit") {
        Err(()) => return reply::error("invalid_limit"),
        Ok(Some(n)) if n < 0 => return reply::error("invalid_limit"),
        Ok(None | Some(0)) => ws.users.len().max(1),
        Ok(Some(n)) => n.min(MAX_PAGE) as usize,
    };
    let start = match params.text("cursor") {
        None => 0,
        Some(c) => {
            match read_cursor("user", &c).and_then(|id| ws.users.iter().position(|u| u.id == id)) {
                Some(i) => i,
                None => return reply::error("invalid_cursor"),
            }
        }
    };
    let with_email = caller.has("users:read.email");
    let members: Vec<Value> = ws
        .users
        .iter()
        .skip(start)
        .take(limit)
        .map(|u| render::user(&ws, u, with_email))
        .collect();
    let next = ws
        .users
        .get(start + limit)
        .map(|u| cursor("user", &u.id))
        .unwrap_or_default();
    reply::ok(json!({
        "members": members,
        "cache_ts": chrono::Utc::now().timestamp(),
        "response_metadata": { "next_cursor": next },
    }))
}

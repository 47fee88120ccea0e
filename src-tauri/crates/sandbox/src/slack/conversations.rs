//! `conversations.list` (cursor paging, `limit`, `types`, `exclude_archived`),
//! `conversations.join` and `conversations.history` (newest first, `oldest`/`latest`,
//! `next_ts:` cursors), with the scopes and membership rules Slack applies to each.

use super::auth::{Caller, Kind};
use super::params::{cursor, read_cursor, Params};
use super::reply::{self, Fail};
use super::workspace::{format_ts, parse_ts, Channel};
use super::{render, Slack};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

const LIST_DEFAULT: i64 = 100;
const LIST_MAX: i64 = 1000;
const HISTORY_DEFAULT: i64 = 100;
const HISTORY_MAX: i64 = 999;

/// `limit` within 1..=max (`default` when absent or 0), or `invalid_limit`.
pub fn limit(params: &Params, default: i64, max: i64) -> Result<usize, Fail> {
    match params.int("limit") {
        Err(()) => Err(Fail::Code("invalid_limit")),
        Ok(None | Some(0)) => Ok(default.clamp(1, max) as usize),
        Ok(Some(n)) if n < 0 => Err(Fail::Code("invalid_limit")),
        Ok(Some(n)) => Ok(n.min(max) as usize),
    }
}

/// The scope each conversation type needs to be listed.
fn type_scope(kind: &str) -> Option<&'static str> {
    match kind {
        "public_channel" => Some("channels:read"),
        "private_channel" => Some("groups:read"),
        "im" => Some("im:read"),
        "mpim" => Some("mpim:read"),
        _ => None,
    }
}

pub fn list(s: &Slack, caller: &Caller, params: &Params) -> Response {
    let types = params
        .text("types")
        .unwrap_or_else(|| "public_channel".into());
    let types: Vec<&str> = types
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    for kind in &types {
        let Some(scope) = type_scope(kind) else {
            return reply::error("invalid_types");
        };
        if let Err(missing) = caller.require(scope) {
            return missing.into_response();
        }
    }
    let limit = match limit(params, LIST_DEFAULT, LIST_MAX) {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let exclude_archived = params.flag("exclude_archived");
    let ws = s.ws();
    let visible = |c: &&Channel| {
        let wanted = if c.is_private {
            types.contains(&"private_channel") && c.members.contains(&caller.user_id)
        } else {
            types.contains(&"public_channel")
        };
        wanted && !(exclude_archived && c.is_archived)
    };
    let all: Vec<&Channel> = ws.channels.iter().filter(visible).collect();
    let start = match params.text("cursor") {
        None => 0,
        Some(c) => {
            match read_cursor("team", &c).and_then(|id| all.iter().position(|ch| ch.id == id)) {
                Some(i) => i,
                None => return reply::error("invalid_cursor"),
            }
        }
    };
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(limit)
        .map(|c| render::channel(c, &caller.user_id))
        .collect();
    let next = all
        .get(start + limit)
        .map(|c| cursor("team", &c.id))
        .unwrap_or_default();
    reply::ok(json!({ "channels": page, "response_metadata": { "next_cursor": next } }))
}

pub fn join(s: &Slack, caller: &Caller, params: &Params) -> Response {
    let scope = if caller.kind == Kind::Bot {
        "channels:join"
    } else {
        "channels:write"
    };
    if let Err(missing) = caller.require(scope) {
        return missing.into_response();
    }
    let Some(key) = params.text("channel") else {
        return reply::error("channel_not_found");
    };
    let mut ws = s.ws();
    let Some(c) = ws
        .channel_index(&key)
        .filter(|i| ws.channels[*i].id == key)
        .map(|i| &mut ws.channels[i])
    else {
        return reply::error("channel_not_found");
    };
    if c.is_private {
        let member = c.members.contains(&caller.user_id);
        return reply::error(if member {
            "method_not_supported_for_channel_type"
        } else {
            "channel_not_found"
        });
    }
    if c.is_archived {
        return reply::error("is_archived");
    }
    let already = !c.members.insert(caller.user_id.clone());
    let mut body = json!({ "channel": render::channel(c, &caller.user_id) });
    if already {
        body["warning"] = json!("already_in_channel");
        body["response_metadata"] = json!({ "warnings": ["already_in_channel"] });
    }
    reply::ok(body)
}

pub fn history(s: &Slack, caller: &Caller, params: &Params) -> Response {
    let Some(key) = params.text("channel") else {
        return reply::error("channel_not_found");
    };
    let ws = s.ws();
    let Some(c) = ws
        .channel_index(&key)
        .filter(|i| ws.channels[*i].id == key)
        .map(|i| &ws.channels[i])
    else {
        return reply::error("channel_not_found");
    };
    let member = c.members.contains(&caller.user_id);
    if c.is_private && !member {
        return reply::error("channel_not_found");
    }
    if let Err(missing) = caller.require(if c.is_private {
        "groups:history"
    } else {
        "channels:history"
    }) {
        return missing.into_response();
    }
    if !member && caller.kind == Kind::Bot {
        return reply::error("not_in_channel");
    }
    let limit = match limit(params, HISTORY_DEFAULT, HISTORY_MAX) {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let bound = |key: &str, code: &'static str| match params.text(key) {
        None => Ok(None),
        Some(t) => parse_ts(&t).map(Some).ok_or(code),
    };
    let (oldest, latest) = match (
        bound("oldest", "invalid_ts_oldest"),
        bound("latest", "invalid_ts_latest"),
    ) {
        (Ok(o), Ok(l)) => (o, l),
        (Err(code), _) | (_, Err(code)) => return reply::error(code),
    };
    let inclusive = params.flag("inclusive");
    let before = match params.text("cursor") {
        None => None,
        Some(c) => match read_cursor("next_ts", &c)
            .filter(|t| t.len() > 6 && t.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(t) => parse_ts(&format!("{}.{}", &t[..t.len() - 6], &t[t.len() - 6..])),
            None => return reply::error("invalid_cursor"),
        },
    };
    let in_range = |ts: (i64, u32)| {
        let after_oldest = oldest.is_none_or(|o| ts > o || (inclusive && ts == o));
        let before_latest = latest.is_none_or(|l| ts < l || (inclusive && ts == l));
        after_oldest && before_latest && before.is_none_or(|b| ts <= b)
    };
    let messages: Vec<_> = ws
        .messages
        .get(&c.id)
        .map(|list| {
            list.iter()
                .rev()
                .filter(|m| parse_ts(&m.ts).is_some_and(in_range))
                .collect()
        })
        .unwrap_or_default();
    let page: Vec<Value> = messages
        .iter()
        .take(limit)
        .map(|m| render::message(m))
        .collect();
    let mut body = json!({ "messages": page, "has_more": messages.len() > limit, "pin_count": 0, "channel_actions_ts": null, "channel_actions_count": 0 });
    if let Some(next) = messages.get(limit).and_then(|m| parse_ts(&m.ts)) {
        body["response_metadata"] =
            json!({ "next_cursor": cursor("next_ts", &format_ts(next).replace('.', "")) });
    }
    reply::ok(body)
}

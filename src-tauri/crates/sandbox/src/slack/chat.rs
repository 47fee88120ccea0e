//! `chat.postMessage`: posting as the bot (or the installing person) by channel id or
//! name, with `text` and/or Block Kit `blocks` (JSON body, or a JSON string in a form),
//! the per-channel rate limit, and Slack's refusals (`no_text`, `channel_not_found`,
//! `not_in_channel` unless the bot has `chat:write.public`, `is_archived`,
//! `msg_too_long` over 40,000 characters, `invalid_blocks`, `invalid_blocks_format`).

use super::auth::{Caller, Kind};
use super::params::Params;
use super::workspace::Message;
use super::{render, reply, Slack};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// Slack's limit on a message's `text`.
pub const MAX_TEXT_CHARS: usize = 40_000;
/// Block Kit's limit on blocks per message.
pub const MAX_BLOCKS: usize = 50;

/// A text object: `{"type": "plain_text" | "mrkdwn", "text": "…"}`.
fn text_object_ok(v: &Value) -> bool {
    matches!(
        v.get("type").and_then(Value::as_str),
        Some("plain_text" | "mrkdwn")
    ) && v.get("text").is_some_and(Value::is_string)
}

fn block_ok(block: &Value) -> bool {
    let Some(kind) = block
        .get("type")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
    else {
        return false;
    };
    match kind {
        "section" => {
            let text = block.get("text").map(text_object_ok);
            let fields = block
                .get("fields")
                .and_then(Value::as_array)
                .map(|f| !f.is_empty() && f.len() <= 10 && f.iter().all(text_object_ok));
            text != Some(false)
                && fields != Some(false)
                && (text.is_some() || fields.is_some() || block.get("accessory").is_some())
        }
        "header" => block.get("text").is_some_and(|t| {
            t.get("type").and_then(Value::as_str) == Some("plain_text") && text_object_ok(t)
        }),
        "context" => block
            .get("elements")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty()),
        "actions" => block
            .get("elements")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty()),
        "image" => block.get("alt_text").is_some_and(Value::is_string),
        _ => block.is_object(),
    }
}

/// `Ok(None)` without blocks, the blocks when valid, or the Slack error code.
fn blocks(params: &Params) -> Result<Option<Value>, &'static str> {
    let parsed = match params.get("blocks") {
        None => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => {
            serde_json::from_str::<Value>(s).map_err(|_| "invalid_blocks_format")?
        }
        Some(v) => v.clone(),
    };
    let list = parsed.as_array().ok_or("invalid_blocks_format")?;
    if list.is_empty() {
        return Ok(None);
    }
    if list.len() > MAX_BLOCKS || !list.iter().all(block_ok) {
        return Err("invalid_blocks");
    }
    Ok(Some(parsed))
}

fn has_attachments(params: &Params) -> bool {
    match params.get("attachments") {
        Some(Value::String(s)) => serde_json::from_str::<Value>(s)
            .ok()
            .and_then(|v| v.as_array().map(|a| !a.is_empty()))
            .unwrap_or(false),
        Some(Value::Array(a)) => !a.is_empty(),
        _ => false,
    }
}

pub fn post_message(s: &Slack, caller: &Caller, params: &Params) -> Response {
    if let Err(missing) = caller.require("chat:write") {
        return missing.into_response();
    }
    let Some(channel) = params.text("channel") else {
        return reply::error("channel_not_found");
    };
    let blocks = match blocks(params) {
        Ok(b) => b,
        Err(code) => return reply::error(code),
    };
    let mut text = params.str("text").unwrap_or_default();
    if text.trim().is_empty() && blocks.is_none() && !has_attachments(params) {
        return reply::error("no_text");
    }
    let mut warnings = Vec::new();
    if text.chars().count() > MAX_TEXT_CHARS {
        if !s.limits.settings().truncate_long_text {
            return reply::error("msg_too_long");
        }
        text = text.chars().take(MAX_TEXT_CHARS).collect();
        warnings.push("message_truncated");
    }
    let mut ws = s.ws();
    let Some(index) = ws.channel_index(&channel) else {
        return reply::error("channel_not_found");
    };
    let c = &ws.channels[index];
    let member = c.members.contains(&caller.user_id);
    if c.is_private && !member {
        return reply::error("channel_not_found");
    }
    if c.is_archived {
        return reply::error("is_archived");
    }
    if !member && (caller.kind != Kind::Bot || !caller.has("chat:write.public")) {
        return reply::error("not_in_channel");
    }
    let channel_id = c.id.clone();
    if let Err(wait) = s.limits.post(&channel_id) {
        return reply::ratelimited(wait);
    }
    let bot = caller.kind == Kind::Bot;
    let message = Message {
        ts: ws.next_ts(),
        user: (!bot).then(|| caller.user_id.clone()),
        bot_id: bot.then(|| ws.bot_id.clone()),
        app_id: None,
        text,
        blocks,
        thread_ts: params.text("thread_ts"),
        username: params.text("username").filter(|_| bot),
    };
    ws.post(index, message.clone());
    let mut body =
        json!({ "channel": channel_id, "ts": message.ts, "message": render::message(&message) });
    if let Some(first) = warnings.first() {
        body["warning"] = json!(first);
        body["response_metadata"] = json!({ "warnings": warnings });
    }
    reply::ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_validation() {
        let ok =
            json!([{"type":"section","text":{"type":"mrkdwn","text":"*hi*"}},{"type":"divider"}]);
        assert!(ok.as_array().is_some_and(|l| l.iter().all(block_ok)));
        assert!(!block_ok(
            &json!({"type":"section","text":{"type":"html","text":"x"}})
        ));
        assert!(!block_ok(&json!({"type":"section"})));
        assert!(!block_ok(
            &json!({"type":"header","text":{"type":"mrkdwn","text":"x"}})
        ));
        assert!(!block_ok(&json!({"text":"no type"})));
        assert!(!block_ok(&json!("section")));
    }
}

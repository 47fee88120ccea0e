//! Slack: who is connected (`auth.test`, which also verifies a pasted bot token). Slack
//! answers errors with HTTP 200 and `ok:false`.

use crate::http::Stack;
use crate::identity::{authed_json, text, Identity, IdentityError};
use reqwest::Method;
use switchyard_store::Secret;

pub async fn identity(
    stack: &Stack,
    api_base: &str,
    token: &Secret<String>,
) -> Result<Identity, IdentityError> {
    let url = format!("{}/api/auth.test", api_base.trim_end_matches('/'));
    let info = authed_json(stack, Method::POST, &url, "/api/auth.test", token).await?;
    if info.get("ok").and_then(serde_json::Value::as_bool) != Some(true) {
        return match text(&info, "/error").as_deref() {
            Some(
                "invalid_auth" | "not_authed" | "token_revoked" | "token_expired"
                | "account_inactive",
            ) => Err(IdentityError::Rejected),
            other => Err(IdentityError::Unexpected(
                other.unwrap_or("ok:false").to_owned(),
            )),
        };
    }
    let team = text(&info, "/team").ok_or_else(|| IdentityError::Unexpected("no team".into()))?;
    Ok(Identity {
        account_id: text(&info, "/team_id"),
        account_name: team,
        user_name: text(&info, "/user"),
    })
}

/// Where a posted message landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub channel: String,
    pub ts: String,
}

/// What each `ok:false` error means to the person who configured the channel.
fn post_error(code: &str) -> String {
    match code {
        "not_in_channel" => "the Switchyard bot is not a member of that channel: invite it (/invite @Switchyard) or pick another channel".into(),
        "channel_not_found" => "Slack has no channel with that id, or the bot cannot see it".into(),
        "is_archived" => "that channel is archived".into(),
        "msg_too_long" => "the message is longer than Slack allows".into(),
        "invalid_auth" | "not_authed" | "token_revoked" | "account_inactive" => "Slack no longer accepts this sign-in: reconnect Slack".into(),
        other => format!("Slack refused the message ({other})"),
    }
}

/// `chat.postMessage` as the bot. Posting is not idempotent, so a post that may have
/// arrived is never sent twice; Slack's 429 with `Retry-After` is waited out by the stack.
pub async fn post_message(
    stack: &Stack,
    api_base: &str,
    token: &Secret<String>,
    channel: &str,
    message: &str,
) -> Result<Posted, crate::connector::ConnectorError> {
    use crate::connector::ConnectorError;
    let url = format!("{}/api/chat.postMessage", api_base.trim_end_matches('/'));
    let mut call = crate::http::Call::new(Method::POST, url, "/api/chat.postMessage");
    let mut auth = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| ConnectorError::NeedsReconnect("the saved Slack token is unusable".into()))?;
    auth.set_sensitive(true);
    call.headers.insert(reqwest::header::AUTHORIZATION, auth);
    call.headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    call.body = Some(
        serde_json::json!({ "channel": channel, "text": message })
            .to_string()
            .into(),
    );
    let reply = stack.send(&call).await?;
    let body: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(ConnectorError::unexpected)?;
    if body.get("ok").and_then(serde_json::Value::as_bool) != Some(true) {
        let code = text(&body, "/error").unwrap_or_else(|| "ok:false".into());
        if matches!(
            code.as_str(),
            "invalid_auth" | "not_authed" | "token_revoked" | "account_inactive"
        ) {
            return Err(ConnectorError::NeedsReconnect(post_error(&code)));
        }
        return Err(ConnectorError::Rejected {
            status: reply.status,
            message: post_error(&code),
            provider_code: code,
        });
    }
    Ok(Posted {
        channel: text(&body, "/channel").unwrap_or_else(|| channel.to_owned()),
        ts: text(&body, "/ts")
            .ok_or_else(|| ConnectorError::unexpected("a posted message without ts"))?,
    })
}

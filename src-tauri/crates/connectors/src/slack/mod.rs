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

//! Salesforce: who is connected (OpenID Connect userinfo on the instance host).

use crate::http::Stack;
use crate::identity::{authed_json, text, Identity, IdentityError};
use reqwest::Method;
use switchyard_store::Secret;

/// The org and user behind a token; `instance_url` is the token response's API host.
pub async fn identity(
    stack: &Stack,
    instance_url: &str,
    token: &Secret<String>,
) -> Result<Identity, IdentityError> {
    let url = format!(
        "{}/services/oauth2/userinfo",
        instance_url.trim_end_matches('/')
    );
    let info = authed_json(stack, Method::GET, &url, "/services/oauth2/userinfo", token).await?;
    let org = text(&info, "/organization_id")
        .ok_or_else(|| IdentityError::Unexpected("no organization_id".into()))?;
    Ok(Identity {
        account_name: format!("Salesforce org {org}"),
        account_id: Some(org),
        user_name: text(&info, "/name").or_else(|| text(&info, "/preferred_username")),
    })
}

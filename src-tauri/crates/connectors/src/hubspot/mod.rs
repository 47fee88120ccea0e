//! HubSpot: who is connected. OAuth tokens describe themselves
//! (`GET /oauth/v1/access-tokens/{token}`: hub id, domain, user); a pasted private-app or
//! service-key token is verified with the cheapest authenticated read instead.

use crate::http::Stack;
use crate::identity::{authed_json, text, Identity, IdentityError};
use reqwest::Method;
use switchyard_store::Secret;

pub async fn identity(
    stack: &Stack,
    api_base: &str,
    token: &Secret<String>,
) -> Result<Identity, IdentityError> {
    let base = api_base.trim_end_matches('/');
    if !token.expose().starts_with("pat-") {
        let url = format!("{base}/oauth/v1/access-tokens/{}", token.expose());
        let info = authed_json(
            stack,
            Method::GET,
            &url,
            "/oauth/v1/access-tokens/{token}",
            token,
        )
        .await?;
        let hub =
            text(&info, "/hub_id").ok_or_else(|| IdentityError::Unexpected("no hub_id".into()))?;
        let name = text(&info, "/hub_domain").unwrap_or_else(|| format!("HubSpot portal {hub}"));
        return Ok(Identity {
            account_id: Some(hub),
            account_name: name,
            user_name: text(&info, "/user"),
        });
    }
    // Private-app / service-key tokens: one page of one contact proves the token works.
    authed_json(
        stack,
        Method::GET,
        &format!("{base}/crm/v3/objects/contacts?limit=1"),
        "/crm/v3/objects/contacts",
        token,
    )
    .await?;
    Ok(Identity {
        account_id: None,
        account_name: "HubSpot (private app)".into(),
        user_name: None,
    })
}

//! Revoking a grant at the provider when the user disconnects, in each provider's own
//! shape: Salesforce RFC 7009 form (`token=`), HubSpot 2026-03 form with the client's
//! credentials, QuickBooks JSON `{"token"}` with HTTP Basic client auth, Slack
//! `auth.revoke` with the token itself. Zapier hooks have nothing to revoke.

use super::endpoints::OAuthEndpoints;
use crate::http::{Call, CallError, Stack};
use base64::Engine as _;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

/// Revokes `token` (the refresh token where there is one, else the access token).
pub async fn revoke(
    stack: &Stack,
    provider: ProviderId,
    endpoints: &OAuthEndpoints,
    client_id: &str,
    client_secret: Option<&Secret<String>>,
    token: &Secret<String>,
) -> Result<(), CallError> {
    let Some(url) = endpoints.revoke.as_deref() else {
        return Ok(());
    };
    let mut call = Call::new(Method::POST, url, "revoke");
    call.idempotent = true;
    let form = |pairs: &[(&str, &str)]| {
        serde_urlencoded::to_string(pairs)
            .unwrap_or_default()
            .into_bytes()
    };
    let secret = client_secret
        .map(|s| s.expose().as_str())
        .unwrap_or_default();
    let body =
        match provider {
            ProviderId::Zapier => return Ok(()),
            ProviderId::Salesforce => form(&[("token", token.expose())]),
            ProviderId::Hubspot => form(&[
                ("token", token.expose()),
                ("client_id", client_id),
                ("client_secret", secret),
            ]),
            ProviderId::Quickbooks => {
                let basic = base64::engine::general_purpose::STANDARD
                    .encode(format!("{client_id}:{secret}"));
                let mut value = HeaderValue::from_str(&format!("Basic {basic}")).map_err(|e| {
                    CallError::Network {
                        message: e.to_string(),
                        attempts: 0,
                    }
                })?;
                value.set_sensitive(true);
                call.headers.insert(AUTHORIZATION, value);
                call.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                call.body = Some(
                    serde_json::to_vec(&serde_json::json!({ "token": token.expose() }))
                        .unwrap_or_default()
                        .into(),
                );
                return stack.send(&call).await.map(|_| ());
            }
            ProviderId::Slack => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|e| CallError::Network {
                        message: e.to_string(),
                        attempts: 0,
                    })?;
                value.set_sensitive(true);
                call.headers.insert(AUTHORIZATION, value);
                Vec::new()
            }
        };
    call.headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    call.body = Some(body.into());
    stack.send(&call).await.map(|_| ())
}

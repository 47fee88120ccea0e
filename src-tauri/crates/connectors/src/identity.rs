//! "Who is connected": the result of each provider's one cheap identity call, and the
//! errors it can end in. The calls themselves live in each provider's folder.

use crate::http::{Call, CallError, Stack};
use reqwest::Method;
use switchyard_store::Secret;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Org id, portal id, realmId, team id.
    pub account_id: Option<String>,
    /// What the user recognises: org or company name, portal, workspace.
    pub account_name: String,
    pub user_name: Option<String>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum IdentityError {
    #[error("the provider did not accept the credentials")]
    Rejected,
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("the provider's answer was not understood: {0}")]
    Unexpected(String),
}

/// GET (or POST) with a bearer token through the client stack; 401/403 → `Rejected`.
pub(crate) async fn authed_json(
    stack: &Stack,
    method: Method,
    url: &str,
    endpoint: &str,
    token: &Secret<String>,
) -> Result<serde_json::Value, IdentityError> {
    let mut call = Call::new(method, url, endpoint);
    call.idempotent = true;
    let value = format!("Bearer {}", token.expose());
    call.headers.insert(
        reqwest::header::AUTHORIZATION,
        value.parse().map_err(|_| IdentityError::Rejected)?,
    );
    call.headers.insert(
        reqwest::header::ACCEPT,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    match stack.send(&call).await {
        Ok(reply) => serde_json::from_slice(&reply.body)
            .map_err(|e| IdentityError::Unexpected(e.to_string())),
        Err(CallError::Status {
            status: 401 | 403, ..
        }) => Err(IdentityError::Rejected),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn text(v: &serde_json::Value, pointer: &str) -> Option<String> {
    match v.pointer(pointer)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

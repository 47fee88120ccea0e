//! Authenticated calls: the client stack plus the connection's token source. The bearer
//! token is added to each call; when the provider answers 401 (Salesforce's
//! `INVALID_SESSION_ID`, HubSpot's `EXPIRED_AUTHENTICATION`, QuickBooks' `AuthenticationFailed`)
//! the token is refreshed — once, however many calls failed together — and the call is
//! sent again with the new token.

use super::tokens::{TokenError, TokenSource};
use crate::http::{Call, CallError, Reply, Stack};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use std::sync::Arc;
use switchyard_store::Secret;

#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthedError {
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Call(#[from] CallError),
}

#[derive(Debug, Clone)]
pub struct AuthedClient {
    stack: Arc<Stack>,
    tokens: TokenSource,
}

impl AuthedClient {
    pub fn new(stack: Arc<Stack>, tokens: TokenSource) -> Self {
        Self { stack, tokens }
    }

    pub fn stack(&self) -> &Arc<Stack> {
        &self.stack
    }

    pub fn tokens(&self) -> &TokenSource {
        &self.tokens
    }

    pub async fn send(&self, call: &Call) -> Result<Reply, AuthedError> {
        let token = self.tokens.access_token().await?;
        match self.stack.send(&with_bearer(call, &token)?).await {
            Err(CallError::Status { status: 401, .. }) => {
                let fresh = self.tokens.after_rejection(&token).await?;
                Ok(self.stack.send(&with_bearer(call, &fresh)?).await?)
            }
            other => Ok(other?),
        }
    }
}

fn with_bearer(call: &Call, token: &Secret<String>) -> Result<Call, TokenError> {
    let mut call = call.clone();
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| TokenError::Store("the saved token is not a valid header value".into()))?;
    value.set_sensitive(true);
    call.headers.insert(AUTHORIZATION, value);
    Ok(call)
}

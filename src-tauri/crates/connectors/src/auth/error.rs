//! How a sign-in can fail, shared by the flow that starts and finishes it and the
//! loopback listener that receives the browser's redirect (neither depends on the other
//! for it).

use super::instance_url::UntrustedInstance;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("the sign-in was not finished within the time limit")]
    Timeout,
    #[error("the sign-in was cancelled")]
    Cancelled,
    #[error("access was not granted ({error}{})", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Denied {
        error: String,
        description: Option<String>,
    },
    #[error("the pasted address is not the one this sign-in is waiting for")]
    StateMismatch,
    #[error("the provider refused the sign-in ({error}{})", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Provider {
        error: String,
        description: Option<String>,
    },
    #[error("could not reach the provider: {0}")]
    Network(String),
    #[error("the connection settings are not valid: {0}")]
    Config(String),
    /// The token response named an API host the endpoints do not allow; no token was used.
    #[error("{0}")]
    UntrustedInstance(#[from] UntrustedInstance),
}

//! How connector calls fail. A whole call fails with a `ConnectorError` (nothing is known
//! to have happened); one record of a batch fails with a `RecordError` carrying the
//! provider's own code and message, so the engine can store it and retry that record.

use crate::auth::{AuthedError, TokenError};
use crate::http::CallError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnectorError {
    /// The sign-in is gone (refresh refused): the user must reconnect.
    #[error("{0}")]
    NeedsReconnect(String),
    /// Rate limited, timed out, unreachable, circuit open, 5xx after retries.
    #[error("{0}")]
    Unavailable(String),
    /// The provider refused the request itself (4xx) with its code and message.
    #[error("{provider_code}: {message}")]
    Rejected {
        status: u16,
        provider_code: String,
        message: String,
    },
    #[error("{0} is not an object this connection can sync")]
    UnknownObject(String),
    #[error("the provider's answer was not understood: {0}")]
    Unexpected(String),
    #[error("{0}")]
    Unsupported(String),
    /// The provider can no longer say what changed since then (QuickBooks change data
    /// reaches 30 days back): the caller must compare everything instead.
    #[error("{0}")]
    ChangesUnavailable(String),
}

impl ConnectorError {
    pub fn unexpected(what: impl std::fmt::Display) -> Self {
        Self::Unexpected(what.to_string())
    }

    /// Rate limits and outages pass; a retry later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

impl From<TokenError> for ConnectorError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::NeedsReconnect(m) => Self::NeedsReconnect(m),
            TokenError::Network(m) => {
                Self::Unavailable(format!("could not refresh the sign-in: {m}"))
            }
            TokenError::Store(m) => Self::Unexpected(m),
        }
    }
}

/// A `CallError` whose status body is not needed (callers that need it match first).
impl From<CallError> for ConnectorError {
    fn from(e: CallError) -> Self {
        match &e {
            CallError::Status { status, body, .. } if *status < 500 && *status != 429 => {
                let (code, message) = crate::connector_error::summarize(body);
                Self::Rejected {
                    status: *status,
                    provider_code: code.unwrap_or_else(|| format!("HTTP_{status}")),
                    message: message.unwrap_or_else(|| e.to_string()),
                }
            }
            _ => Self::Unavailable(e.to_string()),
        }
    }
}

impl From<AuthedError> for ConnectorError {
    fn from(e: AuthedError) -> Self {
        match e {
            AuthedError::Token(t) => t.into(),
            AuthedError::Call(c) => c.into(),
        }
    }
}

/// The code and message of any of the providers' error bodies: Salesforce's array
/// `[{errorCode, message}]`, HubSpot's `{category, message}`, QuickBooks'
/// `{Fault: {Error: [{code, Message, Detail}]}}` (or lowercase), Slack's `{error}`.
pub fn summarize(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None);
    };
    let s = |v: Option<&serde_json::Value>| {
        v.and_then(|x| match x {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    if let Some(first) = v.as_array().and_then(|a| a.first()) {
        return (s(first.get("errorCode")), s(first.get("message")));
    }
    let fault = v.get("Fault").or_else(|| v.get("fault"));
    if let Some(e) = fault
        .and_then(|f| f.get("Error").or_else(|| f.get("error")))
        .and_then(|e| e.as_array())
        .and_then(|a| a.first())
    {
        let message = s(e.get("Message").or_else(|| e.get("message")));
        let detail = s(e.get("Detail").or_else(|| e.get("detail")));
        let text = match (message, detail) {
            (Some(m), Some(d)) if !d.is_empty() => Some(format!("{m}: {d}")),
            (m, _) => m,
        };
        return (s(e.get("code")), text);
    }
    if let Some(code) = s(v.get("category")) {
        return (Some(code), s(v.get("message")));
    }
    (
        s(v.get("error")),
        s(v.get("message")).or_else(|| s(v.get("error_description"))),
    )
}

/// One record's failure inside a batch.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordError {
    /// The provider's code (`DUPLICATE_VALUE`, `VALIDATION_ERROR`, `6240`, …).
    pub code: String,
    pub message: String,
    /// Fields the provider blamed, when it said.
    pub fields: Vec<String>,
    /// Worth sending again as is (a lock, a stale version re-read, a throttle).
    pub retryable: bool,
}

impl RecordError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
            retryable: false,
        }
    }
}

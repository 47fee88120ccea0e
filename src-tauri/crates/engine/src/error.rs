//! Engine errors carry a stable code the UI and CLI can branch on, and a sentence a
//! business user can read. Raw provider or database errors never reach the UI unwrapped.

use switchyard_store::StoreError;

/// Stable error codes. Never rename a variant: front ends match on the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    AuthExpired,
    RateLimited,
    Conflict,
    Unavailable,
    Storage,
    Internal,
    /// A provider's answer pointed Switchyard at a host it does not trust with a token.
    UntrustedHost,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::NotFound => "not_found",
            ErrorCode::AuthExpired => "auth_expired",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Storage => "storage",
            ErrorCode::Internal => "internal",
            ErrorCode::UntrustedHost => "untrusted_host",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct EngineError {
    pub code: ErrorCode,
    pub message: String,
}

pub type EngineResult<T> = Result<T, EngineError>;

impl EngineError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }
}

impl From<StoreError> for EngineError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::NotFound { .. } => ErrorCode::NotFound,
            StoreError::TooNew { .. }
            | StoreError::Key(_)
            | StoreError::Decrypt { .. }
            | StoreError::Io { .. } => ErrorCode::Storage,
            StoreError::Sqlx(sqlx_err) if is_busy(sqlx_err) => ErrorCode::Unavailable,
            _ => ErrorCode::Storage,
        };
        if code == ErrorCode::Storage {
            tracing::error!(error = %e, "store error");
        }
        EngineError::new(code, e.to_string())
    }
}

fn is_busy(e: &switchyard_store::sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "5" || c == "6")
}

//! The error every command returns across IPC: `{code, message}` with a stable code.

use switchyard_engine::{EngineError, ErrorCode};

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<EngineError> for IpcError {
    fn from(e: EngineError) -> Self {
        Self {
            code: e.code,
            message: e.message,
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

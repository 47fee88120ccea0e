//! The engine: the one API the desktop shell and the CLI call. It owns the store
//! handle and turns store rows into the typed views the UI shows; later it runs syncs.
//! No UI assumptions live here, so `switchyard-cli` can run it unattended.

pub mod api;
mod engine;
mod error;
pub mod logging;
pub(crate) mod sandbox;

pub use engine::{Engine, EngineConfig};

/// Plays the person at the browser on a *sandbox* consent page (for tests and demos).
pub async fn sandbox_consent(authorize_url: &str) -> Result<(), String> {
    sandbox::consent::allow(authorize_url).await
}

/// Allows a *sandbox* consent page and returns the address the browser would land on.
pub async fn sandbox_consent_landing(authorize_url: &str) -> Result<String, String> {
    sandbox::consent::allow_without_following(authorize_url).await
}
pub use error::{EngineError, EngineResult, ErrorCode};
pub use switchyard_connectors::http::CircuitState;
pub use switchyard_store as store;

//! The engine: the one API the desktop shell and the CLI call. It owns the store
//! handle and turns store rows into the typed views the UI shows; later it runs syncs.
//! No UI assumptions live here, so `switchyard-cli` can run it unattended.

pub mod api;
mod engine;
mod error;
pub mod health;
pub mod logging;
pub mod mapping;
pub(crate) mod sandbox;
pub mod startup;
pub mod sync;
pub mod webhooks;

pub use engine::{Engine, EngineConfig};
pub use sandbox::SANDBOX_URLS_ENV;

pub use error::{EngineError, EngineResult, ErrorCode};
pub use switchyard_connectors as connectors;
pub use switchyard_connectors::http::CircuitState;
pub use switchyard_store as store;

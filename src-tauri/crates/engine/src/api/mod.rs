//! The engine's public API, grouped by the same areas as the shell's commands. Each
//! function returns a typed view (`specta::Type`) the UI receives as is.

pub mod apps;
pub mod connect;
pub mod connect_flow;
pub mod connections;
pub mod health;
pub mod mapping_editor;
pub mod mappings;
pub mod metrics_rollup;
pub mod notifications;
pub mod provider_limits;
pub mod run_detail;
pub mod runs;
pub mod schema;
pub mod settings;
pub mod webhooks;

//! The contract between the harness and one provider simulator.

use crate::config::{SandboxConfig, SeedSpec};
use crate::faults::Faults;
use axum::response::Response;
use axum::Router;
use serde::Deserialize;
use std::sync::Arc;

/// What every simulator gets from the harness.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `http://127.0.0.1:<port>` of this simulator's listener.
    pub base_url: String,
    pub config: SandboxConfig,
    /// Handler-level faults (stale SyncToken, duplicate value, partial batch) are taken
    /// from here by the handlers that can produce them.
    pub faults: Arc<Faults>,
}

/// "Another user edited this record": applied through the control API.
#[derive(Debug, Clone, Deserialize)]
pub struct Mutation {
    /// Object name as the provider spells it (`Lead`, `contacts`, `Customer`).
    pub object: String,
    /// Record id; `None` creates a record.
    #[serde(default)]
    pub id: Option<String>,
    /// Field values to set, as the provider's API would show them.
    #[serde(default)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Delete (or archive/deactivate) instead of editing.
    #[serde(default)]
    pub delete: bool,
    /// One edit of all these records at one instant, as an import makes (HubSpot only):
    /// the same fields set on each, and one last-modified millisecond for all of them.
    #[serde(default)]
    pub ids: Vec<String>,
}

pub trait Simulator: Send + Sync + 'static {
    fn provider(&self) -> &'static str;
    /// The provider's API and OAuth routes (the harness adds `/__sandbox/*`).
    fn routes(self: Arc<Self>) -> Router;
    /// Replaces all data with freshly seeded data and forgets tokens and limits' usage.
    fn reset(&self, seed: SeedSpec);
    /// Every record, for assertions in tests.
    fn dump(&self) -> serde_json::Value;
    fn mutate(&self, m: &Mutation) -> Result<serde_json::Value, String>;
    /// A ready access token (and whatever else a script needs, e.g. realmId).
    fn mint_token(&self) -> serde_json::Value;
    /// Client credentials and redirect URIs registered with this OAuth server.
    fn credentials(&self) -> serde_json::Value;
    /// Provider-specific rate limits, e.g. `{"ten_secondly": 100}`.
    fn set_limits(&self, limits: &serde_json::Value) -> Result<(), String>;
    /// The webhooks this simulator sends when its records change, if it sends any.
    fn webhooks(&self) -> Option<&crate::webhooks::Webhooks> {
        None
    }
    /// Invalidates every access token now (token-expiry fault).
    fn expire_tokens(&self);
    /// The provider's own 429 / 5xx response for an injected fault.
    fn rate_limited(&self) -> Response;
    fn server_error(&self, status: u16) -> Response;
}

//! What every webhook handler shares, kept apart from the server that builds it
//! (`receiver`) and the routes that use it, so neither has to reach into the other.

use super::settings::WebhookSettings;
use crate::Engine;

/// Largest body accepted (a full HubSpot batch of 100 events is a few tens of kB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every handler shares: the engine and the settings the receiver started with.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub engine: Engine,
    pub settings: WebhookSettings,
}

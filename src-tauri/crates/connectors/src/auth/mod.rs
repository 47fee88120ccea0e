//! Connecting accounts: where each provider's OAuth server lives (real or sandbox), the
//! one-shot loopback listener that receives the browser's redirect (RFC 8252), and the
//! authorization-code flow with PKCE S256 and a random `state` (`oauth2` crate),
//! completed either by that listener or by a pasted redirect URL.

mod authed;
mod endpoints;
mod error;
mod flow;
mod instance_url;
mod loopback;
mod revoke;
mod tokens;

pub use authed::{AuthedClient, AuthedError};
pub use endpoints::{oauth_endpoints, production_api_base, OAuthEndpoints, Target};
pub use error::FlowError;
pub use flow::{begin, FlowConfig, PendingFlow, TokenGrant};
pub use instance_url::{InstanceHosts, UntrustedInstance, SALESFORCE_DOMAINS};
pub use loopback::{CallbackParams, Loopback};
pub use revoke::revoke;
pub use tokens::{RefreshConfig, TokenError, TokenSource, ACCESS, REFRESH, REFRESH_MARGIN};

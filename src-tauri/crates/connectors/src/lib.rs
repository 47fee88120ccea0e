//! Provider connectors. Today: the registry of the five providers (what they are, how
//! they authorize, which objects Switchyard syncs). The OAuth flows, the client stack
//! and one folder per provider build on this registry.

pub mod registry;

pub use registry::{provider, providers, ProviderInfo};
pub use switchyard_store::kinds::{AuthKind, ProviderId};

//! The sandbox: local stand-ins for the providers' public APIs, served on 127.0.0.1.
//! It is written from shared/reference/provider-apis.md and depends on no other
//! Switchyard crate, so it can catch our connectors' misreadings of those APIs.
//!
//! This first cut runs the server harness every provider simulator plugs into: one
//! listener per provider on an ephemeral (or configured) loopback port, a status
//! endpoint, and a clean shutdown.

mod server;

pub use server::{ProviderSlot, Sandbox, SandboxConfig, SandboxError};

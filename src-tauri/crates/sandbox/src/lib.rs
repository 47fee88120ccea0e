//! The sandbox: faithful local stand-ins for the public APIs and OAuth servers of
//! Salesforce, HubSpot, QuickBooks Online, Slack and Zapier, served on 127.0.0.1.
//!
//! It is written from shared/reference/provider-apis.md and depends on no other
//! Switchyard crate, so it catches our connectors' misreadings of those APIs instead of
//! repeating them. Each provider is a [`Simulator`] with its own listener; around every
//! simulator the harness adds what tests and demos need: deterministic seeded data,
//! latency, fault injection, request statistics and a control API under `/__sandbox/`.

// Each simulator's `new` returns the `Arc<dyn Simulator>` the server registers.
#![allow(clippy::new_ret_no_self)]

mod config;
pub mod consent;
mod control;
mod faults;
mod harness;
mod hashed;
mod json_out;
pub mod oauth;
pub mod seed;
mod server;
mod sim;
mod stamps;
mod stats;
mod varint;
pub mod webhooks;
mod window;

#[cfg(feature = "hubspot")]
pub mod hubspot;
#[cfg(feature = "quickbooks")]
pub mod quickbooks;
#[cfg(feature = "salesforce")]
pub mod salesforce;
#[cfg(feature = "slack")]
pub mod slack;
#[cfg(feature = "zapier")]
pub mod zapier;

pub use config::{Latency, SandboxConfig, SeedScope, SeedSpec};
pub use faults::{FaultKind, FaultRule};
pub use server::{ProviderSlot, Sandbox, SandboxError};
pub use sim::{Ctx, Mutation, Simulator};
pub use stats::StatRow;

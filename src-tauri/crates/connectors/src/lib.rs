//! Provider connectors: the registry of the five providers (what they are, how they
//! authorize, which objects Switchyard syncs) and the one HTTP client stack every
//! provider call goes through. OAuth flows and one folder per provider build on these.

pub mod api;
pub mod auth;
mod batch;
pub mod cache;
mod codec;
pub mod connector;
mod connector_error;
mod connector_impl;
pub mod cursor;
pub mod http;
pub mod identity;
pub mod keyset;
pub mod record_ids;
pub mod registry;
pub mod schema;
pub mod value;

pub mod hubspot;
pub mod quickbooks;
pub mod salesforce;
pub mod slack;
pub mod zapier;

pub use registry::{provider, providers, ProviderInfo};
pub use switchyard_store::kinds::{AuthKind, ProviderId};

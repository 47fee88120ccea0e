//! HubSpot conformance suite, written from section 2 (and 0, 6, 7) of the provider
//! reference: it starts a sandbox and checks documented paths, shapes, status codes,
//! headers and error bodies with plain HTTP calls.

#![cfg(feature = "hubspot")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "hubspot/auth.rs"]
mod auth;
#[path = "hubspot/batch_search.rs"]
mod batch_search;
#[path = "hubspot/consistency.rs"]
mod consistency;
#[path = "hubspot/indexed_search.rs"]
mod indexed_search;
#[path = "hubspot/limits.rs"]
mod limits;
#[path = "hubspot/oauth.rs"]
mod oauth;
#[path = "hubspot/objects.rs"]
mod objects;
#[path = "hubspot/support.rs"]
mod support;
#[path = "hubspot/tools.rs"]
mod tools;
#[path = "hubspot/upserts.rs"]
mod upserts;
#[path = "hubspot/writes.rs"]
mod writes;

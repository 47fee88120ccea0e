//! The simulators send signed webhooks when their records change: a tiny receiver in the
//! test checks every request with the algorithms of the provider reference (HubSpot v1,
//! v2 and v3 with its 300 s window; `intuit-signature`), written here independently of
//! the simulator, and records the payloads, so the tests can assert what a real receiver
//! would get: which events, batched how, retried when.
#![cfg(all(feature = "hubspot", feature = "quickbooks"))]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "webhooks/hubspot.rs"]
mod hubspot;
#[path = "webhooks/quickbooks.rs"]
mod quickbooks;
#[path = "webhooks/receiver.rs"]
mod receiver;

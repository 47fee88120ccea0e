//! Conformance of the QuickBooks Online sandbox with the Accounting API v3 and Intuit's
//! OAuth server as described in shared/reference/provider-apis.md §3 (+ §0, §6, §7):
//! the OAuth flow (realmId only in the redirect, PKCE, rotation, revoke, production keys
//! refusing loopback), both fault shapes (a Fault in HTTP 200, lowercase `fault` on 401),
//! the query language and paging, SyncTokens (5010), duplicate names (6240), batch, CDC,
//! throttles (429 ThrottleExceeded), injected faults and the control API. Written from
//! the reference, not from the simulator's code. The `#[ignore]`d tests are the SDK check
//! (python-quickbooks + intuit-oauth) and a quick load measurement.
#![cfg(feature = "quickbooks")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "quickbooks/api.rs"]
mod api;
#[path = "quickbooks/limits.rs"]
mod limits;
#[path = "quickbooks/oauth.rs"]
mod oauth;
#[path = "quickbooks/oauth_modes.rs"]
mod oauth_modes;
#[path = "quickbooks/perf.rs"]
mod perf;
#[path = "quickbooks/query.rs"]
mod query;
#[path = "quickbooks/support.rs"]
mod support;
#[path = "quickbooks/sync.rs"]
mod sync;
#[path = "quickbooks/writes.rs"]
mod writes;

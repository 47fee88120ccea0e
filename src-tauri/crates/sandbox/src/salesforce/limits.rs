//! The org's API limits and their use: the rolling-24-hour request allocation (shown in
//! `Sforce-Limit-Info: api-usage=N/M` and `GET /limits`), the cap on concurrent long
//! requests, the session inactivity timeout, refresh-token rotation, and the knobs for
//! behaviour the reference leaves `[UNCONFIRMED]`. All are set through
//! `PUT /__sandbox/limits` with the keys of [`Limits`].

use crate::window::Window;
use axum::http::HeaderValue;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const DAY: Duration = Duration::from_secs(24 * 3600);

/// Adds `Sforce-Limit-Info` to a response.
pub fn with_usage(mut response: Response, used: u64, daily: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("api-usage={used}/{daily}")) {
        response.headers_mut().insert("sforce-limit-info", value);
    }
    response
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Requests per rolling 24 hours (`DailyApiRequests.Max`).
    pub daily: u64,
    /// Long-running requests allowed at once (25 in production orgs, 5 in dev orgs).
    pub concurrent: u64,
    /// A request counts against `concurrent` once it has run this long (20 s).
    pub long_request_secs: u64,
    /// Access tokens stop working after this much inactivity (default 2 h).
    pub session_timeout_secs: u64,
    /// Refresh grants return a new refresh token and invalidate the old one.
    pub rotate_refresh_tokens: bool,
    /// Token requests must authenticate with the client secret (else PKCE suffices).
    pub require_client_secret: bool,
    /// Open query cursors per user; the oldest is released past this (10).
    pub max_cursors: usize,
    /// Status of an upsert that updated (v46+): 200 with a body, or 204 `[UNCONFIRMED]`.
    pub upsert_update_status: u16,
    /// Collection upserts by `Id` (a record without one is created). The REST guide says
    /// they take external ids only; the Mobile SDK documents `Id` `[UNCONFIRMED]`.
    pub collections_upsert_by_id: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            daily: 100_000,
            concurrent: 25,
            long_request_secs: 20,
            session_timeout_secs: 7200,
            rotate_refresh_tokens: false,
            require_client_secret: false,
            max_cursors: 10,
            upsert_update_status: 200,
            collections_upsert_by_id: false,
        }
    }
}

impl Limits {
    /// These limits with the keys of `patch` replaced; unknown keys are refused.
    pub fn patched(&self, patch: &serde_json::Value) -> Result<Self, String> {
        let mut merged = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let (Some(target), Some(changes)) = (merged.as_object_mut(), patch.as_object()) else {
            return Err("expected a JSON object of limits".into());
        };
        // Unknown keys are skipped (one request may carry every provider's limits), but a
        // request naming none of ours is refused as a likely typo.
        let mut known = 0;
        for (key, value) in changes {
            if target.contains_key(key) {
                target.insert(key.clone(), value.clone());
                known += 1;
            }
        }
        if known == 0 && !changes.is_empty() {
            let names: Vec<&String> = target.keys().collect();
            return Err(format!(
                "no Salesforce limit among {:?}; known: {names:?}",
                changes.keys().collect::<Vec<_>>()
            ));
        }
        let limits: Self = serde_json::from_value(merged).map_err(|e| e.to_string())?;
        if !matches!(limits.upsert_update_status, 200 | 204) {
            return Err("upsert_update_status must be 200 or 204".into());
        }
        Ok(limits)
    }
}

/// Requests counted against the limits.
#[derive(Debug, Default)]
pub struct Usage {
    daily: Window<()>,
    /// Requests counted in the last 24 hours, as of the latest count.
    used: AtomicU64,
    inflight: Mutex<HashMap<u64, Instant>>,
    next: AtomicU64,
}

/// Marks a request in flight until dropped.
#[derive(Debug)]
pub struct InFlight<'a> {
    usage: &'a Usage,
    key: u64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.usage
            .inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

impl Usage {
    /// Counts one request; `Err(used)` when the daily allocation is spent.
    pub fn count(&self, daily: u64) -> Result<u64, u64> {
        let limit = u32::try_from(daily).unwrap_or(u32::MAX);
        let used = match self.daily.hit(&(), limit, DAY) {
            Ok(remaining) => Ok(u64::from(limit - remaining)),
            Err(_) => Err(u64::from(limit)),
        };
        self.used
            .store(used.unwrap_or_else(|u| u), Ordering::Relaxed);
        used
    }

    /// Requests counted in the last 24 hours (as of the latest count).
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// Enters a request, unless `cap` others have already run for `long` or more.
    pub fn enter(&self, cap: u64, long: Duration) -> Result<InFlight<'_>, ()> {
        let mut inflight = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let long_running = inflight
            .values()
            .filter(|started| now.duration_since(**started) >= long)
            .count() as u64;
        if long_running >= cap {
            return Err(());
        }
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        inflight.insert(key, now);
        Ok(InFlight { usage: self, key })
    }

    pub fn clear(&self) {
        self.daily.clear();
        self.used.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_patch_known_keys_only() {
        let l = Limits::default()
            .patched(&serde_json::json!({"daily": 5, "rotate_refresh_tokens": true}));
        let l = l.unwrap_or_default();
        assert_eq!(
            (l.daily, l.rotate_refresh_tokens, l.concurrent),
            (5, true, 25)
        );
        assert!(Limits::default()
            .patched(&serde_json::json!({"dialy": 5}))
            .is_err());
        let mixed = Limits::default()
            .patched(&serde_json::json!({"daily": 7, "per_second": 9}))
            .unwrap_or_default();
        assert_eq!(mixed.daily, 7, "other providers' keys are skipped");
        assert!(Limits::default()
            .patched(&serde_json::json!({"daily": "x"}))
            .is_err());
    }

    #[test]
    fn daily_allocation_and_concurrency() {
        let u = Usage::default();
        assert_eq!(u.count(2), Ok(1));
        assert_eq!(u.count(2), Ok(2));
        assert_eq!(u.count(2), Err(2));
        let first = u.enter(1, Duration::ZERO);
        assert!(first.is_ok());
        assert!(
            u.enter(1, Duration::ZERO).is_err(),
            "one long request already running"
        );
        drop(first);
        assert!(u.enter(1, Duration::ZERO).is_ok());
    }
}

//! QuickBooks' throttles and the sandbox's configurable knobs, set through
//! `PUT /__sandbox/limits`: 500 requests/min per realm, 10 concurrent requests per realm
//! (the reference also cites "10 per second"; the concurrent reading is the default), batch
//! 40/min, MAXRESULTS up to 1000 with 100 by default, batches of up to 30 items — the
//! `[UNCONFIRMED]` ones are all keys here. `processing_ms` holds each API request inside
//! its concurrency slot for that long (server-side time, unlike the harness's latency),
//! so the concurrent limit can be exercised.

use crate::window::Window;
use serde::Serialize;
use serde_json::Value;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub per_minute: u32,
    pub concurrent: u32,
    pub batch_per_minute: u32,
    pub batch_max_items: usize,
    pub max_results: u64,
    pub default_max_results: u64,
    /// A query on an entity QuickBooks does not know answers HTTP 200 with a Fault body.
    pub fault_in_200_for_unknown_entity: bool,
    /// Refuse `minorversion` below 75 with a ValidationFault. Off by default: since
    /// 2025-08-01 QuickBooks ignores such values and answers as minor version 75.
    pub reject_minorversion_below_75: bool,
    pub processing_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_minute: 500,
            concurrent: 10,
            batch_per_minute: 40,
            batch_max_items: 30,
            max_results: 1000,
            default_max_results: 100,
            fault_in_200_for_unknown_entity: true,
            reject_minorversion_below_75: false,
            processing_ms: 0,
        }
    }
}

fn count(v: &Value, key: &str) -> Result<u64, String> {
    v.as_u64()
        .filter(|n| *n >= 1 || key == "processing_ms")
        .ok_or_else(|| format!("{key} must be a positive integer"))
}

impl Limits {
    /// Applies the keys present in `patch`; unknown keys are an error.
    pub fn update(&mut self, patch: &Value) -> Result<(), String> {
        let map = patch
            .as_object()
            .ok_or("expected a JSON object of limits")?;
        let mut next = *self;
        for (key, v) in map {
            let small = |n: u64| u32::try_from(n).map_err(|e| e.to_string());
            match key.as_str() {
                "per_minute" => next.per_minute = small(count(v, key)?)?,
                "concurrent" => next.concurrent = small(count(v, key)?)?,
                "batch_per_minute" => next.batch_per_minute = small(count(v, key)?)?,
                "batch_max_items" => next.batch_max_items = usize::try_from(count(v, key)?).map_err(|e| e.to_string())?,
                "max_results" => next.max_results = count(v, key)?,
                "default_max_results" => next.default_max_results = count(v, key)?,
                "processing_ms" => next.processing_ms = count(v, key)?.min(120_000),
                "fault_in_200_for_unknown_entity" => next.fault_in_200_for_unknown_entity = v.as_bool().ok_or("fault_in_200_for_unknown_entity must be true or false")?,
                "reject_minorversion_below_75" => next.reject_minorversion_below_75 = v.as_bool().ok_or("reject_minorversion_below_75 must be true or false")?,
                other => return Err(format!("unknown QuickBooks limit {other:?}; known: per_minute, concurrent, batch_per_minute, batch_max_items, max_results, default_max_results, fault_in_200_for_unknown_entity, reject_minorversion_below_75, processing_ms")),
            }
        }
        *self = next;
        Ok(())
    }
}

/// Usage per realm: requests and batches in the last minute, requests in flight.
#[derive(Debug, Default)]
pub struct Throttle {
    requests: Window<String>,
    batches: Window<String>,
    in_flight: AtomicU32,
}

/// A request's concurrency slot; freed when dropped.
#[derive(Debug)]
pub struct Slot<'a>(&'a AtomicU32);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Throttle {
    /// Counts the request; `None` when any limit is exceeded (answer 429 ThrottleExceeded).
    pub fn admit(&self, realm: &str, limits: &Limits, batch: bool) -> Option<Slot<'_>> {
        let previous = self.in_flight.fetch_add(1, Ordering::AcqRel);
        let slot = Slot(&self.in_flight);
        if previous >= limits.concurrent {
            return None;
        }
        let minute = Duration::from_secs(60);
        let key = realm.to_owned();
        if batch {
            self.batches
                .hit(&key, limits.batch_per_minute, minute)
                .ok()?;
        }
        self.requests.hit(&key, limits.per_minute, minute).ok()?;
        Some(slot)
    }

    pub fn clear(&self) {
        self.requests.clear();
        self.batches.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn limits_patch_and_refuse_unknown_keys() {
        let mut l = Limits::default();
        l.update(&json!({"per_minute": 5, "fault_in_200_for_unknown_entity": false}))
            .unwrap_or_default();
        assert_eq!(
            (
                l.per_minute,
                l.fault_in_200_for_unknown_entity,
                l.concurrent
            ),
            (5, false, 10)
        );
        assert!(l.update(&json!({"per_minute": 0})).is_err());
        assert!(l.update(&json!({"bogus": 1})).is_err());
        assert_eq!(l.per_minute, 5, "a failed patch changes nothing");
    }

    #[test]
    fn per_minute_concurrency_and_batches() {
        let t = Throttle::default();
        let l = Limits {
            per_minute: 3,
            concurrent: 2,
            batch_per_minute: 1,
            ..Limits::default()
        };
        let a = t.admit("r", &l, false);
        let b = t.admit("r", &l, true);
        assert!(a.is_some() && b.is_some());
        assert!(t.admit("r", &l, false).is_none(), "third in flight");
        drop(a);
        assert!(t.admit("r", &l, true).is_none(), "one batch a minute");
        drop(b);
        assert!(
            t.admit("r", &l, false).is_some(),
            "third request of the minute"
        );
        assert!(
            t.admit("r", &l, false).is_none(),
            "fourth request of the minute"
        );
    }
}

//! HubSpot's rate limits and the `X-HubSpot-RateLimit-*` headers: a rolling burst window
//! per token (100 per 10 s), a daily allowance per portal (250,000, reset at UTC
//! midnight), and the search endpoints' own per-second limit, which sends no headers.
//! Every figure, and the other sizes the reference leaves `[UNCONFIRMED]`, can be changed
//! through `PUT /__sandbox/limits`.

use super::errors::Policy;
use crate::window::Window;
use axum::http::HeaderValue;
use axum::response::Response;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

const BURST_SPAN: Duration = Duration::from_secs(10);
const SECOND: Duration = Duration::from_secs(1);
const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitConfig {
    pub ten_secondly: u64,
    pub daily: u64,
    pub search_per_second: u64,
    pub list_max_limit: u64,
    pub search_max_limit: u64,
    /// Search refuses to page past this many results (400).
    pub search_max_results: u64,
    pub batch_max_inputs: u64,
    /// Tickets need `hs_pipeline` and `hs_pipeline_stage` on create.
    pub tickets_require_pipeline: bool,
    /// Search sees a write this long after it (0: at once). Real search indexes with a
    /// lag of seconds; until then the record's change is not found by search.
    pub search_index_delay_ms: u64,
    /// Sort rules one search may carry (HubSpot's request schema allows one).
    pub search_max_sorts: u64,
}

impl Default for LimitConfig {
    fn default() -> Self {
        Self {
            ten_secondly: 100,
            daily: 250_000,
            search_per_second: 5,
            list_max_limit: 100,
            search_max_limit: 200,
            search_max_results: 10_000,
            batch_max_inputs: 100,
            tickets_require_pipeline: true,
            search_index_delay_ms: 0,
            search_max_sorts: 1,
        }
    }
}

impl LimitConfig {
    /// Applies `{"ten_secondly": 100, …}`; unknown keys and bad values are refused whole.
    pub fn apply(&mut self, limits: &Value) -> Result<(), String> {
        let map = limits
            .as_object()
            .ok_or("expected a JSON object of limits")?;
        let mut next = *self;
        for (key, value) in map {
            if key == "tickets_require_pipeline" {
                next.tickets_require_pipeline = value
                    .as_bool()
                    .ok_or("tickets_require_pipeline must be true or false")?;
                continue;
            }
            if key == "search_index_delay_ms" {
                next.search_index_delay_ms = value
                    .as_u64()
                    .ok_or("search_index_delay_ms must be a whole number of milliseconds")?;
                continue;
            }
            let n = value
                .as_u64()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{key} must be a positive integer"))?;
            match key.as_str() {
                "ten_secondly" => next.ten_secondly = n,
                "daily" => next.daily = n,
                "search_per_second" => next.search_per_second = n,
                "list_max_limit" => next.list_max_limit = n,
                "search_max_limit" => next.search_max_limit = n,
                "search_max_results" => next.search_max_results = n,
                "batch_max_inputs" => next.batch_max_inputs = n,
                "search_max_sorts" => next.search_max_sorts = n,
                other => {
                    return Err(format!(
                        "unknown limit {other}; known: ten_secondly, daily, search_per_second, list_max_limit, search_max_limit, search_max_results, batch_max_inputs, search_max_sorts, search_index_delay_ms, tickets_require_pipeline"
                    ))
                }
            }
        }
        *self = next;
        Ok(())
    }
}

/// What the rate headers report after a call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub max: u64,
    pub remaining: u64,
    pub secondly: u64,
    pub secondly_remaining: u64,
    pub daily: u64,
    pub daily_remaining: u64,
}

#[derive(Debug, Default)]
pub struct Limits {
    config: Mutex<LimitConfig>,
    burst: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// (UTC day number, calls counted that day).
    daily: Mutex<(i64, u64)>,
    /// Search calls of the portal in the last second.
    search: Window<&'static str>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Limits {
    pub fn config(&self) -> LimitConfig {
        *lock(&self.config)
    }

    pub fn set(&self, limits: &Value) -> Result<(), String> {
        lock(&self.config).apply(limits)
    }

    /// Default figures and empty windows.
    pub fn reset(&self) {
        *lock(&self.config) = LimitConfig::default();
        lock(&self.burst).clear();
        *lock(&self.daily) = (0, 0);
        self.search.clear();
    }

    /// Counts one non-search call by `token`, or says which limit refuses it.
    pub fn hit(&self, token: &str, now_ms: i64) -> Result<Usage, (Policy, Usage)> {
        let cfg = self.config();
        let now = Instant::now();
        let mut daily = lock(&self.daily);
        let day = now_ms.div_euclid(DAY_MS);
        if daily.0 != day {
            *daily = (day, 0);
        }
        let mut burst = lock(&self.burst);
        if !burst.contains_key(token) {
            burst.insert(token.to_owned(), VecDeque::new());
        }
        let Some(q) = burst.get_mut(token) else {
            return Err((Policy::TenSecondly, Usage::default()));
        };
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= BURST_SPAN)
        {
            q.pop_front();
        }
        let secondly = cfg.ten_secondly.div_ceil(10);
        let usage = |used: u64, daily_used: u64, q: &VecDeque<Instant>| {
            let last_second =
                (q.len() - q.partition_point(|t| now.duration_since(*t) >= SECOND)) as u64;
            Usage {
                max: cfg.ten_secondly,
                remaining: cfg.ten_secondly.saturating_sub(used),
                secondly,
                secondly_remaining: secondly.saturating_sub(last_second),
                daily: cfg.daily,
                daily_remaining: cfg.daily.saturating_sub(daily_used),
            }
        };
        if daily.1 >= cfg.daily {
            return Err((Policy::Daily, usage(q.len() as u64, daily.1, q)));
        }
        if q.len() as u64 >= cfg.ten_secondly {
            return Err((Policy::TenSecondly, usage(q.len() as u64, daily.1, q)));
        }
        q.push_back(now);
        daily.1 += 1;
        Ok(usage(q.len() as u64, daily.1, q))
    }

    /// Counts one search call against the portal's per-second search limit.
    pub fn hit_search(&self) -> bool {
        let limit = u32::try_from(self.config().search_per_second).unwrap_or(u32::MAX);
        self.search.hit(&"portal", limit, SECOND).is_ok()
    }
}

/// Adds the `X-HubSpot-RateLimit-*` headers.
pub fn add_headers(response: &mut Response, u: &Usage) {
    let h = response.headers_mut();
    for (name, value) in [
        ("x-hubspot-ratelimit-daily", u.daily),
        ("x-hubspot-ratelimit-daily-remaining", u.daily_remaining),
        (
            "x-hubspot-ratelimit-interval-milliseconds",
            BURST_SPAN.as_millis() as u64,
        ),
        ("x-hubspot-ratelimit-max", u.max),
        ("x-hubspot-ratelimit-remaining", u.remaining),
        ("x-hubspot-ratelimit-secondly", u.secondly),
        (
            "x-hubspot-ratelimit-secondly-remaining",
            u.secondly_remaining,
        ),
    ] {
        h.insert(name, HeaderValue::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_is_per_token_and_daily_per_portal() {
        let l = Limits::default();
        l.reset();
        assert!(l
            .set(&serde_json::json!({"ten_secondly": 2, "daily": 3}))
            .is_ok());
        let first = l.hit("a", 0).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            (first.remaining, first.daily_remaining, first.secondly),
            (1, 2, 1)
        );
        assert!(l.hit("a", 0).is_ok());
        assert_eq!(l.hit("a", 0).err().map(|e| e.0), Some(Policy::TenSecondly));
        assert!(
            l.hit("b", 0).is_ok(),
            "another token has its own burst window"
        );
        assert_eq!(l.hit("c", 0).err().map(|e| e.0), Some(Policy::Daily));
        assert!(
            l.hit("c", DAY_MS).is_ok(),
            "a new UTC day starts a new allowance"
        );
        assert!(l.set(&serde_json::json!({"nope": 1})).is_err());
        assert!(l.set(&serde_json::json!({"daily": 0})).is_err());
    }
}

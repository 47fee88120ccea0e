//! Per-connection admission: a GCRA rate limiter (`governor`) seeded from the provider's
//! documented quota, a concurrency cap, and a pause gate that the provider's own
//! signals move: `Retry-After`, HubSpot's `X-HubSpot-RateLimit-Remaining: 0` with its
//! interval, and the latest quota reading (`Sforce-Limit-Info`, HubSpot daily headers)
//! kept for the dashboard's headroom.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::HeaderMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A documented rate: `limit` requests per `per`, and at most `concurrency` in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateSpec {
    pub limit: u32,
    pub per: Duration,
    pub concurrency: u32,
}

/// Remaining / total of a provider quota at the last response that reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaReading {
    pub remaining: i64,
    pub total: i64,
}

#[derive(Debug)]
pub struct Limiter {
    rate: Option<DefaultDirectRateLimiter>,
    concurrency: Arc<Semaphore>,
    paused_until: Mutex<Option<Instant>>,
    reading: Mutex<Option<QuotaReading>>,
    /// The short (burst) window at the last response that reported it (HubSpot).
    burst: Mutex<Option<QuotaReading>>,
}

impl Limiter {
    pub fn new(spec: RateSpec) -> Self {
        let rate = NonZeroU32::new(spec.limit).and_then(|limit| {
            let period = spec.per.checked_div(limit.get()).filter(|p| !p.is_zero())?;
            Quota::with_period(period).map(|q| RateLimiter::direct(q.allow_burst(limit)))
        });
        Self {
            rate,
            concurrency: Arc::new(Semaphore::new(spec.concurrency.max(1) as usize)),
            paused_until: Mutex::new(None),
            reading: Mutex::new(None),
            burst: Mutex::new(None),
        }
    }

    /// Waits for the pause gate, the rate limiter and a concurrency slot, in that order.
    pub async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        loop {
            let pause = *self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
            match pause {
                Some(until) if until > Instant::now() => {
                    tokio::time::sleep_until(until.into()).await
                }
                _ => break,
            }
        }
        if let Some(rate) = &self.rate {
            rate.until_ready().await;
        }
        self.concurrency.clone().acquire_owned().await.ok()
    }

    /// Holds every call of this connection for `wait` (a provider said "slow down").
    pub fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    pub fn reading(&self) -> Option<QuotaReading> {
        *self.reading.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Requests left in the provider's short window, when it says (HubSpot).
    pub fn burst(&self) -> Option<QuotaReading> {
        *self.burst.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the provider's limit headers: records quota headroom, and pauses when the
    /// short window is exhausted. Returns the reading for the metrics row.
    pub fn observe(&self, headers: &HeaderMap) -> Option<QuotaReading> {
        if let (Some(remaining), Some(interval)) = (
            header_i64(headers, "x-hubspot-ratelimit-remaining"),
            header_i64(headers, "x-hubspot-ratelimit-interval-milliseconds"),
        ) {
            if remaining <= 0 && interval > 0 {
                self.pause_for(Duration::from_millis(interval.unsigned_abs()));
            }
            if let Some(total) = header_i64(headers, "x-hubspot-ratelimit-max") {
                *self.burst.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(QuotaReading { remaining, total });
            }
        }
        let reading = sforce_limit_info(headers).or_else(|| {
            let remaining = header_i64(headers, "x-hubspot-ratelimit-daily-remaining")?;
            let total = header_i64(headers, "x-hubspot-ratelimit-daily")?;
            Some(QuotaReading { remaining, total })
        });
        if reading.is_some() {
            *self.reading.lock().unwrap_or_else(|p| p.into_inner()) = reading;
        }
        reading
    }
}

fn header_i64(headers: &HeaderMap, name: &str) -> Option<i64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// `Sforce-Limit-Info: api-usage=10018/100000` → remaining 89982 of 100000.
fn sforce_limit_info(headers: &HeaderMap) -> Option<QuotaReading> {
    let value = headers.get("sforce-limit-info")?.to_str().ok()?;
    let usage = value
        .split(';')
        .find_map(|part| part.trim().strip_prefix("api-usage="))?;
    let (used, total) = usage.split_once('/')?;
    let (used, total): (i64, i64) = (used.trim().parse().ok()?, total.trim().parse().ok()?);
    Some(QuotaReading {
        remaining: (total - used).max(0),
        total,
    })
}

/// `Retry-After` as delta-seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            if let Ok(v) = v.parse() {
                h.insert(*k, v);
            }
        }
        h
    }

    #[test]
    fn reads_salesforce_and_hubspot_quota_headers() {
        let l = Limiter::new(RateSpec {
            limit: 0,
            per: Duration::from_secs(1),
            concurrency: 1,
        });
        let sf = headers(&[(
            "sforce-limit-info",
            "api-usage=10018/100000; per-app-api-usage=17/250(appName=x)",
        )]);
        assert_eq!(
            l.observe(&sf),
            Some(QuotaReading {
                remaining: 89982,
                total: 100000
            })
        );
        let hs = headers(&[
            ("x-hubspot-ratelimit-daily", "250000"),
            ("x-hubspot-ratelimit-daily-remaining", "249990"),
        ]);
        assert_eq!(
            l.observe(&hs),
            Some(QuotaReading {
                remaining: 249990,
                total: 250000
            })
        );
        assert_eq!(
            l.reading(),
            Some(QuotaReading {
                remaining: 249990,
                total: 250000
            })
        );
        assert_eq!(l.burst(), None);
        let burst = headers(&[
            ("x-hubspot-ratelimit-max", "100"),
            ("x-hubspot-ratelimit-remaining", "37"),
            ("x-hubspot-ratelimit-interval-milliseconds", "10000"),
        ]);
        l.observe(&burst);
        assert_eq!(
            l.burst(),
            Some(QuotaReading {
                remaining: 37,
                total: 100
            })
        );
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")])),
            Some(Duration::from_secs(7))
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let d = retry_after(&headers(&[("retry-after", &soon)])).unwrap_or_default();
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
    }

    #[tokio::test]
    async fn the_rate_and_the_hubspot_window_hold_calls_back() {
        let l = Limiter::new(RateSpec {
            limit: 5,
            per: Duration::from_millis(500),
            concurrency: 4,
        });
        let t = Instant::now();
        for _ in 0..10 {
            drop(l.acquire().await);
        }
        assert!(
            t.elapsed() >= Duration::from_millis(450),
            "5 burst then 100 ms apart: {:?}",
            t.elapsed()
        );
        l.observe(&headers(&[
            ("x-hubspot-ratelimit-remaining", "0"),
            ("x-hubspot-ratelimit-interval-milliseconds", "300"),
        ]));
        let t = Instant::now();
        drop(l.acquire().await);
        assert!(
            t.elapsed() >= Duration::from_millis(250),
            "paused for the interval: {:?}",
            t.elapsed()
        );
    }
}

//! Time series for the Health charts, read from the minute roll-ups. Up to 24 hours a
//! point is one minute; seven days are shown in 5-minute buckets (2,016 points), the
//! way monitoring tools cap points per chart. Counts add up within a bucket; latency
//! percentiles and quota use take the bucket's worst minute (percentiles of different
//! minutes cannot be merged exactly, and the worst minute is what an operator looks for).

use switchyard_store::kinds::ProviderId;
use switchyard_store::tables::metric_rollups::{Rollup, MINUTE_MS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
pub enum HealthRange {
    #[serde(rename = "15m")]
    Minutes15,
    #[serde(rename = "1h")]
    Hour1,
    #[serde(rename = "24h")]
    Hours24,
    #[serde(rename = "7d")]
    Days7,
}

impl HealthRange {
    pub fn span_ms(self) -> i64 {
        match self {
            Self::Minutes15 => 15 * MINUTE_MS,
            Self::Hour1 => 60 * MINUTE_MS,
            Self::Hours24 => 24 * 60 * MINUTE_MS,
            Self::Days7 => 7 * 24 * 60 * MINUTE_MS,
        }
    }

    pub fn bucket_ms(self) -> i64 {
        match self {
            Self::Days7 => 5 * MINUTE_MS,
            _ => MINUTE_MS,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Minutes15 => "15m",
            Self::Hour1 => "1h",
            Self::Hours24 => "24h",
            Self::Days7 => "7d",
        }
    }

    /// The bucket starts `[from, to)` covering the range up to and including the bucket
    /// that holds `now`.
    pub fn bounds(self, now: i64) -> (i64, i64) {
        let b = self.bucket_ms();
        let to = (now.div_euclid(b) + 1) * b;
        (to - self.span_ms(), to)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HealthSeries {
    pub range: HealthRange,
    pub bucket_secs: u32,
    /// Bucket starts in epoch seconds (the x axis).
    pub times: Vec<i64>,
    pub connections: Vec<ConnectionSeries>,
}

/// One connection's values, one per bucket (aligned with `times`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSeries {
    pub connection_id: String,
    pub label: String,
    pub provider: ProviderId,
    pub requests: Vec<i64>,
    pub ok: Vec<i64>,
    pub client_errors: Vec<i64>,
    pub rate_limited: Vec<i64>,
    pub server_errors: Vec<i64>,
    pub timeouts: Vec<i64>,
    pub retries: Vec<i64>,
    pub cache_hits: Vec<i64>,
    pub cache_misses: Vec<i64>,
    /// Fraction 0..=1; `None` for buckets without requests.
    pub success_rate: Vec<Option<f64>>,
    pub p50_ms: Vec<Option<i64>>,
    pub p95_ms: Vec<Option<i64>>,
    pub p99_ms: Vec<Option<i64>>,
    /// Fraction 0..=1 of the provider's quota in use; `None` without a reading.
    pub limit_used: Vec<Option<f64>>,
}

impl ConnectionSeries {
    fn empty(connection_id: String, label: String, provider: ProviderId, n: usize) -> Self {
        Self {
            connection_id,
            label,
            provider,
            requests: vec![0; n],
            ok: vec![0; n],
            client_errors: vec![0; n],
            rate_limited: vec![0; n],
            server_errors: vec![0; n],
            timeouts: vec![0; n],
            retries: vec![0; n],
            cache_hits: vec![0; n],
            cache_misses: vec![0; n],
            success_rate: vec![None; n],
            p50_ms: vec![None; n],
            p95_ms: vec![None; n],
            p99_ms: vec![None; n],
            limit_used: vec![None; n],
        }
    }

    fn add(&mut self, i: usize, r: &Rollup) {
        self.requests[i] += r.requests;
        self.ok[i] += r.ok;
        self.client_errors[i] += r.client_errors;
        self.rate_limited[i] += r.rate_limited;
        self.server_errors[i] += r.server_errors;
        self.timeouts[i] += r.timeouts;
        self.retries[i] += r.retries;
        self.cache_hits[i] += r.cache_hits;
        self.cache_misses[i] += r.cache_misses;
        self.p50_ms[i] = worst(self.p50_ms[i], r.p50_ms);
        self.p95_ms[i] = worst(self.p95_ms[i], r.p95_ms);
        self.p99_ms[i] = worst(self.p99_ms[i], r.p99_ms);
        self.limit_used[i] = match (self.limit_used[i], r.limit_used) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

fn worst(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// A connection as the series names it.
#[derive(Debug, Clone)]
pub struct Named {
    pub id: String,
    pub label: String,
    pub provider: ProviderId,
}

/// Buckets the minute rows of `connections` over `range` ending at `now`. Rows of other
/// connections or outside the range are ignored.
pub fn build(range: HealthRange, now: i64, connections: &[Named], rows: &[Rollup]) -> HealthSeries {
    let (from, to) = range.bounds(now);
    let b = range.bucket_ms();
    let n = usize::try_from((to - from) / b).unwrap_or(0);
    let times = (0..n as i64).map(|i| (from + i * b) / 1000).collect();
    let mut out: Vec<ConnectionSeries> = connections
        .iter()
        .map(|c| ConnectionSeries::empty(c.id.clone(), c.label.clone(), c.provider, n))
        .collect();
    for r in rows {
        if r.minute < from || r.minute >= to {
            continue;
        }
        let Some(s) = out.iter_mut().find(|s| s.connection_id == r.connection_id) else {
            continue;
        };
        let i = usize::try_from((r.minute - from) / b).unwrap_or(0);
        s.add(i, r);
    }
    for s in &mut out {
        for i in 0..n {
            s.success_rate[i] = (s.requests[i] > 0).then(|| s.ok[i] as f64 / s.requests[i] as f64);
        }
    }
    HealthSeries {
        range,
        bucket_secs: u32::try_from(b / 1000).unwrap_or(60),
        times,
        connections: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(conn: &str, minute: i64, requests: i64, ok: i64, p95: i64) -> Rollup {
        Rollup {
            connection_id: conn.into(),
            minute,
            requests,
            ok,
            server_errors: requests - ok,
            p95_ms: Some(p95),
            ..Default::default()
        }
    }

    fn named(id: &str) -> Named {
        Named {
            id: id.into(),
            label: id.to_uppercase(),
            provider: ProviderId::Hubspot,
        }
    }

    #[test]
    fn fifteen_minutes_is_fifteen_one_minute_points_ending_with_the_current_minute() {
        let now: i64 = 1_700_000_000_000 + 30_000; // half a minute into a minute
        let this_minute = now - now.rem_euclid(MINUTE_MS);
        let rows = vec![
            row("a", this_minute, 10, 9, 120),
            row("a", this_minute - 14 * MINUTE_MS, 4, 4, 80),
            row("a", this_minute - 15 * MINUTE_MS, 99, 0, 1), // just outside
            row("z", this_minute, 5, 5, 1),                   // not asked for
        ];
        let s = build(HealthRange::Minutes15, now, &[named("a")], &rows);
        assert_eq!((s.times.len(), s.bucket_secs), (15, 60));
        assert_eq!(*s.times.last().unwrap(), this_minute / 1000);
        let a = &s.connections[0];
        assert_eq!(a.requests.iter().sum::<i64>(), 14);
        assert_eq!((a.requests[0], a.requests[14]), (4, 10));
        assert_eq!(a.success_rate[14], Some(0.9));
        assert_eq!(a.success_rate[5], None);
        assert_eq!(a.server_errors[14], 1);
    }

    #[test]
    fn seven_days_sum_counts_and_keep_the_worst_minute_per_five_minute_bucket() {
        let now = 1_700_000_100_000;
        let s0 = HealthRange::Days7.bounds(now).0;
        let rows = vec![
            row("a", s0, 10, 10, 100),
            row("a", s0 + MINUTE_MS, 10, 5, 900),
            row("a", s0 + 4 * MINUTE_MS, 20, 20, 300),
            row("a", s0 + 5 * MINUTE_MS, 1, 1, 50),
        ];
        let s = build(HealthRange::Days7, now, &[named("a")], &rows);
        assert_eq!((s.times.len(), s.bucket_secs), (2016, 300));
        let a = &s.connections[0];
        assert_eq!((a.requests[0], a.ok[0], a.p95_ms[0]), (40, 35, Some(900)));
        assert_eq!(a.success_rate[0], Some(35.0 / 40.0));
        assert_eq!((a.requests[1], a.p95_ms[1]), (1, Some(50)));
    }
}

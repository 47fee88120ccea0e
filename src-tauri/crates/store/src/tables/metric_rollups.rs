//! `metric_rollups`: the request rows of each connection folded into one row a minute
//! (counts by class, retries, cache use, latency percentiles by nearest rank), so charts
//! over hours and days read a few thousand rows, not millions.

use crate::kinds::{CacheUse, Outcome};
use crate::StoreResult;
use sqlx::SqliteExecutor;
use std::collections::BTreeMap;

pub const MINUTE_MS: i64 = 60_000;

#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct Rollup {
    pub connection_id: String,
    pub minute: i64,
    pub requests: i64,
    pub ok: i64,
    pub client_errors: i64,
    pub rate_limited: i64,
    pub server_errors: i64,
    pub timeouts: i64,
    pub retries: i64,
    pub cache_hits: i64,
    pub cache_misses: i64,
    pub p50_ms: Option<i64>,
    pub p95_ms: Option<i64>,
    pub p99_ms: Option<i64>,
    /// The highest share (0..=1) of the provider's quota in use during the minute.
    pub limit_used: Option<f64>,
}

/// The `p`th percentile of sorted values by nearest rank (the smallest value with at
/// least p % of the values at or below it).
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).max(1);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

#[derive(sqlx::FromRow)]
struct Raw {
    connection_id: String,
    at: i64,
    outcome: Outcome,
    cache: CacheUse,
    latency_ms: i64,
    attempt: i64,
    limit_remaining: Option<i64>,
    limit_total: Option<i64>,
}

/// Share of a quota in use from a (remaining, total) reading; `None` without a total.
pub fn used_share(remaining: i64, total: i64) -> Option<f64> {
    (total > 0).then(|| (1.0 - remaining as f64 / total as f64).clamp(0.0, 1.0))
}

/// Folds raw rows into minutes. Pure, so the math is tested on fixed data.
fn fold(rows: Vec<Raw>) -> Vec<Rollup> {
    let mut groups: BTreeMap<(String, i64), (Rollup, Vec<i64>)> = BTreeMap::new();
    for r in rows {
        let minute = r.at.div_euclid(MINUTE_MS) * MINUTE_MS;
        let (g, latencies) = groups
            .entry((r.connection_id.clone(), minute))
            .or_insert_with(|| {
                (
                    Rollup {
                        connection_id: r.connection_id.clone(),
                        minute,
                        ..Default::default()
                    },
                    Vec::new(),
                )
            });
        if let Some(used) = r
            .limit_remaining
            .zip(r.limit_total)
            .and_then(|(rem, tot)| used_share(rem, tot))
        {
            g.limit_used = Some(g.limit_used.map_or(used, |u: f64| u.max(used)));
        }
        if r.cache == CacheUse::Hit {
            g.cache_hits += 1;
            continue;
        }
        if r.cache == CacheUse::Miss {
            g.cache_misses += 1;
        }
        g.requests += 1;
        if r.attempt > 1 {
            g.retries += 1;
        }
        match r.outcome {
            Outcome::Ok => g.ok += 1,
            Outcome::ClientError | Outcome::AuthError => g.client_errors += 1,
            Outcome::RateLimited => g.rate_limited += 1,
            Outcome::ServerError => g.server_errors += 1,
            Outcome::Timeout | Outcome::Network => g.timeouts += 1,
        }
        latencies.push(r.latency_ms);
    }
    groups
        .into_values()
        .map(|(mut g, mut latencies)| {
            latencies.sort_unstable();
            g.p50_ms = nearest_rank(&latencies, 50);
            g.p95_ms = nearest_rank(&latencies, 95);
            g.p99_ms = nearest_rank(&latencies, 99);
            g
        })
        .collect()
}

/// Rolls up the whole minutes in `[from, to)` (ms, rounded down to minutes) and replaces
/// their rows; returns how many minute rows were written.
pub async fn roll_up(db: &mut sqlx::SqliteConnection, from: i64, to: i64) -> StoreResult<usize> {
    let (from, to) = (
        from.div_euclid(MINUTE_MS) * MINUTE_MS,
        to.div_euclid(MINUTE_MS) * MINUTE_MS,
    );
    if to <= from {
        return Ok(0);
    }
    let rows: Vec<Raw> = sqlx::query_as(
        "SELECT connection_id, at, outcome, cache, latency_ms, attempt, limit_remaining, limit_total FROM request_metrics
         WHERE connection_id IS NOT NULL AND at >= ? AND at < ?",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *db)
    .await?;
    let rollups = fold(rows);
    // Multi-row statements: 15 values a row stays far below SQLite's variable limit.
    for chunk in rollups.chunks(500) {
        let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT OR REPLACE INTO metric_rollups (connection_id, minute, requests, ok, client_errors, rate_limited,
                 server_errors, timeouts, retries, cache_hits, cache_misses, p50_ms, p95_ms, p99_ms, limit_used) ",
        );
        qb.push_values(chunk, |mut b, r| {
            b.push_bind(&r.connection_id)
                .push_bind(r.minute)
                .push_bind(r.requests)
                .push_bind(r.ok)
                .push_bind(r.client_errors)
                .push_bind(r.rate_limited)
                .push_bind(r.server_errors)
                .push_bind(r.timeouts)
                .push_bind(r.retries)
                .push_bind(r.cache_hits)
                .push_bind(r.cache_misses)
                .push_bind(r.p50_ms)
                .push_bind(r.p95_ms)
                .push_bind(r.p99_ms)
                .push_bind(r.limit_used);
        });
        qb.build().execute(&mut *db).await?;
    }
    Ok(rollups.len())
}

/// A connection's minutes in `[from, to)`, oldest first.
pub async fn range(
    db: impl SqliteExecutor<'_>,
    connection_id: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<Rollup>> {
    Ok(sqlx::query_as("SELECT * FROM metric_rollups WHERE connection_id = ? AND minute >= ? AND minute < ? ORDER BY minute")
        .bind(connection_id)
        .bind(from)
        .bind(to)
        .fetch_all(db)
        .await?)
}

/// Minute rows folded into buckets of `bucket_ms` in SQL (one connection or all):
/// counts add up, latency percentiles and quota use keep the bucket's worst minute.
/// `minute` is the bucket's start.
pub async fn bucketed(
    db: impl SqliteExecutor<'_>,
    connection_id: Option<&str>,
    from: i64,
    to: i64,
    bucket_ms: i64,
) -> StoreResult<Vec<Rollup>> {
    Ok(sqlx::query_as(
        "SELECT connection_id, ?1 + ((minute - ?1) / ?3) * ?3 AS minute,
             SUM(requests) AS requests, SUM(ok) AS ok, SUM(client_errors) AS client_errors,
             SUM(rate_limited) AS rate_limited, SUM(server_errors) AS server_errors,
             SUM(timeouts) AS timeouts, SUM(retries) AS retries, SUM(cache_hits) AS cache_hits,
             SUM(cache_misses) AS cache_misses, MAX(p50_ms) AS p50_ms, MAX(p95_ms) AS p95_ms,
             MAX(p99_ms) AS p99_ms, MAX(limit_used) AS limit_used
         FROM metric_rollups
         WHERE minute >= ?1 AND minute < ?2 AND (?4 IS NULL OR connection_id = ?4)
         GROUP BY connection_id, (minute - ?1) / ?3
         ORDER BY connection_id, minute",
    )
    .bind(from)
    .bind(to)
    .bind(bucket_ms.max(MINUTE_MS))
    .bind(connection_id)
    .fetch_all(db)
    .await?)
}

/// Every connection's minutes in `[from, to)`, by connection then minute.
pub async fn range_all(
    db: impl SqliteExecutor<'_>,
    from: i64,
    to: i64,
) -> StoreResult<Vec<Rollup>> {
    Ok(sqlx::query_as(
        "SELECT * FROM metric_rollups WHERE minute >= ? AND minute < ? ORDER BY connection_id, minute",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?)
}

/// Drops minutes older than `before` (retention).
pub async fn prune(db: impl SqliteExecutor<'_>, before: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM metric_rollups WHERE minute < ?")
        .bind(before)
        .execute(db)
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(
            (
                nearest_rank(&v, 50),
                nearest_rank(&v, 95),
                nearest_rank(&v, 99)
            ),
            (Some(50), Some(95), Some(99))
        );
        assert_eq!(nearest_rank(&[7], 99), Some(7));
        assert_eq!(nearest_rank(&[10, 20, 30, 40], 50), Some(20));
        assert_eq!(nearest_rank(&[10, 20, 30, 40], 95), Some(40));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    fn raw(
        conn: &str,
        at: i64,
        outcome: Outcome,
        cache: CacheUse,
        latency: i64,
        attempt: i64,
    ) -> Raw {
        Raw {
            connection_id: conn.into(),
            at,
            outcome,
            cache,
            latency_ms: latency,
            attempt,
            limit_remaining: None,
            limit_total: None,
        }
    }

    #[test]
    fn minutes_count_every_class_once() {
        let m = 1_700_000_040_000; // a minute boundary
        let rows = vec![
            raw("a", m + 1, Outcome::Ok, CacheUse::Miss, 100, 1),
            raw("a", m + 2, Outcome::Ok, CacheUse::Hit, 0, 1),
            raw("a", m + 3, Outcome::RateLimited, CacheUse::Bypass, 300, 1),
            raw("a", m + 4, Outcome::Ok, CacheUse::Bypass, 200, 2),
            raw("a", m + 5, Outcome::ServerError, CacheUse::Bypass, 50, 1),
            raw("a", m + 6, Outcome::Timeout, CacheUse::Bypass, 30_000, 3),
            raw("a", m + 7, Outcome::AuthError, CacheUse::Bypass, 40, 1),
            raw("a", m + MINUTE_MS, Outcome::Ok, CacheUse::Bypass, 80, 1),
            raw("b", m + 9, Outcome::Ok, CacheUse::Bypass, 60, 1),
        ];
        let out = fold(rows);
        assert_eq!(out.len(), 3);
        let a = &out[0];
        assert_eq!((a.connection_id.as_str(), a.minute), ("a", m));
        assert_eq!(
            (
                a.requests,
                a.ok,
                a.rate_limited,
                a.server_errors,
                a.timeouts,
                a.client_errors
            ),
            (6, 2, 1, 1, 1, 1)
        );
        assert_eq!((a.retries, a.cache_hits, a.cache_misses), (2, 1, 1));
        // Latencies 40, 50, 100, 200, 300, 30000: p50 = 3rd = 100, p95 and p99 = 6th.
        assert_eq!(
            (a.p50_ms, a.p95_ms, a.p99_ms),
            (Some(100), Some(30_000), Some(30_000))
        );
        assert_eq!((out[1].minute, out[1].requests), (m + MINUTE_MS, 1));
        assert_eq!(out[2].connection_id, "b");
        assert_eq!(a.limit_used, None);
    }

    #[test]
    fn quota_use_is_the_highest_reading_of_the_minute() {
        let m = 1_700_000_040_000;
        let with_limit = |at, rem, tot| Raw {
            limit_remaining: Some(rem),
            limit_total: Some(tot),
            ..raw("a", at, Outcome::Ok, CacheUse::Bypass, 10, 1)
        };
        let out = fold(vec![
            with_limit(m + 1, 900, 1000),
            with_limit(m + 2, 150, 1000),
            with_limit(m + 3, 400, 1000),
            with_limit(m + 4, 5, 0), // no total: ignored
        ]);
        assert_eq!(out[0].limit_used, Some(0.85));
        assert_eq!(used_share(0, 100), Some(1.0));
        assert_eq!(used_share(120, 100), Some(0.0));
    }
}

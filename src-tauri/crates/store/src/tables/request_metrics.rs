//! `request_metrics`: one row per provider request or cache hit, written in batches,
//! and the aggregates the health dashboard reads.

use crate::kinds::{CacheUse, Outcome, ProviderId};
use crate::StoreResult;
use sqlx::{Sqlite, SqliteExecutor};

#[derive(Debug, Clone, PartialEq)]
pub struct RequestMetric {
    pub connection_id: Option<String>,
    pub provider: ProviderId,
    pub run_id: Option<String>,
    pub method: String,
    /// Path template such as `/services/data/v66.0/sobjects/{object}`: never a query or token.
    pub endpoint: String,
    pub status: Option<u16>,
    pub outcome: Outcome,
    pub cache: CacheUse,
    pub latency_ms: i64,
    /// 1 for the first try; retries count up.
    pub attempt: i64,
    pub response_bytes: Option<i64>,
    pub limit_remaining: Option<i64>,
    pub limit_total: Option<i64>,
    pub at: i64,
}

/// Writes a batch in one multi-row INSERT (callers buffer; the tap flushes).
pub async fn insert_batch(db: impl SqliteExecutor<'_>, rows: &[RequestMetric]) -> StoreResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut qb = sqlx::QueryBuilder::<Sqlite>::new(
        "INSERT INTO request_metrics (connection_id, provider, run_id, method, endpoint, status, outcome, cache,
             latency_ms, attempt, response_bytes, limit_remaining, limit_total, at) ",
    );
    qb.push_values(rows, |mut b, r| {
        b.push_bind(&r.connection_id)
            .push_bind(r.provider)
            .push_bind(&r.run_id)
            .push_bind(&r.method)
            .push_bind(&r.endpoint)
            .push_bind(r.status.map(i64::from))
            .push_bind(r.outcome)
            .push_bind(r.cache)
            .push_bind(r.latency_ms)
            .push_bind(r.attempt)
            .push_bind(r.response_bytes)
            .push_bind(r.limit_remaining)
            .push_bind(r.limit_total);
        b.push_bind(r.at);
    });
    Ok(qb.build().execute(db).await?.rows_affected())
}

/// Totals over a time window, overall or for one connection.
#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct WindowTotals {
    /// Requests that reached the provider (cache hits excluded).
    pub requests: i64,
    pub ok: i64,
    pub errors: i64,
    pub rate_limited: i64,
    pub cache_hits: i64,
    pub cache_misses: i64,
    /// Sum of the requests' latencies (ms), for the mean.
    pub latency_total: i64,
}

pub async fn totals(
    db: impl SqliteExecutor<'_>,
    since: i64,
    connection_id: Option<&str>,
) -> StoreResult<WindowTotals> {
    Ok(sqlx::query_as(
        "SELECT
            COALESCE(SUM(cache <> 'hit'), 0) AS requests,
            COALESCE(SUM(cache <> 'hit' AND outcome = 'ok'), 0) AS ok,
            COALESCE(SUM(cache <> 'hit' AND outcome <> 'ok'), 0) AS errors,
            COALESCE(SUM(outcome = 'rate_limited'), 0) AS rate_limited,
            COALESCE(SUM(cache = 'hit'), 0) AS cache_hits,
            COALESCE(SUM(cache = 'miss'), 0) AS cache_misses,
            COALESCE(SUM(CASE WHEN cache <> 'hit' THEN latency_ms END), 0) AS latency_total
         FROM request_metrics WHERE at >= ? AND (?2 IS NULL OR connection_id = ?2)",
    )
    .bind(since)
    .bind(connection_id)
    .fetch_one(db)
    .await?)
}

/// Latency percentile (0..=100) of provider requests in a window, nearest-rank.
pub async fn latency_percentile(
    db: impl SqliteExecutor<'_>,
    since: i64,
    connection_id: Option<&str>,
    pct: u8,
) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "WITH w AS (SELECT latency_ms FROM request_metrics
                    WHERE at >= ?1 AND cache <> 'hit' AND (?2 IS NULL OR connection_id = ?2))
         SELECT latency_ms FROM w ORDER BY latency_ms
         LIMIT 1 OFFSET MAX(0, CAST(((SELECT COUNT(*) FROM w) * ?3 + 99) / 100 AS INTEGER) - 1)",
    )
    .bind(since)
    .bind(connection_id)
    .bind(i64::from(pct.min(100)))
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(v,)| v))
}

/// The most recent rate-limit reading of a connection: (remaining, total).
pub async fn latest_limit(
    db: impl SqliteExecutor<'_>,
    connection_id: &str,
) -> StoreResult<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT limit_remaining, limit_total FROM request_metrics
         WHERE connection_id = ? AND limit_remaining IS NOT NULL AND limit_total IS NOT NULL
         ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(connection_id)
    .fetch_optional(db)
    .await?)
}

/// The latest provider request of a connection that did not succeed.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Failure {
    pub at: i64,
    pub method: String,
    pub endpoint: String,
    pub status: Option<i64>,
    pub outcome: Outcome,
}

pub async fn last_failure(
    db: impl SqliteExecutor<'_>,
    connection_id: &str,
) -> StoreResult<Option<Failure>> {
    Ok(sqlx::query_as(
        "SELECT at, method, endpoint, status, outcome FROM request_metrics
         WHERE connection_id = ? AND outcome <> 'ok' AND cache <> 'hit'
         ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(connection_id)
    .fetch_optional(db)
    .await?)
}

/// Drops rows older than `before` (retention).
pub async fn prune(db: impl SqliteExecutor<'_>, before: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM request_metrics WHERE at < ?")
        .bind(before)
        .execute(db)
        .await?
        .rows_affected())
}

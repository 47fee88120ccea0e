//! The health dashboard's numbers, computed in SQL from `request_metrics`, and alerts.

use crate::{Engine, EngineError, EngineResult};
use switchyard_store::kinds::{ProviderId, Severity};
use switchyard_store::now_ms;
use switchyard_store::tables::{alerts, connections, request_metrics};

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HealthSummary {
    pub window_secs: u32,
    pub requests: i64,
    /// Fraction 0..=1 of provider requests that succeeded; `None` with no traffic.
    pub success_rate: Option<f64>,
    pub p50_latency_ms: Option<i64>,
    pub p95_latency_ms: Option<i64>,
    pub errors: i64,
    pub rate_limited: i64,
    pub cache_hits: i64,
    pub cache_misses: i64,
    pub cache_hit_rate: Option<f64>,
    pub open_alerts: i64,
    pub connections: Vec<ConnectionHealth>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionHealth {
    pub connection_id: String,
    pub label: String,
    pub provider: ProviderId,
    pub requests: i64,
    pub success_rate: Option<f64>,
    pub p95_latency_ms: Option<i64>,
    /// Fraction 0..=1 of the provider's quota left at the last reading.
    pub headroom_pct: Option<f64>,
    /// The connection's circuit breaker; `None` until it has made a call since start.
    pub circuit_state: Option<switchyard_connectors::http::CircuitState>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertItem {
    pub id: String,
    pub severity: Severity,
    pub kind: String,
    pub message: String,
    pub connection_id: Option<String>,
    pub occurrences: i64,
    pub raised_at: i64,
    pub last_seen_at: i64,
    pub acknowledged_at: Option<i64>,
}

/// The longest window the dashboard may ask for (30 days).
pub const MAX_WINDOW_SECS: u32 = 30 * 24 * 3600;

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Engine {
    pub async fn health_summary(&self, window_secs: u32) -> EngineResult<HealthSummary> {
        if window_secs == 0 || window_secs > MAX_WINDOW_SECS {
            return Err(EngineError::validation(format!(
                "window must be between 1 and {MAX_WINDOW_SECS} seconds"
            )));
        }
        let pool = self.store().pool();
        let since = now_ms() - i64::from(window_secs) * 1000;
        let t = request_metrics::totals(pool, since, None).await?;
        let mut per_connection = Vec::new();
        for c in connections::list(pool).await? {
            let ct = request_metrics::totals(pool, since, Some(&c.id)).await?;
            let headroom = request_metrics::latest_limit(pool, &c.id)
                .await?
                .and_then(|(rem, total)| ratio(rem, total));
            per_connection.push(ConnectionHealth {
                requests: ct.requests,
                success_rate: ratio(ct.ok, ct.requests),
                p95_latency_ms: request_metrics::latency_percentile(pool, since, Some(&c.id), 95)
                    .await?,
                headroom_pct: headroom,
                circuit_state: self.circuit_state(&c.id),
                connection_id: c.id,
                label: c.label,
                provider: c.provider,
            });
        }
        Ok(HealthSummary {
            window_secs,
            requests: t.requests,
            success_rate: ratio(t.ok, t.requests),
            p50_latency_ms: request_metrics::latency_percentile(pool, since, None, 50).await?,
            p95_latency_ms: request_metrics::latency_percentile(pool, since, None, 95).await?,
            errors: t.errors,
            rate_limited: t.rate_limited,
            cache_hits: t.cache_hits,
            cache_misses: t.cache_misses,
            cache_hit_rate: ratio(t.cache_hits, t.cache_hits + t.cache_misses),
            open_alerts: alerts::count_open(pool).await?,
            connections: per_connection,
        })
    }

    pub async fn list_alerts(&self, include_acknowledged: bool) -> EngineResult<Vec<AlertItem>> {
        let rows = alerts::open(self.store().pool(), include_acknowledged).await?;
        Ok(rows
            .into_iter()
            .map(|a| AlertItem {
                id: a.id,
                severity: a.severity,
                kind: a.kind,
                message: a.message,
                connection_id: a.connection_id,
                occurrences: a.occurrences,
                raised_at: a.raised_at,
                last_seen_at: a.last_seen_at,
                acknowledged_at: a.acknowledged_at,
            })
            .collect())
    }

    pub async fn acknowledge_alert(&self, id: &str) -> EngineResult<()> {
        Ok(alerts::acknowledge(self.store().pool(), id).await?)
    }
}

//! The health dashboard's numbers, computed in SQL from `request_metrics`, each
//! connection's status, the charts' series, the run timeline and alerts.

use crate::health::evaluate::Judged;
use crate::health::series::{self, HealthRange, HealthSeries, Named};
use crate::health::HealthStatus;
use crate::{Engine, EngineError, EngineResult};
use switchyard_store::kinds::{ProviderId, RunStatus, RunTrigger, Severity};
use switchyard_store::now_ms;
use switchyard_store::tables::{alerts, metric_rollups, request_metrics, runs};

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HealthSummary {
    pub window_secs: u32,
    /// Kinds of service connected (Salesforce, HubSpot…) and connections in use.
    pub services: i64,
    pub active_connections: i64,
    /// Requests sent to providers (cache hits excluded).
    pub requests: i64,
    /// Fraction 0..=1 of provider requests that succeeded; `None` with no traffic.
    pub success_rate: Option<f64>,
    pub avg_latency_ms: Option<f64>,
    pub p50_latency_ms: Option<i64>,
    pub p95_latency_ms: Option<i64>,
    pub p99_latency_ms: Option<i64>,
    pub errors: i64,
    pub rate_limited: i64,
    pub cache_hits: i64,
    pub cache_misses: i64,
    /// hits / (hits + misses): only reads that could be cached count.
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
    /// Judged over the status window of the health settings (15 minutes by default).
    pub status: HealthStatus,
    pub status_reason: String,
    pub requests: i64,
    pub success_rate: Option<f64>,
    pub p95_latency_ms: Option<i64>,
    pub cache_hit_rate: Option<f64>,
    /// Fraction 0..=1 of the provider's quota left at the last reading.
    pub headroom_pct: Option<f64>,
    /// The last reading itself: remaining of total (daily calls for Salesforce, the
    /// rolling burst window for HubSpot).
    pub quota_remaining: Option<i64>,
    pub quota_total: Option<i64>,
    /// Requests left in the provider's short window (HubSpot's per-10-second burst) at
    /// the last response, when the provider reports it.
    pub burst_remaining: Option<i64>,
    pub burst_total: Option<i64>,
    pub last_error: Option<LastError>,
    /// When the access token expires (epoch ms), when the provider says.
    pub token_expires_at: Option<i64>,
    /// The connection's circuit breaker; `None` until it has made a call since start.
    pub circuit_state: Option<switchyard_connectors::http::CircuitState>,
}

/// The latest request of a connection that did not succeed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LastError {
    pub at: i64,
    /// Like "429 rate limited on GET /crm/v3/objects/contacts/search".
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertItem {
    pub id: String,
    pub severity: Severity,
    pub kind: String,
    pub message: String,
    pub connection_id: Option<String>,
    pub mapping_id: Option<String>,
    pub occurrences: i64,
    pub raised_at: i64,
    pub last_seen_at: i64,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
}

impl From<alerts::Alert> for AlertItem {
    fn from(a: alerts::Alert) -> Self {
        Self {
            id: a.id,
            severity: a.severity,
            kind: a.kind,
            message: a.message,
            connection_id: a.connection_id,
            mapping_id: a.mapping_id,
            occurrences: a.occurrences,
            raised_at: a.raised_at,
            last_seen_at: a.last_seen_at,
            acknowledged_at: a.acknowledged_at,
            resolved_at: a.resolved_at,
        }
    }
}

/// A run on the Health timeline.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelineRun {
    pub run_id: String,
    pub mapping_id: String,
    pub mapping_name: String,
    pub status: RunStatus,
    pub trigger: RunTrigger,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub records_read: i64,
    pub records_failed: i64,
    pub message: Option<String>,
}

/// The longest window the dashboard may ask for (30 days).
pub const MAX_WINDOW_SECS: u32 = 30 * 24 * 3600;
/// Runs shown on one timeline at most.
const TIMELINE_RUNS: i64 = 2000;

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn failure_text(f: &request_metrics::Failure) -> String {
    let what = match f.outcome {
        switchyard_store::kinds::Outcome::RateLimited => "rate limited",
        switchyard_store::kinds::Outcome::AuthError => "sign-in refused",
        switchyard_store::kinds::Outcome::ServerError => "server error",
        switchyard_store::kinds::Outcome::Timeout => "timed out",
        switchyard_store::kinds::Outcome::Network => "network error",
        _ => "refused",
    };
    match f.status {
        Some(code) => format!("{code} {what} on {} {}", f.method, f.endpoint),
        None => format!("{what} on {} {}", f.method, f.endpoint),
    }
}

impl Engine {
    pub async fn health_summary(&self, window_secs: u32) -> EngineResult<HealthSummary> {
        if window_secs == 0 || window_secs > MAX_WINDOW_SECS {
            return Err(EngineError::validation(format!(
                "window must be between 1 and {MAX_WINDOW_SECS} seconds"
            )));
        }
        let pool = self.store().pool();
        let now = now_ms();
        let since = now - i64::from(window_secs) * 1000;
        let t = request_metrics::totals(pool, since, None).await?;
        let cfg = self.health_settings().await?;
        let judged = self.judge_connections(now, &cfg).await?;
        let mut providers: Vec<ProviderId> = judged.iter().map(|j| j.connection.provider).collect();
        providers.sort_by_key(|p| p.as_str());
        providers.dedup();
        let mut per_connection = Vec::with_capacity(judged.len());
        for j in judged {
            per_connection.push(self.connection_health(j, since).await?);
        }
        Ok(HealthSummary {
            window_secs,
            services: providers.len() as i64,
            active_connections: per_connection.len() as i64,
            requests: t.requests,
            success_rate: ratio(t.ok, t.requests),
            avg_latency_ms: (t.requests > 0).then(|| t.latency_total as f64 / t.requests as f64),
            p50_latency_ms: request_metrics::latency_percentile(pool, since, None, 50).await?,
            p95_latency_ms: request_metrics::latency_percentile(pool, since, None, 95).await?,
            p99_latency_ms: request_metrics::latency_percentile(pool, since, None, 99).await?,
            errors: t.errors,
            rate_limited: t.rate_limited,
            cache_hits: t.cache_hits,
            cache_misses: t.cache_misses,
            cache_hit_rate: ratio(t.cache_hits, t.cache_hits + t.cache_misses),
            open_alerts: alerts::count_open(pool).await?,
            connections: per_connection,
        })
    }

    async fn connection_health(&self, j: Judged, since: i64) -> EngineResult<ConnectionHealth> {
        let pool = self.store().pool();
        let c = j.connection;
        let ct = request_metrics::totals(pool, since, Some(&c.id)).await?;
        let limit = request_metrics::latest_limit(pool, &c.id).await?;
        let burst = self.burst_reading(&c.id);
        let last_error = request_metrics::last_failure(pool, &c.id)
            .await?
            .map(|f| LastError {
                at: f.at,
                text: failure_text(&f),
            });
        Ok(ConnectionHealth {
            status: j.status,
            status_reason: j.reason,
            requests: ct.requests,
            success_rate: ratio(ct.ok, ct.requests),
            p95_latency_ms: request_metrics::latency_percentile(pool, since, Some(&c.id), 95)
                .await?,
            cache_hit_rate: ratio(ct.cache_hits, ct.cache_hits + ct.cache_misses),
            headroom_pct: limit.and_then(|(rem, total)| ratio(rem, total)),
            quota_remaining: limit.map(|l| l.0),
            quota_total: limit.map(|l| l.1),
            last_error,
            burst_remaining: burst.map(|b| b.remaining),
            burst_total: burst.map(|b| b.total),
            token_expires_at: c.token_expires_at,
            circuit_state: self.circuit_state(&c.id),
            connection_id: c.id,
            label: c.label,
            provider: c.provider,
        })
    }

    /// The charts' series over `range`, for every connection or one (drill-down).
    pub async fn health_series(
        &self,
        range: HealthRange,
        connection_id: Option<&str>,
    ) -> EngineResult<HealthSeries> {
        let pool = self.store().pool();
        let now = now_ms();
        let (from, to) = range.bounds(now);
        let named: Vec<Named> = switchyard_store::tables::connections::list(pool)
            .await?
            .into_iter()
            .filter(|c| connection_id.is_none_or(|id| id == c.id))
            .map(|c| Named {
                id: c.id,
                label: c.label,
                provider: c.provider,
            })
            .collect();
        if let (Some(id), true) = (connection_id, named.is_empty()) {
            return Err(switchyard_store::StoreError::NotFound {
                what: "connection",
                id: id.into(),
            }
            .into());
        }
        let rows =
            metric_rollups::bucketed(pool, connection_id, from, to, range.bucket_ms()).await?;
        Ok(series::build(range, now, &named, &rows))
    }

    /// Runs started in `range`, oldest first.
    pub async fn health_timeline(&self, range: HealthRange) -> EngineResult<Vec<TimelineRun>> {
        let (from, to) = range.bounds(now_ms());
        let rows = runs::between(self.store().pool(), from, to, TIMELINE_RUNS).await?;
        Ok(rows
            .into_iter()
            .map(|r| TimelineRun {
                run_id: r.run.id,
                mapping_id: r.run.mapping_id,
                mapping_name: r.mapping_name,
                status: r.run.status,
                trigger: r.run.trigger,
                started_at: r.run.started_at,
                finished_at: r.run.finished_at,
                records_read: r.run.records_read,
                records_failed: r.run.records_failed,
                message: r.run.message,
            })
            .collect())
    }

    pub async fn list_alerts(&self, include_acknowledged: bool) -> EngineResult<Vec<AlertItem>> {
        let rows = alerts::open(self.store().pool(), include_acknowledged).await?;
        Ok(rows.into_iter().map(AlertItem::from).collect())
    }

    /// Every alert seen in `range` (open, acknowledged or resolved), newest first.
    pub async fn alert_history(&self, range: HealthRange) -> EngineResult<Vec<AlertItem>> {
        let (from, _) = range.bounds(now_ms());
        let rows = alerts::history(self.store().pool(), from, 1000).await?;
        Ok(rows.into_iter().map(AlertItem::from).collect())
    }

    pub async fn acknowledge_alert(&self, id: &str) -> EngineResult<()> {
        Ok(alerts::acknowledge(self.store().pool(), id).await?)
    }
}

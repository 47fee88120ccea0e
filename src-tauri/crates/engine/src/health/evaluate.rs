//! Each connection's status right now, from its last window of requests, its circuit
//! breaker, its sign-in and its mappings' recent runs.

use super::settings::HealthSettings;
use super::status::{classify, HealthStatus, Signals};
use crate::{CircuitState, Engine, EngineResult};
use switchyard_store::kinds::ConnectionStatus;
use switchyard_store::tables::connections::{self, Connection};
use switchyard_store::tables::{request_metrics, runs};

/// A connection with its judged status.
#[derive(Debug, Clone)]
pub struct Judged {
    pub connection: Connection,
    pub status: HealthStatus,
    pub reason: String,
    pub window: request_metrics::WindowTotals,
}

impl Engine {
    /// Every connection that is not disconnected, judged as of `now` (ms).
    pub async fn judge_connections(
        &self,
        now: i64,
        cfg: &HealthSettings,
    ) -> EngineResult<Vec<Judged>> {
        let pool = self.store().pool();
        let since = now - cfg.window_ms();
        let mut out = Vec::new();
        for c in connections::list(pool).await? {
            if c.status == ConnectionStatus::Disconnected {
                continue;
            }
            let window = request_metrics::totals(pool, since, Some(&c.id)).await?;
            let recent_runs = runs::last_outcomes_of_connection(
                pool,
                &c.id,
                i64::from(cfg.down_after_failed_runs),
            )
            .await?;
            let signals = Signals {
                requests: window.requests,
                ok: window.ok,
                circuit_open: self.circuit_state(&c.id) == Some(CircuitState::Open),
                auth_failed: c.status == ConnectionStatus::NeedsReconnect,
                recent_runs,
            };
            let (status, reason) = classify(&signals, cfg);
            out.push(Judged {
                connection: c,
                status,
                reason,
                window,
            });
        }
        Ok(out)
    }
}

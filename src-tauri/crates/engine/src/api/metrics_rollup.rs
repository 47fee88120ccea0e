//! Keeping the health data small: every minute the raw request rows of the minutes that
//! have ended are folded into per-connection minute rows (the last few minutes again, to
//! take in rows the metrics tap wrote late), raw rows older than 7 days are dropped and
//! minute rows older than 90 days too.

use crate::{Engine, EngineResult};
use std::time::Duration;
use switchyard_store::tables::{metric_rollups, request_metrics, settings};

const MARK: &str = "metrics_rolled_up_through";
const RAW_KEPT_MS: i64 = 7 * 24 * 3600 * 1000;
const ROLLUPS_KEPT_MS: i64 = 90 * 24 * 3600 * 1000;
/// Minutes rolled up again each pass (late rows land in them).
const REDO_MS: i64 = 3 * metric_rollups::MINUTE_MS;
pub const EVERY: Duration = Duration::from_secs(60);

impl Engine {
    /// One maintenance pass as of `now` (ms); returns the minute rows written.
    pub async fn roll_up_metrics(&self, now: i64) -> EngineResult<usize> {
        let pool = self.store().pool();
        let mark: Option<i64> = settings::get(pool, MARK).await?;
        let from = mark.map_or(now - RAW_KEPT_MS, |m| m - REDO_MS);
        // One transaction: a week of minutes is one commit, not one per row.
        let mut tx = switchyard_store::begin_write(pool).await?;
        let written = metric_rollups::roll_up(&mut tx, from, now).await?;
        tx.commit()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        settings::set(pool, MARK, &now).await?;
        request_metrics::prune(pool, now - RAW_KEPT_MS).await?;
        metric_rollups::prune(pool, now - ROLLUPS_KEPT_MS).await?;
        Ok(written)
    }

    /// Runs `roll_up_metrics` every minute for the life of the process.
    pub fn start_metrics_maintenance(&self) {
        let engine = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(EVERY);
            loop {
                tick.tick().await;
                if let Err(e) = engine.roll_up_metrics(switchyard_store::now_ms()).await {
                    tracing::warn!("metrics roll-up failed: {}", e.message);
                }
            }
        });
    }
}

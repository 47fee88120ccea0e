//! The live side of Health. Whenever the metrics tap writes a batch (and at least every
//! few seconds), one tick rolls up the current minutes, judges every connection, applies
//! the alert rules, sends alerts that are due, and broadcasts a small `HealthTick` the
//! shell forwards to the UI as one event. Ticks are coalesced: a busy sync produces a
//! few per second at most, not one per request.

use super::rules::{RuleMemory, StatusChange};
use super::status::HealthStatus;
use crate::api::health::AlertItem;
use crate::{Engine, EngineResult};
use std::time::Duration;
use switchyard_store::kinds::ProviderId;
use switchyard_store::tables::{alerts, metric_rollups};
use tokio::sync::{broadcast, Mutex};

/// New rows are gathered this long before a tick runs.
const COALESCE: Duration = Duration::from_millis(150);
/// A tick runs at least this often without traffic (statuses age, alerts clear).
const IDLE_TICK: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionStatusNow {
    pub connection_id: String,
    pub label: String,
    pub provider: ProviderId,
    pub status: HealthStatus,
    pub reason: String,
}

/// What changed, sent to the UI after each tick.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HealthTick {
    pub at: i64,
    pub statuses: Vec<ConnectionStatusNow>,
    pub changes: Vec<StatusChange>,
    /// Alerts sent to the user's channels by this tick (new ones and repeats after the
    /// cool-down); the UI shows them and, when `desktop`, as desktop notifications.
    pub alerts: Vec<AlertItem>,
    pub desktop: bool,
}

#[derive(Debug)]
pub(crate) struct HealthHub {
    ticks: broadcast::Sender<HealthTick>,
    memory: Mutex<RuleMemory>,
}

impl Default for HealthHub {
    fn default() -> Self {
        Self {
            ticks: broadcast::channel(64).0,
            memory: Mutex::default(),
        }
    }
}

impl Engine {
    /// Every tick from now on (a lagging receiver skips to the newest).
    pub fn health_ticks(&self) -> broadcast::Receiver<HealthTick> {
        self.health_hub().ticks.subscribe()
    }

    /// One tick as of `now` (ms): returns what it broadcast.
    pub async fn health_tick(&self, now: i64) -> EngineResult<HealthTick> {
        let hub = self.health_hub();
        let mut memory = hub.memory.lock().await;
        let pool = self.store().pool();
        {
            let mut tx = switchyard_store::begin_write(pool).await?;
            // The minute in progress and the one before (rows written late), so the
            // charts show traffic within a second.
            let minute = metric_rollups::MINUTE_MS;
            metric_rollups::roll_up(&mut tx, now - minute, now + minute).await?;
            tx.commit()
                .await
                .map_err(switchyard_store::StoreError::from)?;
        }
        let cfg = self.health_settings().await?;
        let judged = self.judge_connections(now, &cfg).await?;
        let changes = self
            .apply_alert_rules(now, &cfg, &judged, &mut memory)
            .await?;
        drop(memory);
        let alerts = self.deliver_due_alerts(now, &cfg).await?;
        let tick = HealthTick {
            at: now,
            statuses: judged
                .into_iter()
                .map(|j| ConnectionStatusNow {
                    connection_id: j.connection.id,
                    label: j.connection.label,
                    provider: j.connection.provider,
                    status: j.status,
                    reason: j.reason,
                })
                .collect(),
            changes,
            alerts,
            desktop: cfg.alert_desktop,
        };
        // No receiver is fine (no window open).
        let _ = self.health_hub().ticks.send(tick.clone());
        Ok(tick)
    }

    /// Marks due alerts as sent and posts them to Slack / Zapier when chosen (in the
    /// background: a slow channel never holds up the dashboard).
    async fn deliver_due_alerts(
        &self,
        now: i64,
        cfg: &super::settings::HealthSettings,
    ) -> EngineResult<Vec<AlertItem>> {
        let pool = self.store().pool();
        let due = alerts::due_for_delivery(pool, now - cfg.cooldown_ms()).await?;
        let mut sent = Vec::with_capacity(due.len());
        for a in due {
            alerts::mark_notified(pool, &a.id).await?;
            sent.push(AlertItem::from(a));
        }
        // A failed delivery raises its own alert; never post that one to the channel
        // that failed.
        let outward: Vec<AlertItem> = sent
            .iter()
            .filter(|a| a.kind != "notification_failed")
            .cloned()
            .collect();
        if !outward.is_empty() && (cfg.alert_slack || cfg.alert_zapier) {
            let targets = self.notification_settings().await?;
            let engine = self.clone();
            let (slack, zapier) = (cfg.alert_slack, cfg.alert_zapier);
            tokio::spawn(async move {
                for a in &outward {
                    engine.post_alert(a, &targets, slack, zapier).await;
                }
            });
        }
        Ok(sent)
    }

    async fn post_alert(
        &self,
        a: &AlertItem,
        to: &crate::api::notifications::NotificationSettings,
        slack: bool,
        zapier: bool,
    ) {
        if let (true, Some(id), Some(channel)) = (slack, &to.slack_connection_id, &to.slack_channel)
        {
            let text = format!("Switchyard alert ({}): {}", a.severity.as_str(), a.message);
            let result = self.post_slack(id, channel, &text).await;
            self.delivered("Slack", result).await;
        }
        if let (true, Some(id)) = (zapier, &to.zapier_connection_id) {
            let payload = serde_json::json!({
                "type": "switchyard.alert",
                "severity": a.severity.as_str(),
                "kind": a.kind,
                "message": a.message,
                "connectionId": a.connection_id,
                "occurrences": a.occurrences,
                "raisedAt": a.raised_at,
            });
            let result = self.post_zapier(id, &payload).await;
            self.delivered("Zapier", result).await;
        }
    }

    /// Ticks after every metrics batch (coalesced) and every few seconds, for the life
    /// of the process.
    pub fn start_health_monitor(&self) {
        let engine = self.clone();
        let mut written = self.metrics_tap().written();
        tokio::spawn(async move {
            loop {
                let woke = tokio::time::timeout(IDLE_TICK, written.changed()).await;
                if matches!(woke, Ok(Err(_))) {
                    break; // the tap is gone: the engine is shutting down
                }
                tokio::time::sleep(COALESCE).await;
                written.borrow_and_update();
                if let Err(e) = engine.health_tick(switchyard_store::now_ms()).await {
                    tracing::warn!("health tick failed: {}", e.message);
                }
            }
        });
    }
}

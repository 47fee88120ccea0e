//! Alert rules, evaluated on every health tick: a connection turning degraded or down,
//! a run that failed, a provider's quota use over the limit, a spike of errors. (Refused
//! token refreshes are raised where they happen, in the client's token store.) Each
//! alert has a dedup key; a repeat of an open alert is counted, and an alert that clears
//! and returns inside the cool-down is reopened rather than raised anew.

use super::evaluate::Judged;
use super::settings::HealthSettings;
use super::status::{percent, HealthStatus};
use crate::{Engine, EngineResult};
use std::collections::HashMap;
use switchyard_store::kinds::Severity;
use switchyard_store::tables::{alerts, request_metrics, runs};

/// Errors are counted over this recent span for the spike rule.
pub const SPIKE_SPAN_MS: i64 = 5 * 60_000;

/// A connection whose status changed since the last tick.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub connection_id: String,
    pub label: String,
    pub from: HealthStatus,
    pub to: HealthStatus,
}

/// What the rules remember between ticks.
#[derive(Debug, Default)]
pub struct RuleMemory {
    /// Status at the last tick, by connection.
    last: HashMap<String, HealthStatus>,
    /// Failed runs that finished before this were already alerted.
    runs_checked_at: Option<i64>,
}

/// An alert rule's verdict for one key.
struct Condition<'a> {
    key: String,
    kind: &'a str,
    connection_id: Option<&'a str>,
    mapping_id: Option<&'a str>,
    severity: Severity,
    message: String,
}

impl Engine {
    async fn raise(&self, c: &Condition<'_>, cfg: &HealthSettings) -> EngineResult<()> {
        let mut db = self
            .store()
            .pool()
            .acquire()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        alerts::raise_with_cooldown(
            &mut db,
            &alerts::NewAlert {
                connection_id: c.connection_id,
                mapping_id: c.mapping_id,
                kind: c.kind,
                severity: c.severity,
                message: &c.message,
                dedup_key: &c.key,
            },
            cfg.cooldown_ms(),
        )
        .await?;
        Ok(())
    }

    /// Raises the alert unless it is already open (a condition that holds for many ticks
    /// is one alert, not one per tick).
    async fn hold(&self, c: &Condition<'_>, cfg: &HealthSettings) -> EngineResult<()> {
        if !alerts::is_open(self.store().pool(), &c.key).await? {
            self.raise(c, cfg).await?;
        }
        Ok(())
    }

    /// Applies every rule to the judged connections; returns the status changes.
    pub(crate) async fn apply_alert_rules(
        &self,
        now: i64,
        cfg: &HealthSettings,
        judged: &[Judged],
        memory: &mut RuleMemory,
    ) -> EngineResult<Vec<StatusChange>> {
        let pool = self.store().pool();
        let mut changes = Vec::new();
        for j in judged {
            let c = &j.connection;
            let key = format!("status:{}", c.id);
            // A connection seen for the first time (new, or after a restart) counts as
            // coming from unknown: a broken one is reported (an alert still open from
            // before a restart is bumped, not doubled).
            let from = memory
                .last
                .insert(c.id.clone(), j.status)
                .unwrap_or(HealthStatus::Unknown);
            if from != j.status {
                changes.push(StatusChange {
                    connection_id: c.id.clone(),
                    label: c.label.clone(),
                    from,
                    to: j.status,
                });
                if matches!(j.status, HealthStatus::Degraded | HealthStatus::Down) {
                    let cond = Condition {
                        key: key.clone(),
                        kind: "status",
                        connection_id: Some(&c.id),
                        mapping_id: None,
                        severity: if j.status == HealthStatus::Down {
                            Severity::Critical
                        } else {
                            Severity::Warning
                        },
                        message: format!("{} is {}: {}", c.label, j.status.word(), j.reason),
                    };
                    self.raise(&cond, cfg).await?;
                }
            }
            if j.status == HealthStatus::Healthy {
                alerts::resolve(pool, &key).await?;
            }

            let key = format!("rate_limit:{}", c.id);
            let used = match request_metrics::latest_limit(pool, &c.id).await? {
                Some((rem, total)) if j.window.requests > 0 => {
                    switchyard_store::tables::metric_rollups::used_share(rem, total)
                }
                _ => None,
            };
            match used {
                Some(u) if u * 100.0 > cfg.rate_limit_alert_pct => {
                    let cond = Condition {
                        key,
                        kind: "rate_limit",
                        connection_id: Some(&c.id),
                        mapping_id: None,
                        severity: Severity::Warning,
                        message: format!(
                            "{} has used {} of its API quota (alert level {})",
                            c.label,
                            percent(u * 100.0),
                            percent(cfg.rate_limit_alert_pct)
                        ),
                    };
                    self.hold(&cond, cfg).await?;
                }
                _ => {
                    alerts::resolve(pool, &key).await?;
                }
            }

            let key = format!("error_spike:{}", c.id);
            let recent = request_metrics::totals(pool, now - SPIKE_SPAN_MS, Some(&c.id)).await?;
            let rate = (recent.requests > 0)
                .then(|| recent.errors as f64 * 100.0 / recent.requests as f64);
            match rate {
                Some(r)
                    if recent.requests >= i64::from(cfg.error_spike_min_requests)
                        && r >= cfg.error_spike_pct =>
                {
                    let cond = Condition {
                        key,
                        kind: "error_spike",
                        connection_id: Some(&c.id),
                        mapping_id: None,
                        severity: Severity::Warning,
                        message: format!(
                            "{}: {} of {} requests failed in the last 5 minutes ({})",
                            c.label,
                            recent.errors,
                            recent.requests,
                            percent(r)
                        ),
                    };
                    self.hold(&cond, cfg).await?;
                }
                _ => {
                    alerts::resolve(pool, &key).await?;
                }
            }
        }

        let since = memory.runs_checked_at.unwrap_or(now);
        for r in runs::failed_since(pool, since).await? {
            if r.run.finished_at.unwrap_or(now) >= now {
                continue; // taken next tick, when its second is complete
            }
            let cond = Condition {
                key: format!("run_failed:{}", r.run.mapping_id),
                kind: "run_failed",
                connection_id: None,
                mapping_id: Some(&r.run.mapping_id),
                severity: Severity::Critical,
                message: format!(
                    "A run of \u{201c}{}\u{201d} failed: {}",
                    r.mapping_name,
                    r.run.message.as_deref().unwrap_or("no reason recorded")
                ),
            };
            self.raise(&cond, cfg).await?;
        }
        memory.runs_checked_at = Some(now);
        Ok(changes)
    }
}

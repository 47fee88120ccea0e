//! The thresholds behind connection status and alert rules, and where alerts go. One
//! JSON value in the settings table; defaults follow the seed (healthy at 95 % success
//! over 15 minutes).

use crate::{Engine, EngineError, EngineResult};
use switchyard_store::tables::settings;

const KEY: &str = "health";

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct HealthSettings {
    /// A connection is healthy at or above this success rate (percent) over the window.
    pub healthy_success_pct: f64,
    /// The window the status looks back over, in minutes.
    pub status_window_mins: u32,
    /// This many failed runs in a row (of mappings using the connection) make it down.
    pub down_after_failed_runs: u32,
    /// Alert when a provider reports more than this share (percent) of its quota used.
    pub rate_limit_alert_pct: f64,
    /// Alert when more than this share (percent) of the last 5 minutes' requests failed…
    pub error_spike_pct: f64,
    /// …and there were at least this many requests.
    pub error_spike_min_requests: u32,
    /// Repeats of an alert inside this many minutes are counted, not sent again; an alert
    /// that clears and comes back inside it is reopened, not raised anew.
    pub cooldown_mins: u32,
    /// Where alerts are delivered besides the in-app list.
    pub alert_desktop: bool,
    /// Post alerts to the Slack channel chosen for run notifications.
    pub alert_slack: bool,
    /// Post alerts to the Zapier hook chosen for run notifications.
    pub alert_zapier: bool,
}

impl Default for HealthSettings {
    fn default() -> Self {
        Self {
            healthy_success_pct: 95.0,
            status_window_mins: 15,
            down_after_failed_runs: 3,
            rate_limit_alert_pct: 80.0,
            error_spike_pct: 25.0,
            error_spike_min_requests: 20,
            cooldown_mins: 30,
            alert_desktop: true,
            alert_slack: false,
            alert_zapier: false,
        }
    }
}

impl HealthSettings {
    fn check(&self) -> EngineResult<()> {
        let pct = |name: &str, v: f64| {
            if (0.0..=100.0).contains(&v) {
                Ok(())
            } else {
                Err(EngineError::validation(format!(
                    "{name} must be between 0 and 100 (got {v})"
                )))
            }
        };
        pct("Healthy success rate", self.healthy_success_pct)?;
        pct("Rate-limit alert level", self.rate_limit_alert_pct)?;
        pct("Error spike rate", self.error_spike_pct)?;
        if !(1..=1440).contains(&self.status_window_mins) {
            return Err(EngineError::validation(
                "The status window must be between 1 and 1440 minutes",
            ));
        }
        if !(1..=100).contains(&self.down_after_failed_runs) {
            return Err(EngineError::validation(
                "Failed runs before a connection counts as down must be between 1 and 100",
            ));
        }
        if self.cooldown_mins > 1440 {
            return Err(EngineError::validation(
                "The alert cool-down must be at most 1440 minutes",
            ));
        }
        Ok(())
    }

    pub fn cooldown_ms(&self) -> i64 {
        i64::from(self.cooldown_mins) * 60_000
    }

    pub fn window_ms(&self) -> i64 {
        i64::from(self.status_window_mins) * 60_000
    }
}

impl Engine {
    pub async fn health_settings(&self) -> EngineResult<HealthSettings> {
        Ok(settings::get(self.store().pool(), KEY)
            .await?
            .unwrap_or_default())
    }

    pub async fn set_health_settings(&self, new: HealthSettings) -> EngineResult<HealthSettings> {
        new.check()?;
        settings::set(self.store().pool(), KEY, &new).await?;
        Ok(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_seed_thresholds_and_out_of_range_values_are_refused() {
        let d = HealthSettings::default();
        assert_eq!((d.healthy_success_pct, d.status_window_mins), (95.0, 15));
        assert!(d.check().is_ok());
        let bad = HealthSettings {
            healthy_success_pct: 120.0,
            ..d.clone()
        };
        assert!(bad.check().is_err());
        let bad = HealthSettings {
            status_window_mins: 0,
            ..d
        };
        assert!(bad.check().is_err());
    }

    #[test]
    fn missing_fields_take_defaults() {
        let s: HealthSettings = serde_json::from_str(r#"{"healthySuccessPct": 90}"#).unwrap();
        assert_eq!((s.healthy_success_pct, s.cooldown_mins), (90.0, 30));
    }
}

//! A connection's status from what its requests, circuit breaker, sign-in and recent
//! runs say. Pure, so the thresholds are tested on fixed numbers.

use super::settings::HealthSettings;
use switchyard_store::kinds::RunStatus;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Healthy,
    Degraded,
    Down,
    /// No traffic in the window: nothing to judge by.
    Unknown,
}

impl HealthStatus {
    pub fn word(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Degraded => "degraded",
            Self::Down => "down",
            Self::Unknown => "unknown",
        }
    }
}

/// What the status is judged on.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// Provider requests in the window (cache hits excluded) and how many succeeded.
    pub requests: i64,
    pub ok: i64,
    pub circuit_open: bool,
    /// The provider no longer accepts the saved sign-in (refresh refused, revoked).
    pub auth_failed: bool,
    /// Newest first: the last finished runs of mappings that use the connection.
    pub recent_runs: Vec<RunStatus>,
}

/// The status and a sentence saying why.
pub fn classify(s: &Signals, cfg: &HealthSettings) -> (HealthStatus, String) {
    if s.auth_failed {
        return (
            HealthStatus::Down,
            "The provider no longer accepts the saved sign-in".into(),
        );
    }
    if s.circuit_open {
        return (
            HealthStatus::Down,
            "Calls are paused: too many recent requests failed (circuit open)".into(),
        );
    }
    let n = cfg.down_after_failed_runs as usize;
    if n > 0
        && s.recent_runs.len() >= n
        && s.recent_runs[..n].iter().all(|r| *r == RunStatus::Failed)
    {
        return (HealthStatus::Down, format!("The last {n} runs failed"));
    }
    if s.requests == 0 {
        return (
            HealthStatus::Unknown,
            format!("No requests in the last {} minutes", cfg.status_window_mins),
        );
    }
    let pct = s.ok as f64 * 100.0 / s.requests as f64;
    let what = format!(
        "{} of {} requests succeeded ({}) in the last {} minutes",
        s.ok,
        s.requests,
        percent(pct),
        cfg.status_window_mins
    );
    if pct >= cfg.healthy_success_pct {
        (HealthStatus::Healthy, what)
    } else {
        (HealthStatus::Degraded, what)
    }
}

/// A percentage with one decimal when it is not whole (99.5 %, 100 %).
pub fn percent(p: f64) -> String {
    if (p - p.round()).abs() < 0.05 {
        format!("{:.0} %", p.round())
    } else {
        format!("{p:.1} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traffic(requests: i64, ok: i64) -> Signals {
        Signals {
            requests,
            ok,
            ..Default::default()
        }
    }

    #[test]
    fn the_threshold_is_inclusive() {
        let cfg = HealthSettings::default();
        assert_eq!(classify(&traffic(100, 95), &cfg).0, HealthStatus::Healthy);
        assert_eq!(classify(&traffic(100, 94), &cfg).0, HealthStatus::Degraded);
        assert_eq!(
            classify(&traffic(1000, 949), &cfg).0,
            HealthStatus::Degraded
        );
        assert_eq!(classify(&traffic(0, 0), &cfg).0, HealthStatus::Unknown);
        let strict = HealthSettings {
            healthy_success_pct: 99.0,
            ..cfg
        };
        assert_eq!(
            classify(&traffic(100, 98), &strict).0,
            HealthStatus::Degraded
        );
        assert_eq!(
            classify(&traffic(100, 95), &HealthSettings::default()).1,
            "95 of 100 requests succeeded (95 %) in the last 15 minutes"
        );
    }

    #[test]
    fn down_beats_good_traffic() {
        let cfg = HealthSettings::default();
        let open = Signals {
            circuit_open: true,
            ..traffic(100, 100)
        };
        assert_eq!(classify(&open, &cfg).0, HealthStatus::Down);
        let auth = Signals {
            auth_failed: true,
            ..traffic(0, 0)
        };
        assert_eq!(classify(&auth, &cfg).0, HealthStatus::Down);
        use RunStatus::{Failed, Succeeded};
        let failing = Signals {
            recent_runs: vec![Failed, Failed, Failed, Succeeded],
            ..traffic(50, 50)
        };
        assert_eq!(classify(&failing, &cfg).0, HealthStatus::Down);
        let recovered = Signals {
            recent_runs: vec![Succeeded, Failed, Failed, Failed],
            ..traffic(50, 50)
        };
        assert_eq!(classify(&recovered, &cfg).0, HealthStatus::Healthy);
        let too_few = Signals {
            recent_runs: vec![Failed, Failed],
            ..traffic(0, 0)
        };
        assert_eq!(classify(&too_few, &cfg).0, HealthStatus::Unknown);
    }

    #[test]
    fn percentages_read_naturally() {
        assert_eq!(percent(100.0), "100 %");
        assert_eq!(percent(99.5), "99.5 %");
        assert_eq!(percent(94.99), "95 %");
    }
}

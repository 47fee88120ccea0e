//! One row per scenario: what it measured, set against the fewest calls and the
//! shortest wall time the providers allow. Every scenario builds its rows here; `report`
//! shows them.

use super::env::{Measured, Requests};
use super::launches::Summary;
use super::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// What one scenario measured. Figures a scenario does not measure are `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub scenario: String,
    pub title: String,
    pub records: u64,
    /// API calls the engine counted (source + target connectors).
    pub calls: u64,
    /// The same calls as the sandbox's own request statistics count them.
    pub sandbox_calls: u64,
    /// Writes that reached the target (sandbox statistics).
    pub write_calls: u64,
    /// The sandbox's count per provider, method, route and status.
    pub requests: Vec<String>,
    /// Requests the sandbox refused with 429.
    pub rate_limited: u64,
    /// The fewest calls the providers' page and batch sizes allow, and how it is derived.
    pub minimum: Option<u64>,
    pub minimum_formula: Option<String>,
    pub calls_ratio: Option<f64>,
    pub wall_s: f64,
    /// The shortest wall time the rate limits allow, and how it is derived.
    pub bound_s: Option<f64>,
    pub bound_formula: Option<String>,
    pub wall_ratio: Option<f64>,
    pub records_per_s: f64,
    /// Peak RSS of the process the engine ran in, when the scenario measures it.
    pub peak_rss_mb: Option<f64>,
    /// Peak RSS of the sandbox's own process, when it ran in one.
    pub sandbox_peak_rss_mb: Option<f64>,
    /// CPU seconds (all threads) the engine's process spent on the measured run (B4).
    pub engine_cpu_s: Option<f64>,
    /// CPU seconds the sandbox's process spent serving it (B4).
    pub sandbox_cpu_s: Option<f64>,
    /// The target for this scenario, if it sets one.
    pub target: Option<String>,
    pub met: Option<bool>,
    /// What the engine's run report said (B7: a summary of its launches).
    pub run_message: String,
    /// B7 only: the app's launches; it has no records, calls or bounds.
    pub desktop: Option<Summary>,
}

impl Row {
    /// A row from one measured run between two providers (named for the request lines):
    /// its calls set against `minimum` and its wall time against `bound`, both with how
    /// they are derived. No target: scenarios that have one set `target` and `met`.
    pub fn measured(
        scenario: Scenario,
        title: String,
        m: &Measured,
        names: (&str, &str),
        minimum: (u64, String),
        bound: (f64, String),
    ) -> Row {
        let calls = u64::from(m.report.calls);
        let read = u64::from(m.report.read);
        Row {
            scenario: scenario.as_str().to_owned(),
            title,
            records: read,
            calls,
            sandbox_calls: m.source.total + m.target.total,
            write_calls: m.source.writes + m.target.writes,
            requests: requests(&[(names.0, &m.source), (names.1, &m.target)]),
            rate_limited: m.source.refused + m.target.refused,
            minimum: Some(minimum.0),
            minimum_formula: Some(minimum.1),
            calls_ratio: ratio(calls as f64, minimum.0 as f64),
            wall_s: m.wall_s,
            bound_s: Some(bound.0),
            bound_formula: Some(bound.1),
            wall_ratio: ratio(m.wall_s, bound.0),
            records_per_s: if m.wall_s > 0.0 {
                read as f64 / m.wall_s
            } else {
                0.0
            },
            peak_rss_mb: None,
            sandbox_peak_rss_mb: None,
            engine_cpu_s: None,
            sandbox_cpu_s: None,
            target: None,
            met: None,
            run_message: m.report.message.clone(),
            desktop: None,
        }
    }
}

pub fn ratio(value: f64, reference: f64) -> Option<f64> {
    (reference > 0.0).then(|| value / reference)
}

/// Both simulators' per-route counts, each line named by its provider.
pub fn requests(sides: &[(&str, &Requests)]) -> Vec<String> {
    sides
        .iter()
        .flat_map(|(name, r)| r.routes.iter().map(move |line| format!("{name} {line}")))
        .collect()
}

//! What the demo did, as one JSON document (camelCase, stable names) or as the table a
//! person reads. Only counts, ids and messages: tokens and hook URLs never appear here.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;
use switchyard_engine::api::health::HealthSummary;
use switchyard_engine::api::mappings::MappingSummary;
use switchyard_engine::api::notifications::Delivery;
use switchyard_engine::api::run_detail::RecordErrorView;
use switchyard_engine::mapping::validate::Problem;
use switchyard_engine::store::kinds::{ProviderId, SyncDirection};
use switchyard_engine::store::tables::connections::Connection;
use switchyard_engine::sync::RunReport;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoReport {
    pub data_dir: String,
    /// Whether the data folder is left behind (`--keep`, `--data-dir`).
    pub data_kept: bool,
    pub records: usize,
    pub seed: u64,
    /// Each simulator's base URL, by provider.
    pub sandbox: BTreeMap<String, String>,
    /// The sandbox another process serves (`SWITCHYARD_SANDBOX_URLS`): its own seed and
    /// size apply, not `records` and `seed`.
    pub external_sandbox: bool,
    pub connections: Vec<ConnectionLine>,
    /// In the order they ran.
    pub mappings: Vec<MappingLine>,
    pub totals: Totals,
    pub notifications: Option<Notifications>,
    pub health: Option<HealthLine>,
    pub wall_ms: u64,
    /// The step that stopped the demo, if one did.
    pub failed_step: Option<FailedStep>,
    /// The step in progress (named if Ctrl-C stops it).
    #[serde(skip)]
    pub step: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedStep {
    pub step: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionLine {
    pub id: String,
    pub provider: ProviderId,
    pub label: String,
    /// How it signed in: `oauth_loopback` (code flow with PKCE), `pasted_token`, `hook_url`.
    pub auth_kind: String,
    pub status: String,
    pub account: Option<String>,
}

impl From<Connection> for ConnectionLine {
    fn from(c: Connection) -> Self {
        Self {
            id: c.id,
            provider: c.provider,
            label: c.label,
            auth_kind: c.auth_kind.as_str().to_owned(),
            status: c.status.as_str().to_owned(),
            account: c.account_name.or(c.user_name),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingLine {
    pub mapping_id: String,
    pub name: String,
    pub direction: SyncDirection,
    pub source_object: String,
    pub target_object: String,
    /// `None` when the mapping was not run.
    pub run_id: Option<String>,
    /// The run's status, or `not_run` when the mapping has problems to fix first.
    pub status: String,
    pub read: u32,
    pub created: u32,
    pub updated: u32,
    /// Unchanged records: nothing to write.
    pub skipped: u32,
    pub failed: u32,
    pub conflicts: u32,
    pub calls: u32,
    pub duration_ms: u64,
    pub message: String,
    /// The run's per-record errors, one line per kind.
    pub errors: Vec<ErrorCount>,
    /// Why the mapping was not run: its validation problems.
    pub problems: Vec<String>,
}

impl MappingLine {
    pub fn new(m: &MappingSummary, r: &RunReport, took: Duration, errors: Vec<ErrorCount>) -> Self {
        Self {
            mapping_id: m.id.clone(),
            name: m.name.clone(),
            direction: m.direction,
            source_object: m.source_object.clone(),
            target_object: m.target_object.clone(),
            run_id: Some(r.run_id.clone()),
            status: r.status.as_str().to_owned(),
            read: r.read,
            created: r.created,
            updated: r.updated,
            skipped: r.skipped,
            failed: r.failed,
            conflicts: r.conflicts,
            calls: r.calls,
            duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
            message: r.message.clone(),
            errors,
            problems: Vec::new(),
        }
    }

    pub fn not_run(m: &MappingSummary, problems: &[Problem]) -> Self {
        Self {
            mapping_id: m.id.clone(),
            name: m.name.clone(),
            direction: m.direction,
            source_object: m.source_object.clone(),
            target_object: m.target_object.clone(),
            run_id: None,
            status: "not_run".to_owned(),
            read: 0,
            created: 0,
            updated: 0,
            skipped: 0,
            failed: 0,
            conflicts: 0,
            calls: 0,
            duration_ms: 0,
            message: format!(
                "not run: {} problem(s) to fix in the mapping first",
                problems.len()
            ),
            errors: Vec::new(),
            problems: problems.iter().map(|p| p.message.clone()).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCount {
    pub code: String,
    pub count: u32,
    /// The first record's message, as an example of the kind.
    pub example: String,
}

/// Per-record errors grouped by code, most frequent first (record payloads left out).
pub fn error_counts(errors: &[RecordErrorView]) -> Vec<ErrorCount> {
    let mut out: Vec<ErrorCount> = Vec::new();
    for e in errors {
        match out.iter_mut().find(|c| c.code == e.code) {
            Some(c) => c.count += 1,
            None => out.push(ErrorCount {
                code: e.code.clone(),
                count: 1,
                example: e.message.clone(),
            }),
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.count));
    out
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub read: u32,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub failed: u32,
    pub conflicts: u32,
    pub calls: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notifications {
    pub slack: Posted,
    pub zapier: Posted,
}

/// One delivered summary: for Slack the channel id and the message's `ts`, for Zapier the
/// request id the hook answered with.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Posted {
    pub ok: bool,
    pub channel: Option<String>,
    pub ts: Option<String>,
    pub request_id: Option<String>,
    pub detail: String,
}

impl Posted {
    pub fn missing(name: &str) -> Self {
        Self {
            ok: false,
            channel: None,
            ts: None,
            request_id: None,
            detail: format!("no {name} destination was set"),
        }
    }
}

impl From<&Delivery> for Posted {
    fn from(d: &Delivery) -> Self {
        let slack = d.channel == "Slack";
        Self {
            ok: d.ok,
            channel: d.posted_to.clone(),
            ts: d.id.clone().filter(|_| slack),
            request_id: d.id.clone().filter(|_| !slack),
            detail: d.detail.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthLine {
    pub window_secs: u32,
    pub requests: i64,
    pub success_rate: Option<f64>,
    pub p95_latency_ms: Option<i64>,
    pub cache_hit_rate: Option<f64>,
    pub errors: i64,
    pub rate_limited: i64,
    pub connections: Vec<ConnectionHealthLine>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionHealthLine {
    pub provider: ProviderId,
    pub label: String,
    pub status: String,
    pub requests: i64,
    pub success_rate: Option<f64>,
    pub p95_latency_ms: Option<i64>,
}

impl From<&HealthSummary> for HealthLine {
    fn from(h: &HealthSummary) -> Self {
        Self {
            window_secs: h.window_secs,
            requests: h.requests,
            success_rate: h.success_rate,
            p95_latency_ms: h.p95_latency_ms,
            cache_hit_rate: h.cache_hit_rate,
            errors: h.errors,
            rate_limited: h.rate_limited,
            connections: h
                .connections
                .iter()
                .map(|c| ConnectionHealthLine {
                    provider: c.provider,
                    label: c.label.clone(),
                    status: c.status.word().to_owned(),
                    requests: c.requests,
                    success_rate: c.success_rate,
                    p95_latency_ms: c.p95_latency_ms,
                })
                .collect(),
        }
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{:.1} %", v * 100.0))
}

fn ms(v: Option<i64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v} ms"))
}

impl DemoReport {
    pub fn new(dir: &Path, kept: bool, records: usize, seed: u64) -> Self {
        Self {
            data_dir: dir.display().to_string(),
            data_kept: kept,
            records,
            seed,
            sandbox: BTreeMap::new(),
            external_sandbox: false,
            connections: Vec::new(),
            mappings: Vec::new(),
            totals: Totals::default(),
            notifications: None,
            health: None,
            wall_ms: 0,
            failed_step: None,
            step: "open the data folder".to_owned(),
        }
    }

    pub fn sum(&self) -> Totals {
        self.mappings.iter().fold(Totals::default(), |t, m| Totals {
            read: t.read + m.read,
            created: t.created + m.created,
            updated: t.updated + m.updated,
            skipped: t.skipped + m.skipped,
            failed: t.failed + m.failed,
            conflicts: t.conflicts + m.conflicts,
            calls: t.calls + m.calls,
        })
    }

    /// The human-readable report: connections, one row per mapping, notifications, health.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let w = &mut out;
        if self.external_sandbox {
            let _ = writeln!(
                w,
                "Sandbox: served by another process (SWITCHYARD_SANDBOX_URLS)"
            );
        } else {
            let _ = writeln!(
                w,
                "Sandbox: {} simulators on 127.0.0.1, seed {}, {} records per object",
                self.sandbox.len(),
                self.seed,
                self.records
            );
        }
        if !self.connections.is_empty() {
            let _ = writeln!(w, "\nConnections");
        }
        for c in &self.connections {
            let _ = writeln!(w, "  {:<28} {:<15} {}", c.label, c.auth_kind, c.status);
        }
        if !self.mappings.is_empty() {
            let _ = writeln!(
                w,
                "\n{:<34} {:>4} {:>7} {:>7} {:>7} {:>9} {:>6} {:>9} {:>6} {:>8}",
                "Syncs",
                "",
                "read",
                "created",
                "updated",
                "unchanged",
                "failed",
                "conflicts",
                "calls",
                "time"
            );
            for m in &self.mappings {
                let arrow = match m.direction {
                    SyncDirection::TwoWay => "↔",
                    SyncDirection::OneWay => "→",
                };
                if m.run_id.is_none() {
                    let _ = writeln!(
                        w,
                        "  {:<32} {:>4}   not run: {}",
                        m.name,
                        arrow,
                        m.problems.join(" ")
                    );
                    continue;
                }
                let _ = writeln!(
                    w,
                    "  {:<32} {:>4} {:>7} {:>7} {:>7} {:>9} {:>6} {:>9} {:>6} {:>6.2} s",
                    m.name,
                    arrow,
                    m.read,
                    m.created,
                    m.updated,
                    m.skipped,
                    m.failed,
                    m.conflicts,
                    m.calls,
                    m.duration_ms as f64 / 1000.0
                );
            }
            let t = self.totals;
            let _ = writeln!(
                w,
                "  {:<32} {:>4} {:>7} {:>7} {:>7} {:>9} {:>6} {:>9} {:>6}",
                "total",
                "",
                t.read,
                t.created,
                t.updated,
                t.skipped,
                t.failed,
                t.conflicts,
                t.calls
            );
        }
        let with_errors: Vec<&MappingLine> = self
            .mappings
            .iter()
            .filter(|m| !m.errors.is_empty())
            .collect();
        if !with_errors.is_empty() {
            let _ = writeln!(w, "\nRecord errors");
            for m in with_errors {
                for e in &m.errors {
                    let _ = writeln!(
                        w,
                        "  {} · {} ×{}, e.g. {}",
                        m.name, e.code, e.count, e.example
                    );
                }
            }
        }
        if let Some(n) = &self.notifications {
            let _ = writeln!(w, "\nNotifications");
            let _ = writeln!(w, "  Slack   {}", n.slack.detail);
            let _ = writeln!(w, "  Zapier  {}", n.zapier.detail);
        }
        if let Some(h) = &self.health {
            let _ = writeln!(w, "\nHealth");
            let _ = writeln!(
                w,
                "  requests {}  success {}  p95 {}  cache hits {}  errors {}  rate limited {}",
                h.requests,
                pct(h.success_rate),
                ms(h.p95_latency_ms),
                pct(h.cache_hit_rate),
                h.errors,
                h.rate_limited
            );
            for c in &h.connections {
                let _ = writeln!(
                    w,
                    "  {:<28} {:<9} {:>6} requests  success {:>7}  p95 {}",
                    c.label,
                    c.status,
                    c.requests,
                    pct(c.success_rate),
                    ms(c.p95_latency_ms)
                );
            }
        }
        let kept = if self.data_kept { "kept" } else { "removed" };
        let _ = writeln!(w, "\nData folder {} ({kept})", self.data_dir);
        let _ = writeln!(w, "Wall time {:.2} s", self.wall_ms as f64 / 1000.0);
        if let Some(f) = &self.failed_step {
            let _ = writeln!(
                w,
                "\nFAILED at step \u{201c}{}\u{201d}: {}",
                f.step, f.message
            );
        }
        out
    }
}

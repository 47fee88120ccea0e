//! One row per scenario and the three ways to show them: a text table, one JSON
//! document, and `docs/benchmarks.md` (the table plus the machine, date, commit and
//! build profile it was measured on, and the command that regenerates it).

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
    /// The issue's target for this scenario, if it sets one.
    pub target: Option<String>,
    pub met: Option<bool>,
    /// What the engine's run report said (B7: a summary of its launches).
    pub run_message: String,
    /// B7 only: the app's launches; it has no records, calls or bounds.
    pub desktop: Option<super::desktop::Summary>,
}

impl Row {
    /// A row from one measured run between two providers (named for the request lines):
    /// its calls set against `minimum` and its wall time against `bound`, both with how
    /// they are derived. No target: scenarios that have one set `target` and `met`.
    pub fn measured(
        scenario: super::Scenario,
        title: String,
        m: &super::env::Measured,
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
pub fn requests(sides: &[(&str, &super::env::Requests)]) -> Vec<String> {
    sides
        .iter()
        .flat_map(|(name, r)| r.routes.iter().map(move |line| format!("{name} {line}")))
        .collect()
}

/// The whole benchmark as one JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub build_profile: &'static str,
    pub date_utc: String,
    pub commit: String,
    /// The command line these numbers came from.
    pub command_line: String,
    pub machine: super::machine::Machine,
    pub seed: u64,
    /// Peak resident set size of the whole bench process (VmHWM: the engine and the
    /// in-process sandbox with all its data, every scenario run in it), in MB. B4 runs in
    /// processes of its own and reports its figures in its row.
    pub process_peak_rss_mb: Option<f64>,
    pub rows: Vec<Row>,
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{x:.digits$}"))
}

fn opt_u(v: Option<u64>) -> String {
    v.map_or_else(|| "—".to_owned(), |x| x.to_string())
}

const HEADERS: [&str; 13] = [
    "scenario",
    "records",
    "calls",
    "minimum",
    "calls ratio",
    "wall (s)",
    "bound (s)",
    "wall ratio",
    "records/s",
    "peak RSS (MB)",
    "target",
    "met?",
    "",
];

fn cells(r: &Row) -> Vec<String> {
    if let Some(d) = &r.desktop {
        return desktop_cells(r, d);
    }
    vec![
        r.scenario.clone(),
        r.records.to_string(),
        r.calls.to_string(),
        opt_u(r.minimum),
        opt(r.calls_ratio, 3),
        format!("{:.2}", r.wall_s),
        opt(r.bound_s, 2),
        opt(r.wall_ratio, 3),
        format!("{:.0}", r.records_per_s),
        opt(r.peak_rss_mb, 1),
        r.target.clone().unwrap_or_else(|| "none set".to_owned()),
        met_cell(r.met),
    ]
}

fn met_cell(met: Option<bool>) -> String {
    match met {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "—",
    }
    .to_owned()
}

/// B7's cells: wall time is the median launch → first screen, the memory column the
/// median idle RSS of all the app's processes; it has no records, calls or bounds.
fn desktop_cells(r: &Row, d: &super::desktop::Summary) -> Vec<String> {
    let none = || "—".to_owned();
    vec![
        r.scenario.clone(),
        none(),
        none(),
        none(),
        none(),
        format!("{:.2}", r.wall_s),
        none(),
        none(),
        none(),
        format!("{:.1} idle", d.rss_median_mb),
        r.target.clone().unwrap_or_else(|| "none set".to_owned()),
        met_cell(r.met),
    ]
}

/// The text table printed by `switchyard-cli bench`.
pub fn table(rows: &[Row]) -> String {
    let headers = &HEADERS[..12];
    let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            body.iter()
                .map(|r| r[i].chars().count())
                .chain([headers[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |row: &[String]| {
        row.iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = line(&headers.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
    out.push('\n');
    for r in &body {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

fn target_line(md: &mut String, r: &Row) {
    match (&r.target, r.met) {
        (Some(t), Some(met)) => md.push_str(&format!(
            "- Target: {t} — {}.\n",
            if met { "met" } else { "not met" }
        )),
        _ => md.push_str("- Target: none set by the issue (reported only).\n"),
    }
}

/// `docs/benchmarks.md`.
pub fn markdown(doc: &Document, command: &str, not_built: &[(&str, &str)]) -> String {
    let headers = &HEADERS[..12];
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(&format!(
        "Generated by `switchyard-cli bench` — do not edit by hand. Regenerate with:\n\n```sh\n{command}\n```\n\n"
    ));
    md.push_str(&format!(
        "- Date (UTC): {}\n- Commit: `{}`\n- Measured with: `{}`\n- Build profile: **{}**{}\n- Machine: {}, {} logical cores, {} RAM; {}\n- Sandbox seed: {}\n\n",
        doc.date_utc,
        doc.commit,
        doc.command_line,
        doc.build_profile,
        if doc.build_profile == "release" {
            ""
        } else {
            " (not representative: benchmark numbers must come from a `--release` build)"
        },
        doc.machine.cpu,
        doc.machine.cores,
        doc.machine.ram,
        doc.machine.os,
        doc.seed,
    ));
    if let Some(mb) = doc.process_peak_rss_mb {
        md.push_str(&format!("Peak RSS of the whole bench process (engine and in-process sandbox with its data, every scenario above but B4, which runs in processes of its own): {mb:.1} MB.\n\n"));
    }
    md.push_str(&format!("| {} |\n", headers.join(" | ")));
    md.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for r in &doc.rows {
        md.push_str(&format!("| {} |\n", cells(r).join(" | ")));
    }
    md.push('\n');
    if let Some(scaling) = super::scaling::section(&doc.rows) {
        md.push_str(&scaling);
    }
    md.push_str("## Scenarios\n\n");
    for r in &doc.rows {
        md.push_str(&format!("### {} — {}\n\n", r.scenario, r.title));
        if let Some(d) = &r.desktop {
            for line in super::desktop::details(d) {
                md.push_str(&format!("- {line}\n"));
            }
            target_line(&mut md, r);
            md.push('\n');
            continue;
        }
        md.push_str(&format!(
            "- Calls: {} by the engine's count, {} by the sandbox's request statistics; {} writes; {} answered 429.\n",
            r.calls, r.sandbox_calls, r.write_calls, r.rate_limited
        ));
        if !r.requests.is_empty() {
            md.push_str(&format!("- Requests: {}.\n", r.requests.join("; ")));
        }
        if let Some(f) = &r.minimum_formula {
            md.push_str(&format!("- Minimum: {f}.\n"));
        }
        if let Some(f) = &r.bound_formula {
            md.push_str(&format!("- Rate-limit bound: {f}.\n"));
        }
        if let (Some(engine), Some(sandbox)) = (r.peak_rss_mb, r.sandbox_peak_rss_mb) {
            md.push_str(&format!("- Peak RSS: {engine:.1} MB for the engine's process, {sandbox:.1} MB for the sandbox's (a separate process holding all the records).\n"));
        }
        target_line(&mut md, r);
        md.push_str(&format!("- Run report: {}\n\n", r.run_message));
    }
    if !not_built.is_empty() {
        md.push_str("## Not built yet\n\n");
        for (id, what) in not_built {
            md.push_str(&format!("- {id}: {what}\n"));
        }
        md.push('\n');
    }
    md
}

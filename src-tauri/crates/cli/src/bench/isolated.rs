//! B4 in processes of its own, so its peak RSS is the engine's alone: a sandbox process
//! (`switchyard-cli sandbox --only hubspot/contacts`) holds the records, and a bench
//! process (`switchyard-cli bench --scenario B4 --json`) runs the engine against it
//! through `SWITCHYARD_SANDBOX_URLS` and reports its own VmHWM (engine, SQLite and the
//! small harness; nothing of the data set but what the engine itself holds). This
//! process reads the sandbox's VmHWM from /proc before stopping it. The bench process
//! also leaves out everything the other scenarios of this run allocated.

use super::row::Row;
use super::scale;
use super::scenario::{progress, Scenario, Settings};
use switchyard_engine::{EngineError, ErrorCode, SANDBOX_URLS_ENV};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn failed(what: &str, e: impl std::fmt::Display) -> EngineError {
    EngineError::new(ErrorCode::Unavailable, format!("B4: {what}: {e}"))
}

/// B4's rows: one per size (`--records`, else 20k, 200k and 1M), each in fresh
/// processes. Run against an external sandbox already (`SWITCHYARD_SANDBOX_URLS` set, as
/// in the child bench process) it runs here, at one size.
pub async fn run(settings: &Settings) -> Result<Vec<Row>, EngineError> {
    if std::env::var_os(SANDBOX_URLS_ENV).is_some() {
        return Ok(vec![scale::run_here(settings).await?]);
    }
    let sizes: Vec<usize> = match settings.records {
        Some(n) => vec![n],
        None => scale::SIZES.to_vec(),
    };
    let mut rows = Vec::new();
    for records in sizes {
        rows.push(run_one(settings, records).await?);
    }
    Ok(rows)
}

async fn run_one(settings: &Settings, records: usize) -> Result<Row, EngineError> {
    let exe = std::env::current_exe().map_err(|e| failed("own executable", e))?;
    let (records, seed) = (records.to_string(), settings.seed.to_string());
    progress(&format!(
        "B4: seeding {records} HubSpot contacts in a sandbox process"
    ));
    let mut sandbox = Command::new(&exe)
        .args([
            "sandbox",
            "--records",
            &records,
            "--seed",
            &seed,
            "--only",
            scale::SEED_ONLY,
        ])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| failed("start the sandbox process", e))?;
    let result = measure(&exe, &mut sandbox, &records, &seed).await;
    let _ = sandbox.start_kill();
    let _ = sandbox.wait().await;
    result
}

async fn measure(
    exe: &std::path::Path,
    sandbox: &mut Child,
    records: &str,
    seed: &str,
) -> Result<Row, EngineError> {
    let urls = sandbox_urls(sandbox).await?;
    // The sandbox's CPU from here on is what serving the run (and its small set-up) took.
    let sandbox_pid = sandbox.id().map(|p| p.to_string());
    let sandbox_cpu = || sandbox_pid.as_deref().and_then(super::machine::cpu_seconds);
    let sandbox_before = sandbox_cpu();
    let bench = Command::new(exe)
        .args([
            "bench",
            "--scenario",
            "B4",
            "--json",
            "--records",
            records,
            "--seed",
            seed,
        ])
        .env(SANDBOX_URLS_ENV, &urls)
        .stdout(std::process::Stdio::piped())
        // Its progress lines go where this process's go.
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| failed("run the bench process", e))?;
    let sandbox_cpu_s = sandbox_before
        .zip(sandbox_cpu())
        .map(|(before, after)| after - before);
    let sandbox_rss = sandbox
        .id()
        .and_then(|pid| peak_rss_mb(&format!("/proc/{pid}/status")));
    if !bench.status.success() {
        return Err(failed("the bench process", bench.status));
    }
    let doc: serde_json::Value =
        serde_json::from_slice(&bench.stdout).map_err(|e| failed("its report", e))?;
    let row = doc["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["scenario"] == Scenario::B4.as_str()))
        .cloned()
        .ok_or_else(|| failed("its report", "no B4 row"))?;
    let row: Row = serde_json::from_value(row).map_err(|e| failed("its B4 row", e))?;
    Ok(scale::judged(Row {
        peak_rss_mb: doc["process_peak_rss_mb"].as_f64().or(row.peak_rss_mb),
        sandbox_peak_rss_mb: sandbox_rss,
        sandbox_cpu_s,
        ..row
    }))
}

/// `provider=base_url,…` from the JSON document the sandbox process prints once seeded.
async fn sandbox_urls(sandbox: &mut Child) -> Result<String, EngineError> {
    let stdout = sandbox
        .stdout
        .take()
        .ok_or_else(|| failed("the sandbox process", "no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let mut text = String::new();
    loop {
        let line = lines
            .next_line()
            .await
            .map_err(|e| failed("the sandbox process", e))?
            .ok_or_else(|| failed("the sandbox process", "exited before it was ready"))?;
        text.push_str(&line);
        text.push('\n');
        // The document is pretty-printed: it ends with a `}` alone on its line.
        if line == "}" {
            break;
        }
    }
    let doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| failed("the sandbox's document", e))?;
    let urls: Vec<String> = doc["providers"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, p)| Some(format!("{name}={}", p["base_url"].as_str()?)))
        .collect();
    Ok(urls.join(","))
}

/// VmHWM of a /proc `status` file, in MB.
pub fn peak_rss_mb(status_path: &str) -> Option<f64> {
    super::machine::vm_hwm_mb(&std::fs::read_to_string(status_path).ok()?)
}

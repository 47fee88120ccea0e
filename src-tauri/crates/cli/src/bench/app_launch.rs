//! One measured launch of the desktop app (B7): spawn the binary with a fresh data folder
//! and SWITCHYARD_STARTUP_REPORT set, wait for the report it writes once its first screen
//! has painted, set its marks against the spawn (one monotonic clock for both processes),
//! stay idle, read the memory of the app and every process under it, and stop them all.

use super::procs::{self, ProcessMemory};
use serde::Serialize;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use switchyard_engine::startup::{monotonic_ns, StartupReport, REPORT_ENV};
use switchyard_engine::{EngineError, ErrorCode};

/// How long a launch may take to report its first screen before it counts as failed.
const REPORT_TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(2);
/// How long a stopped app may take to exit before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(5);

fn failed(message: impl Into<String>) -> EngineError {
    EngineError::new(ErrorCode::Internal, message.into())
}

/// Start-up marks in milliseconds after the spawn.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Split {
    /// The app's `main` entered (process start, dynamic loading).
    pub main_ms: f64,
    /// Set-up started: Tauri, GTK and WebKit initialised, the window and its webview
    /// created.
    pub setup_started_ms: f64,
    /// Set-up done: folders, logging, the engine with its database (created and migrated on
    /// a fresh data folder).
    pub setup_done_ms: f64,
    /// The webview started loading the page (the app saw its navigation begin).
    pub page_started_ms: Option<f64>,
    /// The page's DOMContentLoaded (window clock, anchored to the report).
    pub dom_content_loaded_ms: Option<f64>,
    /// The webview's page finished loading (its load event, seen by the app).
    pub page_loaded_ms: Option<f64>,
    /// The app shell mounted, preferences not yet answered (window clock).
    pub shell_mounted_ms: f64,
    /// Preferences answered and the first screen mounted (window clock).
    pub screen_mounted_ms: f64,
    /// The app received the window's word that the first screen painted (two animation
    /// frames after it mounted): launch → first rendered screen.
    pub first_screen_ms: f64,
}

const NS_PER_MS: f64 = 1e6;

/// The report's marks as milliseconds after `spawn_ns`; an error when they are not in the
/// order start-up makes them or precede the spawn.
pub fn split(spawn_ns: u64, report: &StartupReport) -> Result<Split, String> {
    report.check()?;
    if report.main_ns < spawn_ns {
        return Err("the report's main precedes the spawn: not this launch's report".into());
    }
    let after = |ns: u64| ns.saturating_sub(spawn_ns) as f64 / NS_PER_MS;
    let ui = |ms: f64| after(report.ui_ns(ms));
    Ok(Split {
        main_ms: after(report.main_ns),
        setup_started_ms: after(report.setup_started_ns),
        setup_done_ms: after(report.setup_done_ns),
        page_started_ms: report.page_started_ns.map(after),
        dom_content_loaded_ms: report.ui.dom_content_loaded_ms.map(ui),
        page_loaded_ms: report.page_loaded_ns.map(after),
        shell_mounted_ms: ui(report.ui.mounted_ms),
        screen_mounted_ms: ui(report.ui.ready_ms),
        first_screen_ms: after(report.first_screen_ns),
    })
}

/// What one launch measured.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Launch {
    pub split: Split,
    /// The first screen shown (`welcome` on a fresh data folder).
    pub screen: String,
    /// The app binary's build profile, as the app reports it.
    pub app_profile: String,
    /// The app first, then every process under it, after the idle wait.
    pub processes: Vec<ProcessMemory>,
    pub rss_mb: f64,
    pub pss_mb: f64,
}

/// A session bus of our own for the launches: the app's single-instance check cannot reach
/// a Switchyard running on the desktop's bus, and nothing autolaunches a bus per launch.
/// Services it starts (the accessibility bus) live under it and stop with it.
#[derive(Debug)]
pub struct PrivateBus {
    daemon: Child,
    pub address: String,
    _dir: tempfile::TempDir,
}

impl PrivateBus {
    pub fn start() -> Result<Self, EngineError> {
        let dir = tempfile::tempdir().map_err(|e| failed(format!("temp folder: {e}")))?;
        let runtime = dir.path().join("run");
        std::fs::create_dir(&runtime).map_err(|e| failed(format!("runtime folder: {e}")))?;
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| failed(format!("cannot start dbus-daemon (package dbus): {e}")))?;
        let mut address = String::new();
        if let Some(out) = daemon.stdout.take() {
            let _ = std::io::BufReader::new(out).read_line(&mut address);
        }
        let address = address.trim().to_owned();
        if address.is_empty() {
            let _ = daemon.kill();
            let _ = daemon.wait();
            return Err(failed("dbus-daemon printed no address"));
        }
        Ok(Self {
            daemon,
            address,
            _dir: dir,
        })
    }

    pub fn stop(mut self) {
        stop_tree(&mut self.daemon);
    }
}

/// SIGTERM to `child`, SIGKILL if it lingers, then SIGKILL to whatever of its tree is left.
fn stop_tree(child: &mut Child) {
    use rustix::process::Signal;
    let tree = procs::named_tree(child.id());
    procs::signal_each(&tree[..1.min(tree.len())], Signal::TERM);
    let deadline = Instant::now() + EXIT_GRACE;
    while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    if matches!(child.try_wait(), Ok(None)) {
        let _ = child.kill();
    }
    let _ = child.wait();
    procs::signal_each(&tree, Signal::KILL);
}

/// The last lines of the app's output, for an error message.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(8)..].join("\n")
}

/// One launch of `bin` on `bus`, measured; the app and its processes are stopped after.
pub fn launch(bin: &Path, bus: &PrivateBus, idle: Duration) -> Result<Launch, EngineError> {
    let dir = tempfile::tempdir().map_err(|e| failed(format!("temp folder: {e}")))?;
    let at = |name: &str| -> PathBuf { dir.path().join(name) };
    let log_path = at("app.log");
    let log = std::fs::File::create(&log_path).map_err(|e| failed(format!("log file: {e}")))?;
    let log_err = log
        .try_clone()
        .map_err(|e| failed(format!("log file: {e}")))?;
    let report_path = at("startup.json");
    let mut command = Command::new(bin);
    command
        .env(switchyard_engine::store::DATA_DIR_ENV, at("data"))
        .env("SWITCHYARD_KEY_STORE", "file")
        .env("XDG_DATA_HOME", at("xdg-data"))
        .env("XDG_CONFIG_HOME", at("xdg-config"))
        .env("XDG_CACHE_HOME", at("xdg-cache"))
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env(REPORT_ENV, &report_path)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    let spawn_ns = monotonic_ns();
    let mut child = command
        .spawn()
        .map_err(|e| failed(format!("cannot start {}: {e}", bin.display())))?;
    let measured = measure(&mut child, spawn_ns, &report_path, idle);
    stop_tree(&mut child);
    measured.map_err(|e| {
        failed(format!(
            "{e}; the app's last output:\n{}",
            log_tail(&log_path)
        ))
    })
}

fn measure(
    child: &mut Child,
    spawn_ns: u64,
    report: &Path,
    idle: Duration,
) -> Result<Launch, String> {
    let deadline = Instant::now() + REPORT_TIMEOUT;
    while !report.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("the app exited ({status}) before its first screen"));
        }
        if Instant::now() > deadline {
            return Err(format!("no start-up report within {REPORT_TIMEOUT:?}"));
        }
        std::thread::sleep(POLL);
    }
    let text = std::fs::read_to_string(report).map_err(|e| format!("start-up report: {e}"))?;
    let report: StartupReport =
        serde_json::from_str(&text).map_err(|e| format!("start-up report unreadable: {e}"))?;
    if report.pid != child.id() {
        return Err(format!(
            "the report is from pid {}, not the launched {}",
            report.pid,
            child.id()
        ));
    }
    let split = split(spawn_ns, &report)?;
    std::thread::sleep(idle);
    if !matches!(child.try_wait(), Ok(None)) {
        return Err("the app exited while idle".into());
    }
    let processes = procs::tree_memory(child.id());
    Ok(Launch {
        split,
        screen: report.ui.screen,
        app_profile: report.build_profile,
        rss_mb: processes.iter().map(|p| p.rss_mb).sum(),
        pss_mb: processes.iter().filter_map(|p| p.pss_mb).sum(),
        processes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchyard_engine::startup::UiMarks;

    fn report() -> StartupReport {
        StartupReport {
            pid: 1,
            build_profile: "release".into(),
            main_ns: 10_020_000_000,
            setup_started_ns: 10_150_000_000,
            setup_done_ns: 10_300_000_000,
            page_started_ns: Some(10_400_000_000),
            page_loaded_ns: Some(10_600_000_000),
            first_screen_ns: 10_800_000_000,
            ui: UiMarks {
                screen: "welcome".into(),
                dom_content_loaded_ms: Some(40.0),
                first_contentful_paint_ms: None,
                mounted_ms: 35.0,
                ready_ms: 150.0,
                painted_ms: 195.0,
                sent_ms: 200.0,
            },
        }
    }

    #[test]
    fn marks_are_set_against_the_spawn() {
        let s = split(10_000_000_000, &report()).expect("split");
        assert_eq!(s.main_ms, 20.0);
        assert_eq!(s.setup_started_ms, 150.0);
        assert_eq!(s.setup_done_ms, 300.0);
        assert_eq!(s.page_started_ms, Some(400.0));
        assert_eq!(s.page_loaded_ms, Some(600.0));
        assert_eq!(s.first_screen_ms, 800.0);
        // The window's clock: 200 ms (sent) is the report's arrival at 800 ms.
        assert_eq!(s.screen_mounted_ms, 750.0);
        assert_eq!(s.shell_mounted_ms, 635.0);
        assert_eq!(s.dom_content_loaded_ms, Some(640.0));
    }

    #[test]
    fn a_report_from_before_the_spawn_or_out_of_order_is_refused() {
        assert!(split(10_030_000_000, &report()).is_err());
        let mut r = report();
        r.first_screen_ns = 10_100_000_000;
        assert!(split(10_000_000_000, &r).is_err());
    }
}

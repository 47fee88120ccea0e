//! B7: the desktop app. Launches the app binary several times under the X display this
//! process is given (`./dev bench` runs the bench under xvfb-run), one launch after the
//! other on one private session bus. Every launch gets a fresh data folder and fresh XDG
//! folders: each is a first launch that creates and migrates its database, with no WebKit
//! caches. Reported: launch → first rendered screen (median, worst, the first launch, and
//! where the time goes) and, after an idle wait, the memory of the app and every process
//! under it. The target, ≤ 1.5 s to the first screen, is met when the median is.

use super::app_launch::{self, Launch, PrivateBus, Split};
use super::report::Row;
use super::Scenario;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use switchyard_engine::{EngineError, ErrorCode};

pub const DEFAULT_LAUNCHES: usize = 5;
pub const IDLE: Duration = Duration::from_secs(5);
pub const TARGET_S: f64 = 1.5;
/// Names the app binary when `--app-bin` does not.
pub const APP_BIN_ENV: &str = "SWITCHYARD_BIN";

/// Every launch, and the figures the table and docs/benchmarks.md show.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Summary {
    pub app_bin: String,
    pub app_profile: String,
    /// Whether this machine has a GPU render node (/dev/dri/renderD*); without one the app
    /// turns WebKit's DMA-BUF renderer off (src-tauri/src/rendering.rs).
    pub gpu_render_node: bool,
    pub idle_s: f64,
    pub launches: Vec<Launch>,
    pub first_screen_median_ms: f64,
    pub first_screen_worst_ms: f64,
    pub rss_median_mb: f64,
    pub rss_worst_mb: f64,
    pub pss_median_mb: f64,
}

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn worst(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

impl Summary {
    pub fn new(app_bin: &Path, idle: Duration, launches: Vec<Launch>) -> Self {
        let of = |f: fn(&Launch) -> f64| launches.iter().map(f).collect::<Vec<_>>();
        let first = of(|l| l.split.first_screen_ms);
        let rss = of(|l| l.rss_mb);
        Self {
            app_bin: app_bin.display().to_string(),
            app_profile: launches
                .first()
                .map_or_else(|| "unknown".to_owned(), |l| l.app_profile.clone()),
            gpu_render_node: gpu_render_node(),
            idle_s: idle.as_secs_f64(),
            first_screen_median_ms: median(&first),
            first_screen_worst_ms: worst(&first),
            rss_median_mb: median(&rss),
            rss_worst_mb: worst(&rss),
            pss_median_mb: median(&of(|l| l.pss_mb)),
            launches,
        }
    }

    /// The median of one mark over the launches that have it.
    pub fn median_of(&self, mark: fn(&Split) -> Option<f64>) -> Option<f64> {
        let v: Vec<f64> = self
            .launches
            .iter()
            .filter_map(|l| mark(&l.split))
            .collect();
        (!v.is_empty()).then(|| median(&v))
    }

    /// The launch whose total idle RSS is the median one (the one shown per process).
    pub fn median_memory_launch(&self) -> Option<&Launch> {
        let mut by_rss: Vec<&Launch> = self.launches.iter().collect();
        by_rss.sort_by(|a, b| a.rss_mb.total_cmp(&b.rss_mb));
        by_rss.get(by_rss.len() / 2).copied()
    }

    pub fn met(&self) -> bool {
        self.first_screen_median_ms <= TARGET_S * 1000.0
    }
}

fn gpu_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// `--app-bin`, else SWITCHYARD_BIN, else `switchyard` beside this binary (where
/// `./dev bench` builds it).
pub fn app_binary(given: Option<&Path>) -> Result<PathBuf, EngineError> {
    let beside = || {
        std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join("switchyard")))
    };
    let bin = given
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(APP_BIN_ENV).map(PathBuf::from))
        .or_else(beside)
        .filter(|p| p.is_file())
        .ok_or_else(|| {
            EngineError::validation(format!(
                "B7 needs the app binary: build it (cargo build --release -p switchyard) and pass --app-bin or set {APP_BIN_ENV}"
            ))
        })?;
    Ok(bin)
}

/// Runs B7: `launches` measured launches of `bin`, one after the other.
pub fn run(bin: &Path, launches: usize, idle: Duration) -> Result<Vec<Row>, EngineError> {
    if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
        return Err(EngineError::validation(
            "B7 needs an X display: run the bench under xvfb-run (./dev bench does)",
        ));
    }
    let bus = PrivateBus::start()?;
    let mut measured = Vec::new();
    for i in 1..=launches {
        super::progress(&format!("B7: launch {i} of {launches} ({})", bin.display()));
        match app_launch::launch(bin, &bus, idle) {
            Ok(l) => measured.push(l),
            Err(e) => {
                bus.stop();
                return Err(e);
            }
        }
    }
    bus.stop();
    let summary = Summary::new(bin, idle, measured);
    Ok(vec![row(summary)])
}

fn row(s: Summary) -> Row {
    Row {
        scenario: Scenario::B7.as_str().to_owned(),
        title: format!(
            "the desktop app ({} build): launch → first screen painted under Xvfb, then {:.0} s idle; {} launches, each with a fresh data folder",
            s.app_profile,
            s.idle_s,
            s.launches.len()
        ),
        records: 0,
        calls: 0,
        sandbox_calls: 0,
        write_calls: 0,
        requests: Vec::new(),
        rate_limited: 0,
        minimum: None,
        minimum_formula: None,
        calls_ratio: None,
        wall_s: s.first_screen_median_ms / 1000.0,
        bound_s: None,
        bound_formula: None,
        wall_ratio: None,
        records_per_s: 0.0,
        peak_rss_mb: None,
        sandbox_peak_rss_mb: None,
        engine_cpu_s: None,
        sandbox_cpu_s: None,
        target: Some(format!("≤ {TARGET_S} s to first screen (median)")),
        met: Some(s.met()),
        run_message: format!(
            "first screen after {:.0} ms (median), {:.0} ms (worst); idle RSS {:.1} MB (median), {:.1} MB (worst)",
            s.first_screen_median_ms, s.first_screen_worst_ms, s.rss_median_mb, s.rss_worst_mb
        ),
        desktop: Some(s),
    }
}

/// The lines docs/benchmarks.md shows for B7 in place of the calls and bounds.
pub fn details(s: &Summary) -> Vec<String> {
    let ms = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |x| format!("{x:.0} ms"));
    let each: Vec<String> = s
        .launches
        .iter()
        .map(|l| format!("{:.0}", l.split.first_screen_ms))
        .collect();
    let mut out = vec![
        format!(
            "App: `{}` ({} build). {}",
            s.app_bin,
            s.app_profile,
            if s.gpu_render_node {
                "This machine has a GPU render node: WebKit renders as it chooses."
            } else {
                "This machine has no GPU render node, so the app turns WebKit's DMA-BUF renderer off (GL on the CPU was ~2 s slower to the first screen and ~100 MB heavier; src-tauri/src/rendering.rs)."
            }
        ),
        format!(
            "Launch → first screen painted: median {:.0} ms, worst {:.0} ms; each launch in order (the first one right after the build): {} ms.",
            s.first_screen_median_ms,
            s.first_screen_worst_ms,
            each.join(", ")
        ),
        format!(
            "Where the time goes (median over launches, ms after the spawn): `main` entered {}; set-up started (Tauri, GTK and WebKit initialised, window and webview created) {}; set-up done (folders, logging, engine: database created and migrated) {}; page load started {}; page DOMContentLoaded {}; app shell mounted {}; first screen mounted (after the preferences answered) {}; page load event {}; first screen painted (two animation frames after it mounted, as received by the app) {}. The window's own marks (DOMContentLoaded, mounted) are set against the app's clock where its report arrived, so they can be late by that IPC hop.",
            ms(s.median_of(|x| Some(x.main_ms))),
            ms(s.median_of(|x| Some(x.setup_started_ms))),
            ms(s.median_of(|x| Some(x.setup_done_ms))),
            ms(s.median_of(|x| x.page_started_ms)),
            ms(s.median_of(|x| x.dom_content_loaded_ms)),
            ms(s.median_of(|x| Some(x.shell_mounted_ms))),
            ms(s.median_of(|x| Some(x.screen_mounted_ms))),
            ms(s.median_of(|x| x.page_loaded_ms)),
            ms(s.median_of(|x| Some(x.first_screen_ms))),
        ),
    ];
    if let Some(l) = s.median_memory_launch() {
        let procs: Vec<String> = l
            .processes
            .iter()
            .map(|p| {
                let pss = p
                    .pss_mb
                    .map_or_else(String::new, |v| format!(" (PSS {v:.1})"));
                format!("{} {:.1}{pss}", p.name, p.rss_mb)
            })
            .collect();
        out.push(format!(
            "Idle memory {:.0} s after the first screen, the launch with the median total: {} MB RSS; total {:.1} MB RSS, {:.1} MB PSS (shared pages counted once).",
            s.idle_s,
            procs.join(", "),
            l.rss_mb,
            l.pss_mb
        ));
    }
    out.push(format!(
        "Idle RSS of all the app's processes over the launches: median {:.1} MB, worst {:.1} MB; PSS median {:.1} MB. Not counted: the session bus and the accessibility bus the launches share (a desktop already runs them).",
        s.rss_median_mb, s.rss_worst_mb, s.pss_median_mb
    ));
    out
}

/// Errors from a blocking task, as the engine's error.
pub fn join_error(e: tokio::task::JoinError) -> EngineError {
    EngineError::new(ErrorCode::Internal, format!("B7 stopped: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn a_missing_app_binary_is_named_with_how_to_build_it() {
        let err = app_binary(Some(Path::new("/nonexistent/switchyard"))).expect_err("missing");
        assert!(err.message.contains("--app-bin"), "{}", err.message);
    }
}

//! B7: the desktop app. Launches the app binary several times under the X display this
//! process is given (`./dev bench` runs the bench under xvfb-run), one launch after the
//! other on one private session bus. Every launch gets a fresh data folder and fresh XDG
//! folders: each is a first launch that creates and migrates its database, with no WebKit
//! caches. Reported: launch → first rendered screen (median, worst, the first launch, and
//! where the time goes) and, after an idle wait, the memory of the app and every process
//! under it. The target, ≤ 1.5 s to the first screen, is met when the median is.

use super::app_launch::{self, PrivateBus};
use super::launches::{Summary, TARGET_S};
use super::row::Row;
use super::scenario::{progress, Scenario};
use std::path::{Path, PathBuf};
use std::time::Duration;
use switchyard_engine::{EngineError, ErrorCode};

pub const DEFAULT_LAUNCHES: usize = 5;
pub const IDLE: Duration = Duration::from_secs(5);
/// Names the app binary when `--app-bin` does not.
pub const APP_BIN_ENV: &str = "SWITCHYARD_BIN";

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
        progress(&format!("B7: launch {i} of {launches} ({})", bin.display()));
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

/// Errors from a blocking task, as the engine's error.
pub fn join_error(e: tokio::task::JoinError) -> EngineError {
    EngineError::new(ErrorCode::Internal, format!("B7 stopped: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_app_binary_is_named_with_how_to_build_it() {
        let err = app_binary(Some(Path::new("/nonexistent/switchyard"))).expect_err("missing");
        assert!(err.message.contains("--app-bin"), "{}", err.message);
    }
}

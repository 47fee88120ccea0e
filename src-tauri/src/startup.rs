//! The start-up probe (benchmark B7): with `SWITCHYARD_STARTUP_REPORT=<file>` set, the app
//! notes when `main` ran, when its set-up finished and when the webview's page loaded, and
//! writes them with the window's own marks once the first screen has painted. Without the
//! variable the probe is off: nothing is recorded, no script is added to the page, and the
//! window never reports (it only does when the probe's script sets its flag).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use switchyard_engine::startup::{monotonic_ns, StartupReport, UiMarks, REPORT_ENV};
use tauri::plugin::TauriPlugin;
use tauri::webview::PageLoadEvent;
use tauri::{Manager, Runtime};

/// Set in the page by the probe's script; the UI reports its first paint only when it is.
const PAGE_FLAG: &str = "window.__SWITCHYARD_STARTUP_REPORT__ = true;";
const UNSET: u64 = 0;

#[derive(Debug)]
pub struct StartupProbe {
    report: Option<PathBuf>,
    main_ns: u64,
    setup_started_ns: AtomicU64,
    setup_done_ns: AtomicU64,
    page_started_ns: AtomicU64,
    page_loaded_ns: AtomicU64,
    written: AtomicBool,
}

impl StartupProbe {
    /// On when `SWITCHYARD_STARTUP_REPORT` names a file; call first thing in `main`.
    pub fn from_env() -> Self {
        let report = std::env::var_os(REPORT_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        Self::new(report)
    }

    pub fn new(report: Option<PathBuf>) -> Self {
        Self {
            main_ns: if report.is_some() { monotonic_ns() } else { 0 },
            report,
            setup_started_ns: AtomicU64::new(UNSET),
            setup_done_ns: AtomicU64::new(UNSET),
            page_started_ns: AtomicU64::new(UNSET),
            page_loaded_ns: AtomicU64::new(UNSET),
            written: AtomicBool::new(false),
        }
    }

    pub fn is_on(&self) -> bool {
        self.report.is_some()
    }

    pub fn setup_started(&self) {
        if self.is_on() {
            self.setup_started_ns
                .store(monotonic_ns(), Ordering::Relaxed);
        }
    }

    pub fn setup_done(&self) {
        if self.is_on() {
            self.setup_done_ns.store(monotonic_ns(), Ordering::Relaxed);
        }
    }

    /// The first page load's start or finish (a reload does not move them).
    fn page(&self, event: PageLoadEvent) {
        let mark = match event {
            PageLoadEvent::Started => &self.page_started_ns,
            PageLoadEvent::Finished => &self.page_loaded_ns,
        };
        if self.is_on() {
            let _ =
                mark.compare_exchange(UNSET, monotonic_ns(), Ordering::Relaxed, Ordering::Relaxed);
        }
    }

    /// The window's first screen painted: writes the report (once; a reloaded page does
    /// not write it again). Off, or already written: does nothing.
    pub fn first_screen(&self, ui: UiMarks) -> std::io::Result<()> {
        let Some(path) = &self.report else {
            return Ok(());
        };
        let now = monotonic_ns();
        if self.written.swap(true, Ordering::Relaxed) {
            return Ok(());
        }
        let seen = |mark: &AtomicU64| Some(mark.load(Ordering::Relaxed)).filter(|ns| *ns != UNSET);
        let report = StartupReport {
            pid: std::process::id(),
            build_profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .to_owned(),
            main_ns: self.main_ns,
            setup_started_ns: self.setup_started_ns.load(Ordering::Relaxed),
            setup_done_ns: self.setup_done_ns.load(Ordering::Relaxed),
            page_started_ns: seen(&self.page_started_ns),
            page_loaded_ns: seen(&self.page_loaded_ns),
            first_screen_ns: now,
            ui,
        };
        write_atomically(path, &report)
    }
}

/// Writes beside the target and renames, so a reader never sees half a report.
fn write_atomically(path: &Path, report: &StartupReport) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, path)
}

/// The probe's page script and page-load hook; registered only when the probe is on.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("startup-probe")
        .js_init_script(PAGE_FLAG)
        .on_page_load(|webview, payload| {
            webview.state::<StartupProbe>().page(payload.event());
        })
        .build()
}

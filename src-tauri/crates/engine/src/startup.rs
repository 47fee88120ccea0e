//! Start-up timing of the desktop app (benchmark B7). With `SWITCHYARD_STARTUP_REPORT=<file>`
//! set, the app writes one [`StartupReport`] to that file once its first screen has painted;
//! without it the app records and writes nothing. The app writes the report and the bench
//! reads it, so the one definition lives here, where both can reach it.
//!
//! Times are nanoseconds on the machine's monotonic clock (`CLOCK_MONOTONIC` on Unix), the
//! same clock in every process, so a launcher can set them against the moment it spawned the
//! app. Elsewhere the wall clock stands in.

use serde::{Deserialize, Serialize};

/// The environment variable naming the file the report goes to.
pub const REPORT_ENV: &str = "SWITCHYARD_STARTUP_REPORT";

/// Now, in nanoseconds on the machine's monotonic clock.
#[cfg(unix)]
pub fn monotonic_ns() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(t.tv_nsec).unwrap_or(0)
}

/// Now, in nanoseconds since the Unix epoch (no shared monotonic clock off Unix).
#[cfg(not(unix))]
pub fn monotonic_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// What the window measured on its own clock: milliseconds since its page's navigation
/// started (`performance.now()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UiMarks {
    /// The screen shown first (`welcome` on a fresh install).
    pub screen: String,
    /// The page's DOMContentLoaded, when the browser reports it.
    pub dom_content_loaded_ms: Option<f64>,
    /// The browser's first contentful paint, when it reports one.
    pub first_contentful_paint_ms: Option<f64>,
    /// The app shell mounted (the loading state is in the DOM).
    pub mounted_ms: f64,
    /// Preferences answered and the first screen mounted.
    pub ready_ms: f64,
    /// Two animation frames after that: the first screen has been painted.
    pub painted_ms: f64,
    /// When the window sent these marks.
    pub sent_ms: f64,
}

/// One launch's start-up, written by the app when its first screen has painted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartupReport {
    pub pid: u32,
    /// The app binary's build: `debug` or `release`.
    pub build_profile: String,
    /// `main` entered.
    pub main_ns: u64,
    /// The app's set-up began: Tauri, GTK and WebKit are initialised and the window with
    /// its webview created.
    pub setup_started_ns: u64,
    /// The app's set-up (folders, logging, engine with its database) finished.
    pub setup_done_ns: u64,
    /// The webview started loading the page (its navigation began), if it was seen.
    pub page_started_ns: Option<u64>,
    /// The webview's page finished loading (its load event), if it was seen.
    pub page_loaded_ns: Option<u64>,
    /// The app received the window's report that the first screen painted.
    pub first_screen_ns: u64,
    pub ui: UiMarks,
}

impl StartupReport {
    /// A mark of the window's clock on the monotonic clock, by anchoring the window's
    /// `sent_ms` to `first_screen_ns` (the IPC hop in between makes it slightly late).
    pub fn ui_ns(&self, ms: f64) -> u64 {
        let back = ((self.ui.sent_ms - ms).max(0.0) * 1e6) as u64;
        self.first_screen_ns.saturating_sub(back)
    }

    /// Whether the marks are in the order start-up makes them; the reason when not.
    pub fn check(&self) -> Result<(), String> {
        let ui = &self.ui;
        let ordered = [
            ("main", self.main_ns as f64),
            ("set-up started", self.setup_started_ns as f64),
            ("set-up done", self.setup_done_ns as f64),
            ("first screen", self.first_screen_ns as f64),
        ];
        let window = [
            ("mounted", ui.mounted_ms),
            ("ready", ui.ready_ms),
            ("painted", ui.painted_ms),
            ("sent", ui.sent_ms),
        ];
        for marks in [&ordered[..], &window[..]] {
            for pair in marks.windows(2) {
                let in_order = matches!(
                    pair[0].1.partial_cmp(&pair[1].1),
                    Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
                );
                if !in_order {
                    return Err(format!("{} comes after {}", pair[0].0, pair[1].0));
                }
            }
        }
        if ui.screen.is_empty() {
            return Err("no first screen named".to_owned());
        }
        for (name, page) in [
            ("page started", self.page_started_ns),
            ("page loaded", self.page_loaded_ns),
        ] {
            if page.is_some_and(|ns| ns < self.main_ns) {
                return Err(format!("{name} before main"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> StartupReport {
        StartupReport {
            pid: 7,
            build_profile: "release".into(),
            main_ns: 1_000_000_000,
            setup_started_ns: 1_050_000_000,
            setup_done_ns: 1_100_000_000,
            page_started_ns: Some(1_150_000_000),
            page_loaded_ns: Some(1_300_000_000),
            first_screen_ns: 1_400_000_000,
            ui: UiMarks {
                screen: "welcome".into(),
                dom_content_loaded_ms: Some(120.0),
                first_contentful_paint_ms: None,
                mounted_ms: 110.0,
                ready_ms: 150.0,
                painted_ms: 190.0,
                sent_ms: 200.0,
            },
        }
    }

    #[test]
    fn window_marks_are_anchored_to_the_report_time() {
        let r = report();
        assert_eq!(r.ui_ns(200.0), 1_400_000_000);
        assert_eq!(r.ui_ns(190.0), 1_390_000_000);
        assert_eq!(r.ui_ns(0.0), 1_200_000_000);
    }

    #[test]
    fn check_accepts_ordered_marks_and_names_the_first_out_of_order() {
        assert_eq!(report().check(), Ok(()));
        let mut r = report();
        r.setup_done_ns = 2_000_000_000;
        assert_eq!(
            r.check(),
            Err("set-up done comes after first screen".into())
        );
        let mut r = report();
        r.ui.painted_ms = 100.0;
        assert_eq!(r.check(), Err("ready comes after painted".into()));
        let mut r = report();
        r.ui.sent_ms = f64::NAN;
        assert!(r.check().is_err());
    }

    #[test]
    fn the_monotonic_clock_moves_forward() {
        let a = monotonic_ns();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = monotonic_ns();
        assert!(b >= a + 2_000_000, "{a} then {b}");
    }
}

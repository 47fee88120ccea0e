//! B7's figures: every launch of the desktop app, their medians and worst cases
//! against the target, and the lines docs/benchmarks.md shows for them. `desktop` runs
//! the launches; `row` and `report` show what this summary holds.

use super::app_launch::{Launch, Split};
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

pub const TARGET_S: f64 = 1.5;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}

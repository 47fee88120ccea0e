//! B7 for real: `switchyard-cli bench --scenario B7` launches the desktop app binary
//! (SWITCHYARD_BIN) under the X display it is given and reports its first screen and idle
//! memory. Ignored by default (it needs the app built and a display); `./dev test` runs it
//! under xvfb-run. Times are reported, never asserted.

#![allow(clippy::unwrap_used)]

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_switchyard-cli");

#[tokio::test]
#[ignore = "needs the app binary (SWITCHYARD_BIN) and an X display: ./dev test runs it"]
async fn b7_launch_reports_the_first_screen_and_the_memory_of_every_process() {
    let app = std::env::var("SWITCHYARD_BIN").expect("SWITCHYARD_BIN names the app binary");
    let out = tokio::process::Command::new(BIN)
        .args(["bench", "--scenario", "B7", "--launches", "2", "--json"])
        .args(["--app-bin", &app])
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &doc["rows"][0];
    assert_eq!(row["scenario"], "B7", "{row}");
    let d = &row["desktop"];
    let launches = d["launches"].as_array().unwrap();
    assert_eq!(launches.len(), 2, "{d}");
    for l in launches {
        let s = &l["split"];
        let ms = |k: &str| s[k].as_f64().unwrap();
        // A fresh data folder: onboarding not done, so Welcome is the first screen.
        assert_eq!(l["screen"], "welcome", "{l}");
        assert!(
            0.0 < ms("main_ms") && ms("main_ms") <= ms("setup_started_ms"),
            "{s}"
        );
        assert!(ms("setup_started_ms") <= ms("setup_done_ms"), "{s}");
        assert!(ms("setup_done_ms") <= ms("first_screen_ms"), "{s}");
        assert!(ms("screen_mounted_ms") <= ms("first_screen_ms"), "{s}");
        assert!(ms("page_started_ms") <= ms("page_loaded_ms"), "{s}");
        assert!(
            s["page_loaded_ms"].as_f64().is_some(),
            "the page load was seen: {s}"
        );
        let procs = l["processes"].as_array().unwrap();
        let names: Vec<&str> = procs.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names[0], "switchyard", "the app comes first: {names:?}");
        assert!(
            names.iter().any(|n| n.starts_with("WebKitWebProces")),
            "{names:?}"
        );
        let total: f64 = procs.iter().map(|p| p["rss_mb"].as_f64().unwrap()).sum();
        assert!((total - l["rss_mb"].as_f64().unwrap()).abs() < 1e-6, "{l}");
        assert!(
            procs.iter().all(|p| p["rss_mb"].as_f64().unwrap() > 1.0),
            "{names:?}"
        );
    }
    let median = d["first_screen_median_ms"].as_f64().unwrap();
    assert!((row["wall_s"].as_f64().unwrap() * 1000.0 - median).abs() < 1e-6);
    assert_eq!(row["met"], median <= 1500.0, "{row}");
}

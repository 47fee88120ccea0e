//! `switchyard-cli bench` on a few hundred records (B1–B3, B5, B6; B4 on its own, in its
//! processes): the JSON document's shape and its
//! arithmetic (ratios, the engine's call count against the sandbox's, targets judged from
//! the counted figures), the Markdown file, and a clear refusal of a scenario not built.
//! Timing is never asserted: these are debug-build numbers on a shared machine.

#![allow(clippy::unwrap_used)]

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_switchyard-cli");

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[tokio::test]
async fn bench_reports_b1_to_b3_b5_b6_as_json_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("benchmarks.md");
    let out = tokio::process::Command::new(BIN)
        .args([
            "bench",
            "--scenario",
            "B1,B2,B3,B5,B6",
            "--records",
            "300",
            "--json",
        ])
        .arg("--markdown")
        .arg(&md)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["build_profile"], "debug");
    assert!(doc["machine"]["cores"].as_u64().unwrap() >= 1);
    let rows = doc["rows"].as_array().unwrap();
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["B1", "B2", "B3", "B5", "B6"]);
    for r in rows {
        let f = |k: &str| r[k].as_f64().unwrap();
        assert_eq!(
            r["calls"], r["sandbox_calls"],
            "engine and sandbox agree: {r}"
        );
        assert!(close(f("calls_ratio"), f("calls") / f("minimum")), "{r}");
        assert!(close(f("wall_ratio"), f("wall_s") / f("bound_s")), "{r}");
        assert!(close(f("records_per_s"), f("records") / f("wall_s")), "{r}");
        assert_eq!(r["rate_limited"], 0, "{r}");
    }
    let (b1, b2, b3, b5, b6) = (&rows[0], &rows[1], &rows[2], &rows[3], &rows[4]);
    // B1: 300 contacts (some archived) in ⌈read / 200⌉ search pages, 0.2 s each at 5/s.
    let read = b1["records"].as_u64().unwrap();
    assert!((250..=300).contains(&read), "{b1}");
    assert!(b1["minimum"].as_u64().unwrap() >= 2 * read.div_ceil(200));
    // B2: 1 % of 300 edited → 3 read and updated; B3: nothing to read.
    assert_eq!(b2["records"], 3, "{b2}");
    assert_eq!(
        b2["minimum"], 2,
        "one search page and one update collection"
    );
    assert_eq!(b2["met"], b2["calls"].as_u64().unwrap() <= 3);
    // B3 reads again only what changed inside the look-back window before its cursor
    // (at most B2's 3 edits), and writes nothing.
    assert!(b3["records"].as_u64().unwrap() <= 3, "{b3}");
    assert_eq!(b3["minimum"].as_u64(), Some(1), "{b3}");
    assert_eq!(
        b3["met"],
        b3["calls"].as_u64().unwrap() <= 1 && b3["write_calls"] == 0
    );
    assert!(close(b3["bound_s"].as_f64().unwrap(), 0.2), "{b3}");

    // B5: 5 % of the linked pairs edited on both sides, every one a conflict; no target.
    assert_eq!((&b5["target"], &b5["met"]), (&Value::Null, &Value::Null));
    let message = b5["run_message"].as_str().unwrap();
    assert!(
        b5["title"]
            .as_str()
            .unwrap()
            .contains("with conflicting edits"),
        "{b5}"
    );
    assert!(message.contains(" conflicts)"), "{b5}");
    assert!(b5["minimum"].as_u64().unwrap() >= 3, "{b5}");

    // B6: no target in the issue, so none is judged; the QuickBooks bound is its calls at
    // 500 a minute.
    assert_eq!((&b6["target"], &b6["met"]), (&Value::Null, &Value::Null));
    assert!(b6["records"].as_u64().unwrap() > 0, "{b6}");
    let qb_calls = b6["bound_formula"].as_str().unwrap();
    assert!(
        qb_calls.contains("QuickBooks calls ÷ (500 per minute)"),
        "{b6}"
    );

    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("./dev bench"));
    assert!(text.contains("Build profile: **debug** (not representative"));
    assert!(text.contains("| B1 | "), "{text}");
    assert!(
        !text.contains("## Not built yet"),
        "every scenario is built: {text}"
    );
}

#[tokio::test]
async fn b4_runs_the_engine_and_the_sandbox_in_processes_of_their_own() {
    let out = tokio::process::Command::new(BIN)
        .args(["bench", "--scenario", "B4", "--records", "1000", "--json"])
        .env_remove("SWITCHYARD_SANDBOX_URLS")
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let b4 = &rows[0];
    let f = |k: &str| b4[k].as_f64().unwrap();
    assert_eq!(b4["scenario"], "B4");
    let read = b4["records"].as_u64().unwrap();
    assert!((900..=1000).contains(&read), "{b4}");
    assert_eq!(b4["calls"], b4["sandbox_calls"], "{b4}");
    assert_eq!(b4["rate_limited"], 0, "{b4}");
    assert!(close(f("calls_ratio"), f("calls") / f("minimum")), "{b4}");
    assert!(
        close(f("records_per_s"), f("records") / f("wall_s")),
        "{b4}"
    );
    // Salesforce starts empty: every contact read is created.
    let created = format!("{read} read: {read} were created");
    assert!(
        b4["run_message"].as_str().unwrap().starts_with(&created),
        "{b4}"
    );
    // No limits, so no bound; both processes' peaks are reported, the engine's judged.
    assert_eq!(
        (&b4["bound_s"], &b4["wall_ratio"]),
        (&Value::Null, &Value::Null)
    );
    let (engine, sandbox) = (f("peak_rss_mb"), f("sandbox_peak_rss_mb"));
    assert!(engine > 1.0 && sandbox > 1.0, "{b4}");
    assert_eq!(
        b4["met"],
        f("records_per_s") >= 20_000.0 && engine <= 200.0,
        "{b4}"
    );
}

#[tokio::test]
async fn a_scenario_not_built_is_refused_by_name() {
    let out = tokio::process::Command::new(BIN)
        .args(["bench", "--scenario", "B1,B9"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no benchmark scenario \"B9\""), "{err}");
}

//! The `switchyard-cli` binary, run as a user would: `status` on a temp data folder and
//! `sandbox` printing one JSON document whose tokens work.

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};

const BIN: &str = env!("CARGO_BIN_EXE_switchyard-cli");

#[tokio::test]
async fn status_reports_a_fresh_database_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(BIN)
        .args(["status", "--json", "--data-dir"])
        .arg(dir.path())
        .env("SWITCHYARD_KEY_STORE", "file")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["database"],
        dir.path().join("switchyard.db").display().to_string()
    );
    assert_eq!(report["key_source"], "key_file");
    assert_eq!(
        (report["connections"].as_u64(), report["mappings"].as_u64()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn a_bad_key_store_setting_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(BIN)
        .args(["status", "--data-dir"])
        .arg(dir.path())
        .env("SWITCHYARD_KEY_STORE", "vault9")
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SWITCHYARD_KEY_STORE=vault9 is not one of auto, file, keychain"),
        "{err}"
    );
}

#[tokio::test]
async fn sandbox_prints_urls_credentials_and_working_tokens() {
    let mut child = tokio::process::Command::new(BIN)
        .args(["sandbox", "--records", "40", "--seed", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut text = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        let done = line == "}";
        text.push_str(&line);
        text.push('\n');
        if done {
            break;
        }
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (doc["seed"].as_u64(), doc["records"].as_u64()),
        (Some(3), Some(40))
    );
    let providers = doc["providers"].as_object().unwrap();
    assert!(!providers.is_empty());
    for (name, p) in providers {
        assert!(
            p["base_url"]
                .as_str()
                .unwrap()
                .starts_with("http://127.0.0.1:"),
            "{name}"
        );
        assert!(
            p["token"].is_object() && p["credentials"].is_object(),
            "{name}: {p}"
        );
    }
    // The Zapier "token" is a hook URL that accepts a post.
    let hook = providers["zapier"]["token"]["hook_url"].as_str().unwrap();
    let r = reqwest::Client::new()
        .post(hook)
        .json(&serde_json::json!({"ok": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    child.kill().await.unwrap();
}

async fn cli_sync(dir: &std::path::Path, args: &[&str]) -> (bool, Value, String) {
    let out = tokio::process::Command::new(BIN)
        .arg("sync")
        .args(args)
        .args(["--json", "--data-dir"])
        .arg(dir)
        .env("SWITCHYARD_KEY_STORE", "file")
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.success(), report, stderr)
}

#[tokio::test]
async fn sync_runs_a_mapping_by_name_and_explains_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    {
        let engine = switchyard_engine::Engine::open(switchyard_engine::EngineConfig {
            data_dir: dir.path().to_path_buf(),
            log_dir: None,
            key_policy: switchyard_engine::store::KeyPolicy::File,
        })
        .await
        .unwrap();
        engine.connect_sandbox_accounts().await.unwrap();
        engine.create_default_mappings().await.unwrap();
        engine.shutdown().await;
    }
    let (ok, plan, err) = cli_sync(dir.path(), &["Customer → Contact", "--dry-run"]).await;
    assert!(ok, "{err}");
    assert_eq!(plan["status"], "succeeded", "{plan}");
    assert!(plan["read"].as_u64().unwrap() > 0, "{plan}");
    assert!(!plan["plan"].as_array().unwrap().is_empty());

    let (ok, first, err) = cli_sync(dir.path(), &["Customer → Contact"]).await;
    assert!(ok, "{err}");
    assert_eq!(first["read"], plan["read"], "{first}");
    assert_eq!(first["created"], plan["created"], "{first}");

    let (ok, _, err) = cli_sync(dir.path(), &["No such mapping"]).await;
    assert!(!ok);
    assert!(
        err.contains("[not_found]") && err.contains("No such mapping"),
        "{err}"
    );
}

/// The sandbox a `switchyard-cli sandbox` child serves, as `SWITCHYARD_SANDBOX_URLS`, and
/// the child (killed on drop).
async fn external_sandbox(records: &str) -> (tokio::process::Child, Value) {
    let mut child = tokio::process::Command::new(BIN)
        .args(["sandbox", "--records", records])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut text = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        let done = line == "}";
        text.push_str(&line);
        text.push('\n');
        if done {
            break;
        }
    }
    (child, serde_json::from_str(&text).unwrap())
}

#[tokio::test]
async fn demo_json_reports_each_step_and_its_posts_land_in_the_sandbox() {
    // A sandbox in another process, so its Slack channel and Zapier hook can be read
    // after the demo has exited; the in-process default is covered by the next test.
    let (_sandbox, doc) = external_sandbox("200").await;
    let providers = doc["providers"].as_object().unwrap();
    let urls: Vec<String> = providers
        .iter()
        .map(|(name, p)| format!("{name}={}", p["base_url"].as_str().unwrap()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(BIN)
        .args(["demo", "--records", "200", "--json", "--data-dir"])
        .arg(dir.path())
        .env("SWITCHYARD_SANDBOX_URLS", urls.join(","))
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["failedStep"], Value::Null, "{report}");
    assert_eq!(report["dataKept"], true);
    assert_eq!(report["externalSandbox"], true);

    let connections = report["connections"].as_array().unwrap();
    assert_eq!(connections.len(), 5, "{report}");
    assert!(connections.iter().all(|c| c["status"] == "connected"));
    let auth = |p: &str| {
        connections.iter().find(|c| c["provider"] == p).unwrap()["authKind"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    for p in ["salesforce", "hubspot", "quickbooks"] {
        assert_eq!(auth(p), "oauth_loopback", "{p}");
    }
    assert_eq!(
        (auth("slack").as_str(), auth("zapier").as_str()),
        ("pasted_token", "hook_url")
    );

    // The five default mappings. Four run; their only record failures are the seed's
    // duplicate e-mails (several Salesforce Leads share one, two QuickBooks customers on a
    // page share one), which the engine refuses to guess at. Deals → Opportunity matches
    // on a name Salesforce does not keep unique, so it waits for a person.
    let mappings = report["mappings"].as_array().unwrap();
    assert_eq!(mappings.len(), 5, "{report}");
    let mut failed = 0;
    for m in mappings {
        let name = m["name"].as_str().unwrap();
        if name == "Deals → Opportunity" {
            assert_eq!(m["status"], "not_run", "{m}");
            assert!(
                m["problems"][0].as_str().unwrap().contains("not unique"),
                "{m}"
            );
            continue;
        }
        assert!(
            m["status"] == "succeeded" || m["status"] == "partial",
            "{m}"
        );
        assert!(m["read"].as_u64().unwrap() > 0, "{m}");
        assert!(m["created"].as_u64().unwrap() > 0, "{m}");
        assert!(m["calls"].as_u64().unwrap() > 0, "{m}");
        let explained: u64 = m["errors"]
            .as_array()
            .unwrap()
            .iter()
            .inspect(|e| {
                assert!(
                    e["code"] == "ambiguous_match" || e["code"] == "duplicate_source_key",
                    "{m}"
                )
            })
            .map(|e| e["count"].as_u64().unwrap())
            .sum();
        assert_eq!(m["failed"].as_u64().unwrap(), explained, "{m}");
        failed += explained;
    }
    assert!(failed < 20, "{report}");
    assert_eq!(report["totals"]["failed"].as_u64(), Some(failed));

    // One summary in the Slack channel, one event at the Zapier hook.
    let slack = &report["notifications"]["slack"];
    let (channel, ts) = (
        slack["channel"].as_str().unwrap(),
        slack["ts"].as_str().unwrap(),
    );
    let request_id = report["notifications"]["zapier"]["requestId"]
        .as_str()
        .unwrap();
    assert!(!request_id.is_empty());
    let dump = |p: &str| {
        let url = format!(
            "{}/__sandbox/dump",
            providers[p]["base_url"].as_str().unwrap()
        );
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let slack_dump = dump("slack").await;
    let posted: Vec<&Value> = slack_dump["messages"][channel]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["text"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Switchyard demo")
        })
        .collect();
    assert_eq!(posted.len(), 1, "{slack_dump}");
    assert_eq!(posted[0]["ts"], ts);
    let zapier_dump = dump("zapier").await.to_string();
    assert_eq!(zapier_dump.matches("switchyard.demo").count(), 1);

    let health = &report["health"];
    assert!(health["requests"].as_i64().unwrap() > 0, "{health}");
    assert_eq!(health["connections"].as_array().unwrap().len(), 5);

    // Nothing secret in what was printed.
    let hook = providers["zapier"]["token"]["hook_url"].as_str().unwrap();
    let printed = format!("{}{stderr}", String::from_utf8_lossy(&out.stdout));
    assert!(!printed.contains(hook) && !printed.contains("access_token"));

    // The kept folder is a working database the other commands read.
    let status = tokio::process::Command::new(BIN)
        .args(["status", "--json", "--data-dir"])
        .arg(dir.path())
        .env("SWITCHYARD_KEY_STORE", "file")
        .output()
        .await
        .unwrap();
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        (status["connections"].as_u64(), status["mappings"].as_u64()),
        (Some(5), Some(5))
    );
}

#[tokio::test]
async fn demo_prints_tables_and_removes_its_temporary_folder() {
    let out = tokio::process::Command::new(BIN)
        .args(["demo", "--records", "60"])
        .env_remove("SWITCHYARD_SANDBOX_URLS")
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    for heading in ["Connections", "Notifications", "Health"] {
        assert!(lines.contains(&heading), "{heading}:\n{text}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Syncs") && l.contains("read") && l.contains("calls")),
        "{text}"
    );
    for name in [
        "Customer → Account",
        "Companies → Account",
        "Customer → Contact",
        "Contacts → Lead",
    ] {
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with(name)),
            "{name}:\n{text}"
        );
    }
    assert!(lines
        .iter()
        .any(|l| l.contains("Deals → Opportunity") && l.contains("not run")));
    assert!(lines
        .iter()
        .any(|l| l.trim_start().starts_with("Slack") && l.contains("posted to")));
    assert!(lines
        .iter()
        .any(|l| l.trim_start().starts_with("Zapier") && l.contains("accepted as")));
    let folder = lines
        .iter()
        .find_map(|l| l.strip_prefix("Data folder "))
        .unwrap();
    let path = folder.strip_suffix(" (removed)").unwrap();
    assert!(!std::path::Path::new(path).exists(), "{path}");
}

#[tokio::test]
async fn a_demo_step_that_fails_is_named_and_exits_non_zero() {
    // Salesforce "served" on a port nobody listens on: connecting it fails.
    let out = tokio::process::Command::new(BIN)
        .args(["demo", "--records", "20", "--json"])
        .env("SWITCHYARD_SANDBOX_URLS", "salesforce=http://127.0.0.1:9")
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("demo step \u{201c}connect the five sandbox accounts\u{201d} failed"),
        "{err}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["failedStep"]["step"], "connect the five sandbox accounts",
        "{report}"
    );
    assert!(report["mappings"].as_array().unwrap().is_empty());
    let dir = report["dataDir"].as_str().unwrap();
    assert!(!std::path::Path::new(dir).exists(), "{dir}");
}

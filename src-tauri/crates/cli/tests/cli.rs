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

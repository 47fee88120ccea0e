//! Checks run by hand (`--ignored`): the official Python SDK against the sandbox, and a
//! quick load loop measuring single-record reads per second.

use super::support::Hs;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `SANDBOX_SDK_PYTHON=/tmp/venv-hubspot/bin/python cargo test … -- --ignored sdk`
#[tokio::test]
#[ignore = "needs a Python venv with hubspot-api-client; set SANDBOX_SDK_PYTHON"]
async fn the_official_python_sdk_works_against_the_sandbox() {
    let Ok(python) = std::env::var("SANDBOX_SDK_PYTHON") else {
        eprintln!("SANDBOX_SDK_PYTHON is not set; skipping the SDK check");
        return;
    };
    let hs = Hs::start().await;
    let token = hs.token().await;
    let script = format!("{}/tests/sdk/hubspot.py", env!("CARGO_MANIFEST_DIR"));
    let base = hs.base.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .arg(base)
            .arg(token)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "SDK script failed");
    assert!(stdout.contains("SDK CHECK OK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load measurement; run with --ignored --nocapture"]
async fn single_record_reads_per_second() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    hs.limits(json!({ "ten_secondly": 100_000_000, "daily": 100_000_000 }))
        .await;
    let id = hs
        .get(&token, "/crm/v3/objects/contacts?limit=1")
        .await
        .body["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = hs.url(&format!("/crm/v3/objects/contacts/{id}"));
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(3);
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (url, token, done) = (url.clone(), token.clone(), done.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                while Instant::now() < deadline {
                    let r = client
                        .request(Method::GET, &url)
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), StatusCode::OK);
                    r.bytes().await.unwrap();
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    let per_second = done.load(Ordering::Relaxed) / 3;
    eprintln!("hubspot single-record GET: {per_second} requests/s (8 clients, 3 s)");
    assert!(per_second > 0);
}

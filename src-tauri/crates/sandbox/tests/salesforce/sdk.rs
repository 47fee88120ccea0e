//! Checks that need more than the suite: the simple-salesforce SDK against a running
//! sandbox (set `SANDBOX_SDK_PYTHON` to a venv's python with simple-salesforce), and a
//! quick load measurement of single-record reads. Both are `#[ignore]`d: run with
//! `cargo test … --test salesforce -- --ignored --nocapture`.

#![allow(clippy::print_stdout)]

use crate::{Org, V};
use reqwest::StatusCode;
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs SANDBOX_SDK_PYTHON pointing at a python with simple-salesforce"]
async fn simple_salesforce_sdk_works_against_the_sandbox() {
    let python = std::env::var("SANDBOX_SDK_PYTHON").expect("SANDBOX_SDK_PYTHON");
    let mut org = Org::start().await;
    // Leads are half of the Salesforce slice: 4400 records give 2200 Leads (> one 2000 batch).
    org.reseed(4400).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/salesforce.py");
    let base = org.base.clone();
    let token = org.token.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .arg(base)
            .arg(token)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    println!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the SDK script failed");
    assert!(stdout.contains("ALL SDK CHECKS PASSED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load measurement; prints requests/s"]
async fn single_record_reads_per_second() {
    let org = Org::start().await;
    org.limits(json!({ "daily": 1_000_000_000u64 })).await;
    let id = org.query("SELECT Id FROM Lead LIMIT 1").await["records"][0]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("{}/services/data/{V}/sobjects/Lead/{id}", org.base);
    let ok = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let seconds = 3;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (url, token, ok, bad) = (url.clone(), org.token.clone(), ok.clone(), bad.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            while Instant::now() < deadline {
                match client.get(&url).bearer_auth(&token).send().await {
                    Ok(r) if r.status() == StatusCode::OK => {
                        let _ = r.bytes().await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let total = ok.load(Ordering::Relaxed);
    println!("salesforce GET /sobjects/Lead/{{id}}: {:.0} requests/s (8 clients, {seconds} s, {} failed)", total as f64 / seconds as f64, bad.load(Ordering::Relaxed));
    assert_eq!(bad.load(Ordering::Relaxed), 0);
    assert!(total > 0);
}

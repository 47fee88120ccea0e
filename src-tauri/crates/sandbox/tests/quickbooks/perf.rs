//! Quick measurements, run by hand: requests/s of a single-entity read, and the SDK check
//! (python-quickbooks + intuit-oauth against this sandbox).
//!
//! `cargo test … --test quickbooks -- --ignored --nocapture reads_per_second`
//! `SANDBOX_SDK_PYTHON=/tmp/venv-quickbooks/bin/python cargo test … -- --ignored sdk`

use crate::support::start;
use reqwest::StatusCode;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load measurement; run by hand"]
async fn reads_per_second() {
    let qb = start().await;
    qb.limits(json!({ "per_minute": 10_000_000, "concurrent": 1000 }))
        .await;
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..8u64 {
        let http = reqwest::Client::new();
        let token = qb.token.clone();
        let urls: Vec<String> = (1..=50u64)
            .map(|i| qb.api(&format!("customer/{}", (i + w * 37) % 300 + 1)))
            .collect();
        workers.spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                let url = &urls[(done % 50) as usize];
                let resp = http
                    .get(url)
                    .bearer_auth(&token)
                    .header("Accept", "application/json")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), StatusCode::OK);
                resp.bytes().await.unwrap();
                done += 1;
            }
            done
        });
    }
    let total: u64 = workers.join_all().await.into_iter().sum();
    let rate = total as f64 / 3.0;
    eprintln!("quickbooks: {total} single-entity reads in 3 s = {rate:.0} requests/s (8 concurrent clients)");
    assert!(rate > 1000.0, "{rate:.0} requests/s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs SANDBOX_SDK_PYTHON pointing at a venv with python-quickbooks and intuit-oauth"]
async fn sdk() {
    let Ok(python) = std::env::var("SANDBOX_SDK_PYTHON") else {
        panic!("set SANDBOX_SDK_PYTHON to the venv's python (pip install python-quickbooks intuit-oauth)");
    };
    let qb = start().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/quickbooks.py");
    let (id, secret) = (
        qb.creds["client_id"].as_str().unwrap().to_owned(),
        qb.creds["client_secret"].as_str().unwrap().to_owned(),
    );
    let args = [
        script.to_owned(),
        qb.base.clone(),
        qb.token.clone(),
        qb.realm.clone(),
        qb.refresh.clone(),
        id,
        secret,
    ];
    let output =
        tokio::task::spawn_blocking(move || std::process::Command::new(python).args(args).output())
            .await
            .unwrap()
            .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the SDK script failed");
    assert!(stdout.contains("SDK OK"), "{stdout}");
}

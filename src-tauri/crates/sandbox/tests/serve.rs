//! The harness around every simulator: one loopback port each, the control API,
//! latency, statistics, transport faults, clean shutdown.

#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use switchyard_sandbox::{Latency, Sandbox, SandboxConfig};

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

#[tokio::test]
async fn every_provider_answers_on_its_own_port_until_shutdown() {
    let sandbox = start().await;
    assert!(!sandbox.slots().is_empty());
    let client = reqwest::Client::new();
    let mut urls = std::collections::BTreeSet::new();
    for slot in sandbox.slots() {
        assert!(
            slot.base_url.starts_with("http://127.0.0.1:"),
            "{}",
            slot.base_url
        );
        urls.insert(slot.base_url.clone());
        let status: Value = client
            .get(format!("{}/__sandbox/status", slot.base_url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(status["provider"], slot.provider);
    }
    assert_eq!(urls.len(), sandbox.slots().len(), "one port each");
    let url = format!("{}/__sandbox/status", sandbox.slots()[0].base_url);
    sandbox.shutdown().await;
    assert!(
        client.get(url).send().await.is_err(),
        "listener closed after shutdown"
    );
}

#[tokio::test]
async fn a_taken_port_is_a_clear_error() {
    let first = start().await;
    let slot = &first.slots()[0];
    let taken: u16 = slot.base_url.rsplit(':').next().unwrap().parse().unwrap();
    let config = SandboxConfig {
        ports: vec![(slot.provider.to_owned(), taken)],
        ..Default::default()
    };
    let err = Sandbox::start(config).await.unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("{} sandbox on 127.0.0.1:{taken}", slot.provider)),
        "{err}"
    );
}

#[tokio::test]
async fn latency_faults_and_statistics_apply_to_api_calls_only() {
    let sandbox = Sandbox::start(SandboxConfig {
        latency: Latency {
            fixed_ms: 150,
            jitter_ms: 0,
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let base = sandbox.base_url("zapier").unwrap().to_owned();
    let c = reqwest::Client::new();
    let hook = c
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["hook_url"]
        .as_str()
        .unwrap()
        .to_owned();

    let t = Instant::now();
    assert_eq!(
        c.post(&hook)
            .json(&json!({"a": 1}))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "latency applied: {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    c.get(format!("{base}/__sandbox/stats"))
        .send()
        .await
        .unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(150),
        "control calls are not delayed"
    );
    c.put(format!("{base}/__sandbox/latency"))
        .json(&json!({"fixed_ms": 0}))
        .send()
        .await
        .unwrap();

    let bad = c
        .post(format!("{base}/__sandbox/faults"))
        .json(&json!({"kind": "server_error", "rate": 3.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400, "invalid rules are refused");
    c.post(format!("{base}/__sandbox/faults"))
        .json(&json!({"kind": "server_error", "status": 502, "next": 1}))
        .send()
        .await
        .unwrap();
    c.post(format!("{base}/__sandbox/faults"))
        .json(&json!({"kind": "connection_reset", "next": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        c.post(&hook)
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        502
    );
    let reset = c.post(&hook).json(&json!({})).send().await;
    let broken = match reset {
        Err(_) => true,
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(
        broken,
        "a reset connection never yields a complete response"
    );
    assert_eq!(
        c.post(&hook)
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "faults were used up"
    );

    let stats: Value = c
        .get(format!("{base}/__sandbox/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = stats["rows"].as_array().unwrap();
    let count = |status: u64| {
        rows.iter()
            .filter(|r| r["status"] == status && r["route"] == "/hooks/catch/{account}/{hook}/")
            .map(|r| r["count"].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(count(200), 2);
    assert_eq!(count(502), 1);
    assert_eq!(count(0), 1, "the reset is counted with status 0");
    assert_eq!(stats["total"], 4, "{stats}");
}

#[tokio::test]
async fn chunked_bodies_up_to_10_mb_are_accepted_and_larger_ones_refused() {
    let sandbox = start().await;
    let base = sandbox.base_url("zapier").unwrap().to_owned();
    let c = reqwest::Client::new();
    let hook = c
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["hook_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let chunked = |bytes: usize| {
        // A JSON string of `bytes` characters, sent in 64 KiB chunks with no length.
        let mut parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"{\"blob\":\"".to_vec())];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(64 * 1024);
            parts.push(Ok(vec![b'x'; n]));
            left -= n;
        }
        parts.push(Ok(b"\"}".to_vec()));
        reqwest::Body::wrap_stream(futures_util::stream::iter(parts))
    };
    let ok = c
        .post(&hook)
        .header("content-type", "application/json")
        .body(chunked(9 * 1024 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let too_big = c
        .post(&hook)
        .header("content-type", "application/json")
        .body(chunked(11 * 1024 * 1024))
        .send()
        .await;
    match too_big {
        Ok(r) => assert_eq!(r.status(), 413),
        Err(e) => panic!("expected 413, got {e}"),
    }
}

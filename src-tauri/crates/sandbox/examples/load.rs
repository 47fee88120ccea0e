//! Load generator for the sandbox: starts it in-process with raised limits and prints
//! requests/s and latency percentiles of one simple authenticated read per provider.
//!
//!   cargo run --release -p switchyard-sandbox --example load -- [seconds] [concurrency]
//!
//! Each provider's read is taken from its control API (`/__sandbox/token` and
//! `/__sandbox/dump`), so this needs no knowledge of the simulators' internals.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedSpec};

/// A simple authenticated read per provider: (url, bearer token, method, body).
async fn simple_read(
    http: &reqwest::Client,
    provider: &str,
    base: &str,
) -> Option<(String, Option<String>, reqwest::Method, Option<Value>)> {
    let token: Value = http
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    let bearer = token["access_token"].as_str().map(str::to_owned);
    match provider {
        "zapier" => Some((
            token["hook_url"].as_str()?.to_owned(),
            None,
            reqwest::Method::POST,
            Some(json!({"load": true})),
        )),
        "slack" => Some((
            format!("{base}/api/auth.test"),
            bearer,
            reqwest::Method::POST,
            None,
        )),
        "salesforce" => {
            let dump: Value = http
                .get(format!("{base}/__sandbox/dump"))
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            let id = dump["Lead"][0]["Id"].as_str()?.to_owned();
            Some((
                format!("{base}/services/data/v66.0/sobjects/Lead/{id}"),
                bearer,
                reqwest::Method::GET,
                None,
            ))
        }
        "hubspot" => Some((
            format!("{base}/crm/v3/objects/contacts?limit=1"),
            bearer,
            reqwest::Method::GET,
            None,
        )),
        "quickbooks" => {
            let realm = token["realmId"].as_str()?;
            Some((
                format!("{base}/v3/company/{realm}/customer/1?minorversion=75"),
                bearer,
                reqwest::Method::GET,
                None,
            ))
        }
        _ => None,
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3);
    let concurrency: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16);
    let sandbox = Sandbox::start(SandboxConfig {
        seed: SeedSpec {
            seed: 1,
            records: 1000,
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    println!("provider     req/s     p50 ms  p99 ms  non-2xx  ({concurrency} connections, {seconds} s each)");
    for slot in sandbox.slots() {
        // Generous limits so the numbers measure the server, not the simulated quotas.
        let limits = match slot.provider {
            "salesforce" => json!({"daily": 1_000_000_000u64, "concurrent": 1000}),
            "hubspot" => json!({"ten_secondly": 1_000_000_000u64, "daily": 1_000_000_000u64}),
            "quickbooks" => json!({"per_minute": 1_000_000_000u64, "concurrent": 1000}),
            "slack" => json!({"tier4_per_minute": 1_000_000_000u64}),
            _ => json!({"per_second": 1_000_000_000u64}),
        };
        let raised = http
            .put(format!("{}/__sandbox/limits", slot.base_url))
            .json(&limits)
            .send()
            .await
            .map(|r| r.status().is_success());
        if !matches!(raised, Ok(true)) {
            println!("{:<11} (limits not raised: {raised:?})", slot.provider);
        }
        let Some((url, bearer, method, body)) =
            simple_read(&http, slot.provider, &slot.base_url).await
        else {
            println!("{:<11} (no simple read known)", slot.provider);
            continue;
        };
        let ok = Arc::new(AtomicU64::new(0));
        let bad = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let (http, url, bearer, method, body, ok, bad) = (
                http.clone(),
                url.clone(),
                bearer.clone(),
                method.clone(),
                body.clone(),
                ok.clone(),
                bad.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let mut req = http.request(method.clone(), &url);
                    if let Some(b) = &bearer {
                        req = req.bearer_auth(b);
                    }
                    if let Some(b) = &body {
                        req = req.json(b);
                    }
                    let t = Instant::now();
                    match req.send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            bad.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    latencies.push(t.elapsed());
                }
                latencies
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all.sort();
        let pct = |p: usize| {
            all.get(all.len().saturating_sub(1) * p / 100)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        let total = ok.load(Ordering::Relaxed);
        println!(
            "{:<11} {:>8.0}  {:>8.2}  {:>6.2}  {:>7}",
            slot.provider,
            total as f64 / seconds as f64,
            pct(50),
            pct(99),
            bad.load(Ordering::Relaxed)
        );
    }
    sandbox.shutdown().await;
}

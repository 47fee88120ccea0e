//! The child process that serves the sandbox: seeds N HubSpot contacts (nothing else),
//! measures its own seeding, prints one JSON line (URLs, tokens, timings, RSS) and serves
//! until the parent kills it.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Instant;
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedScope, SeedSpec};

pub async fn serve(n: usize) {
    let rss_before = super::procfs::status_bytes("self", "VmRSS");
    let started = Instant::now();
    let sandbox = Sandbox::start(SandboxConfig {
        seed: SeedSpec {
            seed: 42,
            records: n,
        },
        seed_scope: SeedScope::only(["hubspot/contacts"]),
        ..Default::default()
    })
    .await
    .unwrap();
    let seed_secs = started.elapsed().as_secs_f64();
    let rss_after = super::procfs::status_bytes("self", "VmRSS");
    let http = reqwest::Client::new();
    let mut info =
        json!({ "seed_secs": seed_secs, "rss_before": rss_before, "rss_after": rss_after });
    for provider in ["hubspot", "salesforce"] {
        let base = sandbox.base_url(provider).unwrap().to_owned();
        let token: Value = http
            .post(format!("{base}/__sandbox/token"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        info[provider] = json!({ "base": base, "token": token });
    }
    // How many contacts the seed holds (duplicates by email were merged away).
    let hs = &info["hubspot"];
    let total: Value = http
        .post(format!(
            "{}/crm/v3/objects/contacts/search",
            hs["base"].as_str().unwrap()
        ))
        .bearer_auth(hs["token"]["access_token"].as_str().unwrap())
        .json(&json!({ "limit": 1 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    info["contacts"] = total["total"].clone();
    println!("{info}");
    std::future::pending::<()>().await;
}

/// The parent's handle on a serving child.
pub struct Served {
    child: Child,
    pub pid: u32,
    pub info: Value,
}

impl Served {
    pub async fn spawn(n: usize) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--serve", &n.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        })
        .await
        .unwrap()
        .unwrap();
        let info: Value = serde_json::from_str(&line).unwrap();
        let pid = child.id();
        Self { child, pid, info }
    }

    /// Lifts the simulated quotas so the numbers measure the server.
    pub async fn raise_limits(&self, http: &reqwest::Client) {
        let big = 1_000_000_000u64;
        for (provider, limits) in [
            (
                "hubspot",
                json!({ "ten_secondly": big, "daily": big, "search_per_second": big }),
            ),
            ("salesforce", json!({ "daily": big, "concurrent": 1000 })),
        ] {
            let base = self.info[provider]["base"].as_str().unwrap();
            let r = http
                .put(format!("{base}/__sandbox/limits"))
                .json(&limits)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "{provider} limits: {}", r.status());
        }
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! How much memory, seeding time and CPU the sandbox needs per record, measured over real
//! HTTP on loopback the way the B4 benchmark drives it (HubSpot contacts searched by
//! last-modified keyset → Salesforce Leads in collections of 200).
//!
//!   cargo run --release -p switchyard-sandbox --example sandbox_bench -- [N …]
//!
//! For each N (default 20000 200000 1000000) a fresh child process serves the sandbox
//! seeded with N HubSpot contacts (and nothing else); this process is the client, so the
//! child's CPU time (`/proc/<pid>/stat`) is the sandbox's alone. Printed per N: seed
//! seconds, RSS bytes per seeded contact (VmRSS after seeding minus before, and the peak
//! VmHWM), and per endpoint the records served per second of wall time (one request at a
//! time, as the engine sends them) and per second of sandbox CPU.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod child;
mod hubspot;
mod procfs;
mod salesforce;

use procfs::Proc;
use std::time::{Duration, Instant};

/// One measured phase: records handled, wall time and the sandbox's CPU time.
#[derive(Debug, Clone, Copy)]
pub struct Phase {
    pub name: &'static str,
    pub records: u64,
    pub requests: u64,
    pub wall: Duration,
    pub cpu: Duration,
}

impl Phase {
    fn print(&self) {
        let per_sec = |d: Duration| self.records as f64 / d.as_secs_f64().max(1e-9);
        println!(
            "  {:<34} {:>8} rec {:>6} req  wall {:>8.0} rec/s  sandbox CPU {:>6.2} µs/rec = {:>9.0} rec/s",
            self.name,
            self.records,
            self.requests,
            per_sec(self.wall),
            self.cpu.as_secs_f64() * 1e6 / self.records.max(1) as f64,
            per_sec(self.cpu),
        );
    }
}

/// Times `run` and the sandbox process's CPU over it.
pub async fn measure<F, Fut>(proc: &Proc, name: &'static str, run: F) -> Phase
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = (u64, u64)>,
{
    let (cpu0, t0) = (proc.cpu(), Instant::now());
    let (records, requests) = run().await;
    let phase = Phase {
        name,
        records,
        requests,
        wall: t0.elapsed(),
        cpu: proc.cpu().saturating_sub(cpu0),
    };
    phase.print();
    phase
}

async fn bench(n: usize) {
    let served = child::Served::spawn(n).await;
    let proc = Proc(served.pid);
    let http = reqwest::Client::new();
    served.raise_limits(&http).await;
    let contacts = served.info["contacts"].as_u64().unwrap_or(0);
    let seeded_rss = served.info["rss_after"].as_u64().unwrap_or(0)
        - served.info["rss_before"].as_u64().unwrap_or(0);
    println!(
        "N = {n}: {contacts} contacts seeded in {:.2} s; RSS +{:.1} MB = {:.0} B/contact (peak VmHWM {:.1} MB)",
        served.info["seed_secs"].as_f64().unwrap_or(0.0),
        seeded_rss as f64 / 1e6,
        seeded_rss as f64 / contacts.max(1) as f64,
        proc.hwm() as f64 / 1e6,
    );
    let hs = hubspot::Client::new(&http, &served.info);
    let sf = salesforce::Client::new(&http, &served.info);
    let mut people = Vec::new();
    measure(&proc, "HubSpot search pages (200, keyset)", || async {
        hs.read_all(&mut people).await
    })
    .await;
    let rss_before_leads = proc.rss();
    measure(&proc, "SOQL Email IN look-ups (200)", || async {
        sf.lookups(&people).await
    })
    .await;
    measure(&proc, "POST composite/sobjects (200 Leads)", || async {
        sf.create(&people).await
    })
    .await;
    let leads = people.len() as u64;
    let lead_rss = proc.rss().saturating_sub(rss_before_leads);
    println!(
        "  Salesforce store: RSS +{:.1} MB for {leads} Leads = {:.0} B/Lead",
        lead_rss as f64 / 1e6,
        lead_rss as f64 / leads.max(1) as f64
    );
    let mut ids = Vec::new();
    measure(&proc, "SOQL query pages (2000, nextRecords)", || async {
        sf.query_all(&mut ids).await
    })
    .await;
    measure(&proc, "PATCH composite/sobjects (by Id)", || async {
        sf.update(&ids).await
    })
    .await;
    measure(&proc, "PATCH composite/sobjects/Lead/Email", || async {
        sf.upsert(&people).await
    })
    .await;
    println!(
        "  sandbox peak RSS (VmHWM) {:.1} MB",
        proc.hwm() as f64 / 1e6
    );
    served.stop().await;
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
        child::serve(n).await;
        return;
    }
    let sizes: Vec<usize> = if args.is_empty() {
        vec![20_000, 200_000, 1_000_000]
    } else {
        args.iter().filter_map(|a| a.parse().ok()).collect()
    };
    for n in sizes {
        bench(n).await;
    }
}

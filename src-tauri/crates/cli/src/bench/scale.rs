//! B4: HubSpot contacts → Salesforce Leads one way (B1's mapping) at scale — 1,000,000
//! contacts by default, no added latency, every rate limit off: the sandbox's (through
//! its control API) and the engine's own pacing (`Engine::set_client_limits`), so the
//! run is bound by the engine and the simulators only. Reports records/s of the whole
//! run and the peak RSS of the process the engine ran in. Only HubSpot contacts are
//! seeded; Salesforce starts empty, so every contact is looked up and created.
//! `isolated.rs` runs this in a process of its own against a sandbox in another one.

use super::env::{BenchEnv, Setup};
use super::hubspot_salesforce::minimum_calls;
use super::machine;
use super::row::Row;
use super::scenario::{progress, Scenario, Settings};
use switchyard_engine::store::kinds::{ProviderId, SyncDirection};
use switchyard_engine::EngineError;
use switchyard_sandbox::SeedScope;

pub const DEFAULT_RECORDS: usize = 1_000_000;
/// The sizes B4 runs at when no `--records` is given: per-record cost must stay flat.
pub const SIZES: [usize; 3] = [20_000, 200_000, DEFAULT_RECORDS];
/// The most the wall time per record may grow from the smallest size to the largest.
pub const TARGET_FLATNESS: f64 = 0.20;
/// The only objects the sandbox seeds for B4.
pub const SEED_ONLY: &str = "hubspot/contacts";
pub const TARGET_RECORDS_PER_S: f64 = 20_000.0;
pub const TARGET_PEAK_RSS_MB: f64 = 100.0;
const PAIR: [ProviderId; 2] = [ProviderId::Hubspot, ProviderId::Salesforce];
/// High enough never to be reached.
const UNLIMITED: u64 = 1_000_000_000_000;

pub fn records(settings: &Settings) -> usize {
    settings.records.unwrap_or(DEFAULT_RECORDS)
}

/// Runs B4 with the engine in this process (and the sandbox wherever the engine finds
/// it: `SWITCHYARD_SANDBOX_URLS`, else in this process too).
pub async fn run_here(settings: &Settings) -> Result<Row, EngineError> {
    let records = records(settings);
    let env = BenchEnv::start_with(Setup {
        seed: settings.seed,
        records,
        latency_ms: 0,
        seed_scope: SeedScope::only([SEED_ONLY]),
        client_limits: false,
    })
    .await?;
    let result = scenario(&env, records).await;
    env.shutdown().await;
    result
}

async fn scenario(env: &BenchEnv, records: usize) -> Result<Row, EngineError> {
    let off = serde_json::json!({ "ten_secondly": UNLIMITED, "search_per_second": UNLIMITED, "daily": UNLIMITED });
    env.set_limits(ProviderId::Hubspot, &off).await?;
    env.set_limits(
        ProviderId::Salesforce,
        &serde_json::json!({ "daily": UNLIMITED }),
    )
    .await?;
    let mut draft = env.contacts_to_leads().await?;
    draft.direction = SyncDirection::OneWay;
    let mapping = env.engine.create_mapping(draft).await?;
    // Contacts with an e-mail (the match key) need a look-up; counted by one search of
    // the harness's own, so the engine's process never holds the whole data set.
    let with_email = env
        .api_post(
            ProviderId::Hubspot,
            "/crm/v3/objects/contacts/search",
            &serde_json::json!({ "filterGroups": [{ "filters": [{ "propertyName": "email", "operator": "HAS_PROPERTY" }] }], "limit": 1 }),
        )
        .await?["total"]
        .as_u64()
        .unwrap_or(0);

    progress(&format!(
        "B4: full run of {records} contacts, no latency, no limits"
    ));
    let cpu_before = machine::cpu_seconds("self");
    let m = env.measured_run(&mapping.id, PAIR).await?;
    let engine_cpu_s = cpu_before
        .zip(machine::cpu_seconds("self"))
        .map(|(before, after)| after - before);
    let r = &m.report;
    let minimum = minimum_calls(
        u64::from(r.read),
        with_email,
        u64::from(r.created),
        u64::from(r.updated),
    );
    let title = format!("full HubSpot → Salesforce, {records} contacts, no latency, no rate limits (sandbox's and engine's), Salesforce empty");
    let bound = (
        0.0,
        "none: every rate limit is off, so only the engine and the simulators bound the run"
            .to_owned(),
    );
    let row = Row::measured(
        Scenario::B4,
        title,
        &m,
        ("HubSpot", "Salesforce"),
        minimum,
        bound,
    );
    let peak = machine::peak_rss_mb();
    Ok(Row {
        bound_s: None,
        wall_ratio: None,
        peak_rss_mb: peak,
        engine_cpu_s,
        ..judged(row)
    })
}

/// Sets B4's target and whether it was met, from the row's records/s and peak RSS.
pub fn judged(row: Row) -> Row {
    let met = row.records_per_s >= TARGET_RECORDS_PER_S
        && row.peak_rss_mb.is_some_and(|mb| mb <= TARGET_PEAK_RSS_MB);
    Row {
        target: Some(format!(
            "≥ {TARGET_RECORDS_PER_S:.0} records/s, engine peak RSS ≤ {TARGET_PEAK_RSS_MB:.0} MB"
        )),
        met: Some(met),
        ..row
    }
}

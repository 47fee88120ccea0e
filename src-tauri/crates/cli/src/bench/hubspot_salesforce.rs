//! B1–B3: HubSpot contacts → Salesforce Leads, one way, on the suggested mapping, with
//! 20 ms added to every sandbox response and HubSpot's real limits (100 requests per
//! 10 s per token, search 5 per second per portal). B1 is the first full run, B2 the
//! incremental run after 1 % of the linked contacts were edited by "another user", B3 the
//! run after that with nothing changed. B2 and B3 need B1's links, so B1 always runs.

use super::env::{BenchEnv, Measured, Requests, BURST_PER_10S, SEARCH_PER_S};
use super::row::Row;
use super::scenario::{progress, Scenario, Settings};
use switchyard_engine::connectors::{hubspot, salesforce};
use switchyard_engine::store::kinds::{ProviderId, SyncDirection};
use switchyard_engine::store::tables::links;
use switchyard_engine::EngineError;

/// Source and target, whose request statistics each run counts.
const PAIR: [ProviderId; 2] = [ProviderId::Hubspot, ProviderId::Salesforce];
pub const DEFAULT_RECORDS: usize = 10_000;
pub const LATENCY_MS: u64 = 20;

fn div_ceil(n: u64, d: usize) -> u64 {
    n.div_ceil(d as u64)
}

/// The shortest wall time HubSpot's limits allow for these requests: searches at
/// `SEARCH_PER_S`, everything else at `BURST_PER_10S` per 10 s; the limits are
/// independent, so the slower of the two bounds the run.
pub fn hubspot_bound(hs: &Requests) -> (f64, String) {
    let others = hs.total - hs.searches;
    let search_s = hs.searches as f64 / SEARCH_PER_S as f64;
    let burst_s = others as f64 * 10.0 / BURST_PER_10S as f64;
    (
        search_s.max(burst_s),
        format!(
            "HubSpot is the limited provider: max({} searches ÷ {SEARCH_PER_S}/s, {others} other HubSpot calls ÷ ({BURST_PER_10S} per 10 s)) = max({search_s:.2} s, {burst_s:.2} s)",
            hs.searches
        ),
    )
}

/// The fewest calls a one-way HubSpot → Salesforce run can make, from the connectors'
/// page and batch sizes: HubSpot search pages, Salesforce `IN (…)` look-ups of the
/// records still to match, and sObject Collections creates and updates (separate calls:
/// a collection is either POST-create or PATCH-update).
pub fn minimum_calls(read: u64, to_match: u64, created: u64, updated: u64) -> (u64, String) {
    let page = hubspot::SEARCH_MAX;
    let lookup = salesforce::LOOKUP_CHUNK;
    let batch = salesforce::MAX_BATCH;
    let reads = div_ceil(read, page).max(1);
    let lookups = div_ceil(to_match, lookup);
    let creates = div_ceil(created, batch);
    let updates = div_ceil(updated, batch);
    (
        reads + lookups + creates + updates,
        format!(
            "⌈{read} read ÷ {page} per search page⌉ (at least 1) + ⌈{to_match} to match ÷ {lookup} per look-up⌉ + ⌈{created} created ÷ {batch} per collection⌉ + ⌈{updated} updated ÷ {batch} per collection⌉ = {reads} + {lookups} + {creates} + {updates}"
        ),
    )
}

fn row(id: Scenario, title: String, m: &Measured, minimum: (u64, String)) -> Row {
    let row = Row::measured(
        id,
        title,
        m,
        ("HubSpot", "Salesforce"),
        minimum,
        hubspot_bound(&m.source),
    );
    let (target, met) = match id {
        Scenario::B1 => (
            "calls ≤ 1.05 × minimum, wall ≤ 1.25 × bound",
            row.calls_ratio.is_some_and(|r| r <= 1.05) && row.wall_ratio.is_some_and(|r| r <= 1.25),
        ),
        Scenario::B2 => ("≤ 3 calls", row.calls <= 3),
        _ => ("≤ 1 call, 0 writes", row.calls <= 1 && row.write_calls == 0),
    };
    Row {
        target: Some(target.to_owned()),
        met: Some(met),
        ..row
    }
}

pub async fn run(settings: &Settings, wanted: &[Scenario]) -> Result<Vec<Row>, EngineError> {
    let records = settings.records.unwrap_or(DEFAULT_RECORDS);
    BenchEnv::with(settings.seed, records, LATENCY_MS, async |env| {
        scenarios(env, records, wanted).await
    })
    .await
}

async fn scenarios(
    env: &BenchEnv,
    records: usize,
    wanted: &[Scenario],
) -> Result<Vec<Row>, EngineError> {
    env.limit_hubspot().await?;
    let mut draft = env.contacts_to_leads().await?;
    draft.direction = SyncDirection::OneWay;
    let mapping = env.engine.create_mapping(draft).await?;

    // Live contacts (a run reads no archived one) and how many of them have an e-mail,
    // the match key: those need a look-up.
    let dump = env.dump(ProviderId::Hubspot).await?;
    let contacts: Vec<serde_json::Value> = dump["contacts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["archived"] != true)
        .cloned()
        .collect();
    let ids: Vec<String> = contacts
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
    let with_email = contacts
        .iter()
        .filter(|c| {
            c["properties"]["email"]
                .as_str()
                .is_some_and(|e| !e.trim().is_empty())
        })
        .count() as u64;

    let mut rows = Vec::new();
    progress(&format!("B1: full run of {records} contacts"));
    let b1 = env.measured_run(&mapping.id, PAIR).await?;
    if wanted.contains(&Scenario::B1) {
        let r = &b1.report;
        let minimum = minimum_calls(
            u64::from(r.read),
            with_email,
            u64::from(r.created),
            u64::from(r.updated),
        );
        let title = format!("full HubSpot → Salesforce, {records} contacts, {LATENCY_MS} ms latency, HubSpot limits on");
        rows.push(row(Scenario::B1, title, &b1, minimum));
    }

    if wanted.contains(&Scenario::B2) {
        let pool = env.engine.store().pool();
        let linked: Vec<String> = links::by_source_ids(pool, &mapping.id, &ids)
            .await?
            .into_iter()
            .map(|l| l.source_id)
            .collect();
        let changed = records.div_ceil(100).min(linked.len());
        progress(&format!("B2: {changed} contacts edited, incremental run"));
        let edits = linked
            .iter()
            .take(changed)
            .enumerate()
            .map(|(i, id)| serde_json::json!({ "object": "contacts", "id": id, "fields": { "jobtitle": format!("Benchmark edit {i}") } }))
            .collect();
        env.mutate_many(ProviderId::Hubspot, edits).await?;
        let b2 = env.measured_run(&mapping.id, PAIR).await?;
        let r = &b2.report;
        // Every changed contact is linked already: no look-up, updates only.
        let minimum = minimum_calls(
            changed as u64,
            0,
            u64::from(r.created),
            u64::from(r.updated),
        );
        let title =
            format!("incremental re-run after {changed} of {records} contacts (1 %) changed");
        rows.push(row(Scenario::B2, title, &b2, minimum));
    }

    if wanted.contains(&Scenario::B3) {
        progress("B3: re-run with nothing changed");
        let b3 = env.measured_run(&mapping.id, PAIR).await?;
        let minimum = minimum_calls(0, 0, 0, 0);
        let title = format!("re-run of {records} contacts with nothing changed");
        rows.push(row(Scenario::B3, title, &b3, minimum));
    }
    Ok(rows)
}

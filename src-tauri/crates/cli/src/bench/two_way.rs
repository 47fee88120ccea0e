//! B5: two-way HubSpot contacts ↔ Salesforce Leads, 10,000 of each, on the suggested
//! mapping (conflicts: newest wins), 20 ms latency and HubSpot's limits as in B1. Two
//! unmeasured runs link the records and let the values Salesforce filled in on create
//! flow back; then 5 % of the linked pairs get conflicting edits — the HubSpot job title
//! first, the Salesforce Title a second later, so Salesforce's edit is the newest — and
//! the measured run settles them. The issue sets no target for B5: it is reported only.

use super::env::BenchEnv;
use super::hubspot_salesforce::hubspot_bound;
use super::row::Row;
use super::scenario::{progress, Scenario, Settings};
use switchyard_engine::connectors::{hubspot, salesforce};
use switchyard_engine::store::kinds::{ProviderId, SyncDirection};
use switchyard_engine::store::tables::links;
use switchyard_engine::sync::RunOptions;
use switchyard_engine::EngineError;

pub const DEFAULT_RECORDS: usize = 10_000;
pub const LATENCY_MS: u64 = 20;
const PAIR: [ProviderId; 2] = [ProviderId::Hubspot, ProviderId::Salesforce];

/// The fewest calls to settle `edited` conflicting pairs whose newest edit is on
/// Salesforce: read the changes on both sides (HubSpot search pages, Salesforce SOQL
/// pages) and update the losing HubSpot side in batches; Salesforce already holds the
/// winning values.
pub fn minimum_calls(edited: u64) -> (u64, String) {
    let hs_page = hubspot::SEARCH_MAX as u64;
    let sf_page = salesforce::DEFAULT_PAGE as u64;
    let hs_batch = hubspot::MAX_BATCH as u64;
    let hs_reads = edited.div_ceil(hs_page).max(1);
    let sf_reads = edited.div_ceil(sf_page).max(1);
    let updates = edited.div_ceil(hs_batch);
    (
        hs_reads + sf_reads + updates,
        format!(
            "⌈{edited} changed ÷ {hs_page} per HubSpot search page⌉ + ⌈{edited} changed ÷ {sf_page} per Salesforce query page⌉ + ⌈{edited} HubSpot contacts to update ÷ {hs_batch} per batch⌉ (Salesforce's edits are newest, so only HubSpot is written) = {hs_reads} + {sf_reads} + {updates}"
        ),
    )
}

pub async fn run(settings: &Settings) -> Result<Vec<Row>, EngineError> {
    let records = settings.records.unwrap_or(DEFAULT_RECORDS);
    BenchEnv::with(settings.seed, records, LATENCY_MS, async |env| {
        scenario(env, records).await.map(|row| vec![row])
    })
    .await
}

async fn scenario(env: &BenchEnv, records: usize) -> Result<Row, EngineError> {
    env.limit_hubspot().await?;
    let draft = env.contacts_to_leads().await?;
    if draft.direction != SyncDirection::TwoWay {
        return Err(EngineError::validation(
            "the suggested contacts ↔ Leads mapping is no longer two-way",
        ));
    }
    let mapping = env.engine.create_mapping(draft).await?;
    let quiet = |_| {};
    progress(&format!(
        "B5: linking {records} contacts and {records} Leads (two unmeasured runs)"
    ));
    let mut prep = Vec::new();
    for _ in 0..2 {
        let r = env
            .engine
            .run_mapping(&mapping.id, RunOptions::default(), &quiet)
            .await?;
        prep.push(format!("{} read in {} calls", r.read, r.calls));
    }

    let pool = env.engine.store().pool();
    let linked = links::count(pool, &mapping.id).await? as usize;
    let edited = (linked * 5).div_ceil(100);
    let pairs = links::search(pool, &mapping.id, "", edited as i64).await?;
    let edited = pairs.len();
    progress(&format!(
        "B5: {edited} of {linked} linked pairs edited on both sides"
    ));
    let hs_edits = pairs
        .iter()
        .enumerate()
        .map(|(i, l)| serde_json::json!({ "object": "contacts", "id": l.source_id, "fields": { "jobtitle": format!("HubSpot edit {i}") } }))
        .collect();
    env.mutate_many(ProviderId::Hubspot, hs_edits).await?;
    // Modification times are compared to the second: Salesforce's edits come later.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let sf_edits = pairs
        .iter()
        .enumerate()
        .map(|(i, l)| serde_json::json!({ "object": "Lead", "id": l.target_id, "fields": { "Title": format!("Salesforce edit {i}") } }))
        .collect();
    env.mutate_many(ProviderId::Salesforce, sf_edits).await?;

    progress("B5: two-way run settling the conflicts");
    let m = env.measured_run(&mapping.id, PAIR).await?;
    let title = format!("two-way {records} / {records}, {edited} pairs (5 % of {linked} linked) with conflicting edits, newest wins, {LATENCY_MS} ms latency, HubSpot limits on");
    let row = Row::measured(
        Scenario::B5,
        title,
        &m,
        ("HubSpot", "Salesforce"),
        minimum_calls(edited as u64),
        hubspot_bound(&m.source),
    );
    Ok(Row {
        run_message: format!(
            "{} ({} conflicts). Unmeasured linking runs before it: {}.",
            m.report.message,
            m.report.conflicts,
            prep.join("; ")
        ),
        ..row
    })
}

//! B6: QuickBooks Customers → Salesforce Accounts, one way, on the suggested mapping
//! (matched by the QuickBooks Id kept in the Account's external-id field `ExtId__c`),
//! written by upsert on that field (no look-up), 5,000 customers, 20 ms added to every sandbox response as in B1, and QuickBooks'
//! throttles on: 500 requests a minute and 40 batches a minute per realm, 10 at once.
//! The issue sets no target for B6: it is reported only.

use super::env::BenchEnv;
use super::row::Row;
use super::scenario::{progress, Scenario, Settings};
use switchyard_engine::connectors::{quickbooks, salesforce};
use switchyard_engine::store::kinds::{ProviderId, SyncDirection};
use switchyard_engine::EngineError;

pub const DEFAULT_RECORDS: usize = 5_000;
pub const LATENCY_MS: u64 = 20;
/// QuickBooks' throttle per realm: requests per minute.
pub const PER_MINUTE: u64 = 500;
/// QuickBooks' batch throttle per realm: `/batch` calls per minute.
pub const BATCH_PER_MINUTE: u64 = 40;
pub const CONCURRENT: u64 = 10;

const PAIR: [ProviderId; 2] = [ProviderId::Quickbooks, ProviderId::Salesforce];

/// The fewest calls of the engine's way to run this mapping: QuickBooks query pages, and
/// sObject Collections upserts by the external id (`PATCH
/// /composite/sobjects/Account/ExtId__c`), creates and updates together, with no look-up.
pub fn minimum_calls(read: u64, created: u64, updated: u64) -> (u64, String) {
    let page = quickbooks::MAX_RESULTS as u64;
    let batch = salesforce::MAX_BATCH as u64;
    // A page shorter than asked for is the last: a multiple of the page needs one more.
    let reads = read / page + 1;
    let writes = (created + updated).div_ceil(batch);
    (
        reads + writes,
        format!(
            "⌊{read} read ÷ {page} per query page⌋ + 1 (a short page ends the read) + ⌈({created} created + {updated} updated) ÷ {batch} per upsert collection⌉ = {reads} + {writes}; no look-up, as the external id finds each Account"
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
    env.set_limits(
        ProviderId::Quickbooks,
        &serde_json::json!({ "per_minute": PER_MINUTE, "batch_per_minute": BATCH_PER_MINUTE, "concurrent": CONCURRENT }),
    )
    .await?;
    let mut draft = env
        .engine
        .suggest_mapping(
            &env.connection(ProviderId::Quickbooks)?,
            "Customer",
            &env.connection(ProviderId::Salesforce)?,
            "Account",
        )
        .await?
        .draft;
    draft.direction = SyncDirection::OneWay;
    let mapping = env.engine.create_mapping(draft).await?;

    progress(&format!("B6: full run of {records} QuickBooks customers"));
    let m = env.measured_run(&mapping.id, PAIR).await?;
    let r = &m.report;
    let minimum = minimum_calls(
        u64::from(r.read),
        u64::from(r.created),
        u64::from(r.updated),
    );
    let qb = &m.source;
    let bound = (
        qb.total as f64 * 60.0 / PER_MINUTE as f64,
        format!(
            "QuickBooks is the limited provider: {} QuickBooks calls ÷ ({PER_MINUTE} per minute) (none of them batches: the source is only read); Salesforce has no short-window limit",
            qb.total
        ),
    );
    let title = format!("QuickBooks Customers → Salesforce Accounts, {records} customers, {LATENCY_MS} ms latency, QuickBooks limits on");
    Ok(Row::measured(
        Scenario::B6,
        title,
        &m,
        ("QuickBooks", "Salesforce"),
        minimum,
        bound,
    ))
}

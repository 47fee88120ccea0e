//! A one-way sync under injected faults on the target — throttling, 5xx, connection
//! resets, an expired token, a partial batch and a duplicate value — ends, after "retry
//! failed", in exactly the expected target state, and every failure on the way was
//! stored with its reason.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::{json, Value as Json};
use std::collections::HashMap;
use switchyard_engine::store::kinds::{ProviderId, SyncDirection};
use switchyard_engine::store::tables::run_errors;
use switchyard_engine::sync::RunOptions;
use switchyard_engine::Engine;

async fn control(engine: &Engine, provider: ProviderId, path: &str, body: Option<Json>) -> Json {
    common::sandbox(engine, provider, path, body).await
}

fn leads_by_email(sf: &Json) -> HashMap<String, usize> {
    let mut by = HashMap::new();
    for lead in sf["Lead"].as_array().unwrap() {
        if let Some(e) = lead["Email"].as_str() {
            *by.entry(e.trim().to_lowercase()).or_default() += 1;
        }
    }
    by
}

/// Leads missing or doubled against `before`: every contact with an e-mail must have
/// exactly one Lead with it, or keep the ones it already had.
async fn missing_and_doubled(engine: &Engine, before: &HashMap<String, usize>) -> (usize, usize) {
    let after = leads_by_email(&control(engine, ProviderId::Salesforce, "dump", None).await);
    let hs = control(engine, ProviderId::Hubspot, "dump", None).await;
    let (mut missing, mut doubled) = (0, 0);
    for c in hs["contacts"].as_array().unwrap() {
        let Some(email) = c["properties"]["email"].as_str() else {
            continue;
        };
        let email = email.trim().to_lowercase();
        let expected = before.get(&email).copied().unwrap_or(0).max(1);
        let got = after.get(&email).copied().unwrap_or(0);
        missing += expected.saturating_sub(got);
        doubled += got.saturating_sub(expected);
    }
    (missing, doubled)
}

#[tokio::test]
async fn faults_on_the_target_end_in_the_exact_state() {
    let setup = common::sandbox_engine(23, 400).await;
    let engine = &setup.engine;
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let before = leads_by_email(&control(engine, ProviderId::Salesforce, "dump", None).await);

    for rule in [
        json!({ "kind": "server_error", "status": 503, "path": "/services/data", "rate": 0.1 }),
        json!({ "kind": "connection_reset", "path": "/services/data", "method": "POST", "next": 1 }),
        json!({ "kind": "token_expired", "path": "/services/data", "next": 1 }),
        json!({ "kind": "partial_batch", "next": 1 }),
        json!({ "kind": "duplicate_value", "next": 1 }),
    ] {
        control(engine, ProviderId::Salesforce, "faults", Some(rule)).await;
    }
    // The source throttles too (HubSpot 429s, waited out by the client stack).
    control(
        engine,
        ProviderId::Hubspot,
        "faults",
        Some(json!({ "kind": "rate_limited", "path": "/crm", "rate": 0.2 })),
    )
    .await;
    let quiet = |_| {};
    let first = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let pool = engine.store().pool();
    assert_ne!(
        first.status,
        switchyard_engine::store::kinds::RunStatus::Failed,
        "{}",
        first.message
    );
    let errors = run_errors::for_run(pool, &first.run_id).await.unwrap();
    assert_eq!(errors.len() as u32, first.failed, "{}", first.message);
    assert!(errors
        .iter()
        .all(|e| !e.code.is_empty() && !e.message.is_empty()));
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert!(
        codes.iter().any(|c| *c != "ambiguous_match"),
        "the injected failures are stored: {codes:?}"
    );

    // The run's log exports: one CSV row per failed record, the whole run as JSON.
    use switchyard_engine::health::export::ExportFormat;
    let csv = engine
        .export_run(&first.run_id, ExportFormat::Csv)
        .await
        .unwrap();
    assert_eq!(csv.rows, errors.len());
    assert_eq!(csv.content.lines().count(), errors.len() + 1);
    assert!(csv
        .content
        .starts_with("id,side,recordId,code,message,payload,status,createdAt\n"));
    let json = engine
        .export_run(&first.run_id, ExportFormat::Json)
        .await
        .unwrap();
    let run: Json = serde_json::from_str(&json.content).unwrap();
    assert_eq!(run["summary"]["id"], first.run_id.as_str());
    assert_eq!(run["errors"].as_array().unwrap().len(), errors.len());

    // Faults off; retry what failed until only real business conflicts remain.
    reqwest::Client::new()
        .delete(format!(
            "{}/__sandbox/faults",
            engine
                .sandbox_base_url(ProviderId::Salesforce)
                .await
                .unwrap()
        ))
        .send()
        .await
        .unwrap();
    println!("under faults: {:?} {}", first.status, first.message);
    // A run that stopped on an outage continues from its checkpoint.
    let next = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    println!("next run: {:?} {}", next.status, next.message);
    for _ in 0..3 {
        let open = run_errors::open_for_mapping(pool, &mapping.id)
            .await
            .unwrap();
        if open.iter().all(|e| e.code == "ambiguous_match") {
            break;
        }
        engine.retry_failed(&mapping.id, &quiet).await.unwrap();
    }
    let open = run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap();
    assert!(
        open.iter().all(|e| e.code == "ambiguous_match"),
        "{:?}",
        open.iter()
            .map(|e| (&e.code, &e.message))
            .collect::<Vec<_>>()
    );

    assert_eq!(missing_and_doubled(engine, &before).await, (0, 0));
}

#[tokio::test]
async fn a_call_budget_or_a_headroom_floor_stops_the_run_cleanly() {
    let setup = common::sandbox_engine(5, 900).await;
    let engine = &setup.engine;
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let quiet = |_| {};

    let capped = engine
        .run_mapping(
            &mapping.id,
            RunOptions {
                call_budget: Some(4),
                ..Default::default()
            },
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(
        capped.status,
        switchyard_engine::store::kinds::RunStatus::Partial,
        "{}",
        capped.message
    );
    assert!(
        capped.message.contains("call budget of 4"),
        "{}",
        capped.message
    );
    assert!(capped.read > 0 && capped.read < 800, "{}", capped.message);
    let detail = engine.get_run(&capped.run_id).await.unwrap();
    assert_eq!(detail.summary.calls_made, i64::from(capped.calls));

    let floor = engine
        .run_mapping(
            &mapping.id,
            RunOptions {
                min_headroom_pct: Some(100.0),
                ..Default::default()
            },
            &quiet,
        )
        .await
        .unwrap();
    assert!(
        floor.message.contains("daily API calls left"),
        "{}",
        floor.message
    );
    assert_eq!(floor.read, 0);

    let rest = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let contacts = control(engine, ProviderId::Hubspot, "dump", None).await["contacts"]
        .as_array()
        .unwrap()
        .len() as u32;
    assert_eq!(
        capped.read + rest.read,
        contacts,
        "the next run continued where the budget stopped: {}",
        rest.message
    );
}

#[tokio::test]
async fn timed_out_writes_are_settled_without_duplicates() {
    let setup = common::sandbox_engine(29, 200).await;
    let engine = &setup.engine;
    engine
        .set_request_timeout(std::time::Duration::from_secs(1))
        .await
        .unwrap();
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let before = leads_by_email(&control(engine, ProviderId::Salesforce, "dump", None).await);
    // The next create batch is answered after 2 s: the client gives up at 1 s, but
    // Salesforce still creates the records — the outcome is unknown to Switchyard.
    control(engine, ProviderId::Salesforce, "faults", Some(json!({ "kind": "timeout", "ms": 2000, "path": "/services/data", "method": "POST", "next": 1 }))).await;
    let quiet = |_| {};
    let first = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let pool = engine.store().pool();
    let codes: Vec<String> = run_errors::for_run(pool, &first.run_id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert!(
        codes.iter().any(|c| c == "call_failed"),
        "the timed-out batch is stored: {codes:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    engine.retry_failed(&mapping.id, &quiet).await.unwrap();
    assert_eq!(missing_and_doubled(engine, &before).await, (0, 0));
}

#[tokio::test]
async fn a_cancelled_run_stops_between_pages_and_the_next_one_continues() {
    let setup = common::sandbox_engine(8, 900).await;
    let engine = &setup.engine;
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let run_id = std::sync::Mutex::new(String::new());
    let stop = |p: switchyard_engine::sync::Progress| match p {
        switchyard_engine::sync::Progress::Started { run_id: id } => *run_id.lock().unwrap() = id,
        switchyard_engine::sync::Progress::Page { .. } => {
            engine.cancel_run(&run_id.lock().unwrap())
        }
        _ => {}
    };
    let cancelled = engine
        .run_mapping(&mapping.id, RunOptions::default(), &stop)
        .await
        .unwrap();
    assert_eq!(
        cancelled.status,
        switchyard_engine::store::kinds::RunStatus::Cancelled,
        "{}",
        cancelled.message
    );
    assert!(
        cancelled.read > 0 && cancelled.read < 800,
        "stopped after the first page: {}",
        cancelled.message
    );
    let quiet = |_| {};
    let rest = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let contacts = control(engine, ProviderId::Hubspot, "dump", None).await["contacts"]
        .as_array()
        .unwrap()
        .len() as u32;
    assert_eq!(cancelled.read + rest.read, contacts, "{}", rest.message);
}

#[tokio::test]
async fn a_mapping_runs_once_at_a_time_and_a_dry_run_may_run_beside_it() {
    let setup = common::sandbox_engine(29, 200).await;
    let engine = &setup.engine;
    let mapping = engine
        .create_mapping(setup.contacts_to_leads().await)
        .await
        .unwrap();
    // Slow HubSpot pages keep the first run busy while the others are asked for.
    let base = engine.sandbox_base_url(ProviderId::Hubspot).await.unwrap();
    reqwest::Client::new()
        .put(format!("{base}/__sandbox/latency"))
        .json(&json!({ "fixed_ms": 400 }))
        .send()
        .await
        .unwrap();
    let first = {
        let engine = engine.clone();
        let id = mapping.id.clone();
        tokio::spawn(async move {
            engine
                .run_mapping(&id, RunOptions::default(), &|_| {})
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let second = engine
        .run_mapping(&mapping.id, RunOptions::default(), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(second.code, switchyard_engine::ErrorCode::Conflict);
    assert!(
        second.message.contains("is already running"),
        "{}",
        second.message
    );
    let dry = engine
        .run_mapping(
            &mapping.id,
            RunOptions {
                dry_run: true,
                ..Default::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_ne!(
        dry.status,
        switchyard_engine::store::kinds::RunStatus::Failed
    );
    let first = first.await.unwrap().unwrap();
    assert_ne!(
        first.status,
        switchyard_engine::store::kinds::RunStatus::Failed
    );
    // Once it ended, the mapping runs again.
    let again = engine
        .run_mapping(&mapping.id, RunOptions::default(), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        again.status,
        switchyard_engine::store::kinds::RunStatus::Succeeded
    );
}

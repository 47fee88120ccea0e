//! One-way sync of ~5,000 HubSpot contacts → Salesforce Leads on sandbox accounts: a dry run
//! writes nothing, the first run matches by e-mail and creates the rest, an unchanged
//! re-run writes nothing in at most two calls, and exactly the modified records are
//! written on the next. Writes go out in full batches, filled across pages.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::Value as Json;
use std::collections::HashMap;
use switchyard_engine::store::kinds::{ProviderId, RunStatus, SyncDirection};
use switchyard_engine::store::tables::{links, run_errors};
use switchyard_engine::sync::RunOptions;
use switchyard_engine::Engine;

async fn sandbox_json(engine: &Engine, provider: ProviderId, path: &str) -> Json {
    common::sandbox(engine, provider, path, None).await
}

async fn writes(engine: &Engine) -> u64 {
    let stats = sandbox_json(engine, ProviderId::Salesforce, "stats").await;
    stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] != "GET" && r["route"].as_str().unwrap().contains("/sobjects"))
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn one_way_runs_create_match_skip_and_update_exactly() {
    let setup = common::sandbox_engine(11, 5000).await;
    let engine = &setup.engine;
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let quiet = |_| {};

    // Dry run: the full plan, no write.
    let before = writes(engine).await;
    let plan = engine
        .run_mapping(
            &mapping.id,
            RunOptions {
                dry_run: true,
                ..Default::default()
            },
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(writes(engine).await, before, "a dry run writes nothing");
    assert!(plan.read >= 4900, "{}", plan.message);
    assert_eq!(
        plan.created + plan.updated + plan.skipped + plan.failed,
        plan.read,
        "{}",
        plan.message
    );
    assert!(
        plan.created > 0 && plan.updated + plan.skipped > 0,
        "some match, some are new: {}",
        plan.message
    );
    assert!(plan.plan.iter().any(|p| !p.changes.is_empty()));

    // First run: the same numbers, really written, in full batches filled across pages:
    // ⌈created ÷ 200⌉ + ⌈updated ÷ 200⌉ write calls, not a part-filled pair per page.
    let first = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(
        writes(engine).await - before,
        u64::from(first.created.div_ceil(200) + first.updated.div_ceil(200)),
        "{}",
        first.message
    );
    assert_eq!(
        (first.created, first.updated, first.failed),
        (plan.created, plan.updated, plan.failed),
        "{}",
        first.message
    );
    let pool = engine.store().pool();
    assert_eq!(
        links::count(pool, &mapping.id).await.unwrap() as u32,
        first.read - first.failed
    );
    assert_eq!(
        run_errors::for_run(pool, &first.run_id)
            .await
            .unwrap()
            .len() as u32,
        first.failed
    );
    // Every HubSpot contact with an e-mail is exactly one Lead now.
    let hs = sandbox_json(engine, ProviderId::Hubspot, "dump").await;
    let sf = sandbox_json(engine, ProviderId::Salesforce, "dump").await;
    let mut leads_by_email: HashMap<String, usize> = HashMap::new();
    for lead in sf["Lead"].as_array().unwrap_or(&Vec::new()) {
        if let Some(e) = lead["Email"].as_str() {
            *leads_by_email.entry(e.to_lowercase()).or_default() += 1;
        }
    }
    let contacts = hs["contacts"].as_array().unwrap();
    let emails: Vec<String> = contacts
        .iter()
        .filter_map(|c| c["properties"]["email"].as_str().map(str::to_lowercase))
        .collect();
    assert!(!emails.is_empty());
    let missing = emails
        .iter()
        .filter(|e| !leads_by_email.contains_key(*e))
        .count();
    assert!(
        missing as u32 <= first.failed,
        "{missing} contacts have no Lead"
    );

    // Unchanged re-run: no write, at most two calls.
    let before = writes(engine).await;
    let again = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated), (0, 0), "{}", again.message);
    assert_eq!(writes(engine).await, before);
    assert!(again.calls <= 2, "{} calls", again.calls);
    assert_eq!(again.status, RunStatus::Succeeded);

    // 50 linked contacts edited: exactly those are written.
    let ids: Vec<String> = contacts
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
    let linked: Vec<String> = links::by_source_ids(pool, &mapping.id, &ids)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.source_id)
        .collect();
    let edited: Vec<&Json> = contacts
        .iter()
        .filter(|c| {
            c["id"]
                .as_str()
                .is_some_and(|id| linked.iter().any(|l| l == id))
        })
        .take(50)
        .collect();
    assert_eq!(edited.len(), 50);
    for c in &edited {
        let body = serde_json::json!({ "object": "contacts", "id": c["id"], "fields": { "jobtitle": "Head of Ünïcode" } });
        let base = engine.sandbox_base_url(ProviderId::Hubspot).await.unwrap();
        reqwest::Client::new()
            .post(format!("{base}/__sandbox/mutate"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }
    let third = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(
        (third.read, third.updated, third.created),
        (50, 50, 0),
        "{}",
        third.message
    );

    // Retry failed: fix one ambiguous match by deleting one of the two Leads, retry.
    let open = run_errors::open_for_mapping(pool, &mapping.id)
        .await
        .unwrap();
    assert_eq!(open.len() as u32, first.failed + third.failed);
    let ambiguous = open.iter().find(|e| e.code == "ambiguous_match").unwrap();
    let email = ambiguous
        .message
        .split_whitespace()
        .find(|w| w.contains('@'))
        .unwrap()
        .trim_end_matches(';')
        .to_owned();
    let sf = sandbox_json(engine, ProviderId::Salesforce, "dump").await;
    let twin = sf["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            l["Email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email))
        })
        .unwrap();
    let base = engine
        .sandbox_base_url(ProviderId::Salesforce)
        .await
        .unwrap();
    let body = serde_json::json!({ "object": "Lead", "id": twin["Id"], "delete": true });
    reqwest::Client::new()
        .post(format!("{base}/__sandbox/mutate"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let retried = engine.retry_failed(&mapping.id, &quiet).await.unwrap();
    assert_eq!(retried.read as usize, open.len(), "{}", retried.message);
    assert_eq!(
        retried.failed as usize,
        open.len() - 1,
        "{}",
        retried.message
    );
    assert_eq!(
        run_errors::open_for_mapping(pool, &mapping.id)
            .await
            .unwrap()
            .len(),
        open.len() - 1
    );
}

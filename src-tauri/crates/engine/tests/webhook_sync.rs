//! Webhooks that start syncs, end to end over loopback with a real database: a record
//! changed in the sandbox comes back as a webhook the sandbox signs, the receiver checks it
//! and the debounced sync carries the change to the target; many events within the delay
//! make one run, events during a run exactly one follow-up; events stored before a
//! restart are synced after it.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "webhooks/support.rs"]
mod support;

use serde_json::{json, Value as Json};
use std::time::Duration;
use support::{
    enable, finished, hubspot_event, hubspot_v3, now_ms, post, verified_events, wait_until,
    webhook_runs,
};
use switchyard_engine::store::kinds::{ProviderId, RunStatus, SyncDirection};
use switchyard_engine::store::tables::{connections, links, webhook_events};
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::sync::RunOptions;
use switchyard_engine::webhooks::WebhookSettings;
use switchyard_engine::{Engine, EngineConfig};
use switchyard_sandbox::{SandboxConfig, SeedSpec};

fn lead_title(sf: &Json, id: &str) -> Option<String> {
    sf["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["Id"] == id)
        .and_then(|l| l["Title"].as_str().map(str::to_owned))
}

/// The sandbox HubSpot portal id (the connection's account).
async fn portal(setup: &common::Setup) -> String {
    connections::get(setup.engine.store().pool(), &setup.id(ProviderId::Hubspot))
        .await
        .unwrap()
        .account_id
        .unwrap()
}

/// A one-way HubSpot contacts → Salesforce Leads mapping, run once by hand.
async fn synced_mapping(setup: &common::Setup) -> String {
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = setup.engine.create_mapping(draft).await.unwrap();
    let first = setup
        .engine
        .run_mapping(&mapping.id, RunOptions::default(), &|_| {})
        .await
        .unwrap();
    assert!(first.created + first.updated > 0, "{}", first.message);
    mapping.id
}

#[tokio::test]
async fn a_sandbox_change_comes_back_as_a_signed_webhook_and_syncs() {
    let setup = common::sandbox_engine(21, 40).await;
    let engine = &setup.engine;
    let mapping = synced_mapping(&setup).await;
    let pool = engine.store().pool();
    let pair = links::search(pool, &mapping, "", 1)
        .await
        .unwrap()
        .remove(0);

    // Turning the receiver on subscribes the running sandbox to it.
    enable(engine, 300).await;
    let hooks = common::sandbox(engine, ProviderId::Hubspot, "webhooks", None).await;
    assert!(
        hooks["subscription"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/webhooks/hubspot"),
        "{hooks}"
    );
    let qb = common::sandbox(engine, ProviderId::Quickbooks, "webhooks", None).await;
    assert!(
        qb["subscription"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/webhooks/quickbooks"),
        "{qb}"
    );
    let start = now_ms();

    // Another HubSpot user edits the contact.
    common::sandbox(
        engine,
        ProviderId::Hubspot,
        "mutate",
        Some(json!({ "object": "contacts", "id": pair.source_id, "fields": { "jobtitle": "Webhook Wrangler" } })),
    )
    .await;

    wait_until(20, "a webhook-triggered run to finish", || async {
        webhook_runs(engine, &mapping).await.iter().any(finished)
    })
    .await;
    let runs = webhook_runs(engine, &mapping).await;
    assert_eq!(runs.len(), 1, "one change, one run");
    assert_eq!(
        runs[0].status,
        RunStatus::Succeeded,
        "{:?}",
        runs[0].message
    );
    assert_eq!(runs[0].records_updated, 1, "{:?}", runs[0].message);
    let sf = common::sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    assert_eq!(
        lead_title(&sf, &pair.target_id).as_deref(),
        Some("Webhook Wrangler")
    );

    // The delivery was signed by the simulator, verified, and processed by that run.
    let events = verified_events(engine).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event.event_type, "contact.propertyChange");
    assert_eq!(event.record_id.as_deref(), Some(pair.source_id.as_str()));
    assert_eq!(
        event.connection_id.as_deref(),
        Some(setup.id(ProviderId::Hubspot).as_str())
    );
    assert_eq!(event.run_id.as_deref(), Some(runs[0].id.as_str()));
    let stats = engine.webhook_stats(start).await.unwrap();
    assert_eq!((stats.received, stats.rejected, stats.pending), (1, 0, 0));
    let sent = common::sandbox(engine, ProviderId::Hubspot, "webhooks", None).await;
    assert_eq!(sent["counters"]["delivered"], 1, "{sent}");
}

#[tokio::test]
async fn many_events_make_one_run_and_a_busy_mapping_one_follow_up() {
    let setup = common::sandbox_engine(22, 40).await;
    let engine = &setup.engine;
    let mapping = synced_mapping(&setup).await;
    let secret = "hs-test-secret";
    engine
        .set_webhook_secret(ProviderId::Hubspot, Some(secret.into()))
        .await
        .unwrap();
    let view = enable(engine, 1500).await;
    let url = view.endpoints[0].url.clone();
    let portal = portal(&setup).await;
    let contact = links::search(engine.store().pool(), &mapping, "", 1)
        .await
        .unwrap()
        .remove(0)
        .source_id;
    let send = |id: u64| {
        let body = json!([hubspot_event(
            id,
            &portal,
            &contact,
            "contact.propertyChange"
        )])
        .to_string();
        let headers = hubspot_v3(secret, &url, &body, now_ms());
        let url = url.clone();
        async move { post(&url, &headers, body).await.0 }
    };

    // Ten deliveries within the delay: one run, and all ten events processed by it.
    for id in 1..=10 {
        assert_eq!(send(id).await, 200);
    }
    wait_until(20, "the debounced run", || async {
        webhook_runs(engine, &mapping).await.iter().any(finished)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1800)).await;
    let runs = webhook_runs(engine, &mapping).await;
    assert_eq!(runs.len(), 1, "ten events within 1.5 s make one run");
    let events = verified_events(engine).await;
    assert_eq!(events.len(), 10);
    assert!(events
        .iter()
        .all(|e| e.run_id.as_deref() == Some(runs[0].id.as_str())));

    // A slow run: events arriving while it runs wait for exactly one follow-up.
    let slow = json!({ "fixed_ms": 400, "jitter_ms": 0 });
    for provider in [ProviderId::Hubspot, ProviderId::Salesforce] {
        let base = engine.sandbox_base_url(provider).await.unwrap();
        let status = reqwest::Client::new()
            .put(format!("{base}/__sandbox/latency"))
            .json(&slow)
            .send()
            .await
            .unwrap()
            .status();
        assert!(status.is_success());
    }
    assert_eq!(send(11).await, 200);
    wait_until(20, "the second run to start", || async {
        webhook_runs(engine, &mapping).await.len() == 2
    })
    .await;
    assert!(
        !finished(&webhook_runs(engine, &mapping).await[1]),
        "still running"
    );
    for id in 12..=14 {
        assert_eq!(send(id).await, 200);
    }
    assert!(
        !finished(&webhook_runs(engine, &mapping).await[1]),
        "the three events arrived during the run"
    );
    wait_until(40, "every event processed", || async {
        verified_events(engine)
            .await
            .iter()
            .all(|e| e.processed_at.is_some())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let runs = webhook_runs(engine, &mapping).await;
    assert_eq!(
        runs.len(),
        3,
        "one run for event 11, exactly one follow-up for 12–14"
    );
    assert!(runs.iter().all(finished));
    assert!(
        runs[2].started_at >= runs[1].finished_at.unwrap(),
        "the follow-up starts after the busy run ends"
    );
    let events = verified_events(engine).await;
    let run_of = |n: usize| events[n].run_id.clone().unwrap();
    assert_eq!(run_of(10), runs[1].id);
    assert!((11..14).all(|n| run_of(n) == runs[2].id));
}

#[tokio::test]
async fn events_stored_before_a_restart_are_synced_after_it() {
    let setup = common::sandbox_engine(23, 30).await;
    let mapping = synced_mapping(&setup).await;
    let engine = &setup.engine;
    let secret = "hs-restart-secret";
    engine
        .set_webhook_secret(ProviderId::Hubspot, Some(secret.into()))
        .await
        .unwrap();
    // A long delay: the app is closed before the sync would start.
    let view = enable(engine, 600_000).await;
    let portal = portal(&setup).await;
    let url = &view.endpoints[0].url;
    let body = json!([hubspot_event(77, &portal, "1", "contact.creation")]).to_string();
    assert_eq!(
        post(url, &hubspot_v3(secret, url, &body, now_ms()), body.clone())
            .await
            .0,
        200
    );
    assert_eq!(
        webhook_events::pending(engine.store().pool(), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    engine.shutdown().await;

    let reopened = Engine::open(EngineConfig {
        data_dir: setup.dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    reopened.configure_sandbox(SandboxConfig {
        seed: SeedSpec {
            seed: 23,
            records: 30,
        },
        ..Default::default()
    });
    reopened.resume_sandbox_accounts().await.unwrap();
    // The user shortens the delay; the receiver restarts and the stored event is synced.
    reopened
        .set_webhook_settings(WebhookSettings {
            enabled: true,
            port: 0,
            debounce_ms: 200,
            ..Default::default()
        })
        .await
        .unwrap();
    wait_until(20, "the stored event's run", || async {
        webhook_runs(&reopened, &mapping).await.iter().any(finished)
    })
    .await;
    let runs = webhook_runs(&reopened, &mapping).await;
    assert_eq!(runs.len(), 1);
    let events = verified_events(&reopened).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].run_id.as_deref(), Some(runs[0].id.as_str()));
    reopened.shutdown().await;
}

#[tokio::test]
async fn connecting_sandbox_accounts_while_listening_subscribes_quickbooks_too() {
    let setup = common::sandbox_engine(24, 20).await;
    let engine = &setup.engine;
    enable(engine, 60_000).await;
    // Connecting again (new tokens, the connection's old secrets wiped) subscribes afresh.
    engine.connect_sandbox_accounts().await.unwrap();
    let start = now_ms();
    let dump = common::sandbox(engine, ProviderId::Quickbooks, "dump", None).await;
    let customer = dump["Customer"][0]["Id"].as_str().unwrap().to_owned();
    common::sandbox(
        engine,
        ProviderId::Quickbooks,
        "mutate",
        Some(json!({ "object": "Customer", "id": customer, "fields": { "CompanyName": "Hooked Ltd" } })),
    )
    .await;
    wait_until(10, "the QuickBooks webhook", || async {
        !verified_events(engine).await.is_empty()
    })
    .await;
    let event = verified_events(engine).await.remove(0);
    assert_eq!(event.provider, ProviderId::Quickbooks);
    assert_eq!(event.event_type, "qbo.customer.updated.v1");
    assert_eq!(event.object.as_deref(), Some("Customer"));
    assert_eq!(event.record_id.as_deref(), Some(customer.as_str()));
    assert_eq!(
        event.connection_id.as_deref(),
        Some(setup.id(ProviderId::Quickbooks).as_str())
    );
    assert_eq!(
        engine.webhook_stats(start).await.unwrap().rejected,
        0,
        "signed with the token Switchyard holds"
    );
}

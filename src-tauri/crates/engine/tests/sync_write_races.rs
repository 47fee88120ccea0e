//! Another person saves a target record between the moment a run decides its update and
//! the moment the update is written (writes wait for full batches). Their edit must
//! survive: only fields nobody else changed are written, and a field both sides changed
//! to different values is queued as a conflict. The edit is made through the sandbox's
//! `mutate` (as another user would) from the run's first progress event, which comes
//! after the page was decided and before its part-filled batch is sent.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::{json, Value as Json};
use std::sync::atomic::{AtomicBool, Ordering};
use switchyard_engine::mapping::model::{FieldRule, MappingDraft, MatchKind, MatchRule};
use switchyard_engine::store::kinds::{ConflictPolicy, DeletePolicy, ProviderId, SyncDirection};
use switchyard_engine::store::tables::run_errors;
use switchyard_engine::sync::{Progress, RunOptions, RunReport};
use switchyard_engine::Engine;

/// Runs the mapping once; `edit` is posted to `provider`'s `mutate` after the first page.
async fn run_with_edit(
    engine: &Engine,
    mapping_id: &str,
    provider: ProviderId,
    edit: Json,
) -> RunReport {
    let handle = tokio::runtime::Handle::current();
    let fired = AtomicBool::new(false);
    let hook = |p: Progress| {
        if matches!(p, Progress::Page { .. }) && !fired.swap(true, Ordering::SeqCst) {
            let answer = tokio::task::block_in_place(|| {
                handle.block_on(common::sandbox(
                    engine,
                    provider,
                    "mutate",
                    Some(edit.clone()),
                ))
            });
            assert!(!answer.is_null(), "the edit was accepted");
        }
    };
    let report = engine
        .run_mapping(mapping_id, RunOptions::default(), &hook)
        .await
        .unwrap();
    assert!(fired.load(Ordering::SeqCst), "the edit landed mid-run");
    report
}

fn id_of(created: &Json, key: &str) -> String {
    let v = created
        .get(key)
        .or_else(|| created.get("Customer").and_then(|c| c.get(key)))
        .or_else(|| created.get("id"))
        .unwrap_or_else(|| panic!("no {key} in {created}"));
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// QuickBooks batch calls answered so far.
async fn batches(engine: &Engine) -> u64 {
    let stats = common::sandbox(engine, ProviderId::Quickbooks, "stats", None).await;
    stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["route"].as_str().is_some_and(|s| s.ends_with("/batch")))
        .map(|r| r["count"].as_u64().unwrap_or(0))
        .sum()
}

/// The open conflicts of a mapping: (record id, field).
async fn conflicts(engine: &Engine, mapping_id: &str) -> Vec<(String, String)> {
    run_errors::open_for_mapping(engine.store().pool(), mapping_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.code == "conflict")
        .map(|e| {
            let payload: Json = serde_json::from_str(e.payload.as_deref().unwrap()).unwrap();
            (
                e.record_id.unwrap_or_default(),
                payload["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quickbooks_5010_keeps_the_other_edit_and_queues_the_collision() {
    let setup = common::sandbox_engine(23, 20).await;
    let engine = &setup.engine;
    let hs = common::sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let qb = common::sandbox(engine, ProviderId::Quickbooks, "dump", None).await;
    let company = hs["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            let p = &c["properties"];
            [&p["name"], &p["city"], &p["domain"]]
                .iter()
                .all(|v| v.as_str().is_some_and(|s| !s.is_empty()))
        })
        .unwrap();
    let (name, city, domain) = (
        company["properties"]["name"].as_str().unwrap(),
        company["properties"]["city"].as_str().unwrap(),
        company["properties"]["domain"].as_str().unwrap(),
    );
    // The customer the company matches by name (the seed's, or a new one), differing in
    // both mapped fields.
    let existing = qb["Customer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["DisplayName"] == name)
        .map(|c| id_of(c, "Id"));
    let mut change = json!({ "object": "Customer", "fields": {
        "DisplayName": name, "Notes": "old notes", "BillAddr": { "City": "Old Town" } } });
    if let Some(id) = &existing {
        change["id"] = json!(id);
    }
    let saved = common::sandbox(engine, ProviderId::Quickbooks, "mutate", Some(change)).await;
    let customer_id = existing.unwrap_or_else(|| id_of(&saved, "Id"));

    let draft = MappingDraft {
        name: "Companies → Customers".into(),
        source_connection_id: setup.id(ProviderId::Hubspot),
        source_object: "companies".into(),
        target_connection_id: setup.id(ProviderId::Quickbooks),
        target_object: "Customer".into(),
        direction: SyncDirection::OneWay,
        match_rule: MatchRule {
            kind: MatchKind::Field,
            source_field: "name".into(),
            target_field: "DisplayName".into(),
        },
        conflict_policy: ConflictPolicy::SourceWins,
        delete_policy: DeletePolicy::Ignore,
        fields: vec![
            FieldRule::copy("name", "DisplayName"),
            FieldRule::copy("city", "BillAddr.City"),
            FieldRule::copy("domain", "Notes"),
        ],
    };
    let mapping = engine.create_mapping(draft).await.unwrap();
    let batches_before = batches(engine).await;

    // Someone else saves the customer after the run matched it (SyncToken read then):
    // they change Notes (which we change too) and the phone (which we never write).
    let report = run_with_edit(
        engine,
        &mapping.id,
        ProviderId::Quickbooks,
        json!({ "object": "Customer", "id": customer_id, "fields": {
            "Notes": "their notes", "PrimaryPhone": { "FreeFormNumber": "555-0100" } } }),
    )
    .await;

    let qb = common::sandbox(engine, ProviderId::Quickbooks, "dump", None).await;
    let customer = qb["Customer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| id_of(c, "Id") == customer_id)
        .unwrap();
    assert_eq!(
        customer["Notes"], "their notes",
        "their edit survives: {customer}"
    );
    assert_eq!(customer["PrimaryPhone"]["FreeFormNumber"], "555-0100");
    assert_eq!(
        customer["BillAddr"]["City"], city,
        "our other field is written"
    );
    assert_ne!(customer["Notes"], domain);
    let company_id = company["id"].as_str().unwrap();
    assert_eq!(
        conflicts(engine, &mapping.id).await,
        [(company_id.to_owned(), "Notes".to_owned())],
        "{}",
        report.message
    );
    assert!(report.conflicts >= 1, "{}", report.message);

    // It was a real 5010: besides the create batch, the update batch went twice, with
    // one re-read between (read, look-up, create, update, re-read, update: 6 calls).
    assert_eq!(
        batches(engine).await - batches_before,
        3,
        "{}",
        report.message
    );
    assert_eq!(report.calls, 6, "{}", report.message);

    // A second run sends nothing again for the colliding field: the conflict waits.
    let again = engine
        .run_mapping(&mapping.id, RunOptions::default(), &|_| {})
        .await
        .unwrap();
    let qb = common::sandbox(engine, ProviderId::Quickbooks, "dump", None).await;
    let customer = qb["Customer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| id_of(c, "Id") == customer_id)
        .unwrap();
    assert_eq!(customer["Notes"], "their notes", "{}", again.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_salesforce_edit_after_the_match_is_kept_and_the_collision_queued() {
    let setup = common::sandbox_engine(29, 40).await;
    let engine = &setup.engine;
    let hs = common::sandbox(engine, ProviderId::Hubspot, "dump", None).await;
    let sf = common::sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    let emails: Vec<String> = sf["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["Email"].as_str().map(str::to_lowercase))
        .collect();
    let contact = hs["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            let p = &c["properties"];
            ["email", "firstname", "lastname", "company", "jobtitle"]
                .iter()
                .all(|k| p[*k].as_str().is_some_and(|s| !s.is_empty()))
                && !emails.contains(&p["email"].as_str().unwrap().to_lowercase())
        })
        .unwrap();
    let p = &contact["properties"];
    let created = common::sandbox(
        engine,
        ProviderId::Salesforce,
        "mutate",
        Some(json!({ "object": "Lead", "fields": {
            "Email": p["email"], "LastName": p["lastname"], "Company": p["company"],
            "FirstName": "Oldfirst", "Title": "Old title" } })),
    )
    .await;
    let lead_id = id_of(&created, "Id");

    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    let mapping = engine.create_mapping(draft).await.unwrap();
    let report = run_with_edit(
        engine,
        &mapping.id,
        ProviderId::Salesforce,
        json!({ "object": "Lead", "id": lead_id, "fields": {
            "Title": "Their title", "LeadSource": "Partner" } }),
    )
    .await;

    let sf = common::sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    let lead = sf["Lead"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["Id"] == lead_id.as_str())
        .unwrap();
    assert_eq!(lead["Title"], "Their title", "their edit survives: {lead}");
    assert_eq!(lead["LeadSource"], "Partner");
    assert_eq!(
        lead["FirstName"], p["firstname"],
        "our other field is written"
    );
    assert_eq!(
        conflicts(engine, &mapping.id).await,
        [(
            contact["id"].as_str().unwrap().to_owned(),
            "Title".to_owned()
        )],
        "{}",
        report.message
    );
    assert!(report.conflicts >= 1, "{}", report.message);
}

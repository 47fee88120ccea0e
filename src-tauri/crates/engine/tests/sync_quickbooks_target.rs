//! Writing to QuickBooks: HubSpot companies → QuickBooks customers, matched by name.
//! Updates name the customer's current SyncToken; when someone saved the customer in
//! between (a stale SyncToken, 5010), the customer is read again, checked three ways
//! against what the update was decided on (`sync::recheck`), and what nobody else
//! changed is sent once more with the fresh token.

#![allow(clippy::unwrap_used)]

mod common;

use common::sandbox;
use serde_json::json;
use switchyard_engine::mapping::model::{FieldRule, MappingDraft, MatchKind, MatchRule};
use switchyard_engine::store::kinds::{ConflictPolicy, DeletePolicy, ProviderId, SyncDirection};
use switchyard_engine::sync::RunOptions;

#[tokio::test]
async fn stale_sync_tokens_are_refreshed_and_the_update_lands() {
    let setup = common::sandbox_engine(17, 60).await;
    let engine = &setup.engine;
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
            FieldRule::copy("name", "CompanyName"),
            FieldRule::copy("city", "BillAddr.City"),
        ],
    };
    assert!(engine.validate_mapping(&draft).await.unwrap().is_empty());
    let mapping = engine.create_mapping(draft).await.unwrap();
    let quiet = |_| {};
    let first = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(first.created + first.updated > 0, "{}", first.message);

    let companies = sandbox(engine, ProviderId::Hubspot, "dump", None).await["companies"]
        .as_array()
        .unwrap()
        .clone();
    let edited: Vec<_> = companies.iter().take(3).collect();
    for c in &edited {
        sandbox(
            engine,
            ProviderId::Hubspot,
            "mutate",
            Some(json!({ "object": "companies", "id": c["id"], "fields": { "city": "Zürich" } })),
        )
        .await;
    }
    sandbox(
        engine,
        ProviderId::Quickbooks,
        "faults",
        Some(json!({ "kind": "stale_sync_token", "next": 1 })),
    )
    .await;
    let run = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let left = sandbox(engine, ProviderId::Quickbooks, "faults", None).await;
    assert_eq!(
        left.as_array()
            .map(Vec::len)
            .or_else(|| left["rules"].as_array().map(Vec::len)),
        Some(0),
        "the stale SyncToken fault fired: {left}"
    );
    assert_eq!((run.updated, run.failed), (3, 0), "{}", run.message);
    let qb = sandbox(engine, ProviderId::Quickbooks, "dump", None).await;
    let customers = qb["Customer"]
        .as_array()
        .or_else(|| qb["customers"].as_array())
        .unwrap();
    for c in &edited {
        let name = c["properties"]["name"].as_str().unwrap();
        let customer = customers
            .iter()
            .find(|x| x["DisplayName"] == name)
            .unwrap_or_else(|| panic!("{name} in QuickBooks"));
        assert_eq!(customer["BillAddr"]["City"], "Zürich", "{customer}");
    }
}

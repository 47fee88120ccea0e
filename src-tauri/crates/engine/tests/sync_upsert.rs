//! Upserts by external id: the suggested QuickBooks Customers → Salesforce Accounts
//! mapping matches by the QuickBooks Id kept in `ExtId__c`, so its unlinked customers go
//! out as sObject Collections upserts on that field (`PATCH
//! /composite/sobjects/Account/ExtId__c`) with no look-up query: an Account that already
//! holds a customer's id is updated, never doubled; an edit made between runs is carried
//! by id; a target linked by hand to another customer is reported, not linked twice.

#![allow(clippy::unwrap_used)]

mod common;

use common::sandbox;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use switchyard_engine::store::kinds::{ProviderId, SyncDirection};
use switchyard_engine::store::tables::{links, run_errors};
use switchyard_engine::sync::RunOptions;

/// Salesforce requests by (method, route), from the sandbox's statistics.
async fn salesforce_calls(engine: &switchyard_engine::Engine) -> HashMap<(String, String), u64> {
    let stats = sandbox(engine, ProviderId::Salesforce, "stats", None).await;
    stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                (
                    r["method"].as_str().unwrap().to_owned(),
                    r["route"].as_str().unwrap().to_owned(),
                ),
                r["count"].as_u64().unwrap(),
            )
        })
        .fold(HashMap::new(), |mut m, (k, n)| {
            *m.entry(k).or_default() += n;
            m
        })
}

fn count(calls: &HashMap<(String, String), u64>, method: &str, route_part: &str) -> u64 {
    calls
        .iter()
        .filter(|((m, r), _)| m == method && r.contains(route_part))
        .map(|(_, n)| n)
        .sum()
}

fn accounts_by_ext_id(sf: &Json) -> HashMap<String, Vec<Json>> {
    let mut by: HashMap<String, Vec<Json>> = HashMap::new();
    for a in sf["Account"].as_array().cloned().unwrap_or_default() {
        if let Some(k) = a["ExtId__c"].as_str() {
            by.entry(k.to_owned()).or_default().push(a);
        }
    }
    by
}

/// The QuickBooks customers a run reads (active ones), as the sandbox holds them.
async fn active_customers(engine: &switchyard_engine::Engine) -> Vec<Json> {
    let qb = sandbox(engine, ProviderId::Quickbooks, "dump", None).await;
    qb["Customer"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["Active"] != false)
        .cloned()
        .collect()
}

/// The suggested QuickBooks Customers → Salesforce Accounts mapping, one way; its id.
async fn customers_to_accounts(setup: &common::Setup) -> String {
    let mut draft = setup
        .engine
        .suggest_mapping(
            &setup.id(ProviderId::Quickbooks),
            "Customer",
            &setup.id(ProviderId::Salesforce),
            "Account",
        )
        .await
        .unwrap()
        .draft;
    draft.direction = SyncDirection::OneWay;
    assert_eq!(draft.match_rule.target_field, "ExtId__c");
    setup.engine.create_mapping(draft).await.unwrap().id
}

/// An Account made by "someone else" holding `ext_id`; the sandbox's answer.
async fn make_account(engine: &switchyard_engine::Engine, name: &str, ext_id: &str) -> Json {
    let made = sandbox(
        engine,
        ProviderId::Salesforce,
        "mutate",
        Some(json!({ "object": "Account", "fields": { "Name": name, "ExtId__c": ext_id } })),
    )
    .await;
    assert!(made.is_object(), "{made}");
    made
}

#[tokio::test]
async fn external_id_mappings_write_by_upsert_without_look_ups() {
    let setup = common::sandbox_engine(23, 450).await;
    let engine = &setup.engine;
    let customers = active_customers(engine).await;
    assert!(customers.len() > 400, "{} customers", customers.len());
    let first = customers[0]["Id"].as_str().unwrap().to_owned();
    // Someone made an Account for the first customer already, by its QuickBooks id.
    make_account(engine, "Made by hand", &first).await;
    let mapping = customers_to_accounts(&setup).await;
    let quiet = |_| {};

    let before = salesforce_calls(engine).await;
    let run = engine
        .run_mapping(&mapping, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let after = salesforce_calls(engine).await;
    let delta =
        |method: &str, part: &str| count(&after, method, part) - count(&before, method, part);
    let written = u64::from(run.created + run.updated);
    assert!(
        written >= customers.len() as u64 - u64::from(run.failed),
        "{}",
        run.message
    );
    assert_eq!(
        delta("GET", "/query"),
        0,
        "no look-up query: {}",
        run.message
    );
    assert_eq!(
        delta("PATCH", "/composite/sobjects/{obj}/{field}"),
        written.div_ceil(200),
        "one upsert collection per 200 records: {}",
        run.message
    );
    assert_eq!(delta("POST", "/composite/sobjects"), 0, "no plain creates");
    assert!(
        run.updated >= 1,
        "the hand-made Account was updated: {}",
        run.message
    );

    // Every customer is exactly one Account, the hand-made one included.
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    let by = accounts_by_ext_id(&sf);
    for c in &customers {
        let id = c["Id"].as_str().unwrap();
        let found = by.get(id).map(Vec::len).unwrap_or(0);
        assert_eq!(found, 1, "customer {id} has {found} Accounts");
    }
    assert_eq!(by[&first][0]["Name"], customers[0]["DisplayName"]);
    let pool = engine.store().pool();
    assert_eq!(links::count(pool, &mapping).await.unwrap(), written as i64);

    // An edit between runs goes by id to the linked Account: no upsert, no look-up.
    let second = customers[1]["Id"].as_str().unwrap().to_owned();
    let edited = sandbox(
        engine,
        ProviderId::Quickbooks,
        "mutate",
        Some(json!({ "object": "Customer", "id": second, "fields": { "DisplayName": "Renamed Ltd" } })),
    )
    .await;
    assert!(edited.is_object(), "{edited}");
    let before = salesforce_calls(engine).await;
    let again = engine
        .run_mapping(&mapping, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let after = salesforce_calls(engine).await;
    let delta =
        |method: &str, part: &str| count(&after, method, part) - count(&before, method, part);
    assert_eq!((again.created, again.updated), (0, 1), "{}", again.message);
    assert_eq!(delta("PATCH", "/composite/sobjects/{obj}/{field}"), 0);
    assert_eq!(delta("GET", "/query"), 0);
    let sf = sandbox(engine, ProviderId::Salesforce, "dump", None).await;
    let by = accounts_by_ext_id(&sf);
    assert_eq!(by[&second].len(), 1);
    assert_eq!(by[&second][0]["Name"], "Renamed Ltd");
}

#[tokio::test]
async fn an_upsert_onto_a_record_linked_to_another_source_is_reported_not_linked_twice() {
    let setup = common::sandbox_engine(29, 30).await;
    let engine = &setup.engine;
    let mapping = customers_to_accounts(&setup).await;
    let ids: Vec<String> = active_customers(engine)
        .await
        .iter()
        .map(|c| c["Id"].as_str().unwrap().to_owned())
        .collect();
    let (x, y) = (ids[0].clone(), ids[1].clone());
    // An Account holding x's id, linked by hand to y.
    let made = make_account(engine, "Shared", &x).await;
    let target = made["id"].as_str().unwrap().to_owned();
    engine.pin_link(&mapping, &y, &target).await.unwrap();

    let run = engine
        .run_mapping(&mapping, RunOptions::default(), &|_| {})
        .await
        .unwrap();
    let pool = engine.store().pool();
    let errors = run_errors::for_run(pool, &run.run_id).await.unwrap();
    let flagged: Vec<_> = errors
        .iter()
        .filter(|e| e.code == "target_already_linked")
        .collect();
    assert_eq!(flagged.len(), 1, "{errors:?}");
    assert_eq!(flagged[0].record_id.as_deref(), Some(x.as_str()));
    let linked = links::by_target_ids(pool, &mapping, std::slice::from_ref(&target))
        .await
        .unwrap();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].source_id, y, "still y's, not linked to x as well");
}

//! QuickBooks change data reaches 30 days back. A mapping of invoices whose last delete
//! check is older than that must not drop deletes silently: the run compares every live
//! invoice with the identity map, carries the delete, says so in its message and raises
//! an alert for the connection.

#![allow(clippy::unwrap_used)]

mod common;

use common::sandbox;
use serde_json::{json, Value as Json};
use switchyard_engine::mapping::model::{FieldRule, MappingDraft, MatchKind, MatchRule};
use switchyard_engine::store::kinds::{
    ConflictPolicy, DeletePolicy, ProviderId, Side, SyncDirection,
};
use switchyard_engine::store::tables::{alerts, cursors, links};
use switchyard_engine::sync::RunOptions;

#[tokio::test]
async fn a_delete_check_older_than_cdc_reaches_compares_everything() {
    let setup = common::sandbox_engine(23, 40).await;
    let engine = &setup.engine;
    let draft = MappingDraft {
        name: "Invoices → Accounts".into(),
        source_connection_id: setup.id(ProviderId::Quickbooks),
        source_object: "Invoice".into(),
        target_connection_id: setup.id(ProviderId::Salesforce),
        target_object: "Account".into(),
        direction: SyncDirection::OneWay,
        match_rule: MatchRule {
            kind: MatchKind::Field,
            source_field: "Id".into(),
            target_field: "ExtId__c".into(),
        },
        conflict_policy: ConflictPolicy::SourceWins,
        delete_policy: DeletePolicy::Propagate,
        fields: vec![
            FieldRule::copy("DocNumber", "Name"),
            FieldRule::copy("Id", "ExtId__c"),
        ],
    };
    let problems = engine.validate_mapping(&draft).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let mapping = engine.create_mapping(draft).await.unwrap();
    let quiet = |_| {};
    let first = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let pool = engine.store().pool();
    let linked = links::count(pool, &mapping.id).await.unwrap();
    assert!(linked > 10, "{}", first.message);

    // The last delete check was 40 days ago; since then one linked invoice was deleted.
    let stored: Json = serde_json::from_str(
        &cursors::get(pool, &mapping.id, Side::Source)
            .await
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let mut old = stored.clone();
    old["deletes_since"] = json!((chrono::Utc::now() - chrono::Duration::days(40)).to_rfc3339());
    cursors::set(pool, &mapping.id, Side::Source, &old.to_string())
        .await
        .unwrap();
    let invoices = sandbox(engine, ProviderId::Quickbooks, "dump", None).await["Invoice"]
        .as_array()
        .unwrap()
        .clone();
    let gone = invoices[0]["Id"].as_str().unwrap().to_owned();
    let account = links::by_source_ids(pool, &mapping.id, std::slice::from_ref(&gone))
        .await
        .unwrap()[0]
        .target_id
        .clone();
    let answer = sandbox(
        engine,
        ProviderId::Quickbooks,
        "mutate",
        Some(json!({ "object": "Invoice", "id": gone, "delete": true })),
    )
    .await;
    assert!(answer.is_object(), "{answer}");

    let second = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(
        second.message.contains("found by comparing all"),
        "{}",
        second.message
    );
    assert!(
        second.message.contains("1 were carried to the other side"),
        "{}",
        second.message
    );
    assert!(
        links::by_source_ids(pool, &mapping.id, std::slice::from_ref(&gone))
            .await
            .unwrap()
            .is_empty()
    );
    let accounts = sandbox(engine, ProviderId::Salesforce, "dump", None).await["Account"]
        .as_array()
        .unwrap()
        .clone();
    let kept = accounts
        .iter()
        .find(|a| a["Id"] == account.as_str())
        .is_some_and(|a| a["IsDeleted"] != true);
    assert!(!kept, "the Account of the deleted invoice is deleted");
    let open = alerts::open(pool, true).await.unwrap();
    assert!(
        open.iter().any(|a| a.kind == "changes_unavailable"
            && a.connection_id.as_deref() == Some(setup.id(ProviderId::Quickbooks).as_str())),
        "{open:?}"
    );

    // The check moved on: the next run asks CDC again, with no comparison.
    let third = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert!(
        !third.message.contains("found by comparing"),
        "{}",
        third.message
    );
}

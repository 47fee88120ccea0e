//! The Salesforce connector against the sandbox: describe (cached), full and incremental
//! reads across pages, the equal-timestamp boundary, look-ups, batched writes with
//! per-record results, and the number of calls each costs.

#![allow(clippy::unwrap_used)]

mod common;

use common::fixture::Fixture;
use common::reads::{read_all, read_checkpointed};
use std::collections::{BTreeMap, HashSet};
use switchyard_connectors::connector::{Connector, WriteOp, WriteRow};
use switchyard_connectors::schema::FieldType;
use switchyard_connectors::value::Value;
use switchyard_store::kinds::ProviderId;

#[tokio::test]
async fn describe_is_cached_and_typed() {
    let f = Fixture::start(ProviderId::Salesforce, 50).await;
    let sf = f.salesforce(2000, 200);
    let before = f.calls().await;
    let lead = sf.describe("Lead").await.unwrap();
    let again = sf.describe("Lead").await.unwrap();
    assert_eq!(
        f.calls().await - before,
        1,
        "the second describe comes from the cache"
    );
    assert_eq!(lead, again);
    let field = |n: &str| {
        lead.field(n).unwrap_or_else(|| {
            panic!(
                "{n} in {:?}",
                lead.fields.iter().map(|f| &f.name).collect::<Vec<_>>()
            )
        })
    };
    assert_eq!(field("Email").ty, FieldType::Email);
    assert!(field("LastName").required && field("Company").required);
    assert!(!field("Status").required, "defaulted on create");
    assert_eq!(
        field("Status").default_value.as_deref(),
        Some("Open - Not Contacted"),
        "the picklist value marked defaultValue"
    );
    assert_eq!(field("LeadSource").default_value, None);
    assert!(!field("FirstName").required);
    assert!(field("Id").read_only() && field("SystemModstamp").read_only());
    assert!(field("Status")
        .picklist
        .iter()
        .any(|o| o.value == "Open - Not Contacted"));
    assert_eq!(field("CreatedDate").ty, FieldType::DateTime);
    let account = sf.describe("Account").await.unwrap();
    assert!(account.field("ExtId__c").unwrap().external_id);
    assert!(sf.describe("Nope").await.is_err());
}

#[tokio::test]
async fn full_read_pages_and_costs_one_call_per_page() {
    let f = Fixture::start(ProviderId::Salesforce, 1300).await;
    let sf = f.salesforce(200, 200);
    let spec = sf.describe("Lead").await.unwrap();
    let before = f.calls().await;
    let (records, cursor) = read_all(
        &sf,
        &spec,
        &["FirstName", "LastName", "Email", "CreatedDate"],
        None,
    )
    .await;
    let calls = f.calls().await - before;
    let n = records.len();
    assert!(n >= 600, "{n}");
    assert_eq!(calls, n.div_ceil(200) as u64, "{n} records");
    assert!(calls >= 3);
    let ids: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), n, "no record twice");
    assert!(
        records.windows(2).all(|w| w[0].modified <= w[1].modified),
        "oldest change first"
    );
    assert!(cursor.at.is_some());
    assert!(records
        .iter()
        .all(|r| matches!(r.get("CreatedDate"), Value::DateTime(_))));
    // Nothing changed: an incremental read returns nothing new in one call.
    let before = f.calls().await;
    let (again, _) = read_all(&sf, &spec, &["LastName"], Some(cursor)).await;
    assert!(
        again.is_empty(),
        "{:?}",
        again.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    assert_eq!(f.calls().await - before, 1);
}

#[tokio::test]
async fn records_sharing_a_timestamp_across_a_page_boundary() {
    let f = Fixture::start(ProviderId::Salesforce, 800).await;
    let sf = f.salesforce(200, 200);
    let spec = sf.describe("Lead").await.unwrap();
    let (all, cursor) = read_all(&sf, &spec, &["LastName"], None).await;
    // 60 single edits, then 200 records edited by one call: they share one SystemModstamp.
    for r in &all[..60] {
        let body =
            serde_json::json!({ "object": "Lead", "id": r.id, "fields": { "Title": "single" } });
        let answer = f.control("mutate", body).await;
        assert_eq!(answer["id"].as_str(), Some(r.id.as_str()), "{answer}");
    }
    let group: Vec<WriteRow> = all[100..300]
        .iter()
        .map(|r| WriteRow {
            id: Some(r.id.clone()),
            version: None,
            fields: std::borrow::Cow::Owned(BTreeMap::from([(
                "Title".to_owned(),
                Value::text("group"),
            )])),
        })
        .collect();
    let results = sf.write(&spec, &WriteOp::Update, &group).await.unwrap();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let (changed, _) = read_all(&sf, &spec, &["Title"], Some(cursor.clone())).await;
    let stamps: HashSet<_> = changed
        .iter()
        .filter(|r| *r.get("Title") == Value::text("group"))
        .map(|r| r.modified)
        .collect();
    assert_eq!(
        stamps.len(),
        1,
        "the premise: one timestamp for the whole group"
    );

    let (ids, queries) = read_checkpointed(&sf, &spec, cursor).await;
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no record read twice");
    assert_eq!(ids.len(), 260, "no record missed");
    assert!(
        queries >= 3,
        "the group straddled a page boundary ({queries} queries)"
    );
}

#[tokio::test]
async fn lookups_and_batched_writes_with_per_record_results() {
    let f = Fixture::start(ProviderId::Salesforce, 60).await;
    let sf = f.salesforce(2000, 200);
    let spec = sf.describe("Lead").await.unwrap();
    let (leads, _) = read_all(&sf, &spec, &["Email"], None).await;
    let emails: Vec<String> = leads
        .iter()
        .filter_map(|r| r.get("Email").as_text().map(str::to_owned))
        .take(30)
        .collect();
    let mut asked = emails.clone();
    asked.push("nobody@nowhere.example".into());
    asked.push("o'brien\\@x.example".into());
    let before = f.calls().await;
    let found = sf
        .lookup(&spec, "Email", &asked, &["LastName".into()])
        .await
        .unwrap();
    assert_eq!(f.calls().await - before, 1, "one query for 32 values");
    let got: HashSet<String> = found
        .iter()
        .filter_map(|r| r.get("Email").as_text().map(str::to_lowercase))
        .collect();
    assert!(emails.iter().all(|e| got.contains(&e.to_lowercase())));
    // Found values come from the cache (TTL of the object's kind); values nobody has do not.
    let before = f.calls().await;
    let again = sf
        .lookup(&spec, "Email", &emails, &["LastName".into()])
        .await
        .unwrap();
    assert_eq!(f.calls().await - before, 0);
    assert_eq!(again.len(), found.len());
    sf.lookup(&spec, "Email", &asked, &["LastName".into()])
        .await
        .unwrap();
    assert_eq!(
        f.calls().await - before,
        1,
        "unknown values are asked again"
    );

    // 450 creates in ⌈450/200⌉ = 3 calls, one invalid row refused before sending.
    let mut rows: Vec<WriteRow> = (0..450)
        .map(|i| WriteRow {
            id: None,
            version: None,
            fields: std::borrow::Cow::Owned(BTreeMap::from([
                ("LastName".to_owned(), Value::text(format!("Zoë {i}"))),
                ("Company".to_owned(), Value::text("Ünïcode GmbH")),
                (
                    "Email".to_owned(),
                    Value::text(format!("new{i}@example.com")),
                ),
            ])),
        })
        .collect();
    rows[7]
        .fields
        .to_mut()
        .insert("NoSuchField__c".into(), Value::text("x"));
    rows[8].fields.to_mut().remove("LastName");
    let before = f.calls().await;
    let results = sf.write(&spec, &WriteOp::Create, &rows).await.unwrap();
    assert_eq!(f.calls().await - before, 3);
    assert_eq!(results.len(), 450);
    assert_eq!(results[7].as_ref().unwrap_err().code, "INVALID_FIELD");
    let missing = results[8].as_ref().unwrap_err();
    assert_eq!(missing.code, "REQUIRED_FIELD_MISSING", "{missing:?}");
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 448);
    assert!(results[0].as_ref().unwrap().created);

    // A partial batch failure: the failed records say why, the others are written.
    f.control(
        "faults",
        serde_json::json!({ "kind": "partial_batch", "next": 1 }),
    )
    .await;
    let ids: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|w| w.id.clone())
        .take(10)
        .collect();
    let updates: Vec<WriteRow> = ids
        .iter()
        .map(|id| WriteRow {
            id: Some(id.clone()),
            version: None,
            fields: std::borrow::Cow::Owned(BTreeMap::from([(
                "Title".to_owned(),
                Value::text("CEO"),
            )])),
        })
        .collect();
    let results = sf.write(&spec, &WriteOp::Update, &updates).await.unwrap();
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(!failed.is_empty() && failed.len() < 10, "{results:?}");
    assert!(failed
        .iter()
        .all(|e| !e.code.is_empty() && !e.message.is_empty()));
    let after = sf
        .lookup(&spec, "Id", &ids, &["Title".into()])
        .await
        .unwrap();
    for (id, result) in ids.iter().zip(&results) {
        let title = after
            .iter()
            .find(|r| &r.id == id)
            .map(|r| r.get("Title").clone());
        assert_eq!(title == Some(Value::text("CEO")), result.is_ok(), "{id}");
    }

    // Delete: gone from reads, visible with include_archived.
    let gone = sf.archive(&spec, &ids[..2]).await.unwrap();
    assert!(gone.iter().all(Result::is_ok));
    assert!(sf
        .lookup(&spec, "Id", &ids[..2], &[])
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_delete_names_only_ids_of_the_mappings_object() {
    let f = Fixture::start(ProviderId::Salesforce, 5).await;
    let sf = f.salesforce(2000, 200);
    let spec = sf.describe("Lead").await.unwrap();
    let before = f.calls().await;
    // A well-formed Account id (Salesforce prints 001D000000K0fXO as …IAZ), and two
    // strings that would widen the `ids=` list.
    let foreign = [
        "001D000000K0fXOIAZ".to_owned(),
        "00QD000000K0fXO,001D000000K0fXO".to_owned(),
        String::new(),
    ];
    let results = sf.archive(&spec, &foreign).await.unwrap();
    assert_eq!(results.len(), 3);
    for result in &results {
        assert_eq!(
            result.as_ref().unwrap_err().code,
            "INVALID_ID",
            "{result:?}"
        );
    }
    assert_eq!(f.calls().await, before, "nothing was sent");
}

//! The HubSpot connector against the sandbox: properties discovery (cached), list and
//! search reads across pages, the equal-timestamp boundary, look-ups by a unique property,
//! batched writes with 207 partial failures and a whole-batch refusal split down to the
//! one bad input, and the calls each costs.

#![allow(clippy::unwrap_used)]

mod common;

use common::fixture::Fixture;
use common::reads::{read_all, read_checkpointed};
use std::collections::{BTreeMap, HashSet};
use switchyard_connectors::connector::{Connector, WriteOp, WriteRow};
use switchyard_connectors::schema::FieldType;
use switchyard_connectors::value::Value;
use switchyard_store::kinds::ProviderId;

async fn hubspot(records: usize) -> Fixture {
    let f = Fixture::start(ProviderId::Hubspot, records).await;
    f.control(
        "limits",
        serde_json::json!({ "search_per_second": 1000, "ten_secondly": 100000 }),
    )
    .await;
    f
}

fn row(fields: &[(&str, Value)]) -> WriteRow<'static> {
    WriteRow {
        id: None,
        version: None,
        fields: std::borrow::Cow::Owned(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

#[tokio::test]
async fn properties_are_discovered_once_and_typed() {
    let f = hubspot(20).await;
    let hs = f.hubspot(100, 100);
    let before = f.calls().await;
    let contacts = hs.describe("contacts").await.unwrap();
    assert_eq!(hs.describe("contacts").await.unwrap(), contacts);
    assert_eq!(f.calls().await - before, 1, "cached");
    let field = |n: &str| contacts.field(n).unwrap_or_else(|| panic!("{n}"));
    assert_eq!(field("email").ty, FieldType::Email);
    assert!(field("email").unique);
    assert_eq!(field("createdate").ty, FieldType::DateTime);
    assert!(field("hs_object_id").read_only());
    assert!(field("hs_lead_status")
        .picklist
        .iter()
        .any(|o| o.value == "NEW"));
    assert_eq!(contacts.modified_field, "lastmodifieddate");
    let deals = hs.describe("deals").await.unwrap();
    assert_eq!(deals.modified_field, "hs_lastmodifieddate");
    assert_eq!(deals.field("amount").unwrap().ty, FieldType::Number);
    let tickets = hs.describe("tickets").await.unwrap();
    assert!(tickets.field("hs_pipeline").unwrap().required);
}

#[tokio::test]
async fn full_and_incremental_reads_page_and_cost_one_call_per_page() {
    let f = hubspot(500).await;
    let hs = f.hubspot(100, 100);
    let spec = hs.describe("contacts").await.unwrap();
    let before = f.calls().await;
    let (records, cursor) = read_all(&hs, &spec, &["email", "firstname", "createdate"], None).await;
    let n = records.len();
    assert!(n >= 250, "{n}");
    // Each page is a query anchored on the last record read, which it returns again (and
    // the cursor drops): 99 new records a page unless timestamps tie.
    let keyset_calls =
        |calls: u64| calls >= n.div_ceil(100) as u64 && calls <= (n - 1).div_ceil(99) as u64 + 1;
    let calls = f.calls().await - before;
    assert!(keyset_calls(calls), "{calls} calls for {n} records");
    assert_eq!(
        records.iter().map(|r| &r.id).collect::<HashSet<_>>().len(),
        n
    );
    // Incremental from the start of time through search: every record once, pages of 100.
    let start = switchyard_connectors::cursor::Cursor::starting(chrono::DateTime::UNIX_EPOCH);
    let before = f.calls().await;
    let (searched, _) = read_all(&hs, &spec, &["email"], Some(start)).await;
    assert_eq!(searched.len(), n);
    let calls = f.calls().await - before;
    assert!(keyset_calls(calls), "{calls} calls for {n} records");
    assert!(searched.windows(2).all(|w| w[0].modified <= w[1].modified));
    let before = f.calls().await;
    let (none, _) = read_all(&hs, &spec, &["email"], Some(cursor)).await;
    assert!(none.is_empty());
    assert_eq!(f.calls().await - before, 1);
}

#[tokio::test]
async fn records_sharing_a_timestamp_across_a_page_boundary() {
    let f = hubspot(200).await;
    let hs = f.hubspot(10, 100);
    let spec = hs.describe("contacts").await.unwrap();
    let (all, cursor) = read_all(&hs, &spec, &["email"], None).await;
    for r in &all[..6] {
        let answer = f.control("mutate", serde_json::json!({ "object": "contacts", "id": r.id, "fields": { "jobtitle": "single" } })).await;
        assert!(answer.is_object(), "{answer}");
    }
    let group: Vec<WriteRow> = all[50..75]
        .iter()
        .map(|r| WriteRow {
            id: Some(r.id.clone()),
            ..row(&[("jobtitle", Value::text("group"))])
        })
        .collect();
    let results = hs.write(&spec, &WriteOp::Update, &group).await.unwrap();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let (changed, _) = read_all(&hs, &spec, &["jobtitle"], Some(cursor.clone())).await;
    let stamps: HashSet<_> = changed
        .iter()
        .filter(|r| *r.get("jobtitle") == Value::text("group"))
        .map(|r| r.modified)
        .collect();
    assert_eq!(
        stamps.len(),
        1,
        "the premise: one timestamp for the whole group"
    );
    let (ids, queries) = read_checkpointed(&hs, &spec, cursor).await;
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "no record read twice"
    );
    assert_eq!(ids.len(), 31, "no record missed");
    assert!(queries >= 4, "{queries}");
}

#[tokio::test]
async fn lookups_writes_partial_failures_and_refused_batches() {
    let f = hubspot(60).await;
    let hs = f.hubspot(100, 100);
    let spec = hs.describe("contacts").await.unwrap();
    let (contacts, _) = read_all(&hs, &spec, &["email"], None).await;
    let emails: Vec<String> = contacts
        .iter()
        .filter_map(|r| r.get("email").as_text().map(str::to_owned))
        .take(20)
        .collect();
    let mut asked = emails.clone();
    asked.push("nobody@nowhere.example".into());
    let before = f.calls().await;
    let found = hs
        .lookup(&spec, "email", &asked, &["firstname".into()])
        .await
        .unwrap();
    assert_eq!(f.calls().await - before, 1, "one batch read");
    assert_eq!(found.len(), emails.len());

    // 250 creates in ⌈250/100⌉ = 3 calls; values arrive as HubSpot's strings.
    let rows: Vec<WriteRow> = (0..250)
        .map(|i| {
            row(&[
                ("email", Value::text(format!("new{i}@example.com"))),
                ("firstname", Value::text(format!("Zoë {i}"))),
                ("lastname", Value::text("李")),
            ])
        })
        .collect();
    let before = f.calls().await;
    let results = hs.write(&spec, &WriteOp::Create, &rows).await.unwrap();
    assert_eq!(f.calls().await - before, 3);
    assert!(
        results.iter().all(|r| r.as_ref().is_ok_and(|w| w.created)),
        "{:?}",
        results.iter().find(|r| r.is_err())
    );
    let created = hs
        .lookup(
            &spec,
            "email",
            &["new7@example.com".to_owned()],
            &["firstname".into()],
        )
        .await
        .unwrap();
    assert_eq!(
        created[0].id,
        results[7].as_ref().unwrap().id,
        "results are in input order"
    );
    assert_eq!(*created[0].get("firstname"), Value::text("Zoë 7"));

    // 207: some inputs fail, each result in its own row.
    f.control(
        "faults",
        serde_json::json!({ "kind": "partial_batch", "next": 1 }),
    )
    .await;
    let ids: Vec<String> = results
        .iter()
        .take(10)
        .map(|r| r.as_ref().unwrap().id.clone())
        .collect();
    let updates: Vec<WriteRow> = ids
        .iter()
        .map(|id| WriteRow {
            id: Some(id.clone()),
            ..row(&[("jobtitle", Value::text("CEO"))])
        })
        .collect();
    let results = hs.write(&spec, &WriteOp::Update, &updates).await.unwrap();
    let failed: Vec<usize> = (0..10).filter(|i| results[*i].is_err()).collect();
    assert!(!failed.is_empty() && failed.len() < 10, "{results:?}");
    let after = hs
        .lookup(&spec, "hs_object_id", &ids, &["jobtitle".into()])
        .await
        .unwrap();
    for (i, id) in ids.iter().enumerate() {
        let title = after
            .iter()
            .find(|r| &r.id == id)
            .map(|r| r.get("jobtitle").clone());
        assert_eq!(
            title == Some(Value::text("CEO")),
            !failed.contains(&i),
            "{id}"
        );
    }

    // One duplicate e-mail makes HubSpot refuse the whole batch: only that input fails.
    let mut batch: Vec<WriteRow> = (0..8)
        .map(|i| row(&[("email", Value::text(format!("fresh{i}@example.com")))]))
        .collect();
    batch[5] = row(&[("email", Value::text("new3@example.com"))]);
    let results = hs.write(&spec, &WriteOp::Create, &batch).await.unwrap();
    let bad: Vec<_> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_err())
        .collect();
    assert_eq!(bad.len(), 1, "{results:?}");
    assert_eq!(bad[0].0, 5);
    assert_eq!(bad[0].1.as_ref().unwrap_err().code, "CONFLICT", "{bad:?}");

    // Upsert by e-mail: existing ones updated, new ones created.
    let upserts = vec![
        row(&[
            ("email", Value::text("new1@example.com")),
            ("jobtitle", Value::text("CTO")),
        ]),
        row(&[
            ("email", Value::text("brand-new@example.com")),
            ("jobtitle", Value::text("CFO")),
        ]),
    ];
    let results = hs
        .write(
            &spec,
            &WriteOp::Upsert {
                key_field: "email".into(),
            },
            &upserts,
        )
        .await
        .unwrap();
    let created: Vec<bool> = results
        .iter()
        .map(|r| r.as_ref().unwrap().created)
        .collect();
    assert_eq!(created, [false, true]);

    let archived = hs.archive(&spec, &ids[..2]).await.unwrap();
    assert!(archived.iter().all(Result::is_ok));
    assert!(hs
        .lookup(&spec, "hs_object_id", &ids[..2], &[])
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_tie_wider_than_the_search_window_is_read_to_its_end() {
    let f = hubspot(10_300).await;
    let hs = f.hubspot(200, 100);
    let spec = hs.describe("contacts").await.unwrap();
    let ids: Vec<String> = f.dump().await["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["archived"] != true)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() > 10_000, "{}", ids.len());
    // An import touches every contact at one millisecond.
    let answer = f
        .control(
            "mutate",
            serde_json::json!({ "object": "contacts", "ids": ids, "fields": { "jobtitle": "Imported" } }),
        )
        .await;
    assert_eq!(
        answer["edited"].as_u64(),
        Some(ids.len() as u64),
        "{answer}"
    );
    let at = chrono::DateTime::parse_from_rfc3339(answer["updatedAt"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let from =
        switchyard_connectors::cursor::Cursor::starting(at - chrono::Duration::milliseconds(1));
    let before = f.calls().await;
    let read = read_all(&hs, &spec, &["jobtitle"], Some(from));
    let (records, cursor) = tokio::time::timeout(std::time::Duration::from_secs(120), read)
        .await
        .expect("the read of a 10,000+ tie ends");
    let calls = f.calls().await - before;
    let unique: HashSet<&String> = records.iter().map(|r| &r.id).collect();
    assert_eq!(unique.len(), records.len(), "no record read twice");
    assert_eq!(records.len(), ids.len(), "no record missed");
    // The first page finds the tie, then it is read by id: ⌈n ÷ 200⌉ + 2 calls at most.
    assert!(calls <= ids.len().div_ceil(200) as u64 + 2, "{calls} calls");
    assert_eq!(cursor.at, Some(at));
}

//! The QuickBooks connector against the sandbox: documented fields without a call,
//! keyset paging, the equal-timestamp boundary (MetaData times have whole
//! seconds, so every record saved in one second shares one), inactive customers,
//! `IN` look-ups on nested fields, batches of 30 with per-item faults, and a stale
//! SyncToken (someone saved the customer since) returned as 5010, never resent blindly.

#![allow(clippy::unwrap_used)]

mod common;

use common::fixture::Fixture;
use common::reads::{read_all, read_checkpointed};
use std::collections::{BTreeMap, HashSet};
use switchyard_connectors::connector::{Connector, WriteOp, WriteRow};
use switchyard_connectors::schema::FieldType;
use switchyard_connectors::value::Value;
use switchyard_store::kinds::ProviderId;

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
async fn fields_reads_and_the_timestamp_boundary() {
    let f = Fixture::start(ProviderId::Quickbooks, 300).await;
    let qb = f.quickbooks(40, 30);
    let before = f.calls().await;
    let spec = qb.describe("Customer").await.unwrap();
    assert_eq!(f.calls().await, before, "documented fields need no call");
    assert_eq!(
        spec.field("PrimaryEmailAddr.Address").unwrap().ty,
        FieldType::Email
    );
    assert!(spec.field("Balance").unwrap().read_only());
    assert!(!qb.describe("Invoice").await.unwrap().writable);

    let before = f.calls().await;
    let (all, cursor) = read_all(
        &qb,
        &spec,
        &["DisplayName", "PrimaryEmailAddr.Address", "Balance"],
        None,
    )
    .await;
    let n = all.len();
    assert!(n >= 120, "{n}");
    let expected = if n % 40 == 0 {
        n / 40 + 1
    } else {
        n.div_ceil(40)
    };
    assert_eq!(f.calls().await - before, expected as u64, "{n} records");
    assert_eq!(all.iter().map(|r| &r.id).collect::<HashSet<_>>().len(), n);
    assert!(all.iter().all(|r| r.version.is_some()), "SyncTokens kept");

    // 25 customers updated in one batch share a second; a page of 10 cuts through them.
    let group: Vec<WriteRow> = all[10..35]
        .iter()
        .map(|r| WriteRow {
            id: Some(r.id.clone()),
            version: r.version.clone(),
            ..row(&[("Notes", Value::text("group"))])
        })
        .collect();
    let results = qb.write(&spec, &WriteOp::Update, &group).await.unwrap();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let small = f.quickbooks(10, 30);
    let (ids, queries) = read_checkpointed(&small, &spec, cursor).await;
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "no record read twice"
    );
    assert_eq!(ids.len(), 25, "no record missed");
    assert!(queries >= 3, "{queries}");
}

#[tokio::test]
async fn writes_in_batches_with_faults_and_stale_tokens() {
    let f = Fixture::start(ProviderId::Quickbooks, 40).await;
    let qb = f.quickbooks(1000, 30);
    let spec = qb.describe("Customer").await.unwrap();

    // 70 creates in ⌈70/30⌉ = 3 calls; one refused for a duplicate name, in its own row.
    let mut rows: Vec<WriteRow> = (0..70)
        .map(|i| {
            row(&[
                ("DisplayName", Value::text(format!("Zoë Ltd {i}"))),
                (
                    "PrimaryEmailAddr.Address",
                    Value::text(format!("z{i}@example.com")),
                ),
            ])
        })
        .collect();
    rows[40] = row(&[("DisplayName", Value::text("Zoë Ltd 3"))]);
    let before = f.calls().await;
    let results = qb.write(&spec, &WriteOp::Create, &rows).await.unwrap();
    assert_eq!(f.calls().await - before, 3);
    let failed: Vec<usize> = (0..70).filter(|i| results[*i].is_err()).collect();
    assert_eq!(failed, [40], "{:?}", results[40]);
    assert_eq!(results[40].as_ref().unwrap_err().code, "6240");

    // Look-up by a nested field with IN: one query.
    let emails: Vec<String> = (0..20).map(|i| format!("z{i}@example.com")).collect();
    let before = f.calls().await;
    let found = qb
        .lookup(
            &spec,
            "PrimaryEmailAddr.Address",
            &emails,
            &["DisplayName".into()],
        )
        .await
        .unwrap();
    assert_eq!(f.calls().await - before, 1);
    assert_eq!(found.len(), 20);
    let zoe0 = found
        .iter()
        .find(|r| *r.get("PrimaryEmailAddr.Address") == Value::text("z0@example.com"))
        .unwrap();
    assert_eq!(*zoe0.get("DisplayName"), Value::text("Zoë Ltd 0"));

    // Someone edits a customer after we read it: a real 5010 comes back for that item and
    // is not resent with a fresh token (that would overwrite their edit); the engine
    // re-checks it three ways. Their edit survives.
    let stale = results[0].as_ref().unwrap().clone();
    f.control(
        "mutate",
        serde_json::json!({ "object": "Customer", "id": stale.id, "fields": { "Notes": "theirs" } }),
    )
    .await;
    let update = vec![WriteRow {
        id: Some(stale.id.clone()),
        version: stale.version.clone(),
        ..row(&[("Notes", Value::text("ours"))])
    }];
    let before = f.calls().await;
    let results = qb.write(&spec, &WriteOp::Update, &update).await.unwrap();
    let refused = results[0].as_ref().unwrap_err();
    assert_eq!(refused.code, "5010", "{refused:?}");
    assert!(refused.retryable, "a later, re-checked try may succeed");
    assert_eq!(f.calls().await - before, 1, "one batch, no blind resend");
    let now = qb
        .reread(&spec, std::slice::from_ref(&stale.id), &["Notes".into()])
        .await
        .unwrap();
    assert_eq!(*now[0].get("Notes"), Value::text("theirs"));
    assert_ne!(
        now[0].version, stale.version,
        "their save moved the SyncToken"
    );

    // With the current token (as the engine sends after its re-check) it lands.
    let update = vec![WriteRow {
        id: Some(stale.id.clone()),
        version: now[0].version.clone(),
        ..row(&[("Notes", Value::text("ours"))])
    }];
    assert!(qb.write(&spec, &WriteOp::Update, &update).await.unwrap()[0].is_ok());

    // Partial batch: per-item faults in an HTTP 200.
    f.control(
        "faults",
        serde_json::json!({ "kind": "partial_batch", "next": 1 }),
    )
    .await;
    let updates: Vec<WriteRow> = found
        .iter()
        .take(6)
        .map(|r| WriteRow {
            id: Some(r.id.clone()),
            version: r.version.clone(),
            ..row(&[("Notes", Value::text("batch"))])
        })
        .collect();
    let results = qb.write(&spec, &WriteOp::Update, &updates).await.unwrap();
    let bad = results.iter().filter(|r| r.is_err()).count();
    assert!(bad > 0 && bad < 6, "{results:?}");

    // Archive = inactive: hidden from normal reads, seen when archived rows are asked for.
    let id = found[10].id.clone();
    assert!(qb.archive(&spec, std::slice::from_ref(&id)).await.unwrap()[0].is_ok());
    assert!(qb
        .lookup(&spec, "Id", std::slice::from_ref(&id), &[])
        .await
        .unwrap()
        .is_empty());
    let request = switchyard_connectors::connector::ReadRequest {
        include_archived: true,
        ..Default::default()
    };
    let page = qb.read(&spec, &request).await.unwrap();
    assert!(page.records.iter().any(|r| r.id == id && r.archived));
    assert!(qb
        .write(
            &qb.describe("Invoice").await.unwrap(),
            &WriteOp::Create,
            &rows[..1]
        )
        .await
        .is_err());
}

#[tokio::test]
async fn deletions_are_found_for_customers_and_transactions() {
    let f = Fixture::start(ProviderId::Quickbooks, 30).await;
    let qb = f.quickbooks(1000, 30);
    let invoices = qb.describe("Invoice").await.unwrap();
    let customers = qb.describe("Customer").await.unwrap();
    let request = switchyard_connectors::connector::ReadRequest::default();
    let invoice = qb
        .read(&invoices, &request)
        .await
        .unwrap()
        .records
        .remove(0);
    let customer = qb
        .read(&customers, &request)
        .await
        .unwrap()
        .records
        .remove(0);
    let since = chrono::Utc::now() - chrono::Duration::minutes(1);
    assert!(qb
        .deleted_since(&invoices, Some(since))
        .await
        .unwrap()
        .is_empty());

    f.control(
        "mutate",
        serde_json::json!({ "object": "Invoice", "id": invoice.id, "delete": true }),
    )
    .await;
    f.control(
        "mutate",
        serde_json::json!({ "object": "Customer", "id": customer.id, "delete": true }),
    )
    .await;
    assert_eq!(
        qb.deleted_since(&invoices, Some(since)).await.unwrap(),
        vec![invoice.id.clone()],
        "through CDC"
    );
    assert_eq!(
        qb.deleted_since(&customers, Some(since)).await.unwrap(),
        vec![customer.id.clone()],
        "inactive"
    );
    // CDC reaches 30 days back: an older (or no) mark cannot list every delete.
    for since in [Some(chrono::Utc::now() - chrono::Duration::days(31)), None] {
        match qb.deleted_since(&invoices, since).await {
            Err(switchyard_connectors::connector::ConnectorError::ChangesUnavailable(why)) => {
                assert!(why.contains("Invoice"), "{why}")
            }
            other => panic!("{since:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_id_that_is_not_digits_never_reaches_a_query_or_a_batch() {
    let f = Fixture::start(ProviderId::Quickbooks, 5).await;
    let qb = f.quickbooks(40, 30);
    let spec = qb.describe("Customer").await.unwrap();
    let before = f.calls().await;
    let injected = "58') or Id in ('1".to_owned();
    let archived = qb
        .archive(&spec, std::slice::from_ref(&injected))
        .await
        .unwrap();
    let update = WriteRow {
        id: Some(injected),
        version: Some("0".into()),
        ..row(&[("Notes", Value::text("x"))])
    };
    let updated = qb.write(&spec, &WriteOp::Update, &[update]).await.unwrap();
    for result in archived.iter().chain(&updated) {
        let e = result.as_ref().unwrap_err();
        assert_eq!(e.code, "INVALID_ID", "{e:?}");
    }
    assert_eq!(f.calls().await, before, "refused before any call");
}

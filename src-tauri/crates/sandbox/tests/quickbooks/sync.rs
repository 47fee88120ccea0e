//! Batch (per-item results and faults, the 30-item cap, partial failures) and change data
//! capture (edits, deactivations and deletions; the 30-day window).

use crate::support::start;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn batch_items_succeed_and_fail_on_their_own() {
    let qb = start().await;
    let c1 = qb.get("customer/1").await.1["Customer"].clone();
    let body = json!({ "BatchItemRequest": [
        { "bId": "b1", "operation": "create", "Customer": { "DisplayName": "Batch Created Co" } },
        { "bId": "b2", "Query": "select count(*) from Customer" },
        { "bId": "b3", "operation": "update", "Customer": { "Id": "1", "SyncToken": "99", "sparse": true, "Notes": "x" } },
        { "bId": "b4", "operation": "update", "Customer": { "Id": "1", "SyncToken": c1["SyncToken"], "sparse": true, "Notes": "batched" } },
    ]});
    let (status, resp) = qb.post("batch", &body).await;
    assert_eq!(status, StatusCode::OK, "{resp}");
    let items = resp["BatchItemResponse"].as_array().unwrap();
    let by_id = |b: &str| items.iter().find(|i| i["bId"] == b).cloned().unwrap();
    assert_eq!(by_id("b1")["Customer"]["DisplayName"], "Batch Created Co");
    assert!(by_id("b2")["QueryResponse"]["totalCount"].as_u64().unwrap() > 0);
    assert_eq!(by_id("b3")["Fault"]["Error"][0]["code"], "5010");
    assert_eq!(by_id("b4")["Customer"]["Notes"], "batched");

    let many: Vec<Value> = (0..31)
        .map(|i| json!({ "bId": i.to_string(), "Query": "select * from Customer maxresults 1" }))
        .collect();
    let (status, resp) = qb.post("batch", &json!({ "BatchItemRequest": many })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "more than 30 items");
    assert!(resp["Fault"]["Error"][0]["code"].is_string());

    qb.fault(json!({ "kind": "partial_batch", "next": 1 }))
        .await;
    let items: Vec<Value> = (0..4)
        .map(|i| json!({ "bId": format!("q{i}"), "Query": "select * from Customer maxresults 1" }))
        .collect();
    let (status, resp) = qb
        .post("batch", &json!({ "BatchItemRequest": items }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let faults = resp["BatchItemResponse"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i.get("Fault").is_some())
        .count();
    assert!(
        (1..4).contains(&faults),
        "some but not all items fail: {resp}"
    );
}

#[tokio::test]
async fn cdc_reports_edits_and_deletions() {
    let qb = start().await;
    let since = chrono::Utc::now() - chrono::Duration::minutes(1);
    let since = since
        .with_timezone(&chrono::FixedOffset::west_opt(7 * 3600).unwrap())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string();
    qb.mutate(json!({ "object": "Customer", "id": "6", "fields": { "Notes": "cdc me" } }))
        .await;
    qb.mutate(json!({ "object": "Customer", "id": "7", "delete": true }))
        .await;
    let invoice = qb
        .rows("select * from Invoice maxresults 1", "Invoice")
        .await
        .remove(0);
    qb.mutate(json!({ "object": "Invoice", "id": invoice["Id"], "delete": true }))
        .await;
    let (status, body) = qb
        .get(&format!(
            "cdc?entities=Customer,Invoice&changedSince={}",
            urlencode(&since)
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sections = body["CDCResponse"][0]["QueryResponse"].as_array().unwrap();
    let rows = |name: &str| {
        sections
            .iter()
            .find_map(|s| s[name].as_array().cloned())
            .unwrap_or_default()
    };
    let customers = rows("Customer");
    assert_eq!(customers.len(), 2, "{customers:?}");
    assert!(customers
        .iter()
        .any(|c| c["Id"] == "6" && c["Notes"] == "cdc me"));
    assert!(
        customers
            .iter()
            .any(|c| c["Id"] == "7" && c["Active"] == false),
        "inactive customers appear in CDC"
    );
    let invoices = rows("Invoice");
    assert_eq!(invoices.len(), 1);
    assert_eq!(
        (invoices[0]["Id"].clone(), invoices[0]["status"].clone()),
        (invoice["Id"].clone(), json!("Deleted"))
    );
    assert!(invoices[0]["MetaData"]["LastUpdatedTime"].is_string());

    let old = (chrono::Utc::now() - chrono::Duration::days(31))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let (status, body) = qb
        .get(&format!("cdc?entities=Customer&changedSince={old}"))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "at most 30 days back: {body}"
    );
    assert!(body["Fault"]["Error"][0]["code"].is_string());
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

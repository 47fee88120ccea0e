//! sObject Collections (reference §1 "Write paths"): HTTP 200 with per-record results in
//! order, `allOrNone` rollback, the 200-record cap, update / upsert / delete forms, and
//! the PartialBatch fault.

use crate::{error, Org, V};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn account(name: &str) -> Value {
    json!({ "attributes": { "type": "Account" }, "Name": name })
}

async fn accounts(org: &Org) -> u64 {
    org.query("SELECT COUNT() FROM Account").await["totalSize"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn create_answers_per_record_in_order_with_partial_success() {
    let org = Org::start().await;
    let records = json!([account("One Ltd"), { "attributes": { "type": "Contact" }, "FirstName": "No last name" }, { "attributes": { "type": "Lead" }, "LastName": "Lee", "Company": "Three" }]);
    let r = org
        .call(
            Method::POST,
            "/composite/sobjects",
            Some(json!({ "allOrNone": false, "records": records })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let results = r.body.as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        (
            results[0]["success"].as_bool(),
            results[2]["success"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert!(
        results[0]["id"].as_str().unwrap().starts_with("001")
            && results[2]["id"].as_str().unwrap().starts_with("00Q")
    );
    assert_eq!(results[1]["success"], false);
    assert_eq!(
        results[1]["errors"][0]["statusCode"], "REQUIRED_FIELD_MISSING",
        "{}",
        r.body
    );
    assert!(
        results[1]["errors"][0]["message"].is_string()
            && results[1]["errors"][0]["fields"].is_array()
    );
    let id = results[0]["id"].as_str().unwrap();
    assert_eq!(
        org.get(&format!("/sobjects/Account/{id}")).await.body["Name"],
        "One Ltd"
    );
}

#[tokio::test]
async fn all_or_none_rolls_every_record_back() {
    let org = Org::start().await;
    let before = accounts(&org).await;
    let records = json!([account("Kept?"), { "attributes": { "type": "Account" }, "Website": "https://nameless.example.com" }, account("Also kept?")]);
    let r = org
        .call(
            Method::POST,
            "/composite/sobjects",
            Some(json!({ "allOrNone": true, "records": records })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let results = r.body.as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|x| x["success"] == false && !x["errors"].as_array().unwrap().is_empty()),
        "{}",
        r.body
    );
    assert_eq!(
        results[1]["errors"][0]["statusCode"],
        "REQUIRED_FIELD_MISSING"
    );
    assert_eq!(accounts(&org).await, before, "nothing was committed");
}

#[tokio::test]
async fn more_than_200_records_is_a_malformed_request() {
    let org = Org::start().await;
    let records: Vec<Value> = (0..201).map(|i| account(&format!("A{i}"))).collect();
    let r = org
        .call(
            Method::POST,
            "/composite/sobjects",
            Some(json!({ "records": records })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    error(&r.body);
}

#[tokio::test]
async fn update_upsert_and_delete_collections() {
    let org = Org::start().await;
    let leads = org.query("SELECT Id FROM Lead ORDER BY Id LIMIT 2").await;
    let ids: Vec<&str> = leads["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Id"].as_str().unwrap())
        .collect();
    let updates: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "attributes": { "type": "Lead" }, "Id": id, "Title": "Batch title" }))
        .collect();
    let r = org
        .call(
            Method::PATCH,
            "/composite/sobjects",
            Some(json!({ "allOrNone": false, "records": updates })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .zip(&ids)
            .all(|(x, id)| x["success"] == true && x["id"] == *id),
        "{}",
        r.body
    );
    assert_eq!(
        org.get(&format!("/sobjects/Lead/{}", ids[1])).await.body["Title"],
        "Batch title"
    );
    let existing = org
        .query("SELECT ExtId__c FROM Account WHERE ExtId__c != null LIMIT 1")
        .await["records"][0]["ExtId__c"]
        .clone();
    let upserts = json!([{ "attributes": { "type": "Account" }, "ExtId__c": existing, "Phone": "+1 555 0100" }, { "attributes": { "type": "Account" }, "ExtId__c": "BATCH-NEW-1", "Name": "Batch New" }]);
    let r = org
        .call(
            Method::PATCH,
            "/composite/sobjects/Account/ExtId__c",
            Some(json!({ "allOrNone": false, "records": upserts })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body[0]["created"].as_bool(),
            r.body[1]["created"].as_bool()
        ),
        (Some(false), Some(true)),
        "{}",
        r.body
    );
    let new_id = r.body[1]["id"].as_str().unwrap().to_owned();
    let url = format!(
        "{}/services/data/{V}/composite/sobjects?ids={new_id},001000000000000AAA&allOrNone=false",
        org.base
    );
    let r = org
        .call_with(Method::DELETE, &url, None, Some(&org.token), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.body[0]["success"].as_bool(),
            r.body[1]["success"].as_bool()
        ),
        (Some(true), Some(false)),
        "{}",
        r.body
    );
    assert_eq!(r.body[0]["id"], new_id.as_str());
    assert_eq!(
        org.get(&format!("/sobjects/Account/{new_id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn partial_batch_fault_fails_some_records() {
    let org = Org::start().await;
    org.fault(json!({ "kind": "partial_batch", "next": 1 }))
        .await;
    let records: Vec<Value> = (0..4).map(|i| account(&format!("Partial {i}"))).collect();
    let r = org
        .call(
            Method::POST,
            "/composite/sobjects",
            Some(json!({ "allOrNone": false, "records": records })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let results = r.body.as_array().unwrap();
    let failed = results.iter().filter(|x| x["success"] == false).count();
    assert!(
        failed > 0 && failed < 4,
        "some but not all fail: {}",
        r.body
    );
    assert!(results
        .iter()
        .filter(|x| x["success"] == false)
        .all(|x| x["errors"][0]["statusCode"].is_string()));
    let again: Vec<Value> = (0..4).map(|i| account(&format!("Whole {i}"))).collect();
    let r = org
        .call(
            Method::POST,
            "/composite/sobjects",
            Some(json!({ "records": again })),
        )
        .await;
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["success"] == true),
        "fault used up: {}",
        r.body
    );
}

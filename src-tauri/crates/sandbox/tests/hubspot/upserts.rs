//! Batch upsert as strict as HubSpot's (reference §2 "Write paths"): one test per rule of
//! `POST /crm/v3/objects/{object}/batch/upsert` — the input cap, `idProperty` naming a
//! unique property, ids present, valid and given once, 207 with `errors`/`numErrors` for
//! a partial failure, and `new` on every result. A refused batch writes nothing.

use crate::support::Hs;
use reqwest::StatusCode;
use serde_json::{json, Value};

const UPSERT: &str = "/crm/v3/objects/contacts/batch/upsert";

fn by_email(email: &str, first: &str) -> Value {
    json!({ "idProperty": "email", "id": email, "properties": { "firstname": first } })
}

/// Whether a contact with this email exists (batch read by email).
async fn exists(hs: &Hs, token: &str, email: &str) -> bool {
    let body = json!({ "idProperty": "email", "inputs": [{ "id": email }] });
    let r = hs
        .post(token, "/crm/v3/objects/contacts/batch/read", body)
        .await;
    r.body["results"].as_array().is_some_and(|a| !a.is_empty())
}

#[tokio::test]
async fn more_than_100_inputs_is_a_400_validation_error() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let inputs: Vec<Value> = (0..101)
        .map(|i| by_email(&format!("cap{i}@upsert.example.org"), "Cap"))
        .collect();
    let r = hs.post(&token, UPSERT, json!({ "inputs": inputs })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["category"], "VALIDATION_ERROR");
    assert!(!exists(&hs, &token, "cap0@upsert.example.org").await);
}

#[tokio::test]
async fn an_id_property_without_unique_values_is_a_400_and_writes_nothing() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let inputs = json!([
        by_email("first.ok@upsert.example.org", "Ok"),
        { "idProperty": "firstname", "id": "Ada", "properties": { "lastname": "Lovelace" } },
    ]);
    let r = hs.post(&token, UPSERT, json!({ "inputs": inputs })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["category"], "VALIDATION_ERROR");
    assert!(
        !exists(&hs, &token, "first.ok@upsert.example.org").await,
        "the valid input before it was not written"
    );
}

#[tokio::test]
async fn an_input_without_an_id_is_a_400() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let inputs = json!([{ "idProperty": "email", "properties": { "firstname": "Nobody" } }]);
    let r = hs.post(&token, UPSERT, json!({ "inputs": inputs })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["category"], "VALIDATION_ERROR");
}

#[tokio::test]
async fn an_email_id_that_is_not_an_email_is_a_400_invalid_email() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let r = hs
        .post(
            &token,
            UPSERT,
            json!({ "inputs": [by_email("not an email", "Bad")] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["category"], "VALIDATION_ERROR");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("INVALID_EMAIL"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn an_id_given_twice_is_a_400_duplicate_ids() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let inputs = json!([
        by_email("twice@upsert.example.org", "A"),
        by_email("TWICE@upsert.example.org", "B")
    ]);
    let r = hs.post(&token, UPSERT, json!({ "inputs": inputs })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["category"], "VALIDATION_ERROR");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Duplicate IDs found in batch input"));
    assert!(!exists(&hs, &token, "twice@upsert.example.org").await);
}

#[tokio::test]
async fn a_partial_failure_is_207_with_errors_and_num_errors() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let inputs = json!([
        by_email("partial@upsert.example.org", "Made"),
        { "idProperty": "hs_object_id", "id": "999999999", "properties": { "firstname": "Ghost" } },
    ]);
    let r = hs.post(&token, UPSERT, json!({ "inputs": inputs })).await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS, "{}", r.body);
    assert_eq!(r.body["status"], "COMPLETE");
    assert_eq!(r.body["numErrors"], 1);
    assert_eq!(r.body["errors"][0]["category"], "OBJECT_NOT_FOUND");
    assert_eq!(r.body["results"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn every_result_says_whether_it_is_new() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let first = hs
        .post(
            &token,
            UPSERT,
            json!({ "inputs": [by_email("fresh@upsert.example.org", "One")] }),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["results"][0]["new"], true);
    let again = hs
        .post(
            &token,
            UPSERT,
            json!({ "inputs": [by_email("Fresh@upsert.example.org", "Two")] }),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["results"][0]["new"], false);
    assert_eq!(
        again.body["results"][0]["id"],
        first.body["results"][0]["id"]
    );
    assert_eq!(again.body["results"][0]["properties"]["firstname"], "Two");
}

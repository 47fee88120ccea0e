//! Upserts as strict as Salesforce's (reference §1 "Write paths", the REST guide's
//! "Upsert Records Using sObject Collections"): one test per rule of
//! `PATCH /composite/sobjects/{Obj}/{Field}` and `PATCH /sobjects/{Obj}/{Field}/{value}`.

use crate::{error, Org};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn account(ext: &str, name: &str) -> Value {
    json!({ "attributes": { "type": "Account" }, "ExtId__c": ext, "Name": name })
}

async fn upsert(org: &Org, path: &str, records: Value, all_or_none: bool) -> crate::Reply {
    org.call(
        Method::PATCH,
        &format!("/composite/sobjects/{path}"),
        Some(json!({ "allOrNone": all_or_none, "records": records })),
    )
    .await
}

/// The `statusCode` of each item's first error (`None` for a success).
fn codes(body: &Value) -> Vec<Option<String>> {
    body.as_array()
        .unwrap_or_else(|| panic!("per-item results: {body}"))
        .iter()
        .map(|r| r["errors"][0]["statusCode"].as_str().map(str::to_owned))
        .collect()
}

async fn count(org: &Org, q: &str) -> u64 {
    org.query(q).await["totalSize"].as_u64().unwrap()
}

#[tokio::test]
async fn more_than_200_records_is_a_400_exceeded_id_limit() {
    let org = Org::start().await;
    let records: Vec<Value> = (0..201)
        .map(|i| account(&format!("CAP-{i}"), "Cap"))
        .collect();
    let r = upsert(&org, "Account/ExtId__c", json!(records), false).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(error(&r.body).0, "EXCEEDED_ID_LIMIT");
    assert_eq!(
        count(&org, "SELECT Id FROM Account WHERE Name = 'Cap'").await,
        0
    );
}

#[tokio::test]
async fn results_say_whether_each_record_was_created() {
    let org = Org::start().await;
    let existing = org
        .query("SELECT ExtId__c FROM Account WHERE ExtId__c != null LIMIT 1")
        .await["records"][0]["ExtId__c"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = upsert(
        &org,
        "Account/ExtId__c",
        json!([account(&existing, "Renamed"), account("NEW-1", "Fresh")]),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(codes(&r.body), vec![None, None]);
    assert_eq!(
        (
            r.body[0]["created"].as_bool(),
            r.body[1]["created"].as_bool()
        ),
        (Some(false), Some(true))
    );
    assert!(r.body[1]["id"].as_str().unwrap().starts_with("001"));
}

#[tokio::test]
async fn all_or_none_rolls_every_upsert_back_when_one_fails() {
    let org = Org::start().await;
    let bad = json!({ "attributes": { "type": "Account" }, "ExtId__c": "AON-2", "Nope__c": 1 });
    let r = upsert(
        &org,
        "Account/ExtId__c",
        json!([account("AON-1", "Kept?"), bad]),
        true,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let codes = codes(&r.body);
    assert_eq!(
        codes[0].as_deref(),
        Some("ALL_OR_NONE_OPERATION_ROLLED_BACK"),
        "{}",
        r.body
    );
    assert_eq!(codes[1].as_deref(), Some("INVALID_FIELD"), "{}", r.body);
    assert_eq!(
        count(&org, "SELECT Id FROM Account WHERE ExtId__c = 'AON-1'").await,
        0
    );
}

#[tokio::test]
async fn a_value_given_twice_fails_both_records_with_duplicate_value() {
    let org = Org::start().await;
    let r = upsert(
        &org,
        "Account/ExtId__c",
        json!([
            account("TWICE", "A"),
            account("twice", "B"),
            account("ONCE", "C")
        ]),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        codes(&r.body),
        vec![
            Some("DUPLICATE_VALUE".into()),
            Some("DUPLICATE_VALUE".into()),
            None
        ]
    );
    assert!(r.body[0]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("Duplicate external id specified"));
    assert_eq!(
        count(&org, "SELECT Id FROM Account WHERE ExtId__c = 'TWICE'").await,
        0
    );
}

#[tokio::test]
async fn a_value_matching_several_records_is_duplicate_external_id() {
    let org = Org::start().await;
    // LegacyId__c is an external id without a unique index, so two rows may share it.
    for name in ["Twin One", "Twin Two"] {
        let body = json!({ "LastName": name, "LegacyId__c": "LEG-TWIN" });
        let r = org
            .call(Method::POST, "/sobjects/Contact", Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let record = json!({ "attributes": { "type": "Contact" }, "LegacyId__c": "LEG-TWIN", "Title": "Which?" });
    let r = upsert(&org, "Contact/LegacyId__c", json!([record]), false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(codes(&r.body), vec![Some("DUPLICATE_EXTERNAL_ID".into())]);
}

#[tokio::test]
async fn a_field_that_does_not_exist_is_404_not_found() {
    let org = Org::start().await;
    let r = upsert(
        &org,
        "Account/Missing__c",
        json!([account("X", "X")]),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(error(&r.body).0, "NOT_FOUND");
}

#[tokio::test]
async fn a_field_that_is_neither_external_id_nor_id_lookup_is_400_invalid_field() {
    let org = Org::start().await;
    let record = json!({ "attributes": { "type": "Account" }, "Phone": "555", "Name": "P" });
    let r = upsert(&org, "Account/Phone", json!([record]), false).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(error(&r.body).0, "INVALID_FIELD");
    let single = org
        .call(
            Method::PATCH,
            "/sobjects/Account/Phone/555",
            Some(json!({ "Name": "P" })),
        )
        .await;
    assert_eq!(
        (single.status, error(&single.body).0),
        (StatusCode::BAD_REQUEST, "INVALID_FIELD")
    );
}

#[tokio::test]
async fn record_ids_are_refused_unless_switched_on() {
    let org = Org::start().await;
    let lead = org.query("SELECT Id FROM Lead LIMIT 1").await["records"][0]["Id"].clone();
    let record = json!([{ "attributes": { "type": "Lead" }, "Id": lead, "Title": "By id" }]);
    let r = upsert(&org, "Lead/Id", record.clone(), false).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(error(&r.body).0, "INVALID_FIELD");
    org.limits(json!({ "collections_upsert_by_id": true }))
        .await;
    let r = upsert(&org, "Lead/Id", record, false).await;
    assert_eq!(
        (r.status, codes(&r.body)),
        (StatusCode::OK, vec![None]),
        "{}",
        r.body
    );
    assert_eq!(r.body[0]["created"], false);
}

#[tokio::test]
async fn an_id_lookup_field_names_the_record_lead_by_email() {
    let org = Org::start().await;
    let record = |title: &str| json!([{ "attributes": { "type": "Lead" }, "Email": "Upsert.Me@Example.com", "LastName": "Upsert", "Company": "Acme", "Title": title }]);
    let first = upsert(&org, "Lead/Email", record("First"), false).await;
    assert_eq!(
        (first.status, first.body[0]["created"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{}",
        first.body
    );
    let second = upsert(&org, "Lead/Email", record("Second"), false).await;
    assert_eq!(second.body[0]["created"], false, "{}", second.body);
    assert_eq!(second.body[0]["id"], first.body[0]["id"]);
    let single = org
        .call(
            Method::PATCH,
            "/sobjects/Lead/Email/upsert.me@example.com",
            Some(json!({ "Title": "Third" })),
        )
        .await;
    assert_eq!(
        (single.status, single.body["created"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{}",
        single.body
    );
}

#[tokio::test]
async fn every_record_must_name_the_paths_type() {
    let org = Org::start().await;
    let untyped = json!({ "ExtId__c": "T-1", "Name": "No type" });
    let other =
        json!({ "attributes": { "type": "Contact" }, "ExtId__c": "T-2", "LastName": "Wrong" });
    let r = upsert(&org, "Account/ExtId__c", json!([untyped, other]), false).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        codes(&r.body),
        vec![Some("INVALID_TYPE".into()), Some("INVALID_TYPE".into())]
    );
}

#[tokio::test]
async fn a_record_without_its_key_value_is_missing_argument() {
    let org = Org::start().await;
    let r = upsert(
        &org,
        "Account/ExtId__c",
        json!([{ "attributes": { "type": "Account" }, "Name": "Keyless" }]),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(codes(&r.body), vec![Some("MISSING_ARGUMENT".into())]);
}

#[tokio::test]
async fn collection_upserts_need_api_v46() {
    let org = Org::start().await;
    let url = format!(
        "{}/services/data/v45.0/composite/sobjects/Account/ExtId__c",
        org.base
    );
    let body = json!({ "records": [account("V45", "Old")] });
    let r = org
        .call_with(Method::PATCH, &url, Some(body), Some(&org.token), &[])
        .await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    );
    let url = format!("{}/services/data/v41.0/composite/sobjects", org.base);
    let body = json!({ "records": [account("V41", "Older")] });
    let r = org
        .call_with(Method::POST, &url, Some(body), Some(&org.token), &[])
        .await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::NOT_FOUND, "NOT_FOUND"),
        "collections need v42"
    );
}

//! Records (reference §1 "Write paths", "Objects", "Errors"): create 201, read with
//! `attributes`, update 204, soft delete, required fields, unknown fields, NOT_FOUND,
//! upsert by external id (201 / 200 `created:false` / 300) and DUPLICATE_VALUE (real and
//! injected).

use crate::{error, is_sf_datetime, Org, V};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn create_read_update_delete() {
    let org = Org::start().await;
    let r = org.call(Method::POST, "/sobjects/Lead", Some(json!({ "FirstName": "Zoë", "LastName": "Ødegaard", "Company": "Fjord AS", "Email": "zoe@fjord.example.com" }))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (r.body["success"].clone(), r.body["errors"].clone()),
        (json!(true), json!([]))
    );
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(id.len() == 18 && id.starts_with("00Q"), "{id}");
    crate::usage(&r.headers);
    let got = org.get(&format!("/sobjects/Lead/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        got.body["attributes"],
        json!({ "type": "Lead", "url": format!("/services/data/{V}/sobjects/Lead/{id}") })
    );
    assert_eq!(
        (
            got.body["LastName"].as_str(),
            got.body["IsDeleted"].as_bool()
        ),
        (Some("Ødegaard"), Some(false))
    );
    for f in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] {
        assert!(is_sf_datetime(&got.body[f]), "{f}: {}", got.body[f]);
    }
    assert!(got.body["OwnerId"]
        .as_str()
        .is_some_and(|o| o.starts_with("005")));
    let short = org
        .get(&format!(
            "/sobjects/Lead/{}?fields=LastName,Company",
            &id[..15]
        ))
        .await;
    let keys: Vec<&String> = short.body.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "attributes + two fields: {}", short.body);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let upd = org
        .call(
            Method::PATCH,
            &format!("/sobjects/Lead/{id}"),
            Some(json!({ "Title": "CTO" })),
        )
        .await;
    assert_eq!(
        (upd.status, upd.body.clone()),
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let after = org.get(&format!("/sobjects/Lead/{id}")).await.body;
    assert_eq!(after["Title"], "CTO");
    assert_ne!(after["SystemModstamp"], got.body["SystemModstamp"]);
    let del = org
        .call(Method::DELETE, &format!("/sobjects/Lead/{id}"), None)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        org.get(&format!("/sobjects/Lead/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn required_and_unknown_fields_and_missing_records() {
    let org = Org::start().await;
    let cases = [
        ("Lead", json!({ "LastName": "Only" }), vec!["Company"]),
        ("Lead", json!({ "Company": "Only" }), vec!["LastName"]),
        ("Contact", json!({ "FirstName": "No" }), vec!["LastName"]),
        (
            "Account",
            json!({ "Website": "https://x.example.com" }),
            vec!["Name"],
        ),
        (
            "Opportunity",
            json!({ "Name": "Deal" }),
            vec!["StageName", "CloseDate"],
        ),
    ];
    for (obj, body, missing) in cases {
        let r = org
            .call(Method::POST, &format!("/sobjects/{obj}"), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{obj}");
        assert_eq!(
            error(&r.body).0,
            "REQUIRED_FIELD_MISSING",
            "{obj}: {}",
            r.body
        );
        let fields: Vec<&str> = r.body[0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(fields, missing, "{obj}");
    }
    let r = org
        .call(
            Method::POST,
            "/sobjects/Lead",
            Some(json!({ "LastName": "X", "Company": "Y", "Shoe_Size__c": 9 })),
        )
        .await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::BAD_REQUEST, "INVALID_FIELD")
    );
    let ok = org
        .call(
            Method::POST,
            "/sobjects/Opportunity",
            Some(json!({ "Name": "Deal", "StageName": "Prospecting", "CloseDate": "2026-12-31" })),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let missing = org.get("/sobjects/Lead/00Q000000000000AAA").await;
    assert_eq!(
        (missing.status, error(&missing.body).0),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    );
    let unknown = org.get("/sobjects/Widget__c/describe").await;
    assert_eq!(
        (unknown.status, error(&unknown.body).0),
        (StatusCode::NOT_FOUND, "NOT_FOUND")
    );
}

#[tokio::test]
async fn upsert_by_external_id_creates_updates_and_reports_several_matches() {
    let org = Org::start().await;
    let path = "/sobjects/Account/ExtId__c/NEW-11999";
    let r = org
        .call(
            Method::PATCH,
            path,
            Some(json!({ "Name": "California Wheat Corporation" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (
            r.body["success"].clone(),
            r.body["created"].clone(),
            r.body["errors"].clone()
        ),
        (json!(true), json!(true), json!([]))
    );
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = org
        .call(
            Method::PATCH,
            path,
            Some(json!({ "Industry": "Agriculture" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["id"].as_str(), r.body["created"].as_bool()),
        (Some(id.as_str()), Some(false))
    );
    assert_eq!(
        org.get(&format!("/sobjects/Account/{id}")).await.body["Industry"],
        "Agriculture"
    );
    let only = org
        .call_with(
            Method::PATCH,
            &format!("/services/data/{V}/sobjects/Account/ExtId__c/NOPE-1?updateOnly=true"),
            Some(json!({ "Name": "X" })),
            Some(&org.token),
            &[],
        )
        .await;
    assert_eq!(
        only.status,
        StatusCode::NOT_FOUND,
        "updateOnly never inserts"
    );
    // Two accounts share a non-unique external id: the upsert cannot choose.
    let accounts = org
        .query("SELECT Id FROM Account ORDER BY Id LIMIT 2")
        .await;
    for a in accounts["records"].as_array().unwrap() {
        let r = org
            .call(
                Method::PATCH,
                &format!("/sobjects/Account/{}", a["Id"].as_str().unwrap()),
                Some(json!({ "LegacyId__c": "L-1" })),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }
    let r = org
        .call(
            Method::PATCH,
            "/sobjects/Account/LegacyId__c/L-1",
            Some(json!({ "Name": "Which one?" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::MULTIPLE_CHOICES, "{}", r.body);
    assert_eq!(
        r.body.as_array().unwrap().len(),
        2,
        "the matching records are listed: {}",
        r.body
    );
}

#[tokio::test]
async fn duplicate_values_real_and_injected() {
    let org = Org::start().await;
    let taken = org
        .query("SELECT ExtId__c FROM Account WHERE ExtId__c != null LIMIT 1")
        .await["records"][0]["ExtId__c"]
        .clone();
    let r = org
        .call(
            Method::POST,
            "/sobjects/Account",
            Some(json!({ "Name": "Clash", "ExtId__c": taken })),
        )
        .await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::BAD_REQUEST, "DUPLICATE_VALUE")
    );
    org.fault(json!({ "kind": "duplicate_value", "next": 1 }))
        .await;
    let r = org
        .call(
            Method::POST,
            "/sobjects/Account",
            Some(json!({ "Name": "Fresh", "ExtId__c": "FRESH-1" })),
        )
        .await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::BAD_REQUEST, "DUPLICATE_VALUE"),
        "the fault fires once"
    );
    let r = org
        .call(
            Method::POST,
            "/sobjects/Account",
            Some(json!({ "Name": "Fresh", "ExtId__c": "FRESH-1" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The fault applies to any object, and to records created through collections too.
    org.fault(json!({ "kind": "duplicate_value", "next": 1 }))
        .await;
    let r = org
        .call(
            Method::POST,
            "/sobjects/Lead",
            Some(json!({ "LastName": "Dup", "Company": "Dup Co" })),
        )
        .await;
    assert_eq!(
        (r.status, error(&r.body).0),
        (StatusCode::BAD_REQUEST, "DUPLICATE_VALUE")
    );
    org.fault(json!({ "kind": "duplicate_value", "next": 1 }))
        .await;
    let records = json!([{ "attributes": { "type": "Lead" }, "LastName": "A", "Company": "B" }, { "attributes": { "type": "Lead" }, "LastName": "C", "Company": "D" }]);
    let r = org
        .call(
            Method::POST,
            "/composite/sobjects",
            Some(json!({ "records": records })),
        )
        .await;
    assert_eq!(
        r.body[0]["errors"][0]["statusCode"], "DUPLICATE_VALUE",
        "{}",
        r.body
    );
    assert_eq!(r.body[1]["success"], true, "{}", r.body);
}

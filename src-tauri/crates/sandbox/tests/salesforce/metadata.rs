//! Describe and replication (reference §1 "Objects", "Read paths"): field types,
//! nillable / createable / unique / externalId, picklist values, global describe, and
//! Get Updated / Get Deleted with their 30 / 15-day look-back limits.

use crate::{error, is_sf_datetime, Org};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string()
}

fn window(start_days_ago: i64) -> String {
    format!(
        "?start={}&end={}",
        crate::urlencode(&ago(start_days_ago)),
        crate::urlencode(&ago(-1))
    )
}

#[tokio::test]
async fn describe_lists_fields_types_and_picklists() {
    let org = Org::start().await;
    let global = org.get("/sobjects").await.body;
    let names: Vec<&str> = global["sobjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    for n in ["Account", "Contact", "Lead", "Opportunity"] {
        assert!(names.contains(&n), "{names:?}");
    }
    let lead = org.get("/sobjects/Lead/describe").await.body;
    let field = |d: &Value, name: &str| {
        d["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    let status = field(&lead, "Status");
    assert_eq!(status["type"], "picklist");
    let values: Vec<&str> = status["picklistValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        values,
        [
            "Open - Not Contacted",
            "Working - Contacted",
            "Closed - Converted",
            "Closed - Not Converted"
        ]
    );
    assert_eq!(
        (
            field(&lead, "Id")["type"].as_str(),
            field(&lead, "Email")["type"].as_str()
        ),
        (Some("id"), Some("email"))
    );
    let last = field(&lead, "LastName");
    assert_eq!(
        (
            last["nillable"].as_bool(),
            last["createable"].as_bool(),
            last["updateable"].as_bool()
        ),
        (Some(false), Some(true), Some(true))
    );
    assert!(last["length"].as_u64().is_some_and(|l| l > 0));
    let modstamp = field(&lead, "SystemModstamp");
    assert_eq!(
        (modstamp["type"].as_str(), modstamp["createable"].as_bool()),
        (Some("datetime"), Some(false))
    );
    let contact = org.get("/sobjects/Contact/describe").await.body;
    let ext = field(&contact, "ExtId__c");
    assert_eq!(
        (ext["externalId"].as_bool(), ext["unique"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(field(&contact, "AccountId")["type"], "reference");
    let opp = org.get("/sobjects/Opportunity/describe").await.body;
    assert_eq!(field(&opp, "CloseDate")["type"], "date");
    assert_eq!(field(&opp, "Amount")["type"], "currency");
    assert!(field(&opp, "StageName")["picklistValues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["value"] == "Closed Won"));
}

#[tokio::test]
async fn get_updated_and_get_deleted_with_look_back_limits() {
    let org = Org::start().await;
    let ids = org
        .query("SELECT Id FROM Contact ORDER BY Id LIMIT 2")
        .await;
    let (edited, removed) = (
        ids["records"][0]["Id"].as_str().unwrap(),
        ids["records"][1]["Id"].as_str().unwrap(),
    );
    org.control(
        Method::POST,
        "/__sandbox/mutate",
        Some(json!({ "object": "Contact", "id": edited, "fields": { "Title": "VP" } })),
    )
    .await;
    org.control(
        Method::POST,
        "/__sandbox/mutate",
        Some(json!({ "object": "Contact", "id": removed, "delete": true })),
    )
    .await;
    let updated = org
        .get(&format!("/sobjects/Contact/updated/{}", window(1)))
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let listed: Vec<&str> = updated.body["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(listed.contains(&edited), "{listed:?}");
    assert!(is_sf_datetime(&updated.body["latestDateCovered"]));
    let deleted = org
        .get(&format!("/sobjects/Contact/deleted/{}", window(1)))
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let rows = deleted.body["deletedRecords"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["id"] == removed && is_sf_datetime(&r["deletedDate"])),
        "{}",
        deleted.body
    );
    assert!(
        is_sf_datetime(&deleted.body["earliestDateAvailable"])
            && is_sf_datetime(&deleted.body["latestDateCovered"])
    );
    let too_old = org
        .get(&format!("/sobjects/Contact/updated/{}", window(31)))
        .await;
    assert_eq!(
        too_old.status,
        StatusCode::BAD_REQUEST,
        "updated looks back 30 days"
    );
    error(&too_old.body);
    let too_old = org
        .get(&format!("/sobjects/Contact/deleted/{}", window(16)))
        .await;
    assert_eq!(
        too_old.status,
        StatusCode::BAD_REQUEST,
        "deleted looks back 15 days"
    );
    assert_eq!(
        org.get(&format!("/sobjects/Contact/deleted/{}", window(14)))
            .await
            .status,
        StatusCode::OK
    );
}

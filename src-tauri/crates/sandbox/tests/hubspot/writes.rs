//! Writes and the properties API: create 201, update 200, archive 204, their validation
//! and conflict errors, the DuplicateValue fault, and property definitions.

use super::support::{assert_error, Hs};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn create_update_archive_and_their_errors() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let created = hs.post(&token, "/crm/v3/objects/contacts", json!({ "properties": { "email": "new.person@example.org", "firstname": "Nova", "lifecyclestage": "lead" } })).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["properties"]["firstname"], "Nova");
    assert_eq!(created.body["properties"]["hs_object_id"], id.as_str());
    let before = created.body["properties"]["lastmodifieddate"]
        .as_str()
        .unwrap()
        .to_owned();

    let dup = hs
        .post(
            &token,
            "/crm/v3/objects/contacts",
            json!({ "properties": { "email": "NEW.person@example.org" } }),
        )
        .await;
    assert_error(&dup, 409, "CONFLICT");
    assert_eq!(
        dup.body["message"],
        format!("Contact already exists. Existing ID: {id}")
    );

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let updated = hs
        .call(
            Method::PATCH,
            Some(&token),
            &format!("/crm/v3/objects/contacts/{id}"),
            Some(json!({ "properties": { "firstname": "Nora", "amount_typo": "1" } })),
        )
        .await;
    assert_error(&updated, 400, "VALIDATION_ERROR");
    assert!(updated.body["message"]
        .as_str()
        .unwrap()
        .contains("PROPERTY_DOESNT_EXIST"));
    let updated = hs
        .call(
            Method::PATCH,
            Some(&token),
            "/crm/v3/objects/contacts/new.person@example.org?idProperty=email",
            Some(json!({ "properties": { "firstname": "Nora" } })),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["properties"]["firstname"], "Nora");
    assert!(
        updated.body["properties"]["lastmodifieddate"]
            .as_str()
            .unwrap()
            > before.as_str(),
        "last-modified moves forward"
    );

    let bad_option = hs
        .post(
            &token,
            "/crm/v3/objects/contacts",
            json!({ "properties": { "lifecyclestage": "king" } }),
        )
        .await;
    assert_error(&bad_option, 400, "VALIDATION_ERROR");
    assert!(bad_option.body["message"]
        .as_str()
        .unwrap()
        .contains("INVALID_OPTION"));
    let deal = hs.post(&token, "/crm/v3/objects/deals", json!({ "properties": { "dealname": "Big one", "amount": 1500, "dealstage": "closedwon", "pipeline": "default" } })).await;
    assert_eq!(deal.status, StatusCode::CREATED);
    assert_eq!(
        deal.body["properties"]["amount"], "1500",
        "numbers come back as strings"
    );
    let ticket = hs
        .post(
            &token,
            "/crm/v3/objects/tickets",
            json!({ "properties": { "subject": "No pipeline" } }),
        )
        .await;
    assert_error(&ticket, 400, "VALIDATION_ERROR");

    assert_eq!(
        hs.call(
            Method::DELETE,
            Some(&token),
            &format!("/crm/v3/objects/contacts/{id}"),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    let again = hs
        .post(
            &token,
            "/crm/v3/objects/contacts",
            json!({ "properties": { "email": "new.person@example.org" } }),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::CREATED,
        "an archived contact's email is free again"
    );
}

#[tokio::test]
async fn the_duplicate_value_fault_makes_the_next_create_a_409() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    hs.fault(json!({ "kind": "duplicate_value", "path": "/crm/v3/objects/contacts", "next": 1 }))
        .await;
    let r = hs
        .post(
            &token,
            "/crm/v3/objects/contacts",
            json!({ "properties": { "email": "fresh@example.org" } }),
        )
        .await;
    assert_error(&r, 409, "CONFLICT");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Contact already exists. Existing ID: "));
    let r = hs
        .post(
            &token,
            "/crm/v3/objects/contacts",
            json!({ "properties": { "email": "fresh@example.org" } }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "fires once");
}

#[tokio::test]
async fn the_properties_api_describes_types_and_options() {
    let hs = Hs::start().await;
    let token = hs.token().await;
    let all = hs.get(&token, "/crm/v3/properties/contacts").await;
    assert_eq!(all.status, StatusCode::OK);
    let props = all.body["results"].as_array().unwrap();
    let find = |n: &str| props.iter().find(|p| p["name"] == n).unwrap().clone();
    let lead = find("hs_lead_status");
    assert_eq!(
        (lead["type"].as_str(), lead["fieldType"].as_str()),
        (Some("enumeration"), Some("radio"))
    );
    assert!(lead["options"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["value"] == "IN_PROGRESS" && o["label"].is_string()));
    assert_eq!(find("lastmodifieddate")["type"], "datetime");
    assert_eq!(find("email")["type"], "string");
    let stage = hs.get(&token, "/crm/v3/properties/deals/dealstage").await;
    assert!(stage.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["value"] == "closedwon"));
    assert_eq!(
        hs.get(&token, "/crm/v3/properties/deals/amount").await.body["type"],
        "number"
    );
    assert_eq!(
        hs.get(&token, "/crm/v3/properties/deals/hs_is_closed")
            .await
            .body["type"],
        "bool"
    );
    assert_error(
        &hs.get(&token, "/crm/v3/properties/contacts/nope").await,
        404,
        "OBJECT_NOT_FOUND",
    );
}

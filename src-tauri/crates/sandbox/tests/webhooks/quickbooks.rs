//! QuickBooks: CloudEvents arrays (`qbo.<entity>.<created|updated|deleted>.v1` with the
//! entity id and realm) or, when subscribed so, the legacy `eventNotifications` shape;
//! both signed with `intuit-signature`.

use crate::receiver::{control, Receiver, SECRET};
use reqwest::Method;
use serde_json::{json, Value};
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedSpec};

async fn mutate(base: &str, body: Value) -> Value {
    let res = reqwest::Client::new()
        .post(format!("{base}/__sandbox/mutate"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    res.json().await.unwrap()
}

#[tokio::test]
async fn entity_changes_arrive_as_signed_cloudevents_or_legacy_notifications() {
    let sandbox = Sandbox::start(SandboxConfig {
        seed: SeedSpec {
            seed: 9,
            records: 20,
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let base = sandbox.base_url("quickbooks").unwrap().to_owned();
    let http = reqwest::Client::new();
    let minted: Value = http
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (token, realm) = (
        minted["access_token"].as_str().unwrap().to_owned(),
        minted["realmId"].as_str().unwrap().to_owned(),
    );
    let receiver = Receiver::start().await;
    let (status, body) = control(
        &base,
        Method::POST,
        Some(json!({ "provider": "quickbooks", "url": receiver.url, "secret": SECRET, "batch_ms": 300 })),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // A customer created through the API, then edited by "another user".
    let created: Value = http
        .post(format!(
            "{base}/v3/company/{realm}/customer?minorversion=75"
        ))
        .bearer_auth(&token)
        .header("Accept", "application/json")
        .json(&json!({ "DisplayName": "Webhook Works" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["Customer"]["Id"].as_str().unwrap().to_owned();
    mutate(
        &base,
        json!({ "object": "Customer", "id": id, "fields": { "CompanyName": "Hooks Inc" } }),
    )
    .await;

    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].intuit, Some(true), "intuit-signature verifies");
    let events = got[0].body.as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["qbo.customer.created.v1", "qbo.customer.updated.v1"]
    );
    for e in events {
        assert_eq!(e["specversion"], "1.0");
        assert_eq!(e["intuitentityid"], id.as_str());
        assert_eq!(e["intuitaccountid"], realm.as_str());
        assert!(!e["id"].as_str().unwrap().is_empty());
        assert!(e["time"].as_str().unwrap().ends_with('Z'));
    }
    assert_ne!(events[0]["id"], events[1]["id"]);

    // The legacy shape on request; an invoice deleted by another user.
    let (status, _) = control(
        &base,
        Method::POST,
        Some(json!({ "url": receiver.url, "secret": SECRET, "format": "legacy", "batch_ms": 50 })),
    )
    .await;
    assert_eq!(status, 201);
    let dump: Value = http
        .get(format!("{base}/__sandbox/dump"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let invoice = dump["Invoice"][0]["Id"].as_str().unwrap().to_owned();
    mutate(
        &base,
        json!({ "object": "Invoice", "id": invoice, "delete": true }),
    )
    .await;
    let got = receiver.wait_for(2).await;
    assert_eq!(got[1].intuit, Some(true));
    let notes = &got[1].body["eventNotifications"];
    assert_eq!(notes.as_array().unwrap().len(), 1);
    assert_eq!(notes[0]["realmId"], realm.as_str());
    let entities = notes[0]["dataChangeEvent"]["entities"].as_array().unwrap();
    let deleted = entities
        .iter()
        .find(|e| e["name"] == "Invoice")
        .expect("the invoice's deletion");
    assert_eq!(deleted["id"], invoice.as_str());
    assert_eq!(deleted["operation"], "Delete");
    assert!(deleted["lastUpdated"].as_str().is_some());
}

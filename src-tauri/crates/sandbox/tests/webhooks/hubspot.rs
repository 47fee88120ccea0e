//! HubSpot: creation, one propertyChange per changed property and deletion, from API
//! writes (single and batch) and control-API edits, batched into arrays signed v1 + v3
//! (or v2 + v3); retries carry the same eventIds with a rising attemptNumber.

use crate::receiver::{control, Receiver, SECRET};
use reqwest::Method;
use serde_json::{json, Value};
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedSpec};

async fn start() -> (Sandbox, String, String) {
    let sandbox = Sandbox::start(SandboxConfig {
        seed: SeedSpec {
            seed: 5,
            records: 20,
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let base = sandbox.base_url("hubspot").unwrap().to_owned();
    let minted: Value = reqwest::Client::new()
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = minted["access_token"].as_str().unwrap().to_owned();
    (sandbox, base, token)
}

async fn api(base: &str, token: &str, method: Method, path: &str, body: Value) -> Value {
    let res = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json().await.unwrap_or(Value::Null)
}

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

fn types(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["subscriptionType"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn record_changes_arrive_as_signed_batches_of_events() {
    let (_sandbox, base, token) = start().await;
    let dump: Value = reqwest::get(format!("{base}/__sandbox/dump"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hub = dump["hub_id"].as_u64().unwrap();
    let receiver = Receiver::start().await;

    // Nothing is sent before a receiver subscribes.
    mutate(
        &base,
        json!({ "object": "contacts", "fields": { "email": "early@example.com" } }),
    )
    .await;

    let (status, body) = control(
        &base,
        Method::POST,
        Some(json!({ "provider": "hubspot", "url": receiver.url, "secret": SECRET, "batch_ms": 400 })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(
        !body.to_string().contains(SECRET),
        "the status never shows the secret"
    );

    // Within one batch window: a create, an update of two properties (one unchanged), and an archive.
    let created = api(
        &base,
        &token,
        Method::POST,
        "/crm/v3/objects/contacts",
        json!({ "properties": { "email": "hook@example.com", "firstname": "Hook" } }),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    api(
        &base,
        &token,
        Method::PATCH,
        &format!("/crm/v3/objects/contacts/{id}"),
        json!({ "properties": { "firstname": "Hooked", "lastname": "Line", "email": "hook@example.com" } }),
    )
    .await;
    mutate(
        &base,
        json!({ "object": "contacts", "id": id, "delete": true }),
    )
    .await;

    let got = receiver.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let got = if receiver.requests().len() > got.len() {
        receiver.requests()
    } else {
        got
    };
    assert_eq!(got.len(), 1, "one request carries the window's four events");
    let request = &got[0];
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.v1, Some(true), "X-HubSpot-Signature v1 verifies");
    assert_eq!(
        request.v3,
        Some(true),
        "X-HubSpot-Signature-v3 verifies within 300 s"
    );
    let events = receiver.events();
    assert_eq!(
        types(&events),
        [
            "contact.creation",
            "contact.propertyChange",
            "contact.propertyChange",
            "contact.deletion"
        ]
    );
    let object_id: u64 = id.parse().unwrap();
    for e in &events {
        assert_eq!(e["objectId"], object_id);
        assert_eq!(e["portalId"], hub);
        assert_eq!(e["attemptNumber"], 0);
        assert!(e["occurredAt"].as_i64().unwrap() > 1_700_000_000_000);
        assert!(e["subscriptionId"].is_u64() && e["appId"].is_u64());
    }
    assert_eq!(events[0]["changeFlag"], "NEW");
    assert_eq!(events[3]["changeFlag"], "DELETED");
    let changed: Vec<(&str, &str)> = events[1..3]
        .iter()
        .map(|e| {
            (
                e["propertyName"].as_str().unwrap(),
                e["propertyValue"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [("firstname", "Hooked"), ("lastname", "Line")],
        "the unchanged email sends nothing"
    );
    let mut ids: Vec<u64> = events
        .iter()
        .map(|e| e["eventId"].as_u64().unwrap())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 4, "every event has its own id");

    // A batch update of three contacts: three events, none for the seeded data.
    let dump: Value = reqwest::get(format!("{base}/__sandbox/dump"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let three: Vec<String> = dump["contacts"].as_array().unwrap()[..3]
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let inputs: Vec<Value> = three
        .iter()
        .map(|id| json!({ "id": id, "properties": { "jobtitle": format!("Title {id}") } }))
        .collect();
    api(
        &base,
        &token,
        Method::POST,
        "/crm/v3/objects/contacts/batch/update",
        json!({ "inputs": inputs }),
    )
    .await;
    receiver.wait_for(2).await;
    let events = receiver.events();
    assert_eq!(events.len(), 7);
    assert!(events[4..].iter().all(|e| e["propertyName"] == "jobtitle"));

    let (_, status) = control(&base, Method::GET, None).await;
    assert_eq!(status["counters"]["delivered"], 2);
    assert_eq!(status["counters"]["delivered_events"], 7);
    assert_eq!(status["counters"]["failed"], 0);

    // Unsubscribed: edits send nothing more.
    assert_eq!(control(&base, Method::DELETE, None).await.0, 204);
    mutate(
        &base,
        json!({ "object": "contacts", "id": three[0], "fields": { "jobtitle": "Later" } }),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(receiver.requests().len(), 2);
}

#[tokio::test]
async fn failures_are_retried_with_the_same_events_and_rising_attempt_numbers() {
    let (_sandbox, base, _token) = start().await;
    let receiver = Receiver::start().await;
    // 503, then a timeout (the answer takes 800 ms, the sender waits 300), then 200.
    receiver.script(&[(503, 0), (200, 800)]);
    let (status, body) = control(
        &base,
        Method::POST,
        Some(json!({ "url": receiver.url, "secret": SECRET, "version": "v2", "batch_ms": 50, "retry_ms": 50, "timeout_ms": 300 })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    mutate(
        &base,
        json!({ "object": "companies", "fields": { "name": "Retry Co" } }),
    )
    .await;

    let got = receiver.wait_for(3).await;
    assert_eq!(got.len(), 3);
    for (attempt, r) in got.iter().enumerate() {
        assert_eq!(r.v2, Some(true), "v2 verifies on attempt {attempt}");
        assert_eq!(r.v3, Some(true), "v3 verifies on attempt {attempt}");
        assert_eq!(r.body[0]["attemptNumber"], attempt);
        assert_eq!(r.body[0]["eventId"], got[0].body[0]["eventId"]);
        assert_eq!(r.body[0]["subscriptionType"], "company.creation");
    }
    // Counters settle once the third answer is read.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (_, status) = control(&base, Method::GET, None).await;
    assert_eq!(status["counters"]["attempts"], 3);
    assert_eq!(status["counters"]["delivered"], 1);

    // A refusal other than 429/5xx is not retried.
    receiver.script(&[(401, 0)]);
    mutate(
        &base,
        json!({ "object": "companies", "fields": { "name": "Refused Co" } }),
    )
    .await;
    receiver.wait_for(4).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(receiver.requests().len(), 4);
    let (_, status) = control(&base, Method::GET, None).await;
    assert_eq!(status["counters"]["failed"], 1);
    assert_eq!(status["counters"]["last_status"], 401);
}

#[tokio::test]
async fn subscriptions_are_checked() {
    let (sandbox, base, _token) = start().await;
    let bad = [
        json!({ "url": "ftp://example.com/x", "secret": "s" }),
        json!({ "url": "http://127.0.0.1:1/x", "secret": "" }),
        json!({ "url": "http://127.0.0.1:1/x", "secret": "s", "version": "v9" }),
        json!({ "provider": "quickbooks", "url": "http://127.0.0.1:1/x", "secret": "s" }),
    ];
    for body in bad {
        assert_eq!(
            control(&base, Method::POST, Some(body.clone())).await.0,
            400,
            "{body}"
        );
    }
    let salesforce = sandbox.base_url("salesforce").unwrap();
    let (status, _) = control(
        salesforce,
        Method::POST,
        Some(json!({ "url": "http://127.0.0.1:1/x", "secret": "s" })),
    )
    .await;
    assert_eq!(status, 404, "Salesforce's simulator sends no webhooks");
}

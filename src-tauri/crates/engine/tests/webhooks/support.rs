//! Shared by the webhook tests: turning the receiver on (any free loopback port), posting
//! deliveries signed by the sandbox crate's independent signers, and waiting for what the
//! dispatcher does.

#![allow(clippy::unwrap_used, dead_code)]

use serde_json::Value as Json;
use std::future::Future;
use std::time::Duration;
use switchyard_engine::api::webhooks::WebhookView;
use switchyard_engine::store::kinds::{RunStatus, RunTrigger};
use switchyard_engine::store::tables::runs::{self, Run};
use switchyard_engine::store::tables::webhook_events::WebhookEvent;
use switchyard_engine::webhooks::WebhookSettings;
use switchyard_engine::Engine;

/// Turns the receiver on at 127.0.0.1:<free port> with this sync delay.
pub async fn enable(engine: &Engine, debounce_ms: u32) -> WebhookView {
    let view = engine
        .set_webhook_settings(WebhookSettings {
            enabled: true,
            port: 0,
            debounce_ms,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        view.status.state,
        switchyard_engine::webhooks::ReceiverState::Listening,
        "{:?}",
        view.status
    );
    view
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// HubSpot's v3 headers for a POST of `body` to `url`, signed at `ts_ms`.
pub fn hubspot_v3(secret: &str, url: &str, body: &str, ts_ms: i64) -> Vec<(&'static str, String)> {
    vec![
        (
            "X-HubSpot-Signature-v3",
            switchyard_sandbox::hubspot::signature::v3(secret, "POST", url, body, ts_ms),
        ),
        ("X-HubSpot-Request-Timestamp", ts_ms.to_string()),
    ]
}

/// One HubSpot event as the documentation shows it.
pub fn hubspot_event(event_id: u64, portal: &str, object_id: &str, kind: &str) -> Json {
    serde_json::json!({
        "eventId": event_id,
        "subscriptionId": 1,
        "portalId": portal.parse::<u64>().unwrap_or(62515),
        "appId": 54321,
        "occurredAt": now_ms(),
        "subscriptionType": kind,
        "attemptNumber": 0,
        "objectId": object_id.parse::<u64>().unwrap_or(1),
        "changeSource": "CRM",
    })
}

/// POSTs `body` with `headers`; returns the status and the JSON answer (or Null).
pub async fn post(
    url: &str,
    headers: &[(&str, String)],
    body: impl Into<reqwest::Body>,
) -> (u16, Json) {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Json::Null))
}

/// Runs of a mapping started by webhooks, oldest first.
pub async fn webhook_runs(engine: &Engine, mapping_id: &str) -> Vec<Run> {
    let mut list: Vec<Run> = runs::recent(engine.store().pool(), 500)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.run)
        .filter(|r| r.mapping_id == mapping_id && r.trigger == RunTrigger::Webhook)
        .collect();
    list.sort_by_key(|r| r.started_at);
    list
}

pub fn finished(run: &Run) -> bool {
    run.status != RunStatus::Running && run.finished_at.is_some()
}

/// Polls `check` every 50 ms until it holds (at most `secs` seconds).
pub async fn wait_until<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out after {secs} s waiting for {what}");
}

/// Every verified event stored, oldest first (processed or not).
pub async fn verified_events(engine: &Engine) -> Vec<WebhookEvent> {
    switchyard_engine::store::sqlx::query_as(
        "SELECT * FROM webhook_events WHERE signature_valid = 1 ORDER BY id",
    )
    .fetch_all(engine.store().pool())
    .await
    .unwrap()
}

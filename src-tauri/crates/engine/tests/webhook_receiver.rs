//! The webhook receiver over real loopback HTTP and a real database: off by default, on
//! 127.0.0.1 when enabled; deliveries signed by the sandbox crate's own signers (written
//! from the provider reference, independently of the verifier) are accepted, and
//! tampered, stale, wrongly keyed, unsigned, malformed and oversized ones refused with
//! 401/400/413 and counted; a replayed event id is stored once.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "webhooks/support.rs"]
mod support;

use hmac::{Hmac, Mac};
use serde_json::{json, Value as Json};
use sha2::Sha256;
use support::{enable, hubspot_event, hubspot_v3, now_ms, post};
use switchyard_engine::store::kinds::ProviderId;
use switchyard_engine::store::tables::webhook_events;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::webhooks::{ReceiverState, WebhookSettings};
use switchyard_engine::{Engine, EngineConfig};

async fn plain_engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    (engine, dir)
}

#[tokio::test]
async fn off_by_default_and_on_loopback_when_enabled() {
    let (engine, _dir) = plain_engine().await;
    let view = engine.start_webhooks().await.unwrap();
    assert_eq!(
        view.state,
        ReceiverState::Off,
        "nothing listens until the user says so"
    );
    let view = engine.webhook_view().await.unwrap();
    assert_eq!(view.settings, WebhookSettings::default());
    assert_eq!(view.base_url, "http://127.0.0.1:8787");
    assert_eq!(
        view.endpoints[0].url,
        "http://127.0.0.1:8787/webhooks/hubspot"
    );

    let view = enable(&engine, 2000).await;
    let address = view.status.address.clone().unwrap();
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    assert_eq!(view.base_url, format!("http://{address}"));
    let urls: Vec<&str> = view.endpoints.iter().map(|e| e.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            format!("http://{address}/webhooks/hubspot"),
            format!("http://{address}/webhooks/quickbooks"),
            format!("http://{address}/webhooks/slack"),
        ]
    );
    // No secret yet: every provider's delivery is refused.
    let (status, body) = post(&format!("http://{address}/webhooks/quickbooks"), &[], "[]").await;
    assert_eq!(status, 401);
    assert!(
        body["error"].as_str().unwrap().contains("QuickBooks")
            && body["error"]
                .as_str()
                .unwrap()
                .contains("signing secret is set"),
        "{body}"
    );

    // A public address (a tunnel) changes the URLs to paste, not where it listens.
    let view = engine
        .set_webhook_settings(WebhookSettings {
            enabled: true,
            port: 0,
            public_url: Some("https://hooks.example.trycloudflare.com/".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        view.endpoints[1].url,
        "https://hooks.example.trycloudflare.com/webhooks/quickbooks"
    );

    let off = engine
        .set_webhook_settings(WebhookSettings::default())
        .await
        .unwrap();
    assert_eq!(off.status.state, ReceiverState::Off);
    let refused = reqwest::Client::new()
        .post(format!(
            "http://{}/webhooks/hubspot",
            view.status.address.unwrap()
        ))
        .send()
        .await;
    assert!(refused.is_err(), "the port is closed once turned off");

    // A port already taken is reported, not hidden.
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = engine
        .set_webhook_settings(WebhookSettings {
            enabled: true,
            port,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(error.status.state, ReceiverState::Error);
    assert!(error.status.message.unwrap().contains(&port.to_string()));
    // Bad settings are refused before anything changes.
    let bad = engine
        .set_webhook_settings(WebhookSettings {
            host: "example.com".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(bad.unwrap_err().code.as_str(), "validation");
}

#[tokio::test]
async fn hubspot_signatures_replays_and_limits() {
    let (engine, _dir) = plain_engine().await;
    let secret = "hs-client-secret-0001";
    engine
        .set_webhook_secret(ProviderId::Hubspot, Some(secret.into()))
        .await
        .unwrap();
    let view = enable(&engine, 60_000).await;
    assert!(view.endpoints[0].has_secret);
    let url = view.endpoints[0].url.clone();
    let start = now_ms();
    let body = json!([hubspot_event(101, "62515", "501", "contact.propertyChange")]).to_string();

    // Signed correctly: stored, 200 at once.
    let (status, answer) = post(
        &url,
        &hubspot_v3(secret, &url, &body, now_ms()),
        body.clone(),
    )
    .await;
    assert_eq!(
        (status, answer["received"].as_u64()),
        (200, Some(1)),
        "{answer}"
    );

    // The same event again (HubSpot retries): accepted, not stored twice.
    let (status, answer) = post(
        &url,
        &hubspot_v3(secret, &url, &body, now_ms()),
        body.clone(),
    )
    .await;
    assert_eq!(
        (
            status,
            answer["received"].as_u64(),
            answer["duplicates"].as_u64()
        ),
        (200, Some(0), Some(1))
    );

    // Refused: tampered body, a stale timestamp, the wrong secret, no signature.
    let tampered = body.replace("501", "502");
    let signed_original = hubspot_v3(secret, &url, &body, now_ms());
    assert_eq!(post(&url, &signed_original, tampered).await.0, 401);
    let stale_ts = now_ms() - 6 * 60 * 1000;
    let (status, answer) = post(
        &url,
        &hubspot_v3(secret, &url, &body, stale_ts),
        body.clone(),
    )
    .await;
    assert_eq!(status, 401);
    assert!(
        answer["error"].as_str().unwrap().contains("300 s window"),
        "{answer}"
    );
    assert_eq!(
        post(
            &url,
            &hubspot_v3("someone-else", &url, &body, now_ms()),
            body.clone()
        )
        .await
        .0,
        401
    );
    assert_eq!(post(&url, &[], body.clone()).await.0, 401);
    // Signed for another address (a replay to a different receiver): refused.
    let elsewhere = hubspot_v3(
        secret,
        "https://elsewhere.example.com/webhooks/hubspot",
        &body,
        now_ms(),
    );
    assert_eq!(post(&url, &elsewhere, body.clone()).await.0, 401);

    // Signed but not what HubSpot sends: 400. Over 1 MiB: 413.
    let junk = r#"{"not":"an array"}"#;
    assert_eq!(
        post(&url, &hubspot_v3(secret, &url, junk, now_ms()), junk)
            .await
            .0,
        400
    );
    let huge = format!("[{}]", "0,".repeat(600_000) + "0");
    assert_eq!(
        post(&url, &hubspot_v3(secret, &url, &huge, now_ms()), huge)
            .await
            .0,
        413
    );

    let pool = engine.store().pool();
    assert_eq!(
        webhook_events::count_rejected(pool, start).await.unwrap(),
        7
    );
    let stats = engine.webhook_stats(start).await.unwrap();
    assert_eq!(
        (stats.received, stats.rejected, stats.duplicates),
        (1, 7, 1)
    );
    assert_eq!(stats.receiver, ReceiverState::Listening);
    let stored = support::verified_events(&engine).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].delivery_id, "62515:101");
    assert_eq!(stored[0].object.as_deref(), Some("contacts"));
    assert_eq!(stored[0].record_id.as_deref(), Some("501"));
    assert_eq!(
        stored[0].connection_id, None,
        "no connection has portal 62515"
    );
    // Refusals keep a reason, never the secret or the body.
    let reasons: Vec<(String, String)> = switchyard_engine::store::sqlx::query_as(
        "SELECT COALESCE(rejection, ''), payload FROM webhook_events WHERE signature_valid = 0",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(reasons
        .iter()
        .all(|(reason, payload)| !reason.is_empty() && payload.is_empty()));
    assert!(reasons.iter().all(|(reason, _)| !reason.contains(secret)));
}

#[tokio::test]
async fn hubspot_v1_when_chosen() {
    let (engine, _dir) = plain_engine().await;
    let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    engine
        .set_webhook_secret(ProviderId::Hubspot, Some(secret.into()))
        .await
        .unwrap();
    let view = engine
        .set_webhook_settings(WebhookSettings {
            enabled: true,
            port: 0,
            hubspot_signature: switchyard_engine::webhooks::HubspotSignature::V1,
            ..Default::default()
        })
        .await
        .unwrap();
    let url = &view.endpoints[0].url;
    // HubSpot's published v1 example.
    let body = r#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]"#;
    let v1 = [
        (
            "X-HubSpot-Signature",
            "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de".to_owned(),
        ),
        ("X-HubSpot-Signature-Version", "v1".to_owned()),
    ];
    // The signature holds, but the event occurred in 2019: a v1 signature carries no
    // timestamp, so an event older than the time its key is kept is refused as a replay.
    let (status, answer) = post(url, &v1, body).await;
    assert_eq!(status, 401, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("refused as replays"),
        "{answer}"
    );
    assert_eq!(post(url, &v1, body.replace("12345", "12346")).await.0, 401);
}

#[tokio::test]
async fn hubspot_v1_accepts_recent_events_once_and_refuses_undated_or_old_ones() {
    let (engine, _dir) = plain_engine().await;
    let secret = "hs-client-secret-v1";
    engine
        .set_webhook_secret(ProviderId::Hubspot, Some(secret.into()))
        .await
        .unwrap();
    let view = engine
        .set_webhook_settings(WebhookSettings {
            enabled: true,
            port: 0,
            debounce_ms: 60_000,
            hubspot_signature: switchyard_engine::webhooks::HubspotSignature::V1,
            ..Default::default()
        })
        .await
        .unwrap();
    let url = &view.endpoints[0].url;
    let v1 = |body: &str| {
        vec![
            (
                "X-HubSpot-Signature",
                switchyard_sandbox::hubspot::signature::v1(secret, body),
            ),
            ("X-HubSpot-Signature-Version", "v1".to_owned()),
        ]
    };
    let day_ms = 24 * 3600 * 1000;
    let mut event = hubspot_event(7, "62515", "501", "contact.propertyChange");
    // A HubSpot retry a day and a half after the event (its schedule spans about 24 h).
    event["occurredAt"] = json!(now_ms() - 36 * 3600 * 1000);
    let body = json!([event]).to_string();
    assert_eq!(post(url, &v1(&body), body.clone()).await.1["received"], 1);
    let (status, again) = post(url, &v1(&body), body.clone()).await;
    assert_eq!((status, again["duplicates"].as_u64()), (200, Some(1)));

    event["eventId"] = json!(8);
    event["occurredAt"] = json!(now_ms() - 31 * day_ms);
    let old = json!([event]).to_string();
    assert_eq!(post(url, &v1(&old), old.clone()).await.0, 401);
    event.as_object_mut().unwrap().remove("occurredAt");
    let undated = json!([event]).to_string();
    assert_eq!(post(url, &v1(&undated), undated.clone()).await.0, 401);
    assert_eq!(support::verified_events(&engine).await.len(), 1);
}

fn intuit(token: &str, body: &str) -> Vec<(&'static str, String)> {
    vec![(
        "intuit-signature",
        switchyard_sandbox::quickbooks::signature::sign(token, body.as_bytes()),
    )]
}

#[tokio::test]
async fn quickbooks_payloads_and_slack_challenges() {
    let (engine, _dir) = plain_engine().await;
    engine
        .set_webhook_secret(ProviderId::Quickbooks, Some("verifier-token-123".into()))
        .await
        .unwrap();
    engine
        .set_webhook_secret(
            ProviderId::Slack,
            Some("8f742231b10e8888abcd99yyyzzz85a5".into()),
        )
        .await
        .unwrap();
    let view = enable(&engine, 60_000).await;
    let (qb, slack) = (view.endpoints[1].url.clone(), view.endpoints[2].url.clone());

    let cloud = json!([
        { "specversion": "1.0", "id": "ce-1", "source": "intuit", "type": "qbo.customer.updated.v1", "time": "2025-11-20T10:00:00Z", "intuitentityid": "58", "intuitaccountid": "9341", "data": {} },
        { "specversion": "1.0", "id": "ce-2", "source": "intuit", "type": "qbo.invoice.deleted.v1", "time": "2025-11-20T10:00:01Z", "intuitentityid": "7", "intuitaccountid": "9341", "data": {} }
    ])
    .to_string();
    let (status, answer) = post(&qb, &intuit("verifier-token-123", &cloud), cloud.clone()).await;
    assert_eq!((status, answer["received"].as_u64()), (200, Some(2)));
    let legacy = r#"{"eventNotifications":[{"realmId":"9341","dataChangeEvent":{"entities":[{"name":"Customer","id":"58","operation":"Update","lastUpdated":"2025-11-20T10:00:02.000Z"}]}}]}"#;
    assert_eq!(
        post(&qb, &intuit("verifier-token-123", legacy), legacy)
            .await
            .1["received"],
        1
    );
    assert_eq!(
        post(&qb, &intuit("verifier-token-123", legacy), legacy)
            .await
            .1["duplicates"],
        1,
        "same realm, entity, id and time"
    );
    assert_eq!(
        post(&qb, &intuit("verifier-token-124", &cloud), cloud.clone())
            .await
            .0,
        401
    );

    let secret = "8f742231b10e8888abcd99yyyzzz85a5";
    let slack_headers = |body: &str, ts: i64| {
        let ts = ts.to_string();
        vec![
            ("X-Slack-Request-Timestamp", ts.clone()),
            (
                "X-Slack-Signature",
                switchyard_sandbox::slack::signature::sign(secret, &ts, body.as_bytes()),
            ),
        ]
    };
    let now = now_ms() / 1000;
    let challenge = r#"{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
    let (status, answer) = post(&slack, &slack_headers(challenge, now), challenge).await;
    assert_eq!(
        (status, answer["challenge"].as_str()),
        (
            200,
            Some("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
        )
    );
    assert_eq!(
        post(&slack, &slack_headers(challenge, now - 301), challenge)
            .await
            .0,
        401,
        "stale"
    );
    let event = r#"{"team_id":"T061EG9R6","event":{"type":"user_change","user":{"id":"U1"}},"type":"event_callback","event_id":"Ev0PV52K21","event_time":1355517523}"#;
    assert_eq!(
        post(&slack, &slack_headers(event, now), event).await.1["received"],
        1
    );
    assert_eq!(
        post(&slack, &slack_headers(event, now), event).await.1["duplicates"],
        1,
        "Slack's retry of the same event_id"
    );

    let stored: Vec<Json> = support::verified_events(&engine)
        .await
        .into_iter()
        .map(|e| json!([e.provider.as_str(), e.delivery_id, e.object, e.record_id]))
        .collect();
    assert_eq!(
        stored,
        vec![
            json!(["quickbooks", "ce:ce-1", "Customer", "58"]),
            json!(["quickbooks", "ce:ce-2", "Invoice", "7"]),
            json!([
                "quickbooks",
                "legacy:9341:Customer:58:2025-11-20T10:00:02.000Z",
                "Customer",
                "58"
            ]),
            json!(["slack", "Ev0PV52K21", "users", "U1"]),
        ]
    );
}

/// `sha256=` + hex(HMAC-SHA256(secret, "{ts}.{body}")), as the README tells senders.
fn switchyard_signature(secret: &str, ts: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{ts}.{body}").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

#[tokio::test]
async fn a_generic_replay_with_a_new_delivery_header_or_a_respelled_signature_is_not_new() {
    let setup = common::sandbox_engine(3, 20).await;
    let engine = &setup.engine;
    let mapping = engine
        .create_mapping(setup.contacts_to_leads().await)
        .await
        .unwrap();
    let view = enable(engine, 60_000).await;
    let url = view
        .generic
        .iter()
        .find(|g| g.mapping_id == mapping.id)
        .unwrap()
        .url
        .clone();
    let secret = engine
        .rotate_generic_webhook_secret(&mapping.id)
        .await
        .unwrap()
        .secret;
    let body = r#"{"event":"row.updated","recordId":"42"}"#;
    let ts = now_ms() / 1000;
    let signature = switchyard_signature(&secret, ts, body);
    let headers = |signature: &str, delivery: &str| {
        vec![
            ("X-Switchyard-Timestamp", ts.to_string()),
            ("X-Switchyard-Signature", signature.to_owned()),
            ("X-Switchyard-Delivery", delivery.to_owned()),
        ]
    };
    let (status, first) = post(&url, &headers(&signature, "d1"), body).await;
    assert_eq!(
        (status, first["received"].as_u64()),
        (200, Some(1)),
        "{first}"
    );
    // The delivery header is not signed: a replay naming a new one is still a repeat.
    let (status, replay) = post(&url, &headers(&signature, "d2"), body).await;
    assert_eq!(
        (
            status,
            replay["received"].as_u64(),
            replay["duplicates"].as_u64()
        ),
        (200, Some(0), Some(1)),
        "{replay}"
    );
    // Upper-case hex is not the signature's spelling: refused, not a second delivery.
    let upper = format!("sha256={}", signature["sha256=".len()..].to_uppercase());
    assert_eq!(post(&url, &headers(&upper, "d3"), body).await.0, 401);
    assert_eq!(support::verified_events(engine).await.len(), 1);
}

#[tokio::test]
async fn a_mapping_endpoint_takes_its_own_rotatable_secret() {
    let setup = common::sandbox_engine(3, 20).await;
    let engine = &setup.engine;
    let mapping = engine
        .create_mapping(setup.contacts_to_leads().await)
        .await
        .unwrap();
    let view = enable(engine, 60_000).await;
    let generic = view
        .generic
        .iter()
        .find(|g| g.mapping_id == mapping.id)
        .unwrap();
    assert!(!generic.has_secret);
    let url = generic.url.clone();
    let body = r#"{"event":"row.updated","recordId":"42"}"#;
    let ts = now_ms() / 1000;
    let signed = |secret: &str, delivery: &str| {
        vec![
            ("X-Switchyard-Timestamp", ts.to_string()),
            (
                "X-Switchyard-Signature",
                switchyard_signature(secret, ts, body),
            ),
            ("X-Switchyard-Delivery", delivery.to_owned()),
        ]
    };
    assert_eq!(
        post(&url, &signed("anything", "d1"), body).await.0,
        401,
        "no secret yet"
    );

    let made = engine
        .rotate_generic_webhook_secret(&mapping.id)
        .await
        .unwrap();
    assert_eq!(made.url, url);
    assert!(made.secret.starts_with("whsec_") && made.secret.len() == 6 + 64);
    let (status, answer) = post(&url, &signed(&made.secret, "d1"), body).await;
    assert_eq!(
        (status, answer["received"].as_u64()),
        (200, Some(1)),
        "{answer}"
    );
    assert_eq!(
        post(&url, &signed(&made.secret, "d1"), body).await.1["duplicates"],
        1
    );
    assert_eq!(post(&url, &signed("whsec_wrong", "d2"), body).await.0, 401);
    let unknown = url.replace(&mapping.id, "no-such-mapping");
    assert_eq!(
        post(&unknown, &signed(&made.secret, "d3"), body).await.0,
        404
    );

    let event = &support::verified_events(engine).await[0];
    assert_eq!(event.mapping_id.as_deref(), Some(mapping.id.as_str()));
    assert_eq!(event.object.as_deref(), Some("contacts"));
    assert_eq!(event.record_id.as_deref(), Some("42"));
    assert_eq!(
        event.connection_id.as_deref(),
        Some(setup.id(ProviderId::Hubspot).as_str())
    );

    // Rotating retires the old secret; removing closes the endpoint.
    let again = engine
        .rotate_generic_webhook_secret(&mapping.id)
        .await
        .unwrap();
    assert_ne!(again.secret, made.secret);
    assert_eq!(post(&url, &signed(&made.secret, "d4"), body).await.0, 401);
    assert_eq!(post(&url, &signed(&again.secret, "d4"), body).await.0, 200);
    let view = engine
        .remove_generic_webhook_secret(&mapping.id)
        .await
        .unwrap();
    assert!(!view.generic.iter().any(|g| g.has_secret));
    assert_eq!(post(&url, &signed(&again.secret, "d5"), body).await.0, 401);
    // The view never carries a secret.
    assert!(!serde_json::to_string(&view)
        .unwrap()
        .contains(&again.secret));

    // Deleting the mapping deletes its endpoint's secret too.
    engine
        .rotate_generic_webhook_secret(&mapping.id)
        .await
        .unwrap();
    let pool = engine.store().pool();
    let held = || async {
        switchyard_engine::store::tables::secrets::names(pool, "webhooks")
            .await
            .unwrap()
            .len()
    };
    assert_eq!(held().await, 1);
    engine.delete_mapping(&mapping.id).await.unwrap();
    assert_eq!(held().await, 0);
}

//! Run summaries through the user's own connections: a Slack message in the chosen
//! channel and a Zapier hook post after a run; a channel Slack refuses becomes an alert,
//! never a failed run; settings refuse connections of the wrong kind.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::Value as Json;
use switchyard_engine::api::notifications::NotificationSettings;
use switchyard_engine::store::kinds::{ProviderId, RunStatus, SyncDirection};
use switchyard_engine::sync::RunOptions;
use switchyard_engine::Engine;

async fn dump(engine: &Engine, provider: ProviderId) -> Json {
    common::sandbox(engine, provider, "dump", None).await
}

/// A channel of the sandbox's Slack workspace the bot is in (posts land there).
async fn bot_channel(engine: &Engine) -> String {
    let slack = dump(engine, ProviderId::Slack).await;
    let bot = slack["bot_user_id"].as_str().unwrap().to_owned();
    slack["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["members"].as_array().unwrap().iter().any(|m| *m == *bot) && c["is_archived"] != true
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn summaries_go_to_slack_and_zapier_and_failures_become_alerts() {
    let setup = common::sandbox_engine(3, 40).await;
    let engine = &setup.engine;
    let id = |p: ProviderId| setup.id(p);
    let mut draft = setup.contacts_to_leads().await;
    draft.direction = SyncDirection::OneWay;
    draft.name = "Leads from HubSpot".into();
    let mapping = engine.create_mapping(draft).await.unwrap();

    let channel = bot_channel(engine).await;

    let wrong = engine
        .set_notification_settings(NotificationSettings {
            desktop: true,
            slack_connection_id: Some(id(ProviderId::Zapier)),
            slack_channel: Some(channel.clone()),
            zapier_connection_id: None,
        })
        .await
        .unwrap_err();
    assert_eq!(wrong.code.as_str(), "validation");
    engine
        .set_notification_settings(NotificationSettings {
            desktop: true,
            slack_connection_id: Some(id(ProviderId::Slack)),
            slack_channel: Some(channel.clone()),
            zapier_connection_id: Some(id(ProviderId::Zapier)),
        })
        .await
        .unwrap();

    let quiet = |_| {};
    let report = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    let slack = dump(engine, ProviderId::Slack).await;
    let texts: Vec<String> = slack["messages"][&channel]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Leads from HubSpot") && t.contains(&report.message)),
        "{texts:?}"
    );
    let zapier = dump(engine, ProviderId::Zapier).await;
    assert!(
        zapier.to_string().contains("Leads from HubSpot"),
        "{zapier}"
    );

    // A dry run notifies nobody.
    let before = texts.len();
    engine
        .run_mapping(
            &mapping.id,
            RunOptions {
                dry_run: true,
                ..Default::default()
            },
            &quiet,
        )
        .await
        .unwrap();
    let slack = dump(engine, ProviderId::Slack).await;
    assert_eq!(
        slack["messages"][&channel].as_array().unwrap().len(),
        before
    );

    // A channel Slack refuses: the run still succeeds, an alert says why.
    engine
        .set_notification_settings(NotificationSettings {
            desktop: false,
            slack_connection_id: Some(id(ProviderId::Slack)),
            slack_channel: Some("C0NOPE".into()),
            zapier_connection_id: None,
        })
        .await
        .unwrap();
    let run = engine
        .run_mapping(&mapping.id, RunOptions::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(run.status, RunStatus::Succeeded);
    let alerts = engine.list_alerts(false).await.unwrap();
    assert!(
        alerts
            .iter()
            .any(|a| a.message.contains("Slack") && a.message.contains("no channel")),
        "{alerts:?}"
    );
}

/// Alerts reach the Slack channel and the Zapier hook of the run summaries when the health
/// settings say so, once each; the "could not post" alert is never posted back.
#[tokio::test]
async fn alerts_go_to_slack_and_zapier_once() {
    use switchyard_engine::health::HealthSettings;
    use switchyard_engine::store::kinds::{CacheUse, Outcome};
    use switchyard_engine::store::tables::request_metrics::{self, RequestMetric};

    let setup = common::sandbox_engine(5, 10).await;
    let engine = &setup.engine;
    let id = |p: ProviderId| setup.id(p);
    let channel = bot_channel(engine).await;
    engine
        .set_notification_settings(NotificationSettings {
            desktop: false,
            slack_connection_id: Some(id(ProviderId::Slack)),
            slack_channel: Some(channel.clone()),
            zapier_connection_id: Some(id(ProviderId::Zapier)),
        })
        .await
        .unwrap();
    engine
        .set_health_settings(HealthSettings {
            alert_slack: true,
            alert_zapier: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let now = switchyard_engine::store::now_ms();
    engine.health_tick(now).await.unwrap();
    // HubSpot: 10 requests, 4 refused by a 503.
    let hs = id(ProviderId::Hubspot);
    let rows: Vec<RequestMetric> = (0..10)
        .map(|i| RequestMetric {
            connection_id: Some(hs.clone()),
            provider: ProviderId::Hubspot,
            run_id: None,
            method: "POST".into(),
            endpoint: "/crm/v3/objects/{object}/search".into(),
            status: Some(if i < 6 { 200 } else { 503 }),
            outcome: if i < 6 {
                Outcome::Ok
            } else {
                Outcome::ServerError
            },
            cache: CacheUse::Bypass,
            latency_ms: 30,
            attempt: 1,
            response_bytes: None,
            limit_remaining: None,
            limit_total: None,
            at: now + i,
        })
        .collect();
    request_metrics::insert_batch(engine.store().pool(), &rows)
        .await
        .unwrap();
    let tick = engine.health_tick(now + 100).await.unwrap();
    let alert = tick.alerts.iter().find(|a| a.kind == "status").unwrap();
    assert!(alert.message.contains("is degraded"), "{}", alert.message);

    // Delivery runs in the background: wait for the post to land (up to 20 s on a busy
    // machine; it usually takes a few milliseconds).
    let mut posted = Vec::new();
    for _ in 0..400 {
        let slack = dump(engine, ProviderId::Slack).await;
        posted = slack["messages"][&channel]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["text"].as_str().map(str::to_owned))
            .filter(|t| t.starts_with("Switchyard alert"))
            .collect();
        let zapier = dump(engine, ProviderId::Zapier).await.to_string();
        if !posted.is_empty() && zapier.contains("switchyard.alert") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert!(posted[0].contains(&alert.message), "{posted:?}");
    let zapier = dump(engine, ProviderId::Zapier).await.to_string();
    assert_eq!(zapier.matches("switchyard.alert").count(), 1, "{zapier}");

    // The same condition on later ticks sends nothing more.
    engine.health_tick(now + 200).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let slack = dump(engine, ProviderId::Slack).await;
    let again = slack["messages"][&channel]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Switchyard alert"))
        })
        .count();
    assert_eq!(again, 1);
}

/// `notify` posts any summary where the settings say and hands back what each service
/// answered: the Slack channel and message `ts`, the Zapier request id.
#[tokio::test]
async fn notify_returns_the_slack_ts_and_the_zapier_request_id() {
    let setup = common::sandbox_engine(7, 10).await;
    let engine = &setup.engine;
    let channel = bot_channel(engine).await;
    assert!(engine
        .notify("nobody is told", &serde_json::json!({}))
        .await
        .is_empty());
    engine
        .set_notification_settings(NotificationSettings {
            desktop: false,
            slack_connection_id: Some(setup.id(ProviderId::Slack)),
            slack_channel: Some(channel.clone()),
            zapier_connection_id: Some(setup.id(ProviderId::Zapier)),
        })
        .await
        .unwrap();
    let sent = engine
        .notify(
            "Three mappings ran",
            &serde_json::json!({ "type": "summary" }),
        )
        .await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent.iter().all(|d| d.ok), "{sent:?}");
    let slack = dump(engine, ProviderId::Slack).await;
    let posted = slack["messages"][&channel]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"] == "Three mappings ran")
        .unwrap()
        .clone();
    assert_eq!(sent[0].channel, "Slack");
    assert_eq!(sent[0].posted_to.as_deref(), Some(channel.as_str()));
    assert_eq!(sent[0].id.as_deref(), posted["ts"].as_str());
    assert_eq!(sent[1].channel, "Zapier");
    // The hook's dump keeps bodies, not request ids: the id is the hook's answer.
    assert!(
        sent[1].id.as_ref().is_some_and(|id| !id.is_empty()),
        "{sent:?}"
    );
    let zapier = dump(engine, ProviderId::Zapier).await.to_string();
    assert_eq!(
        zapier.matches(r#"{"type":"summary"}"#).count(),
        1,
        "{zapier}"
    );
}

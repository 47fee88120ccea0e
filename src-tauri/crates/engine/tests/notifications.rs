//! Run summaries through the user's own connections: a Slack message in the chosen
//! channel and a Zapier hook post after a run; a channel Slack refuses becomes an alert,
//! never a failed run; settings refuse connections of the wrong kind.

#![allow(clippy::unwrap_used)]

use serde_json::Value as Json;
use switchyard_engine::api::notifications::NotificationSettings;
use switchyard_engine::store::kinds::{ProviderId, RunStatus, SyncDirection};
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::sync::RunOptions;
use switchyard_engine::{Engine, EngineConfig};
use switchyard_sandbox::{SandboxConfig, SeedSpec};

async fn dump(engine: &Engine, provider: ProviderId) -> Json {
    let base = engine.sandbox_base_url(provider).await.unwrap();
    reqwest::get(format!("{base}/__sandbox/dump"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn summaries_go_to_slack_and_zapier_and_failures_become_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    engine.configure_sandbox(SandboxConfig {
        seed: SeedSpec {
            seed: 3,
            records: 40,
        },
        ..Default::default()
    });
    let connected = engine.connect_sandbox_accounts().await.unwrap();
    let id = |p: ProviderId| {
        connected
            .iter()
            .find(|c| c.provider == p)
            .unwrap()
            .id
            .clone()
    };
    let mut draft = engine
        .suggest_mapping(
            &id(ProviderId::Hubspot),
            "contacts",
            &id(ProviderId::Salesforce),
            "Lead",
        )
        .await
        .unwrap()
        .draft;
    draft.direction = SyncDirection::OneWay;
    draft.name = "Leads from HubSpot".into();
    let mapping = engine.create_mapping(draft).await.unwrap();

    let slack = dump(&engine, ProviderId::Slack).await;
    let bot = slack["bot_user_id"].as_str().unwrap().to_owned();
    let channel = slack["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["members"].as_array().unwrap().iter().any(|m| *m == *bot) && c["is_archived"] != true
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

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
    let slack = dump(&engine, ProviderId::Slack).await;
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
    let zapier = dump(&engine, ProviderId::Zapier).await;
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
    let slack = dump(&engine, ProviderId::Slack).await;
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

//! "Try with sandbox accounts": one call connects all five providers through their real
//! flows against the in-process sandbox; each can be tested and disconnected, the calls
//! show up in the health numbers, and no token reaches the database file in plaintext.

#![allow(clippy::unwrap_used)]

use std::time::Duration;
use switchyard_engine::store::kinds::{ConnectionStatus, Environment, ProviderId};
use switchyard_engine::store::tables::secrets;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};

#[tokio::test]
async fn one_click_connects_every_provider_and_each_can_be_tested_and_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();

    let connected = engine.connect_sandbox_accounts().await.unwrap();
    assert_eq!(connected.len(), 5);
    for c in &connected {
        assert_eq!(
            (c.environment, c.status),
            (Environment::Sandbox, ConnectionStatus::Connected),
            "{c:?}"
        );
        assert!(
            c.account_name.as_deref().is_some_and(|n| !n.is_empty()),
            "{c:?}"
        );
    }
    // Connecting again replaces, it does not duplicate.
    assert_eq!(engine.connect_sandbox_accounts().await.unwrap().len(), 5);

    let slack = connected
        .iter()
        .find(|c| c.provider == ProviderId::Slack)
        .unwrap();
    let tested = engine.test_connection(&slack.id).await.unwrap();
    assert_eq!(tested.status, ConnectionStatus::Connected);
    assert!(tested.last_checked_at.is_some());

    // The plaintext tokens are nowhere in the database file or its WAL.
    let pool = engine.store().pool();
    let mut tokens = Vec::new();
    for c in &connected {
        if let Some(t) = secrets::get(pool, engine.store().vault(), &c.id, "access_token")
            .await
            .unwrap()
        {
            tokens.push(t.expose().clone());
        }
    }
    assert_eq!(tokens.len(), 5);
    let mut bytes = std::fs::read(dir.path().join("switchyard.db")).unwrap();
    bytes.extend(std::fs::read(dir.path().join("switchyard.db-wal")).unwrap_or_default());
    for t in &tokens {
        assert!(
            !bytes.windows(t.len()).any(|w| w == t.as_bytes()),
            "a token is in the database in plaintext"
        );
    }

    let slack_token = secrets::get(pool, engine.store().vault(), &slack.id, "access_token")
        .await
        .unwrap()
        .unwrap();
    let gone = engine.disconnect(&slack.id).await.unwrap();
    assert_eq!(gone.status, ConnectionStatus::Disconnected);
    assert!(
        gone.status_message
            .as_deref()
            .unwrap()
            .contains("access was revoked"),
        "{gone:?}"
    );
    let slack_base = engine.sandbox_base_url(ProviderId::Slack).await.unwrap();
    let check: serde_json::Value = reqwest::Client::new()
        .post(format!("{slack_base}/api/auth.test"))
        .bearer_auth(slack_token.expose())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        check["ok"], false,
        "the revoked bot token no longer works: {check}"
    );
    assert!(
        secrets::names(pool, &slack.id).await.unwrap().is_empty(),
        "secrets wiped"
    );
    let retest = engine.test_connection(&slack.id).await.unwrap_err();
    assert_eq!(retest.code, switchyard_engine::ErrorCode::AuthExpired);

    // Every provider call went through the metrics tap.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let health = engine.health_summary(3600).await.unwrap();
    assert!(
        health.requests >= 6,
        "identity calls and test posts are counted: {}",
        health.requests
    );
    assert!(
        health.connections.iter().all(|c| c.requests >= 1),
        "each call is counted for its connection: {:?}",
        health.connections
    );
    engine.shutdown().await;
}

#[tokio::test]
async fn sandbox_accounts_are_resumed_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = || EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    };
    let first = Engine::open(config()).await.unwrap();
    assert!(
        !first.resume_sandbox_accounts().await.unwrap(),
        "nothing to resume on a fresh install"
    );
    let before = first.connect_sandbox_accounts().await.unwrap();
    let zapier = before
        .iter()
        .find(|c| c.provider == ProviderId::Zapier)
        .unwrap()
        .id
        .clone();
    first.disconnect(&zapier).await.unwrap();
    first.shutdown().await;
    drop(first);

    // A new engine (an app restart): its simulators are new and know none of the tokens.
    let second = Engine::open(config()).await.unwrap();
    assert!(second.resume_sandbox_accounts().await.unwrap());
    let after = second.list_connections().await.unwrap();
    assert_eq!(after.len(), before.len(), "the same rows, not new ones");
    for c in after.iter().filter(|c| c.id != zapier) {
        let tested = second.test_connection(&c.id).await.unwrap();
        assert_eq!(tested.status, ConnectionStatus::Connected, "{tested:?}");
    }
    let still = after.iter().find(|c| c.id == zapier).unwrap();
    assert_eq!(
        still.status,
        ConnectionStatus::Disconnected,
        "a disconnected account stays disconnected"
    );
    second.shutdown().await;
}

//! Connecting from the UI's point of view, against the in-process sandbox: the OAuth
//! sign-in (the browser's part played by a scripted consent), cancel, pasted
//! credentials verified before anything is stored, and the app credentials of Settings.

#![allow(clippy::unwrap_used)]

use switchyard_engine::store::kinds::{ConnectionStatus, Environment, ProviderId};
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig, ErrorCode};

async fn engine() -> (Engine, tempfile::TempDir) {
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
async fn an_oauth_sign_in_started_from_the_ui_ends_in_a_tested_connection() {
    let (engine, _dir) = engine().await;
    let pending = engine
        .start_connect(ProviderId::Hubspot, Environment::Sandbox)
        .await
        .unwrap();
    assert!(pending.redirect_uri.starts_with("http://127.0.0.1:"));
    let finishing = tokio::spawn({
        let engine = engine.clone();
        let id = pending.flow_id.clone();
        async move { engine.finish_connect(&id).await }
    });
    switchyard_sandbox::consent::allow(&pending.authorize_url)
        .await
        .unwrap();
    let c = finishing.await.unwrap().unwrap();
    assert_eq!(
        (c.provider, c.environment, c.status),
        (
            ProviderId::Hubspot,
            Environment::Sandbox,
            ConnectionStatus::Connected
        )
    );
    assert!(c.account_name.is_some());
    assert_eq!(
        engine
            .finish_connect(&pending.flow_id)
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound,
        "a flow finishes once"
    );
}

#[tokio::test]
async fn a_sign_in_can_be_cancelled() {
    let (engine, _dir) = engine().await;
    let pending = engine
        .start_connect(ProviderId::Salesforce, Environment::Sandbox)
        .await
        .unwrap();
    let finishing = tokio::spawn({
        let engine = engine.clone();
        let id = pending.flow_id.clone();
        async move { engine.finish_connect(&id).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    engine.cancel_connect(&pending.flow_id).await.unwrap();
    let err = finishing.await.unwrap().unwrap_err();
    assert!(err.message.contains("cancelled"), "{err:?}");
    assert!(
        reqwest::get(&pending.redirect_uri).await.is_err(),
        "the listener is closed"
    );
    assert!(engine.list_connections().await.unwrap().is_empty());
}

#[tokio::test]
async fn pasted_credentials_are_verified_before_they_are_stored() {
    let (engine, _dir) = engine().await;
    let wrong_shape = engine
        .connect_pasted(ProviderId::Slack, Environment::Sandbox, "hello".into())
        .await
        .unwrap_err();
    assert_eq!(wrong_shape.code, ErrorCode::Validation);
    let refused = engine
        .connect_pasted(
            ProviderId::Slack,
            Environment::Sandbox,
            "xoxb-0000-not-issued".into(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::AuthExpired, "{refused:?}");
    let bad_hook = engine
        .connect_pasted(
            ProviderId::Zapier,
            Environment::Sandbox,
            "https://example.com/hooks/catch/1/x/".into(),
        )
        .await
        .unwrap_err();
    assert_eq!(bad_hook.code, ErrorCode::Validation);
    assert!(
        engine.list_connections().await.unwrap().is_empty(),
        "nothing stored for refused credentials"
    );
    assert_eq!(
        engine
            .connect_pasted(ProviderId::Salesforce, Environment::Sandbox, "x".into())
            .await
            .unwrap_err()
            .code,
        ErrorCode::Validation
    );
}

#[tokio::test]
async fn real_accounts_need_the_apps_client_id_from_settings() {
    let (engine, _dir) = engine().await;
    let err = engine
        .start_connect(ProviderId::Salesforce, Environment::Production)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(
        err.message.contains("client id in Settings")
            && err.message.contains("http://127.0.0.1:53682/callback"),
        "{}",
        err.message
    );
    assert_eq!(
        engine
            .set_app_credentials(ProviderId::Salesforce, "has space".into(), None, None)
            .await
            .unwrap_err()
            .code,
        ErrorCode::Validation
    );
    let saved = engine
        .set_app_credentials(
            ProviderId::Salesforce,
            "3MVG9-client".into(),
            Some("s3cret".into()),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (saved.client_id.as_deref(), saved.has_secret),
        (Some("3MVG9-client"), true)
    );
    let cleared = engine
        .set_app_credentials(
            ProviderId::Salesforce,
            "3MVG9-client".into(),
            Some(String::new()),
            None,
        )
        .await
        .unwrap();
    assert!(!cleared.has_secret);
}

#[tokio::test]
async fn a_provider_that_refuses_loopback_is_completed_by_pasting_the_redirect() {
    let (engine, _dir) = engine().await;
    // Real accounts: the https redirect registered for pasting is validated and saved.
    assert_eq!(
        engine
            .set_app_credentials(
                ProviderId::Quickbooks,
                "qb-app".into(),
                None,
                Some("http://insecure.example/cb".into())
            )
            .await
            .unwrap_err()
            .code,
        ErrorCode::Validation,
        "the paste redirect must be https"
    );
    let saved = engine
        .set_app_credentials(
            ProviderId::Quickbooks,
            "qb-app".into(),
            None,
            Some("https://switchyard.example/oauth/quickbooks/callback".into()),
        )
        .await
        .unwrap();
    assert_eq!(
        saved.paste_redirect_uri.as_deref(),
        Some("https://switchyard.example/oauth/quickbooks/callback")
    );

    // A QuickBooks app with production keys refuses loopback: the sign-in switches to pasting.
    engine.configure_sandbox(switchyard_sandbox::SandboxConfig {
        quickbooks_production: true,
        ..Default::default()
    });
    let pending = engine
        .start_connect(ProviderId::Quickbooks, Environment::Sandbox)
        .await
        .unwrap();
    assert!(
        pending.needs_paste && pending.redirect_uri.starts_with("https://"),
        "{pending:?}"
    );
    let landed = switchyard_sandbox::consent::decide(&pending.authorize_url, "allow")
        .await
        .unwrap();
    assert!(
        landed.starts_with("https://switchyard.example/oauth/quickbooks/callback?")
            && landed.contains("realmId="),
        "{landed}"
    );
    let wrong = engine
        .finish_connect_pasted(
            &pending.flow_id,
            "https://switchyard.example/oauth/quickbooks/callback?code=x&state=forged",
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::Validation, "{wrong:?}");
    // A refused paste used the flow up; start again and paste the real address.
    let pending = engine
        .start_connect(ProviderId::Quickbooks, Environment::Sandbox)
        .await
        .unwrap();
    let landed = switchyard_sandbox::consent::decide(&pending.authorize_url, "allow")
        .await
        .unwrap();
    let c = engine
        .finish_connect_pasted(&pending.flow_id, &landed)
        .await
        .unwrap();
    assert_eq!(
        (c.provider, c.status),
        (ProviderId::Quickbooks, ConnectionStatus::Connected)
    );
    assert!(c.account_name.is_some(), "{c:?}");
}

//! The authorization-code flow against the sandbox's OAuth servers, with the consent
//! page driven over HTTP the way a browser would: loopback and pasted-redirect
//! completion, PKCE, tampered state, denial, timeout and cancel.

#![allow(clippy::unwrap_used)]

mod common;

use common::{config, connect_via_loopback, Browser};
use regex::Regex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use switchyard_connectors::auth::{begin, FlowError};
use switchyard_sandbox::{Sandbox, SandboxConfig};
use switchyard_store::kinds::ProviderId;

#[tokio::test]
async fn salesforce_loopback_flow_yields_tokens_and_instance_url() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let grant = connect_via_loopback(&sandbox, ProviderId::Salesforce, "salesforce").await;
    assert!(!grant.access_token.expose().is_empty());
    assert!(grant.refresh_token.is_some());
    assert_eq!(grant.expires_at, None, "Salesforce sends no expires_in");
    let instance = grant.instance_url.unwrap();
    assert!(instance.starts_with("http://"), "{instance}");
}

#[tokio::test]
async fn hubspot_loopback_flow_yields_an_expiring_token() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let grant = connect_via_loopback(&sandbox, ProviderId::Hubspot, "hubspot").await;
    let left = grant.expires_at.unwrap() - switchyard_store::now_ms();
    assert!(
        (1_790_000..=1_800_000).contains(&left),
        "1800 s access token: {left}"
    );
}

#[tokio::test]
async fn quickbooks_loopback_flow_captures_the_realm_id() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let grant = connect_via_loopback(&sandbox, ProviderId::Quickbooks, "quickbooks").await;
    let realm = grant.realm_id.unwrap();
    assert!(
        realm.len() >= 10 && realm.chars().all(|c| c.is_ascii_digit()),
        "{realm}"
    );
}

#[tokio::test]
async fn a_denied_consent_is_reported_in_words() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let flow = begin(&config(&sandbox, ProviderId::Salesforce, "salesforce").await)
        .await
        .unwrap();
    let browser = Browser::new();
    let location = browser.consent(&flow.authorize_url, "deny").await;
    let finish = tokio::spawn(flow.finish(std::future::pending()));
    browser.http.get(&location).send().await.unwrap();
    match finish.await.unwrap() {
        Err(FlowError::Denied { error, .. }) => assert_eq!(error, "access_denied"),
        other => panic!("expected a denial, got {other:?}"),
    }
}

#[tokio::test]
async fn the_pasted_redirect_path_checks_state_and_a_foreign_code_is_refused() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut cfg = config(&sandbox, ProviderId::Salesforce, "salesforce").await;
    cfg.paste_redirect_uri = Some("https://switchyard.example/oauth/callback".into());
    let browser = Browser::new();

    let flow = begin(&cfg).await.unwrap();
    let location = browser.consent(&flow.authorize_url, "allow").await;
    assert!(
        location.starts_with("https://switchyard.example/oauth/callback?"),
        "{location}"
    );
    let tampered = location.replace("state=", "state=x");
    let other = begin(&cfg).await.unwrap();
    assert_eq!(
        other.finish_pasted(&tampered).await.unwrap_err(),
        FlowError::StateMismatch
    );

    // A code minted for another flow (another PKCE verifier) is refused by the provider.
    let second = begin(&cfg).await.unwrap();
    let second_state = Regex::new(r"[?&]state=([^&]+)")
        .unwrap()
        .captures(&second.authorize_url)
        .unwrap()[1]
        .to_owned();
    let foreign = Regex::new(r"state=[^&]+")
        .unwrap()
        .replace(&location, format!("state={second_state}").as_str())
        .into_owned();
    assert!(matches!(
        second.finish_pasted(&foreign).await,
        Err(FlowError::Provider { .. })
    ));

    let flow = begin(&cfg).await.unwrap();
    let location = browser.consent(&flow.authorize_url, "allow").await;
    let grant = flow.finish_pasted(&location).await.unwrap();
    assert!(!grant.access_token.expose().is_empty());
}

#[tokio::test]
async fn the_flow_times_out_or_is_cancelled_and_closes_its_port() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let mut cfg = config(&sandbox, ProviderId::Salesforce, "salesforce").await;
    cfg.timeout = Duration::from_millis(200);
    let flow = begin(&cfg).await.unwrap();
    let redirect = flow.redirect_uri.clone();
    assert_eq!(
        flow.finish(std::future::pending()).await.unwrap_err(),
        FlowError::Timeout
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        reqwest::get(&redirect).await.is_err(),
        "listener closed after the timeout"
    );

    cfg.timeout = Duration::from_secs(30);
    let flow = begin(&cfg).await.unwrap();
    let cancelled = flow
        .finish(async { tokio::time::sleep(Duration::from_millis(50)).await })
        .await;
    assert_eq!(cancelled.unwrap_err(), FlowError::Cancelled);
}

/// A token endpoint that answers every code with `instance_url` = `instance`, and counts
/// the requests a second listener (the "attacker") receives.
async fn lying_token_endpoint(instance: impl Fn(u16) -> String) -> (String, Arc<AtomicUsize>) {
    use axum::routing::{any, post};
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let attacker = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let attacker_port = attacker.local_addr().unwrap().port();
    let trap = axum::Router::new().fallback(any(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { "gotcha" }
    }));
    tokio::spawn(async move { axum::serve(attacker, trap).await });
    let body = serde_json::json!({
        "access_token": "00Dxx!secret-access",
        "refresh_token": "5Aep-secret-refresh",
        "instance_url": instance(attacker_port),
        "id": "https://login.salesforce.com/id/00D/005",
        "token_type": "Bearer",
        "issued_at": "1700000000000",
    });
    let token = axum::Router::new().route(
        "/services/oauth2/token",
        post(move || {
            let body = body.clone();
            async move { axum::Json(body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move { axum::serve(listener, token).await });
    (base, hits)
}

#[tokio::test]
async fn a_token_response_naming_an_attacker_host_is_refused_before_any_call() {
    use switchyard_connectors::auth::{oauth_endpoints, FlowConfig, Target};
    let attackers: [fn(u16) -> String; 3] = [
        |_| "https://attacker.example".to_owned(),
        |port| format!("http://127.0.0.1:{port}"),
        |_| "https://acme.my.salesforce.com.attacker.example".to_owned(),
    ];
    let state_in = Regex::new(r"[?&]state=([^&]+)").unwrap();
    for attacker in attackers {
        let (base, hits) = lying_token_endpoint(attacker).await;
        let config = FlowConfig {
            provider: ProviderId::Salesforce,
            endpoints: oauth_endpoints(
                ProviderId::Salesforce,
                &Target::Sandbox {
                    base_url: base.clone(),
                },
            )
            .unwrap(),
            client_id: "client".into(),
            client_secret: None,
            loopback_port: 0,
            loopback_path: "/callback".into(),
            paste_redirect_uri: Some("https://switchyard.example/oauth/callback".into()),
            timeout: Duration::from_secs(10),
        };
        let flow = begin(&config).await.unwrap();
        let state = state_in.captures(&flow.authorize_url).unwrap()[1].to_owned();
        let pasted = format!("https://switchyard.example/oauth/callback?code=c0de&state={state}");
        let refused = flow
            .finish_pasted(&pasted)
            .await
            .expect_err("an instance_url off the sandbox's port is refused");
        let message = refused.to_string();
        assert!(message.contains("not this computer's sandbox"), "{message}");
        assert!(
            !message.contains("secret"),
            "no token in the error: {message}"
        );
        assert_eq!(
            hits.load(Ordering::SeqCst),
            0,
            "nothing reached the attacker"
        );
    }
}

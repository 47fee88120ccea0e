//! Token lifecycle against the sandbox: one refresh for many concurrent rejections,
//! proactive refresh near expiry, rotated refresh tokens surviving a restart, and a
//! refused refresh surfaced as a sentence, a "needs reconnect" status and an alert.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::Value;
use std::sync::Arc;
use switchyard_connectors::auth::{RefreshConfig, TokenError, TokenSource, REFRESH};
use switchyard_sandbox::{Sandbox, SandboxConfig};
use switchyard_store::kinds::{AuthKind, ConnectionStatus, Environment, ProviderId};
use switchyard_store::tables::{alerts, connections, secrets};
use switchyard_store::{now_ms, KeyPolicy, Store, StoreOptions};

struct Setup {
    sandbox: Sandbox,
    store: Store,
    dir: tempfile::TempDir,
    connection: String,
    config: RefreshConfig,
}

async fn connected(provider: ProviderId, name: &str) -> Setup {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sandbox.base_url(name).unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(StoreOptions::new(dir.path()).key_policy(KeyPolicy::File))
        .await
        .unwrap();
    let flow = common::config(&sandbox, provider, name).await;
    let grant = common::connect_via_loopback(&sandbox, provider, name).await;
    let new = connections::NewConnection {
        provider,
        label: format!("{name} sandbox"),
        environment: Environment::Sandbox,
        auth_kind: AuthKind::OauthLoopback,
        account_id: None,
        account_name: None,
        user_name: None,
        instance_url: Some(base.clone()),
        scopes: None,
    };
    let connection = connections::insert(store.pool(), &new).await.unwrap().id;
    let refresh = grant.refresh_token.clone().expect("a refresh token");
    TokenSource::save_grant(
        &store,
        &connection,
        &grant.access_token,
        Some(&refresh),
        Some(now_ms() + 3_600_000),
    )
    .await
    .unwrap();
    let config = RefreshConfig {
        provider,
        endpoints: flow.endpoints,
        client_id: flow.client_id,
        client_secret: flow.client_secret,
    };
    Setup {
        sandbox,
        store,
        dir,
        connection,
        config,
    }
}

async fn token_calls(sandbox: &Sandbox, name: &str) -> u64 {
    let base = sandbox.base_url(name).unwrap();
    let stats: Value = reqwest::get(format!("{base}/__sandbox/stats"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "POST" && r["route"].as_str().unwrap().contains("token"))
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn many_concurrent_rejections_cause_exactly_one_refresh() {
    let s = connected(ProviderId::Hubspot, "hubspot").await;
    let source = TokenSource::load(s.store.clone(), &s.connection, s.config.clone())
        .await
        .unwrap();
    let stale = source.access_token().await.unwrap();
    let before = token_calls(&s.sandbox, "hubspot").await;
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (source, stale) = (source.clone(), stale.clone());
            tokio::spawn(async move {
                source
                    .after_rejection(&stale)
                    .await
                    .map(|t| t.expose().clone())
            })
        })
        .collect();
    let mut tokens = std::collections::BTreeSet::new();
    for t in tasks {
        tokens.insert(t.await.unwrap().unwrap());
    }
    assert_eq!(tokens.len(), 1, "everyone got the same new token");
    assert_ne!(tokens.first().unwrap(), stale.expose());
    assert_eq!(source.refresh_count(), 1);
    assert_eq!(
        token_calls(&s.sandbox, "hubspot").await - before,
        1,
        "one token request reached the provider"
    );
}

#[tokio::test]
async fn a_token_close_to_expiry_is_refreshed_before_use() {
    let s = connected(ProviderId::Hubspot, "hubspot").await;
    connections::set_token_expiry(s.store.pool(), &s.connection, Some(now_ms() + 30_000))
        .await
        .unwrap();
    let source = TokenSource::load(s.store.clone(), &s.connection, s.config.clone())
        .await
        .unwrap();
    source.access_token().await.unwrap();
    assert_eq!(source.refresh_count(), 1);
    let expiry = connections::get(s.store.pool(), &s.connection)
        .await
        .unwrap()
        .token_expires_at
        .unwrap();
    assert!(expiry > now_ms() + 1_700_000, "new 1800 s expiry saved");
    source.access_token().await.unwrap();
    assert_eq!(source.refresh_count(), 1, "a fresh token is reused");
}

#[tokio::test]
async fn a_rotated_refresh_token_survives_a_restart() {
    let s = connected(ProviderId::Quickbooks, "quickbooks").await;
    let source = TokenSource::load(s.store.clone(), &s.connection, s.config.clone())
        .await
        .unwrap();
    let first_refresh = secrets::get(s.store.pool(), s.store.vault(), &s.connection, REFRESH)
        .await
        .unwrap()
        .unwrap();
    let stale = source.access_token().await.unwrap();
    source.after_rejection(&stale).await.unwrap();
    let rotated = secrets::get(s.store.pool(), s.store.vault(), &s.connection, REFRESH)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        rotated.expose(),
        first_refresh.expose(),
        "QuickBooks rotated the refresh token and it was saved"
    );
    drop(source);
    s.store.close().await;

    let store = Store::open(StoreOptions::new(s.dir.path()).key_policy(KeyPolicy::File))
        .await
        .unwrap();
    let source = TokenSource::load(store.clone(), &s.connection, s.config.clone())
        .await
        .unwrap();
    let token = source.access_token().await.unwrap();
    source
        .after_rejection(&token)
        .await
        .expect("the saved rotated token still refreshes after a restart");
}

#[tokio::test]
async fn a_refused_refresh_becomes_a_sentence_a_status_and_an_alert() {
    let s = connected(ProviderId::Hubspot, "hubspot").await;
    // The provider forgets every token (as after a revocation).
    let base = s.sandbox.base_url("hubspot").unwrap();
    reqwest::Client::new()
        .post(format!("{base}/__sandbox/reset"))
        .send()
        .await
        .unwrap();
    let source = Arc::new(
        TokenSource::load(s.store.clone(), &s.connection, s.config.clone())
            .await
            .unwrap(),
    );
    let stale = source.access_token().await.unwrap();
    let err = source.after_rejection(&stale).await.unwrap_err();
    let TokenError::NeedsReconnect(sentence) = &err else {
        panic!("{err:?}")
    };
    assert!(
        sentence.starts_with("HubSpot no longer accepts") && !sentence.contains("invalid_grant"),
        "{sentence}"
    );
    let c = connections::get(s.store.pool(), &s.connection)
        .await
        .unwrap();
    assert_eq!(c.status, ConnectionStatus::NeedsReconnect);
    assert_eq!(c.status_message.as_deref(), Some(sentence.as_str()));
    let open = alerts::open(s.store.pool(), false).await.unwrap();
    assert_eq!((open.len(), open[0].kind.as_str()), (1, "auth_failed"));
}

#[tokio::test]
async fn a_token_expiring_mid_stream_costs_one_refresh_for_many_concurrent_calls() {
    use switchyard_connectors::auth::AuthedClient;
    use switchyard_connectors::http::{Call, RateSpec, Stack, StackConfig};
    let s = connected(ProviderId::Hubspot, "hubspot").await;
    let base = s.sandbox.base_url("hubspot").unwrap().to_owned();
    let source = TokenSource::load(s.store.clone(), &s.connection, s.config.clone())
        .await
        .unwrap();
    let stack = Arc::new(Stack::new(
        reqwest::Client::new(),
        StackConfig::new(
            ProviderId::Hubspot,
            RateSpec {
                limit: 1000,
                per: std::time::Duration::from_secs(10),
                concurrency: 16,
            },
        ),
        None,
    ));
    let client = AuthedClient::new(stack, source.clone());
    let list = Call::new(
        reqwest::Method::GET,
        format!("{base}/crm/v3/objects/contacts?limit=5"),
        "/crm/v3/objects/{object}",
    );
    assert_eq!(client.send(&list).await.unwrap().status, 200);
    let before = token_calls(&s.sandbox, "hubspot").await;
    // Every access token the provider issued expires now, in the middle of the stream.
    let fault = serde_json::json!({"kind": "token_expired", "next": 1});
    reqwest::Client::new()
        .post(format!("{base}/__sandbox/faults"))
        .json(&fault)
        .send()
        .await
        .unwrap();
    let calls: Vec<_> = (0..12)
        .map(|_| {
            let (client, list) = (client.clone(), list.clone());
            tokio::spawn(async move { client.send(&list).await.map(|r| r.status) })
        })
        .collect();
    for c in calls {
        assert_eq!(c.await.unwrap().unwrap(), 200);
    }
    assert_eq!(
        source.refresh_count(),
        1,
        "one refresh for all twelve calls"
    );
    assert_eq!(token_calls(&s.sandbox, "hubspot").await - before, 1);
}

#[tokio::test]
async fn disconnecting_revokes_the_grant_at_each_provider() {
    use switchyard_connectors::auth::revoke;
    use switchyard_connectors::http::{RateSpec, Stack, StackConfig};
    for (provider, name) in [
        (ProviderId::Salesforce, "salesforce"),
        (ProviderId::Hubspot, "hubspot"),
        (ProviderId::Quickbooks, "quickbooks"),
    ] {
        let s = connected(provider, name).await;
        let stack = Stack::new(
            reqwest::Client::new(),
            StackConfig::new(
                provider,
                RateSpec {
                    limit: 100,
                    per: std::time::Duration::from_secs(1),
                    concurrency: 4,
                },
            ),
            None,
        );
        let refresh = secrets::get(s.store.pool(), s.store.vault(), &s.connection, REFRESH)
            .await
            .unwrap()
            .unwrap();
        revoke(
            &stack,
            provider,
            &s.config.endpoints,
            &s.config.client_id,
            s.config.client_secret.as_ref(),
            &refresh,
        )
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let source = TokenSource::load(s.store.clone(), &s.connection, s.config.clone())
            .await
            .unwrap();
        let stale = source.access_token().await.unwrap();
        assert!(
            matches!(
                source.after_rejection(&stale).await,
                Err(TokenError::NeedsReconnect(_))
            ),
            "{name}: the revoked refresh token no longer works"
        );
    }
}

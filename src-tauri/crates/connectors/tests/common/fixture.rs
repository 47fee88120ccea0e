//! A connected sandbox account ready for connector tests: a seeded sandbox, a temp store
//! holding the connection and its tokens, the client stack with its metrics tap, and the
//! provider's connector. `calls()` counts the API requests the sandbox served.

use super::{config, connect_via_loopback};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use switchyard_connectors::api::Api;
use switchyard_connectors::auth::{AuthedClient, RefreshConfig, TokenSource};
use switchyard_connectors::cache::{default_ttls, ReadCache};
use switchyard_connectors::http::{MetricsTap, Stack, StackConfig};
use switchyard_connectors::{hubspot, quickbooks, salesforce};
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedSpec};
use switchyard_store::kinds::{AuthKind, Environment, ProviderId};
use switchyard_store::tables::connections;
use switchyard_store::{KeyPolicy, Store, StoreOptions};

pub struct Fixture {
    pub sandbox: Sandbox,
    pub store: Store,
    pub dir: tempfile::TempDir,
    pub name: &'static str,
    pub api: Api,
    pub base: String,
    pub realm: Option<String>,
    pub instance_url: Option<String>,
}

pub fn name_of(provider: ProviderId) -> &'static str {
    match provider {
        ProviderId::Salesforce => "salesforce",
        ProviderId::Hubspot => "hubspot",
        _ => "quickbooks",
    }
}

impl Fixture {
    pub async fn start(provider: ProviderId, records: usize) -> Self {
        let name = name_of(provider);
        let sandbox = Sandbox::start(SandboxConfig {
            seed: SeedSpec { seed: 7, records },
            ..Default::default()
        })
        .await
        .unwrap();
        let base = sandbox.base_url(name).unwrap().to_owned();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(StoreOptions::new(dir.path()).key_policy(KeyPolicy::File))
            .await
            .unwrap();
        let flow = config(&sandbox, provider, name).await;
        let grant = connect_via_loopback(&sandbox, provider, name).await;
        let new = connections::NewConnection {
            provider,
            label: format!("{name} sandbox"),
            environment: Environment::Sandbox,
            auth_kind: AuthKind::OauthLoopback,
            account_id: grant.realm_id.clone(),
            account_name: None,
            user_name: None,
            instance_url: grant.instance_url.clone().or(Some(base.clone())),
            scopes: None,
        };
        let connection = connections::insert(store.pool(), &new).await.unwrap().id;
        TokenSource::save_grant(
            &store,
            &connection,
            &grant.access_token,
            grant.refresh_token.as_ref(),
            grant.expires_at,
        )
        .await
        .unwrap();
        let tokens = TokenSource::load(
            store.clone(),
            &connection,
            RefreshConfig {
                provider,
                endpoints: flow.endpoints,
                client_id: flow.client_id,
                client_secret: flow.client_secret,
            },
        )
        .await
        .unwrap();
        let (tap, _) = MetricsTap::spawn(store.clone(), 50, Duration::from_millis(50));
        let mut stack_config = StackConfig::new(
            provider,
            switchyard_connectors::registry::default_rate(provider),
        );
        stack_config.connection_id = Some(connection.clone());
        let stack = Arc::new(Stack::new(reqwest::Client::new(), stack_config, Some(tap)));
        let cache = ReadCache::new(10_000, default_ttls(), Duration::from_secs(600));
        let api = Api::new(AuthedClient::new(stack, tokens), cache, &connection);
        Self {
            sandbox,
            store,
            dir,
            name,
            api,
            base,
            realm: grant.realm_id,
            instance_url: grant.instance_url,
        }
    }

    pub fn salesforce(&self, page: usize, batch: usize) -> salesforce::Salesforce {
        salesforce::Salesforce::new(self.api.clone(), self.instance_url.as_deref().unwrap())
            .with_sizes(page, batch)
    }

    pub fn hubspot(&self, page: usize, batch: usize) -> hubspot::Hubspot {
        hubspot::Hubspot::new(self.api.clone(), &self.base).with_sizes(page, batch)
    }

    pub fn quickbooks(&self, page: usize, batch: usize) -> quickbooks::Quickbooks {
        quickbooks::Quickbooks::new(self.api.clone(), &self.base, self.realm.as_deref().unwrap())
            .with_sizes(page, batch)
    }

    /// API requests served so far (OAuth and control routes left out).
    pub async fn calls(&self) -> u64 {
        let stats: Value = reqwest::get(format!("{}/__sandbox/stats", self.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        stats["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                let route = r["route"].as_str().unwrap_or_default();
                !route.starts_with("/__sandbox")
                    && !route.contains("oauth")
                    && !route.contains("token")
            })
            .map(|r| r["count"].as_u64().unwrap())
            .sum()
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        reqwest::Client::new()
            .post(format!("{}/__sandbox/{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap_or(Value::Null)
    }

    pub async fn dump(&self) -> Value {
        reqwest::get(format!("{}/__sandbox/dump", self.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

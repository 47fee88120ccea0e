//! "Try with sandbox accounts": the engine starts the provider simulators in-process and
//! connects one account of each through the same paths real accounts take — the OAuth
//! code flow with PKCE for Salesforce, HubSpot and QuickBooks (consent clicked by
//! `consent`), a bot token for Slack and a catch-hook URL for Zapier (the pasted-credential
//! paths), each verified with its identity call and stored encrypted.

use crate::api::connections::ConnectionSummary;
use crate::{Engine, EngineError, EngineResult, ErrorCode};
use serde_json::Value;
use std::time::Duration;
use switchyard_connectors::auth::{begin, oauth_endpoints, FlowConfig, Target, TokenSource};
use switchyard_sandbox::{Sandbox, SandboxConfig};
use switchyard_store::kinds::{AuthKind, Environment, ProviderId};
use switchyard_store::tables::{connections, secrets};
use switchyard_store::Secret;

fn unavailable(e: impl std::fmt::Display) -> EngineError {
    EngineError::new(
        ErrorCode::Unavailable,
        format!("the sandbox did not answer: {e}"),
    )
}

pub(crate) async fn control(sandbox_base: &str, path: &str, post: bool) -> EngineResult<Value> {
    let http = reqwest::Client::new();
    let url = format!("{sandbox_base}/__sandbox/{path}");
    let request = if post { http.post(url) } else { http.get(url) };
    request
        .send()
        .await
        .map_err(unavailable)?
        .json()
        .await
        .map_err(unavailable)
}

/// `SWITCHYARD_SANDBOX_PORTS=salesforce=47001,hubspot=47002`: fixed ports for the
/// in-process simulators, so scripts (E2E tests, a demo) can reach their control API.
pub const SANDBOX_PORTS_ENV: &str = "SWITCHYARD_SANDBOX_PORTS";

fn ports_from_env() -> Vec<(String, u16)> {
    let Ok(spec) = std::env::var(SANDBOX_PORTS_ENV) else {
        return Vec::new();
    };
    spec.split(',')
        .filter_map(|pair| {
            let (name, port) = pair.trim().split_once('=')?;
            match port.trim().parse::<u16>() {
                Ok(port) => Some((name.trim().to_owned(), port)),
                Err(_) => {
                    tracing::warn!("{SANDBOX_PORTS_ENV}: {pair:?} is not provider=port; ignored");
                    None
                }
            }
        })
        .collect()
}

/// `SWITCHYARD_SANDBOX_URLS=salesforce=http://127.0.0.1:47001,hubspot=…`: use a sandbox
/// served by another process (`switchyard-cli sandbox`) instead of starting one here.
/// Its data and tokens outlive this process, so a run killed here can resume against it.
pub const SANDBOX_URLS_ENV: &str = "SWITCHYARD_SANDBOX_URLS";

fn external_url(provider: ProviderId) -> Option<String> {
    let spec = std::env::var(SANDBOX_URLS_ENV).ok()?;
    spec.split(',').find_map(|pair| {
        let (name, url) = pair.trim().split_once('=')?;
        (name.trim() == provider.as_str()).then(|| url.trim().trim_end_matches('/').to_owned())
    })
}

impl Engine {
    /// How the in-process sandbox starts (the next time it starts).
    pub fn configure_sandbox(&self, config: SandboxConfig) {
        *self
            .sandbox_config_slot()
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = config;
    }

    fn sandbox_config(&self) -> SandboxConfig {
        let mut config = self
            .sandbox_config_slot()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if config.ports.is_empty() {
            config.ports = ports_from_env();
        }
        config
    }

    /// The running in-process sandbox's base URL for `provider`, starting it when needed.
    pub async fn sandbox_base_url(&self, provider: ProviderId) -> EngineResult<String> {
        if let Some(url) = external_url(provider) {
            return Ok(url);
        }
        let mut slot = self.sandbox_slot().lock().await;
        if slot.is_none() {
            let sandbox = Sandbox::start(self.sandbox_config())
                .await
                .map_err(unavailable)?;
            tracing::info!("in-process sandbox started");
            *slot = Some(sandbox);
            // A new sandbox knows no webhook receiver yet.
            let engine = self.clone();
            tokio::spawn(async move { engine.subscribe_sandbox_webhooks_quietly().await });
        }
        slot.as_ref()
            .and_then(|s| s.base_url(provider.as_str()).map(str::to_owned))
            .ok_or_else(|| unavailable(format!("no {provider} simulator")))
    }

    /// The sandbox's base URL for `provider` if one is running (never starts one).
    pub(crate) async fn running_sandbox_url(&self, provider: ProviderId) -> Option<String> {
        if let Some(url) = external_url(provider) {
            return Some(url);
        }
        self.sandbox_slot()
            .lock()
            .await
            .as_ref()
            .and_then(|s| s.base_url(provider.as_str()).map(str::to_owned))
    }

    /// After a restart the in-process simulators are new and know none of the saved
    /// tokens: when sandbox connections exist, start the sandbox and connect them again
    /// (same rows, new tokens). Returns whether there was anything to resume.
    pub async fn resume_sandbox_accounts(&self) -> EngineResult<bool> {
        if std::env::var_os(SANDBOX_URLS_ENV).is_some() {
            // An external sandbox still knows the saved tokens.
            return Ok(false);
        }
        let mut providers: Vec<ProviderId> = Vec::new();
        for c in connections::list(self.store().pool()).await? {
            let live = c.environment == Environment::Sandbox
                && c.status != switchyard_store::kinds::ConnectionStatus::Disconnected;
            if live && !providers.contains(&c.provider) {
                providers.push(c.provider);
            }
        }
        if !providers.is_empty() {
            self.connect_sandbox_providers(&providers).await?;
            tracing::info!(count = providers.len(), "sandbox accounts resumed");
        }
        Ok(!providers.is_empty())
    }

    /// Connects one sandbox account per provider (replacing earlier sandbox connections
    /// of the same provider) and returns every connection.
    pub async fn connect_sandbox_accounts(&self) -> EngineResult<Vec<ConnectionSummary>> {
        self.connect_sandbox_providers(ProviderId::ALL).await
    }

    async fn connect_sandbox_providers(
        &self,
        providers: &[ProviderId],
    ) -> EngineResult<Vec<ConnectionSummary>> {
        for provider in providers {
            let base = self.sandbox_base_url(*provider).await?;
            let (auth_kind, api_base, grant, realm) = match provider {
                ProviderId::Salesforce | ProviderId::Hubspot | ProviderId::Quickbooks => {
                    self.sandbox_oauth(*provider, &base).await?
                }
                // The pasted-credential paths: Slack's bot token and Zapier's hook URL, as a
                // person would copy them from the service's settings.
                ProviderId::Slack => {
                    let minted = control(&base, "token", true).await?;
                    let token = Secret::new(
                        minted["access_token"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    );
                    (
                        AuthKind::PastedToken,
                        base.clone(),
                        Grant {
                            access: token,
                            refresh: None,
                            expires_at: None,
                        },
                        None,
                    )
                }
                ProviderId::Zapier => {
                    let minted = control(&base, "token", true).await?;
                    let hook = minted["hook_url"].as_str().unwrap_or_default().to_owned();
                    switchyard_connectors::zapier::parse_hook_url(&hook, &base)
                        .map_err(EngineError::validation)?;
                    (
                        AuthKind::HookUrl,
                        base.clone(),
                        Grant {
                            access: Secret::new(hook),
                            refresh: None,
                            expires_at: None,
                        },
                        None,
                    )
                }
            };
            let id = self
                .sandbox_connection_row(*provider, auth_kind, &api_base, realm.as_deref())
                .await?;
            TokenSource::save_grant(
                self.store(),
                &id,
                &grant.access,
                grant.refresh.as_ref(),
                grant.expires_at,
            )
            .await
            .map_err(|e| EngineError::new(ErrorCode::Storage, e.to_string()))?;
            // Who is connected, through the client stack and counted for this connection.
            self.test_connection(&id).await?;
        }
        // While the receiver listens, sandbox changes come back as signed webhooks.
        self.subscribe_sandbox_webhooks_quietly().await;
        self.list_connections().await
    }

    /// Runs the OAuth code flow against a simulator; returns (kind, API base, tokens, realmId).
    async fn sandbox_oauth(
        &self,
        provider: ProviderId,
        base: &str,
    ) -> EngineResult<(AuthKind, String, Grant, Option<String>)> {
        let creds = control(base, "credentials", false).await?;
        let config = FlowConfig {
            provider,
            endpoints: oauth_endpoints(
                provider,
                &Target::Sandbox {
                    base_url: base.to_owned(),
                },
            )
            .ok_or_else(|| EngineError::validation("no OAuth endpoints"))?,
            client_id: creds["client_id"].as_str().unwrap_or_default().to_owned(),
            client_secret: creds["client_secret"]
                .as_str()
                .map(|s| Secret::new(s.to_owned())),
            loopback_port: 0,
            loopback_path: "/callback".into(),
            paste_redirect_uri: None,
            timeout: Duration::from_secs(30),
        };
        let flow = begin(&config)
            .await
            .map_err(|e| EngineError::new(ErrorCode::Unavailable, e.to_string()))?;
        let authorize_url = flow.authorize_url.clone();
        let (grant, clicked) = tokio::join!(
            flow.finish(std::future::pending()),
            switchyard_sandbox::consent::allow(&authorize_url)
        );
        clicked.map_err(unavailable)?;
        let grant = grant.map_err(|e| EngineError::new(ErrorCode::AuthExpired, e.to_string()))?;
        let api_base = grant
            .instance_url
            .clone()
            .unwrap_or_else(|| base.to_owned());
        Ok((
            AuthKind::OauthLoopback,
            api_base,
            Grant {
                access: grant.access_token,
                refresh: grant.refresh_token,
                expires_at: grant.expires_at,
            },
            grant.realm_id,
        ))
    }

    /// The sandbox connection of this provider, reused (its old secrets wiped) or created.
    async fn sandbox_connection_row(
        &self,
        provider: ProviderId,
        auth_kind: AuthKind,
        api_base: &str,
        realm: Option<&str>,
    ) -> EngineResult<String> {
        let pool = self.store().pool();
        let existing = connections::list(pool)
            .await?
            .into_iter()
            .find(|c| c.provider == provider && c.environment == Environment::Sandbox);
        if let Some(c) = existing {
            secrets::delete_scope(pool, &c.id).await?;
            connections::set_identity(
                pool,
                &c.id,
                realm,
                c.account_name.as_deref(),
                c.user_name.as_deref(),
                Some(api_base),
            )
            .await?;
            return Ok(c.id);
        }
        let name = switchyard_connectors::provider(provider).name;
        let new = connections::NewConnection {
            provider,
            label: format!("{name} (sandbox)"),
            environment: Environment::Sandbox,
            auth_kind,
            account_id: realm.map(str::to_owned),
            account_name: None,
            user_name: None,
            instance_url: Some(api_base.to_owned()),
            scopes: None,
        };
        Ok(connections::insert(pool, &new).await?.id)
    }
}

/// Tokens of a new connection, kept wrapped until they reach the vault.
pub(crate) struct Grant {
    pub access: Secret<String>,
    pub refresh: Option<Secret<String>>,
    pub expires_at: Option<i64>,
}

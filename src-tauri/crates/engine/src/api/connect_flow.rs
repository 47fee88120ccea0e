//! Connecting an account from the UI. OAuth providers: `start_connect` prepares the
//! authorize URL and the loopback listener (the shell opens the URL in the system
//! browser), `finish_connect` waits for the redirect and stores the new connection,
//! `cancel_connect` ends a sign-in the user gave up on. Pasted credentials (HubSpot
//! private-app tokens, Slack bot tokens, Zapier hook URLs) are verified with the
//! provider's identity call before they are stored.

use crate::api::connections::ConnectionSummary;
use crate::{Engine, EngineError, EngineResult, ErrorCode};
use std::collections::HashMap;
use std::time::Duration;
use switchyard_connectors::auth::{begin, FlowConfig, FlowError, PendingFlow, TokenSource};
use switchyard_store::kinds::{AuthKind, ConnectionStatus, Environment, ProviderId};
use switchyard_store::tables::connections;
use switchyard_store::{new_id, Secret};
use tokio::sync::{oneshot, Mutex};

/// How long a started sign-in waits for the browser.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PendingConnect {
    pub flow_id: String,
    pub provider: ProviderId,
    pub authorize_url: String,
    pub redirect_uri: String,
    /// The browser will land on an https page: the user pastes its address back
    /// (`finish_connect_pasted`) instead of Switchyard receiving it on loopback.
    pub needs_paste: bool,
}

struct Started {
    flow: PendingFlow,
    provider: ProviderId,
    environment: Environment,
    api_base: String,
    cancel: oneshot::Receiver<()>,
}

/// Sign-ins in progress, and the cancel switch of each.
#[derive(Default)]
pub struct Flows {
    started: Mutex<HashMap<String, Started>>,
    cancels: Mutex<HashMap<String, oneshot::Sender<()>>>,
}

impl std::fmt::Debug for Flows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Flows")
    }
}

fn flow_error(provider: ProviderId, e: FlowError) -> EngineError {
    let name = switchyard_connectors::provider(provider).name;
    let code = match &e {
        FlowError::Timeout
        | FlowError::Cancelled
        | FlowError::Denied { .. }
        | FlowError::StateMismatch => ErrorCode::Validation,
        FlowError::Provider { .. } => ErrorCode::AuthExpired,
        FlowError::Network(_) => ErrorCode::Unavailable,
        FlowError::Config(_) => ErrorCode::Validation,
        FlowError::UntrustedInstance(_) => ErrorCode::UntrustedHost,
    };
    EngineError::new(code, format!("{name}: {e}"))
}

impl Engine {
    pub async fn start_connect(
        &self,
        provider: ProviderId,
        environment: Environment,
    ) -> EngineResult<PendingConnect> {
        let app = self.oauth_app(provider, environment).await?;
        let paste_redirect_uri = app.paste_redirect_uri.clone();
        let config = FlowConfig {
            provider,
            endpoints: app.endpoints,
            client_id: app.client_id,
            client_secret: app.client_secret,
            loopback_port: app.loopback_port,
            loopback_path: crate::api::apps::REDIRECT_PATH.into(),
            paste_redirect_uri: paste_redirect_uri.clone(),
            timeout: SIGN_IN_TIMEOUT,
        };
        let flow = begin(&config).await.map_err(|e| flow_error(provider, e))?;
        let flow_id = new_id();
        let pending = PendingConnect {
            flow_id: flow_id.clone(),
            provider,
            authorize_url: flow.authorize_url.clone(),
            redirect_uri: flow.redirect_uri.clone(),
            needs_paste: paste_redirect_uri.is_some(),
        };
        let (tx, rx) = oneshot::channel();
        self.flows()
            .cancels
            .lock()
            .await
            .insert(flow_id.clone(), tx);
        self.flows().started.lock().await.insert(
            flow_id,
            Started {
                flow,
                provider,
                environment,
                api_base: app.api_base,
                cancel: rx,
            },
        );
        Ok(pending)
    }

    /// Waits for the browser to come back, then stores and tests the new connection.
    pub async fn finish_connect(&self, flow_id: &str) -> EngineResult<ConnectionSummary> {
        let started = self.take_flow(flow_id).await?;
        let Started {
            flow,
            provider,
            environment,
            api_base,
            cancel,
        } = started;
        let outcome = flow
            .finish(async move {
                let _ = cancel.await;
            })
            .await;
        self.flows().cancels.lock().await.remove(flow_id);
        self.store_grant(
            provider,
            environment,
            api_base,
            outcome.map_err(|e| flow_error(provider, e))?,
        )
        .await
    }

    /// Completes a paste-mode sign-in from the address the browser landed on.
    pub async fn finish_connect_pasted(
        &self,
        flow_id: &str,
        pasted_url: &str,
    ) -> EngineResult<ConnectionSummary> {
        let started = self.take_flow(flow_id).await?;
        self.flows().cancels.lock().await.remove(flow_id);
        let Started {
            flow,
            provider,
            environment,
            api_base,
            ..
        } = started;
        let grant = flow
            .finish_pasted(pasted_url)
            .await
            .map_err(|e| flow_error(provider, e))?;
        self.store_grant(provider, environment, api_base, grant)
            .await
    }

    async fn store_grant(
        &self,
        provider: ProviderId,
        environment: Environment,
        api_base: String,
        grant: switchyard_connectors::auth::TokenGrant,
    ) -> EngineResult<ConnectionSummary> {
        let api_base = grant.instance_url.clone().unwrap_or(api_base);
        let kind = AuthKind::OauthLoopback;
        let id = self
            .new_connection(
                provider,
                environment,
                kind,
                &api_base,
                grant.realm_id.as_deref(),
            )
            .await?;
        TokenSource::save_grant(
            self.store(),
            &id,
            &grant.access_token,
            grant.refresh_token.as_ref(),
            grant.expires_at,
        )
        .await
        .map_err(|e| EngineError::new(ErrorCode::Storage, e.to_string()))?;
        self.test_connection(&id).await
    }

    async fn take_flow(&self, flow_id: &str) -> EngineResult<Started> {
        self.flows()
            .started
            .lock()
            .await
            .remove(flow_id)
            .ok_or_else(|| {
                EngineError::new(
                    ErrorCode::NotFound,
                    "this sign-in is not in progress (finished, cancelled or never started)",
                )
            })
    }

    pub async fn cancel_connect(&self, flow_id: &str) -> EngineResult<()> {
        if let Some(tx) = self.flows().cancels.lock().await.remove(flow_id) {
            let _ = tx.send(());
        }
        // A flow not yet waited on is dropped here, which closes its listener.
        self.flows().started.lock().await.remove(flow_id);
        Ok(())
    }

    /// Stores a pasted credential after the provider confirmed it; nothing is stored when
    /// it is refused.
    pub async fn connect_pasted(
        &self,
        provider: ProviderId,
        environment: Environment,
        credential: String,
    ) -> EngineResult<ConnectionSummary> {
        let credential = credential.trim().to_owned();
        let name = switchyard_connectors::provider(provider).name;
        let base = match environment {
            Environment::Sandbox => self.sandbox_base_url(provider).await?,
            Environment::Production => match provider {
                ProviderId::Hubspot | ProviderId::Slack | ProviderId::Zapier => {
                    switchyard_connectors::auth::production_api_base(provider).to_owned()
                }
                _ => {
                    return Err(EngineError::validation(format!(
                        "{name} accounts are connected by signing in, not by pasting a token"
                    )))
                }
            },
        };
        let (kind, token) = match provider {
            ProviderId::Hubspot if credential.starts_with("pat-") => {
                (AuthKind::PastedToken, credential)
            }
            ProviderId::Hubspot => {
                return Err(EngineError::validation(
                    "a HubSpot private-app or service-key token starts with pat-",
                ))
            }
            ProviderId::Slack if credential.starts_with("xoxb-") => {
                (AuthKind::PastedToken, credential)
            }
            ProviderId::Slack => {
                return Err(EngineError::validation(
                    "a Slack bot token starts with xoxb-",
                ))
            }
            ProviderId::Zapier => {
                switchyard_connectors::zapier::parse_hook_url(&credential, &base)
                    .map_err(EngineError::validation)?;
                (AuthKind::HookUrl, credential)
            }
            _ => {
                return Err(EngineError::validation(format!(
                    "{name} accounts are connected by signing in, not by pasting a token"
                )))
            }
        };
        let token = Secret::new(token);
        // Verify before storing: a refused credential leaves nothing behind.
        let stack = self.stack(provider, None);
        let verified = match provider {
            ProviderId::Hubspot => {
                switchyard_connectors::hubspot::identity(&stack, &base, &token).await
            }
            ProviderId::Slack => {
                switchyard_connectors::slack::identity(&stack, &base, &token).await
            }
            _ => switchyard_connectors::zapier::test_post(&stack, token.expose()).await,
        };
        verified.map_err(|e| self.connect_error(provider, e))?;
        let id = self
            .new_connection(provider, environment, kind, &base, None)
            .await?;
        TokenSource::save_grant(self.store(), &id, &token, None, None)
            .await
            .map_err(|e| EngineError::new(ErrorCode::Storage, e.to_string()))?;
        self.test_connection(&id).await
    }

    async fn new_connection(
        &self,
        provider: ProviderId,
        environment: Environment,
        auth_kind: AuthKind,
        api_base: &str,
        account_id: Option<&str>,
    ) -> EngineResult<String> {
        let name = switchyard_connectors::provider(provider).name;
        let label = match environment {
            Environment::Sandbox => format!("{name} (sandbox)"),
            Environment::Production => name.to_owned(),
        };
        let new = connections::NewConnection {
            provider,
            label,
            environment,
            auth_kind,
            account_id: account_id.map(str::to_owned),
            account_name: None,
            user_name: None,
            instance_url: Some(api_base.to_owned()),
            scopes: None,
        };
        let c = connections::insert(self.store().pool(), &new).await?;
        connections::set_status(
            self.store().pool(),
            &c.id,
            ConnectionStatus::Connected,
            None,
        )
        .await?;
        Ok(c.id)
    }
}

//! Testing and disconnecting connections: the identity call through the client stack,
//! and revocation at the provider before the secrets are wiped.

use crate::api::connections::ConnectionSummary;
use crate::{Engine, EngineError, EngineResult, ErrorCode};
use std::sync::Arc;
use switchyard_connectors::http::{CircuitState, Stack, StackConfig};
use switchyard_connectors::identity::{Identity, IdentityError};
use switchyard_store::kinds::{Backoff, ConnectionStatus, Environment, ProviderId};
use switchyard_store::tables::{connections, secrets};

impl Engine {
    /// A client stack for one provider (and connection), with its documented defaults.
    /// The client stack of a connection: one per connection for the life of the engine,
    /// so its rate limiter, concurrency cap and circuit breaker see every call. Calls made
    /// before a connection exists (verifying a pasted token) get a fresh stack.
    pub(crate) fn stack(&self, provider: ProviderId, connection_id: Option<&str>) -> Arc<Stack> {
        let build = || {
            let mut rate = switchyard_connectors::registry::default_rate(provider);
            if !self.client_limits() {
                // No rate limiter: only the concurrency cap admits calls.
                rate.limit = 0;
            }
            let mut config = StackConfig::new(provider, rate);
            config.connection_id = connection_id.map(str::to_owned);
            config.timeout = self.request_timeout();
            Arc::new(Stack::new(
                self.http().clone(),
                config,
                Some(self.metrics_tap().clone()),
            ))
        };
        let Some(id) = connection_id else {
            return build();
        };
        let mut stacks = self.stacks().lock().unwrap_or_else(|p| p.into_inner());
        stacks.entry(id.to_owned()).or_insert_with(build).clone()
    }

    /// Chooses how a connection's calls wait between retries; applies at once.
    pub async fn set_backoff(&self, id: &str, backoff: Backoff) -> EngineResult<ConnectionSummary> {
        let pool = self.store().pool();
        connections::set_backoff(pool, id, backoff).await?;
        let c = connections::get(pool, id).await?;
        self.stack(c.provider, Some(id)).set_backoff(backoff.into());
        Ok(self.summary(c))
    }

    /// The circuit state of a connection that has made calls since start.
    /// Requests left in the provider's short rate window, as its last response said.
    pub fn burst_reading(
        &self,
        connection_id: &str,
    ) -> Option<switchyard_connectors::http::QuotaReading> {
        self.stacks()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(connection_id)
            .and_then(|s| s.burst())
    }

    pub fn circuit_state(&self, connection_id: &str) -> Option<CircuitState> {
        self.stacks()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(connection_id)
            .map(|s| s.circuit())
    }

    pub(crate) fn connect_error(&self, provider: ProviderId, e: IdentityError) -> EngineError {
        let name = switchyard_connectors::provider(provider).name;
        match e {
            IdentityError::Rejected => EngineError::new(
                ErrorCode::AuthExpired,
                format!("{name} did not accept these credentials."),
            ),
            IdentityError::Call(call) => {
                EngineError::new(ErrorCode::Unavailable, format!("{name}: {call}"))
            }
            IdentityError::Unexpected(detail) => EngineError::new(
                ErrorCode::Internal,
                format!("{name} answered something unexpected: {detail}"),
            ),
        }
    }

    /// Asks the provider who is connected and records the answer (or why it failed).
    pub async fn test_connection(&self, id: &str) -> EngineResult<ConnectionSummary> {
        // Every new sign-in is tested right after it is saved: drop the client holding the old one.
        self.forget_client(id);
        let pool = self.store().pool();
        let c = connections::get(pool, id).await?;
        let token = secrets::get(
            pool,
            self.store().vault(),
            id,
            switchyard_connectors::auth::ACCESS,
        )
        .await?
        .ok_or_else(|| {
            EngineError::new(
                ErrorCode::AuthExpired,
                "this connection has no saved sign-in; reconnect it",
            )
        })?;
        let stack = self.stack(c.provider, Some(id));
        stack.set_backoff(c.backoff.into());
        let base = c.instance_url.clone().unwrap_or_default();
        let result: Result<Identity, IdentityError> = match c.provider {
            ProviderId::Salesforce => {
                switchyard_connectors::salesforce::identity(&stack, &base, &token).await
            }
            ProviderId::Hubspot => {
                switchyard_connectors::hubspot::identity(&stack, &base, &token).await
            }
            ProviderId::Quickbooks => {
                switchyard_connectors::quickbooks::identity(
                    &stack,
                    &base,
                    c.account_id.as_deref().unwrap_or_default(),
                    &token,
                )
                .await
            }
            ProviderId::Slack => {
                switchyard_connectors::slack::identity(&stack, &base, &token).await
            }
            ProviderId::Zapier => {
                switchyard_connectors::zapier::test_post(&stack, token.expose()).await
            }
        };
        match result {
            Ok(who) => {
                connections::set_identity(
                    pool,
                    id,
                    who.account_id.as_deref(),
                    Some(&who.account_name),
                    who.user_name.as_deref(),
                    None,
                )
                .await?;
                connections::set_status(pool, id, ConnectionStatus::Connected, None).await?;
            }
            Err(e) => {
                let err = self.connect_error(c.provider, e);
                let status = if err.code == ErrorCode::AuthExpired {
                    ConnectionStatus::NeedsReconnect
                } else {
                    ConnectionStatus::Error
                };
                connections::set_status(pool, id, status, Some(&err.message)).await?;
            }
        }
        Ok(self.summary(connections::get(pool, id).await?))
    }

    /// Revokes the grant at the provider, then wipes the connection's secrets and marks it
    /// disconnected. A revocation that fails is said in the status; the secrets go anyway.
    pub async fn disconnect(&self, id: &str) -> EngineResult<ConnectionSummary> {
        let pool = self.store().pool();
        let c = connections::get(pool, id).await?;
        let revoked = self.revoke_grant(id, c.provider, c.environment).await;
        self.forget_client(id);
        let wiped = secrets::delete_scope(pool, id).await?;
        connections::set_token_expiry(pool, id, None).await?;
        let message = match &revoked {
            Ok(()) => "Disconnected: access was revoked and Switchyard no longer holds a sign-in for this account.".to_owned(),
            Err(why) => format!("Disconnected: Switchyard no longer holds a sign-in for this account, but revoking it at the provider failed ({why})."),
        };
        connections::set_status(pool, id, ConnectionStatus::Disconnected, Some(&message)).await?;
        tracing::info!(
            connection = id,
            secrets_wiped = wiped,
            revoked = revoked.is_ok(),
            "disconnected"
        );
        Ok(self.summary(connections::get(pool, id).await?))
    }

    /// Revokes the grant (refresh token where there is one, else the access token) with
    /// the app the connection was made with: the simulator's for sandbox accounts, the
    /// one from Settings for real ones.
    async fn revoke_grant(
        &self,
        id: &str,
        provider: ProviderId,
        environment: Environment,
    ) -> Result<(), String> {
        if provider == ProviderId::Zapier {
            return Ok(());
        }
        let app = self
            .oauth_app(provider, environment)
            .await
            .map_err(|e| e.message)?;
        let (pool, vault) = (self.store().pool(), self.store().vault());
        let refresh = secrets::get(pool, vault, id, switchyard_connectors::auth::REFRESH)
            .await
            .map_err(|e| e.to_string())?;
        let token = match refresh {
            Some(refresh) => refresh,
            None => secrets::get(pool, vault, id, switchyard_connectors::auth::ACCESS)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("no saved token")?,
        };
        switchyard_connectors::auth::revoke(
            &self.stack(provider, Some(id)),
            provider,
            &app.endpoints,
            &app.client_id,
            app.client_secret.as_ref(),
            &token,
        )
        .await
        .map_err(|e| e.to_string())
    }
}

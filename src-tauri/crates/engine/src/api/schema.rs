//! What a connected account holds: its syncable objects and their discovered fields
//! (through the provider's connector and the read cache), and the "clear cache" action.
//! One authenticated client per connection lives for the engine's life, so its token
//! refresh is shared by every caller; saving a new sign-in drops it.

use crate::{Engine, EngineError, EngineResult, ErrorCode};
use std::sync::Arc;
use switchyard_connectors::api::Api;
use switchyard_connectors::auth::{
    oauth_endpoints, AuthedClient, RefreshConfig, Target, TokenSource,
};
use switchyard_connectors::connector::{Connector, ConnectorError};
use switchyard_connectors::schema::{ObjectSpec, ObjectSummary};
use switchyard_connectors::{hubspot, quickbooks, salesforce};
use switchyard_store::kinds::{AuthKind, ConnectionStatus, Environment, ProviderId};
use switchyard_store::tables::connections;

impl Engine {
    /// The connector of a connection (Salesforce, HubSpot or QuickBooks).
    pub async fn connector(&self, id: &str) -> EngineResult<Arc<dyn Connector>> {
        self.connector_for_run(id, None).await
    }

    /// The connector of a connection whose calls are tagged with (and counted for) a run.
    pub async fn connector_for_run(
        &self,
        id: &str,
        run_id: Option<&str>,
    ) -> EngineResult<Arc<dyn Connector>> {
        let c = connections::get(self.store().pool(), id).await?;
        if c.status == ConnectionStatus::Disconnected {
            return Err(EngineError::new(
                ErrorCode::AuthExpired,
                "this connection is disconnected; connect it again",
            ));
        }
        let api = self
            .client(id, c.provider, c.environment, c.auth_kind)
            .await?
            .for_run(run_id);
        let base = c.instance_url.clone().unwrap_or_default();
        Ok(match c.provider {
            ProviderId::Salesforce => Arc::new(salesforce::Salesforce::new(api, &base)),
            ProviderId::Hubspot => {
                // The installation's search pace, or none when the client's own limits
                // are off (the B4 benchmark against a sandbox without limits).
                let rate = if self.client_limits() {
                    self.provider_limits().await?.hubspot_search_per_second
                } else {
                    0
                };
                Arc::new(hubspot::Hubspot::new(api, &base).with_search_rate(rate))
            }
            ProviderId::Quickbooks => Arc::new(quickbooks::Quickbooks::new(
                api,
                &base,
                c.account_id.as_deref().unwrap_or_default(),
            )),
            other => {
                let name = switchyard_connectors::provider(other).name;
                return Err(EngineError::validation(format!(
                    "{name} is a notification channel, not a source or target of records"
                )));
            }
        })
    }

    async fn client(
        &self,
        id: &str,
        provider: ProviderId,
        environment: Environment,
        kind: AuthKind,
    ) -> EngineResult<Api> {
        if let Some(api) = self
            .clients()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
        {
            return Ok(api.clone());
        }
        // Pasted tokens cannot be refreshed: the refresh settings only matter for OAuth.
        let config = match kind {
            AuthKind::OauthLoopback | AuthKind::OauthPasteRedirect => {
                let app = self.oauth_app(provider, environment).await?;
                RefreshConfig {
                    provider,
                    endpoints: app.endpoints,
                    client_id: app.client_id,
                    client_secret: app.client_secret,
                }
            }
            AuthKind::PastedToken | AuthKind::HookUrl => RefreshConfig {
                provider,
                endpoints: oauth_endpoints(provider, &Target::Production).ok_or_else(|| {
                    EngineError::validation("this provider has no sign-in to refresh")
                })?,
                client_id: String::new(),
                client_secret: None,
            },
        };
        let tokens = TokenSource::load(self.store().clone(), id, config)
            .await
            .map_err(|e| EngineError::new(ErrorCode::Storage, e.to_string()))?;
        let api = Api::new(
            AuthedClient::new(self.stack(provider, Some(id)), tokens),
            self.read_cache().clone(),
            id,
        );
        self.clients()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned(), api.clone());
        Ok(api)
    }

    /// Drops the cached client of a connection (after a new sign-in or a disconnect).
    pub(crate) fn forget_client(&self, id: &str) {
        self.clients()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
    }

    pub async fn list_objects(&self, connection_id: &str) -> EngineResult<Vec<ObjectSummary>> {
        let connector = self.connector(connection_id).await?;
        connector
            .objects()
            .await
            .map_err(|e| connector_error(connector.provider(), e))
    }

    /// Every field of an object, from the cache when it was described in the last hour.
    pub async fn describe_object(
        &self,
        connection_id: &str,
        object: &str,
    ) -> EngineResult<ObjectSpec> {
        let connector = self.connector(connection_id).await?;
        connector
            .describe(object)
            .await
            .map_err(|e| connector_error(connector.provider(), e))
    }

    /// Forgets every cached read (schema descriptions, look-ups) of every connection.
    pub fn clear_cache(&self) {
        self.read_cache().clear();
        tracing::info!("read cache cleared by hand");
    }
}

/// A connector failure as the UI sees it: the provider named, a stable code.
pub(crate) fn connector_error(provider: ProviderId, e: ConnectorError) -> EngineError {
    let name = switchyard_connectors::provider(provider).name;
    let code = match &e {
        ConnectorError::NeedsReconnect(_) => ErrorCode::AuthExpired,
        ConnectorError::Unavailable(_) => ErrorCode::Unavailable,
        ConnectorError::UnknownObject(_) => ErrorCode::NotFound,
        ConnectorError::Rejected { .. }
        | ConnectorError::Unsupported(_)
        | ConnectorError::ChangesUnavailable(_) => ErrorCode::Validation,
        ConnectorError::Unexpected(_) => ErrorCode::Internal,
    };
    EngineError::new(code, format!("{name}: {e}"))
}

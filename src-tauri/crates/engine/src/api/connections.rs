//! Connections as the UI lists them, and the provider catalogue.

use crate::{Engine, EngineResult};
pub use switchyard_connectors::ProviderInfo;
use switchyard_store::kinds::{Backoff, ConnectionStatus, Environment, ProviderId};
use switchyard_store::tables::connections;

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSummary {
    pub id: String,
    pub provider: ProviderId,
    pub label: String,
    pub account_name: Option<String>,
    pub environment: Environment,
    pub status: ConnectionStatus,
    pub status_message: Option<String>,
    pub created_at: i64,
    pub last_checked_at: Option<i64>,
    /// When the current access token expires (epoch ms), when the provider says.
    pub token_expires_at: Option<i64>,
    /// The connection's circuit breaker, once it has made a call since start.
    pub circuit_state: Option<switchyard_connectors::http::CircuitState>,
    /// How its calls wait between retries.
    pub backoff: Backoff,
}

impl From<connections::Connection> for ConnectionSummary {
    fn from(c: connections::Connection) -> Self {
        Self {
            id: c.id,
            provider: c.provider,
            label: c.label,
            account_name: c.account_name,
            environment: c.environment,
            status: c.status,
            status_message: c.status_message,
            created_at: c.created_at,
            last_checked_at: c.last_checked_at,
            token_expires_at: c.token_expires_at,
            circuit_state: None,
            backoff: c.backoff,
        }
    }
}

/// The five providers Switchyard connects to.
pub fn list_providers() -> Vec<ProviderInfo> {
    switchyard_connectors::providers().to_vec()
}

impl Engine {
    pub async fn list_connections(&self) -> EngineResult<Vec<ConnectionSummary>> {
        let rows = connections::list(self.store().pool()).await?;
        Ok(rows.into_iter().map(|c| self.summary(c)).collect())
    }

    /// The UI's view of a connection, with its live circuit state.
    pub(crate) fn summary(&self, c: connections::Connection) -> ConnectionSummary {
        let circuit_state = self.circuit_state(&c.id);
        ConnectionSummary {
            circuit_state,
            ..c.into()
        }
    }
}

//! The token lifecycle of one connection. Tokens live only in the encrypted vault; this
//! keeps the current access token in memory, refreshes it before it expires (proactive)
//! or when the provider says it is no longer valid (reactive), and makes N concurrent
//! callers share ONE refresh. A rotated refresh token is written to the vault, in the
//! same transaction as the new access token and expiry, before anything uses it. A
//! refresh the provider refuses marks the connection "needs reconnect" with a sentence a
//! person can act on, and raises an alert — never a raw `invalid_grant`.

use super::endpoints::OAuthEndpoints;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, ClientId, ClientSecret, RefreshToken, RequestTokenError, TokenResponse, TokenUrl,
};
use std::sync::Arc;
use std::time::Duration;
use switchyard_store::kinds::{ConnectionStatus, ProviderId, Severity};
use switchyard_store::tables::{alerts, connections, secrets};
use switchyard_store::{now_ms, Secret, Store, StoreError};
use tokio::sync::Mutex;

pub const ACCESS: &str = "access_token";
pub const REFRESH: &str = "refresh_token";
/// Refresh this long before the provider's stated expiry.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The provider refused the saved sign-in: the user must reconnect.
    #[error("{0}")]
    NeedsReconnect(String),
    #[error("could not refresh the sign-in: {0}")]
    Network(String),
    #[error("stored sign-in unavailable: {0}")]
    Store(String),
}

impl From<StoreError> for TokenError {
    fn from(e: StoreError) -> Self {
        TokenError::Store(e.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct RefreshConfig {
    pub provider: ProviderId,
    pub endpoints: OAuthEndpoints,
    pub client_id: String,
    pub client_secret: Option<Secret<String>>,
}

#[derive(Debug)]
struct Current {
    access: Option<Secret<String>>,
    expires_at: Option<i64>,
}

/// Hands out a valid access token for one connection; cheap to clone.
#[derive(Debug, Clone)]
pub struct TokenSource {
    store: Store,
    connection_id: String,
    config: Arc<RefreshConfig>,
    current: Arc<Mutex<Current>>,
    refreshes: Arc<std::sync::atomic::AtomicU64>,
}

impl TokenSource {
    pub async fn load(
        store: Store,
        connection_id: &str,
        config: RefreshConfig,
    ) -> Result<Self, TokenError> {
        let access = secrets::get(store.pool(), store.vault(), connection_id, ACCESS).await?;
        let expires_at = connections::get(store.pool(), connection_id)
            .await?
            .token_expires_at;
        Ok(Self {
            store,
            connection_id: connection_id.to_owned(),
            config: Arc::new(config),
            current: Arc::new(Mutex::new(Current { access, expires_at })),
            refreshes: Arc::default(),
        })
    }

    /// Saves a fresh grant (after connecting) in one transaction.
    pub async fn save_grant(
        store: &Store,
        connection_id: &str,
        access: &Secret<String>,
        refresh: Option<&Secret<String>>,
        expires_at: Option<i64>,
    ) -> Result<(), TokenError> {
        let mut tx = switchyard_store::begin_write(store.pool()).await?;
        secrets::put(
            &mut *tx,
            store.vault(),
            connection_id,
            ACCESS,
            Some(connection_id),
            access,
        )
        .await?;
        if let Some(refresh) = refresh {
            secrets::put(
                &mut *tx,
                store.vault(),
                connection_id,
                REFRESH,
                Some(connection_id),
                refresh,
            )
            .await?;
        }
        connections::set_token_expiry(&mut *tx, connection_id, expires_at).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// How many refreshes this source performed (for tests and the dashboard).
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A token that is not known to be expired, refreshing first when it is close to expiry.
    pub async fn access_token(&self) -> Result<Secret<String>, TokenError> {
        let mut current = self.current.lock().await;
        let margin = i64::try_from(REFRESH_MARGIN.as_millis()).unwrap_or(i64::MAX);
        let fresh = current.expires_at.is_none_or(|at| at - margin > now_ms());
        match (&current.access, fresh) {
            (Some(token), true) => Ok(token.clone()),
            _ => self.refresh_locked(&mut current).await,
        }
    }

    /// The provider rejected `rejected` (401 / INVALID_SESSION_ID): refresh once. When
    /// another caller already replaced that token, its new token is returned instead, so
    /// N callers failing together cause one refresh.
    pub async fn after_rejection(
        &self,
        rejected: &Secret<String>,
    ) -> Result<Secret<String>, TokenError> {
        let mut current = self.current.lock().await;
        if let Some(token) = &current.access {
            if token.expose() != rejected.expose() {
                return Ok(token.clone());
            }
        }
        self.refresh_locked(&mut current).await
    }

    async fn refresh_locked(&self, current: &mut Current) -> Result<Secret<String>, TokenError> {
        let refresh = secrets::get(
            self.store.pool(),
            self.store.vault(),
            &self.connection_id,
            REFRESH,
        )
        .await?;
        let Some(refresh) = refresh else {
            return Err(self
                .needs_reconnect("there is no saved refresh token")
                .await);
        };
        let response = self.exchange(&refresh).await;
        let response = match response {
            Ok(r) => r,
            Err(RefreshFailure::Refused(detail)) => {
                return Err(self.needs_reconnect(&detail).await)
            }
            Err(RefreshFailure::Transient(detail)) => return Err(TokenError::Network(detail)),
        };
        self.refreshes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let access = Secret::new(response.access_token().secret().clone());
        let rotated = response
            .refresh_token()
            .map(|r| Secret::new(r.secret().clone()));
        let expires_at = response
            .expires_in()
            .map(|d| now_ms() + i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        // Persist (including a rotated refresh token) before anyone uses the new tokens.
        Self::save_grant(
            &self.store,
            &self.connection_id,
            &access,
            rotated.as_ref(),
            expires_at,
        )
        .await?;
        current.access = Some(access.clone());
        current.expires_at = expires_at;
        tracing::info!(connection = %self.connection_id, rotated = rotated.is_some(), "access token refreshed");
        Ok(access)
    }

    async fn exchange(
        &self,
        refresh: &Secret<String>,
    ) -> Result<oauth2::basic::BasicTokenResponse, RefreshFailure> {
        let token_url = TokenUrl::new(self.config.endpoints.token.clone())
            .map_err(|e| RefreshFailure::Transient(e.to_string()))?;
        let mut client =
            BasicClient::new(ClientId::new(self.config.client_id.clone())).set_token_uri(token_url);
        if let Some(secret) = &self.config.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose().clone()));
        }
        if self.config.endpoints.credentials_in_body {
            client = client.set_auth_type(AuthType::RequestBody);
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| RefreshFailure::Transient(e.to_string()))?;
        let token = RefreshToken::new(refresh.expose().clone());
        client
            .exchange_refresh_token(&token)
            .request_async(&http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => RefreshFailure::Refused(
                    r.error_description()
                        .cloned()
                        .unwrap_or_else(|| r.error().as_ref().to_owned()),
                ),
                RequestTokenError::Request(e) => RefreshFailure::Transient(e.to_string()),
                // A provider's legacy error shape (e.g. HubSpot v1 `{"status":"BAD_REFRESH_TOKEN"}`).
                RequestTokenError::Parse(e, body) => match legacy_refusal(&body) {
                    Some(detail) => RefreshFailure::Refused(detail),
                    None => RefreshFailure::Transient(e.to_string()),
                },
                RequestTokenError::Other(e) => RefreshFailure::Transient(e),
            })
    }

    async fn needs_reconnect(&self, detail: &str) -> TokenError {
        let name = crate::registry::provider(self.config.provider).name;
        let sentence = format!("{name} no longer accepts Switchyard's saved sign-in. Reconnect this account to continue syncing.");
        tracing::warn!(connection = %self.connection_id, "refresh refused by the provider: {detail}");
        if let Err(e) = connections::set_status(
            self.store.pool(),
            &self.connection_id,
            ConnectionStatus::NeedsReconnect,
            Some(&sentence),
        )
        .await
        {
            tracing::warn!("could not mark the connection: {e}");
        }
        let dedup = format!("auth_failed:{}", self.connection_id);
        let alert = alerts::NewAlert {
            connection_id: Some(&self.connection_id),
            mapping_id: None,
            kind: "auth_failed",
            severity: Severity::Critical,
            message: &sentence,
            dedup_key: &dedup,
        };
        if let Err(e) = alerts::raise(self.store.pool(), &alert).await {
            tracing::warn!("could not raise the alert: {e}");
        }
        TokenError::NeedsReconnect(sentence)
    }
}

/// `{"status": "BAD_…", "message": …}` and similar non-RFC refusals of a refresh.
fn legacy_refusal(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let status = v
        .get("status")
        .and_then(|s| s.as_str())
        .filter(|s| s.starts_with("BAD_"))?;
    Some(
        v.get("message")
            .and_then(|m| m.as_str())
            .unwrap_or(status)
            .to_owned(),
    )
}

enum RefreshFailure {
    Refused(String),
    Transient(String),
}

//! Webhooks in Settings and on the dashboard: the receiver's settings and status, the
//! address to give each provider, the signing secrets (kept in the vault; the user's are
//! write-only, a mapping's generated secret is shown once, when made), counts of what
//! arrived, and starting it all when the app starts.

use crate::webhooks::receiver::local_base;
use crate::webhooks::settings::{
    generic_secret_name, provider_secret_name, random_secret, KEY, SCOPE,
};
use crate::webhooks::{ReceiverState, ReceiverStatus, WebhookSettings};
use crate::{Engine, EngineError, EngineResult};
use switchyard_store::kinds::ProviderId;
use switchyard_store::tables::{mappings, secrets, settings, webhook_events};
use switchyard_store::{now_ms, Secret};

/// What arrived since a moment (the Health screen shows it over its window).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookStats {
    pub since: i64,
    /// Verified deliveries (events) first received in the window.
    pub received: i64,
    /// Refused deliveries: bad, missing or stale signatures, malformed or oversized bodies.
    pub rejected: i64,
    /// Repeats of events already received (provider retries), ignored.
    pub duplicates: i64,
    /// Verified events whose sync has not run yet.
    pub pending: i64,
    pub last_received_at: Option<i64>,
    pub last_rejected_at: Option<i64>,
    pub receiver: ReceiverState,
}

/// The address to give one provider, and whether its signing secret is set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEndpoint {
    pub provider: ProviderId,
    pub url: String,
    /// What the provider calls the secret it signs with.
    pub secret_label: String,
    /// A secret was entered here.
    pub has_secret: bool,
    /// HubSpot: the app client secret saved under App credentials is used.
    pub uses_app_secret: bool,
}

/// A mapping's own endpoint, for Zapier and other senders.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GenericEndpoint {
    pub mapping_id: String,
    pub mapping_name: String,
    pub url: String,
    pub has_secret: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookView {
    pub settings: WebhookSettings,
    pub status: ReceiverStatus,
    /// Where providers reach the receiver: the public address if set, else the local one.
    pub base_url: String,
    pub endpoints: Vec<ProviderEndpoint>,
    pub generic: Vec<GenericEndpoint>,
    /// The last 24 hours.
    pub stats: WebhookStats,
}

/// A mapping's new secret: shown once, to paste into the sender.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedSecret {
    pub mapping_id: String,
    pub url: String,
    pub secret: String,
}

const DAY_MS: i64 = 24 * 3600 * 1000;

fn secret_label(provider: ProviderId) -> &'static str {
    match provider {
        ProviderId::Hubspot => "App client secret",
        ProviderId::Quickbooks => "Verifier token",
        _ => "Signing secret",
    }
}

impl Engine {
    pub async fn webhook_settings(&self) -> EngineResult<WebhookSettings> {
        let stored = settings::get(self.store().pool(), KEY).await?;
        Ok(WebhookSettings::from_stored(stored))
    }

    pub async fn webhook_stats(&self, since_ms: i64) -> EngineResult<WebhookStats> {
        let c = webhook_events::counts(self.store().pool(), since_ms).await?;
        Ok(WebhookStats {
            since: since_ms,
            received: c.received,
            rejected: c.rejected,
            duplicates: c.duplicates,
            pending: c.pending,
            last_received_at: c.last_received_at,
            last_rejected_at: c.last_rejected_at,
            receiver: self.webhook_service().status().state,
        })
    }

    pub async fn webhook_view(&self) -> EngineResult<WebhookView> {
        let pool = self.store().pool();
        let vault_names = secrets::names(pool, SCOPE).await?;
        let settings = self.webhook_settings().await?;
        let status = self.webhook_service().status();
        let base_url = match (&settings.public_url, &status.address) {
            (Some(public), _) => public.clone(),
            (None, Some(addr)) => addr
                .parse()
                .map_or_else(|_| format!("http://{addr}"), local_base),
            (None, None) => local_base(std::net::SocketAddr::new(settings.ip(), settings.port)),
        };
        let app_secret = self.app_credentials(ProviderId::Hubspot).await?.has_secret;
        let endpoints = [
            ProviderId::Hubspot,
            ProviderId::Quickbooks,
            ProviderId::Slack,
        ]
        .into_iter()
        .map(|p| ProviderEndpoint {
            provider: p,
            url: format!("{base_url}/webhooks/{p}"),
            secret_label: secret_label(p).to_owned(),
            has_secret: provider_secret_name(p).is_some_and(|n| vault_names.iter().any(|v| v == n)),
            uses_app_secret: p == ProviderId::Hubspot && app_secret,
        })
        .collect();
        let generic = mappings::list_with_counts(pool)
            .await?
            .into_iter()
            .map(|m| GenericEndpoint {
                url: format!("{base_url}/webhooks/generic/{}", m.mapping.id),
                has_secret: vault_names.contains(&generic_secret_name(&m.mapping.id)),
                mapping_name: m.mapping.name,
                mapping_id: m.mapping.id,
            })
            .collect();
        Ok(WebhookView {
            stats: self.webhook_stats(now_ms() - DAY_MS).await?,
            settings,
            status,
            base_url,
            endpoints,
            generic,
        })
    }

    /// Saves the receiver's settings and applies them: starts, restarts or stops it.
    pub async fn set_webhook_settings(&self, new: WebhookSettings) -> EngineResult<WebhookView> {
        let new = new.checked()?;
        settings::set(self.store().pool(), KEY, &new).await?;
        self.apply_webhook_settings(&new).await;
        self.webhook_view().await
    }

    /// Saves (or, with nothing, removes) the secret a provider signs with.
    pub async fn set_webhook_secret(
        &self,
        provider: ProviderId,
        secret: Option<String>,
    ) -> EngineResult<WebhookView> {
        let name = provider_secret_name(provider).ok_or_else(|| {
            EngineError::validation(
                "Only HubSpot, QuickBooks and Slack sign webhooks with a secret.",
            )
        })?;
        let pool = self.store().pool();
        match secret
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
        {
            Some(s) if s.len() > 512 || s.chars().any(char::is_whitespace) => {
                return Err(EngineError::validation(
                    "The secret must be one word of up to 512 characters.",
                ));
            }
            Some(s) => {
                secrets::put(
                    pool,
                    self.store().vault(),
                    SCOPE,
                    name,
                    None,
                    &Secret::new(s),
                )
                .await?
            }
            None => {
                secrets::delete(pool, SCOPE, name).await?;
            }
        }
        self.webhook_view().await
    }

    /// Makes a new secret for a mapping's generic endpoint (the old one stops working) and
    /// returns it, this once.
    pub async fn rotate_generic_webhook_secret(
        &self,
        mapping_id: &str,
    ) -> EngineResult<GeneratedSecret> {
        let pool = self.store().pool();
        let mapping = mappings::get(pool, mapping_id).await?;
        let secret = random_secret("whsec_");
        secrets::put(
            pool,
            self.store().vault(),
            SCOPE,
            &generic_secret_name(&mapping.id),
            None,
            &Secret::new(secret.clone()),
        )
        .await?;
        let base = self.webhook_view().await?.base_url;
        Ok(GeneratedSecret {
            url: format!("{base}/webhooks/generic/{}", mapping.id),
            mapping_id: mapping.id,
            secret,
        })
    }

    /// Closes a mapping's generic endpoint (its deliveries are refused from now on).
    pub async fn remove_generic_webhook_secret(
        &self,
        mapping_id: &str,
    ) -> EngineResult<WebhookView> {
        secrets::delete(self.store().pool(), SCOPE, &generic_secret_name(mapping_id)).await?;
        self.webhook_view().await
    }

    /// On app start: events stored before a restart are synced, and the receiver listens
    /// if the user turned it on.
    pub async fn start_webhooks(&self) -> EngineResult<ReceiverStatus> {
        let settings = self.webhook_settings().await?;
        self.wake_webhook_dispatcher();
        Ok(self.apply_webhook_settings(&settings).await)
    }

    pub(crate) fn wake_webhook_dispatcher(&self) {
        self.webhook_service()
            .wake(|| crate::webhooks::spawn_dispatcher(self.clone()));
    }

    /// Starts, restarts or stops the receiver to match `settings`; the outcome is its status.
    async fn apply_webhook_settings(&self, settings: &WebhookSettings) -> ReceiverStatus {
        let service = self.webhook_service();
        service.set_debounce(settings.debounce_ms);
        let status = {
            let mut slot = service.receiver().lock().await;
            if let Some(running) = slot.take() {
                running.stop().await;
            }
            if settings.enabled {
                match crate::webhooks::start_receiver(self.clone(), settings.clone()).await {
                    Ok(running) => {
                        let address = running.addr.to_string();
                        *slot = Some(running);
                        ReceiverStatus {
                            state: ReceiverState::Listening,
                            address: Some(address),
                            message: None,
                        }
                    }
                    Err(e) => {
                        let message =
                            format!("Cannot listen on {}:{}: {e}", settings.host, settings.port);
                        tracing::warn!("webhook receiver not started: {message}");
                        ReceiverStatus {
                            state: ReceiverState::Error,
                            address: None,
                            message: Some(message),
                        }
                    }
                }
            } else {
                ReceiverStatus::default()
            }
        };
        service.set_status(status.clone());
        if status.state == ReceiverState::Listening {
            self.wake_webhook_dispatcher();
            self.subscribe_sandbox_webhooks_quietly().await;
        } else {
            self.unsubscribe_sandbox_webhooks().await;
        }
        status
    }
}

//! "Try with sandbox accounts", with webhooks: while the receiver listens, the running
//! in-process (or external) sandbox's HubSpot and QuickBooks simulators are subscribed to
//! it, so a record changed in the sandbox comes back as a signed webhook and a sync. HubSpot
//! signs with its app's client secret (the simulator's own); QuickBooks with a verifier
//! token generated here. Both are kept in the connection's vault scope, where the receiver
//! looks for them.

use super::receiver::local_base;
use super::settings::{random_secret, HubspotSignature, CONNECTION_SECRET};
use crate::{Engine, EngineError, EngineResult, ErrorCode};
use serde_json::json;
use switchyard_store::kinds::{ConnectionStatus, Environment, ProviderId};
use switchyard_store::tables::{connections, secrets};
use switchyard_store::Secret;

fn unavailable(e: impl std::fmt::Display) -> EngineError {
    EngineError::new(
        ErrorCode::Unavailable,
        format!("the sandbox did not answer: {e}"),
    )
}

impl Engine {
    /// Subscribes the receiver to the running sandbox's simulators; returns how many.
    /// Does nothing while the receiver is off or no sandbox is running.
    pub(crate) async fn subscribe_sandbox_webhooks(&self) -> EngineResult<usize> {
        // One subscription pass at a time, so a generated token and the one a simulator
        // signs with cannot cross.
        let _one = self.webhook_service().subscribing().lock().await;
        let Some(addr) = self
            .webhook_service()
            .receiver()
            .lock()
            .await
            .as_ref()
            .map(|r| r.addr)
        else {
            return Ok(0);
        };
        let settings = self.webhook_settings().await?;
        let base = local_base(addr);
        let pool = self.store().pool();
        let mut done = 0;
        for c in connections::list(pool).await? {
            let live =
                c.environment == Environment::Sandbox && c.status != ConnectionStatus::Disconnected;
            let path = match c.provider {
                ProviderId::Hubspot => "hubspot",
                ProviderId::Quickbooks => "quickbooks",
                _ => continue,
            };
            let Some(sandbox) = self.running_sandbox_url(c.provider).await.filter(|_| live) else {
                continue;
            };
            let secret = match c.provider {
                ProviderId::Hubspot => {
                    let creds = crate::sandbox::control(&sandbox, "credentials", false).await?;
                    creds["client_secret"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                }
                _ => match secrets::get(pool, self.store().vault(), &c.id, CONNECTION_SECRET)
                    .await?
                {
                    Some(kept) => kept.expose().clone(),
                    None => random_secret("sbx-verifier-"),
                },
            };
            secrets::put(
                pool,
                self.store().vault(),
                &c.id,
                CONNECTION_SECRET,
                Some(&c.id),
                &Secret::new(secret.clone()),
            )
            .await?;
            let version = match settings.hubspot_signature {
                HubspotSignature::V2 => "v2",
                HubspotSignature::V1 | HubspotSignature::V3 => "v1",
            };
            let body = json!({
                "provider": path,
                "url": format!("{base}/webhooks/{path}"),
                "secret": secret,
                "version": version,
            });
            let res = self
                .http()
                .post(format!("{sandbox}/__sandbox/webhooks"))
                .json(&body)
                .send()
                .await
                .map_err(unavailable)?;
            if !res.status().is_success() {
                return Err(unavailable(format!(
                    "webhook subscription refused ({})",
                    res.status()
                )));
            }
            done += 1;
        }
        if done > 0 {
            tracing::info!(
                simulators = done,
                "sandbox subscribed to the webhook receiver"
            );
        }
        Ok(done)
    }

    /// Stops the running sandbox's webhooks (the receiver is going away).
    pub(crate) async fn unsubscribe_sandbox_webhooks(&self) {
        for provider in [ProviderId::Hubspot, ProviderId::Quickbooks] {
            if let Some(sandbox) = self.running_sandbox_url(provider).await {
                if let Err(e) = self
                    .http()
                    .delete(format!("{sandbox}/__sandbox/webhooks"))
                    .send()
                    .await
                {
                    tracing::debug!("sandbox webhooks not stopped: {e}");
                }
            }
        }
    }

    /// [`Self::subscribe_sandbox_webhooks`], logged instead of failing the caller.
    pub(crate) async fn subscribe_sandbox_webhooks_quietly(&self) {
        if let Err(e) = self.subscribe_sandbox_webhooks().await {
            tracing::warn!("sandbox webhooks not subscribed: {}", e.message);
        }
    }
}

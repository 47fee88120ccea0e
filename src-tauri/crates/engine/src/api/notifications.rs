//! Run notifications: when a run ends (not a dry run), a summary can go to a Slack
//! channel and to a Zapier catch hook through the user's own connections. The shell adds
//! a desktop notification. A failed notification never fails the run: it is logged and
//! raised as an alert, so the user sees it on the Health screen.

use crate::sync::RunReport;
use crate::{Engine, EngineError, EngineResult};
use switchyard_connectors::auth::ACCESS;
use switchyard_store::kinds::{ConnectionStatus, ProviderId};
use switchyard_store::tables::{alerts, connections, secrets, settings};

const KEY: &str = "notifications";

#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettings {
    /// Show a desktop notification when a run started from the app ends.
    #[serde(default = "yes")]
    pub desktop: bool,
    /// Post a summary to this Slack channel (id like `C0123…`) through this connection.
    pub slack_connection_id: Option<String>,
    pub slack_channel: Option<String>,
    /// Post the report as JSON to this Zapier hook connection.
    pub zapier_connection_id: Option<String>,
}

fn yes() -> bool {
    true
}

/// Where a summary was delivered, or why not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub channel: String,
    pub ok: bool,
    pub detail: String,
    /// Where it landed: the Slack channel's id (none for Zapier, or when not delivered).
    pub posted_to: Option<String>,
    /// The service's id of what was delivered: the Slack message's `ts`, the Zapier
    /// request id.
    pub id: Option<String>,
}

/// What a service answered to a delivered post.
#[derive(Debug)]
pub(crate) struct Receipt {
    detail: String,
    posted_to: Option<String>,
    id: Option<String>,
}

impl Engine {
    pub async fn notification_settings(&self) -> EngineResult<NotificationSettings> {
        Ok(settings::get(self.store().pool(), KEY)
            .await?
            .unwrap_or(NotificationSettings {
                desktop: true,
                ..Default::default()
            }))
    }

    pub async fn set_notification_settings(
        &self,
        new: NotificationSettings,
    ) -> EngineResult<NotificationSettings> {
        let pool = self.store().pool();
        if let Some(id) = &new.slack_connection_id {
            let c = connections::get(pool, id).await?;
            if c.provider != ProviderId::Slack {
                return Err(EngineError::validation(
                    "Pick a Slack connection for Slack summaries.",
                ));
            }
            let channel = new.slack_channel.as_deref().unwrap_or_default().trim();
            if channel.is_empty() {
                return Err(EngineError::validation(
                    "Give the Slack channel's id (for example C0123ABCD).",
                ));
            }
        }
        if let Some(id) = &new.zapier_connection_id {
            if connections::get(pool, id).await?.provider != ProviderId::Zapier {
                return Err(EngineError::validation(
                    "Pick a Zapier connection for Zapier posts.",
                ));
            }
        }
        settings::set(pool, KEY, &new).await?;
        Ok(new)
    }

    /// Sends the summary of a finished run where the settings say.
    pub async fn notify_run(&self, mapping_name: &str, report: &RunReport) -> Vec<Delivery> {
        let text = format!(
            "Switchyard · {mapping_name}: {} — {}",
            report.status, report.message
        );
        let payload = serde_json::json!({ "mapping": mapping_name, "report": report });
        self.notify(&text, &payload).await
    }

    /// Posts `text` to the Slack channel and `payload` to the Zapier hook the settings
    /// name (each only when set); what several runs did together, for example.
    pub async fn notify(&self, text: &str, payload: &serde_json::Value) -> Vec<Delivery> {
        let Ok(config) = self.notification_settings().await else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let (Some(id), Some(channel)) = (&config.slack_connection_id, &config.slack_channel) {
            let result = self.post_slack(id, channel.trim(), text).await;
            out.push(self.delivered("Slack", result).await);
        }
        if let Some(id) = &config.zapier_connection_id {
            let result = self.post_zapier(id, payload).await;
            out.push(self.delivered("Zapier", result).await);
        }
        out
    }

    async fn token_of(
        &self,
        id: &str,
    ) -> Result<(connections::Connection, switchyard_store::Secret<String>), String> {
        let pool = self.store().pool();
        let c = connections::get(pool, id)
            .await
            .map_err(|e| e.to_string())?;
        if c.status == ConnectionStatus::Disconnected {
            return Err(format!("{} is disconnected", c.label));
        }
        let token = secrets::get(pool, self.store().vault(), id, ACCESS)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("{} has no saved sign-in", c.label))?;
        Ok((c, token))
    }

    pub(crate) async fn post_slack(
        &self,
        id: &str,
        channel: &str,
        text: &str,
    ) -> Result<Receipt, String> {
        let (c, token) = self.token_of(id).await?;
        let stack = self.stack(ProviderId::Slack, Some(id));
        let base = c.instance_url.clone().unwrap_or_default();
        switchyard_connectors::slack::post_message(&stack, &base, &token, channel, text)
            .await
            .map(|p| Receipt {
                detail: format!("posted to {} at {}", p.channel, p.ts),
                posted_to: Some(p.channel),
                id: Some(p.ts),
            })
            .map_err(|e| e.to_string())
    }

    pub(crate) async fn post_zapier(
        &self,
        id: &str,
        payload: &serde_json::Value,
    ) -> Result<Receipt, String> {
        let (_, hook) = self.token_of(id).await?;
        let stack = self.stack(ProviderId::Zapier, Some(id));
        switchyard_connectors::zapier::post(&stack, hook.expose(), payload)
            .await
            .map(|request| Receipt {
                detail: format!("accepted as {request}"),
                posted_to: None,
                id: (!request.is_empty()).then_some(request),
            })
            .map_err(|e| e.to_string())
    }

    pub(crate) async fn delivered(
        &self,
        channel: &str,
        result: Result<Receipt, String>,
    ) -> Delivery {
        match result {
            Ok(receipt) => Delivery {
                channel: channel.to_owned(),
                ok: true,
                detail: receipt.detail,
                posted_to: receipt.posted_to,
                id: receipt.id,
            },
            Err(why) => {
                tracing::warn!(channel, "run summary not delivered: {why}");
                let message = format!("A run summary could not be posted to {channel}: {why}");
                let dedup_key = format!("notification_failed:{channel}");
                let alert = alerts::NewAlert {
                    connection_id: None,
                    mapping_id: None,
                    severity: switchyard_store::kinds::Severity::Warning,
                    kind: "notification_failed",
                    message: &message,
                    dedup_key: &dedup_key,
                };
                if let Err(e) = alerts::raise(self.store().pool(), &alert).await {
                    tracing::warn!("alert not stored: {e}");
                }
                Delivery {
                    channel: channel.to_owned(),
                    ok: false,
                    detail: why,
                    posted_to: None,
                    id: None,
                }
            }
        }
    }
}

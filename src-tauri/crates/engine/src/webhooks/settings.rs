//! The receiver's settings (kept as one JSON value in `settings`) and where its signing
//! secrets live in the vault. Nothing secret is ever part of [`WebhookSettings`].

use crate::{EngineError, EngineResult};
use std::net::IpAddr;

/// Settings key of [`WebhookSettings`].
pub(crate) const KEY: &str = "webhooks.receiver";
/// Vault scope of the receiver's own secrets.
pub(crate) const SCOPE: &str = "webhooks";
/// Vault name, in a connection's scope, of the secret its (sandbox) webhooks are signed with.
pub(crate) const CONNECTION_SECRET: &str = "webhook_secret";

pub const DEFAULT_PORT: u16 = 8787;
pub const DEFAULT_DEBOUNCE_MS: u32 = 2000;

/// Which HubSpot signature the receiver checks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "lowercase")]
pub enum HubspotSignature {
    V1,
    V2,
    #[default]
    V3,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSettings {
    /// Off until the user turns it on.
    pub enabled: bool,
    /// The address to listen on: 127.0.0.1 unless the user chooses otherwise.
    pub host: String,
    /// 0 picks any free port (tests).
    pub port: u16,
    /// The public https address a tunnel forwards to the receiver, if any: shown in the
    /// endpoint URLs, and the URL HubSpot v2/v3 signatures are checked against.
    pub public_url: Option<String>,
    pub hubspot_signature: HubspotSignature,
    /// How long after the first event a sync starts (more events in between join it).
    pub debounce_ms: u32,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            host: "127.0.0.1".into(),
            port: DEFAULT_PORT,
            public_url: None,
            hubspot_signature: HubspotSignature::V3,
            debounce_ms: DEFAULT_DEBOUNCE_MS,
        }
    }
}

impl WebhookSettings {
    /// Settings as stored, fields a version of Switchyard did not store taking their defaults.
    pub(crate) fn from_stored(stored: Option<serde_json::Value>) -> Self {
        let mut merged = serde_json::to_value(Self::default()).unwrap_or_default();
        if let (Some(serde_json::Value::Object(saved)), Some(out)) =
            (stored, merged.as_object_mut())
        {
            out.extend(saved);
        }
        serde_json::from_value(merged).unwrap_or_else(|e| {
            tracing::warn!("webhook settings unreadable, using the defaults: {e}");
            Self::default()
        })
    }

    /// Trims and checks what the user entered.
    pub(crate) fn checked(mut self) -> EngineResult<Self> {
        self.host = self.host.trim().to_owned();
        let host: IpAddr = self.host.parse().map_err(|_| {
            EngineError::validation(
                "The address to listen on must be an IP address, such as 127.0.0.1.",
            )
        })?;
        self.host = host.to_string();
        if self.debounce_ms > 600_000 {
            return Err(EngineError::validation(
                "The sync delay must be at most 10 minutes.",
            ));
        }
        self.public_url = match self.public_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) => {
                let parsed = reqwest::Url::parse(url).ok().filter(|u| {
                    matches!(u.scheme(), "http" | "https")
                        && u.host_str().is_some()
                        && u.query().is_none()
                });
                if parsed.is_none() {
                    return Err(EngineError::validation(
                        "The public address must be an https:// address, such as the one your tunnel prints.",
                    ));
                }
                Some(url.trim_end_matches('/').to_owned())
            }
        };
        Ok(self)
    }

    pub(crate) fn ip(&self) -> IpAddr {
        self.host
            .parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
    }
}

/// The vault name of each provider's signing secret the user enters.
pub(crate) fn provider_secret_name(
    provider: switchyard_store::kinds::ProviderId,
) -> Option<&'static str> {
    use switchyard_store::kinds::ProviderId;
    match provider {
        ProviderId::Hubspot => Some("hubspot_client_secret"),
        ProviderId::Quickbooks => Some("quickbooks_verifier_token"),
        ProviderId::Slack => Some("slack_signing_secret"),
        ProviderId::Salesforce | ProviderId::Zapier => None,
    }
}

/// The vault name of a mapping's generic-endpoint secret.
pub(crate) fn generic_secret_name(mapping_id: &str) -> String {
    format!("generic:{mapping_id}")
}

/// A random secret from the operating system's CSPRNG, as hex.
pub(crate) fn random_secret(prefix: &str) -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_off_on_loopback() {
        let s = WebhookSettings::default();
        assert!(!s.enabled);
        assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 8787));
        let partial = WebhookSettings::from_stored(Some(serde_json::json!({ "enabled": true })));
        assert_eq!(partial.port, 8787, "missing fields take their defaults");
        assert!(partial.enabled);
        let broken = WebhookSettings::from_stored(Some(serde_json::json!({ "port": "x" })));
        assert_eq!(broken, WebhookSettings::default());
        assert_eq!(
            WebhookSettings::from_stored(None),
            WebhookSettings::default()
        );
    }

    #[test]
    fn checks_host_url_and_delay() {
        let ok = WebhookSettings {
            host: " ::1 ".into(),
            public_url: Some("https://abc.trycloudflare.com/".into()),
            ..Default::default()
        }
        .checked()
        .unwrap();
        assert_eq!(
            (ok.host.as_str(), ok.public_url.as_deref()),
            ("::1", Some("https://abc.trycloudflare.com"))
        );
        for bad in [
            WebhookSettings {
                host: "localhost".into(),
                ..Default::default()
            },
            WebhookSettings {
                public_url: Some("ftp://x".into()),
                ..Default::default()
            },
            WebhookSettings {
                public_url: Some("https://x.example/?a=1".into()),
                ..Default::default()
            },
            WebhookSettings {
                debounce_ms: 700_000,
                ..Default::default()
            },
        ] {
            assert!(bad.checked().is_err());
        }
    }
}

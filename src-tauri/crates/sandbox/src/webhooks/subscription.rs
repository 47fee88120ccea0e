//! A receiver registered with `POST /__sandbox/webhooks`: where to send, the signing
//! secret, provider options, and the sender's pacing (scaled down from the real services'
//! minutes so tests finish in seconds).

use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

#[derive(Debug, Clone, Deserialize)]
pub struct Subscription {
    /// Optional; when given it must name this simulator.
    #[serde(default)]
    pub provider: Option<String>,
    /// The receiver's address, as the provider would be told it (also signed by HubSpot v2/v3).
    pub url: String,
    /// HubSpot: the app's client secret; QuickBooks: the verifier token.
    pub secret: String,
    /// HubSpot: `v1` (default) or `v2` in `X-HubSpot-Signature`; v3 headers are always sent.
    #[serde(default)]
    pub version: Option<String>,
    /// QuickBooks: `cloudevents` (default) or `legacy` (`eventNotifications`).
    #[serde(default)]
    pub format: Option<String>,
    /// How long the sender gathers changes into one request (default 200 ms).
    #[serde(default = "default_batch_ms")]
    pub batch_ms: u64,
    /// Attempts per request, the first included (default 4).
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
    /// First retry delay, doubled for each further retry (default 200 ms).
    #[serde(default = "default_retry_ms")]
    pub retry_ms: u64,
    /// How long the receiver may take to answer (HubSpot's 5 s).
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_batch_ms() -> u64 {
    200
}

fn default_attempts() -> u32 {
    4
}

fn default_retry_ms() -> u64 {
    200
}

fn default_timeout_ms() -> u64 {
    5000
}

impl Subscription {
    pub fn check(&self, provider: &str) -> Result<(), String> {
        if let Some(p) = &self.provider {
            if p != provider {
                return Err(format!(
                    "this is the {provider} simulator; subscribe on the {p} simulator instead"
                ));
            }
        }
        if !(self.url.starts_with("http://") || self.url.starts_with("https://"))
            || reqwest::Url::parse(&self.url).is_err()
        {
            return Err(format!("url {:?} is not an http(s) address", self.url));
        }
        if self.secret.is_empty() {
            return Err("secret must not be empty".into());
        }
        if !(1..=20).contains(&self.max_attempts) {
            return Err("max_attempts must be between 1 and 20".into());
        }
        if self.batch_ms > 60_000 || self.retry_ms > 60_000 || self.timeout_ms > 60_000 {
            return Err("batch_ms, retry_ms and timeout_ms are at most 60000".into());
        }
        Ok(())
    }

    pub fn batch_window(&self) -> Duration {
        Duration::from_millis(self.batch_ms)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.max(1))
    }

    /// Delay before attempt `attempt` (1 is the first retry).
    pub fn backoff(&self, attempt: u32) -> Duration {
        Duration::from_millis(
            self.retry_ms
                .saturating_mul(1 << attempt.saturating_sub(1).min(16)),
        )
    }

    /// Everything but the secret.
    pub fn public_view(&self) -> Value {
        json!({
            "url": self.url,
            "version": self.version,
            "format": self.format,
            "batch_ms": self.batch_ms,
            "max_attempts": self.max_attempts,
            "retry_ms": self.retry_ms,
            "timeout_ms": self.timeout_ms,
        })
    }
}

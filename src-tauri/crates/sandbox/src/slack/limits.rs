//! Slack's rate limits and the simulator's switches, set through `/__sandbox/limits`:
//! per-method tiers counted per minute (Tier 2: 20, Tier 3: 50, Tier 4: 100) and
//! `chat.postMessage` at about one message per second per channel with short bursts
//! (a token bucket). Also the behaviours the reference leaves open: token rotation,
//! plain-http loopback redirects, and truncating over-long text instead of refusing it.

use crate::window::Window;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Two,
    Three,
    Four,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub post_per_second_per_channel: f64,
    pub post_burst: u32,
    pub tier2_per_minute: u32,
    pub tier3_per_minute: u32,
    pub tier4_per_minute: u32,
    /// Token rotation on: 12 h access tokens and `xoxe-1-` refresh tokens.
    pub rotate_tokens: bool,
    /// `[UNCONFIRMED]` whether Slack accepts `http://localhost` redirects; off = refused.
    pub allow_http_loopback: bool,
    /// Over 40,000 characters: `false` refuses with `msg_too_long` (the reference),
    /// `true` truncates with the `message_truncated` warning (Slack's method docs).
    pub truncate_long_text: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            post_per_second_per_channel: 1.0,
            post_burst: 3,
            tier2_per_minute: 20,
            tier3_per_minute: 50,
            tier4_per_minute: 100,
            rotate_tokens: false,
            allow_http_loopback: false,
            truncate_long_text: false,
        }
    }
}

impl Settings {
    pub fn to_json(self) -> Value {
        json!({
            "post_per_second_per_channel": self.post_per_second_per_channel,
            "post_burst": self.post_burst,
            "tier2_per_minute": self.tier2_per_minute,
            "tier3_per_minute": self.tier3_per_minute,
            "tier4_per_minute": self.tier4_per_minute,
            "rotate_tokens": self.rotate_tokens,
            "allow_http_loopback": self.allow_http_loopback,
            "truncate_long_text": self.truncate_long_text,
        })
    }

    /// Applies the keys present in `v`; unknown keys and wrong types are refused whole.
    pub fn merged(mut self, v: &Value) -> Result<Self, String> {
        let map = v.as_object().ok_or("expected a JSON object of limits")?;
        for (key, value) in map {
            let count = || {
                value
                    .as_u64()
                    .filter(|n| *n >= 1)
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or(format!("{key} must be a whole number ≥ 1"))
            };
            let flag = || {
                value
                    .as_bool()
                    .ok_or(format!("{key} must be true or false"))
            };
            match key.as_str() {
                "post_per_second_per_channel" => {
                    self.post_per_second_per_channel = value
                        .as_f64()
                        .filter(|r| *r > 0.0)
                        .ok_or("post_per_second_per_channel must be a number > 0")?
                }
                "post_burst" => self.post_burst = count()?,
                "tier2_per_minute" => self.tier2_per_minute = count()?,
                "tier3_per_minute" => self.tier3_per_minute = count()?,
                "tier4_per_minute" => self.tier4_per_minute = count()?,
                "rotate_tokens" => self.rotate_tokens = flag()?,
                "allow_http_loopback" => self.allow_http_loopback = flag()?,
                "truncate_long_text" => self.truncate_long_text = flag()?,
                other => {
                    return Err(format!(
                        "unknown Slack limit {other:?}; known: {}",
                        Self::default().to_json()
                    ))
                }
            }
        }
        Ok(self)
    }
}

#[derive(Debug, Default)]
pub struct Limits {
    settings: Mutex<Settings>,
    tiers: Window<&'static str>,
    /// Per channel id: (tokens left, last refill).
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limits {
    pub fn settings(&self) -> Settings {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set(&self, v: &Value) -> Result<(), String> {
        let mut settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        *settings = settings.merged(v)?;
        Ok(())
    }

    /// Defaults again, and every window and bucket empty.
    pub fn reset(&self) {
        *self.settings.lock().unwrap_or_else(|p| p.into_inner()) = Settings::default();
        self.tiers.clear();
        self.buckets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Counts a call of `method` against its tier; `Err(wait)` when over the limit.
    pub fn tier(&self, method: &'static str, tier: Tier) -> Result<(), Duration> {
        let s = self.settings();
        let limit = match tier {
            Tier::Two => s.tier2_per_minute,
            Tier::Three => s.tier3_per_minute,
            Tier::Four => s.tier4_per_minute,
        };
        self.tiers
            .hit(&method, limit, Duration::from_secs(60))
            .map(|_| ())
    }

    /// Takes one message from the channel's bucket; `Err(wait)` when it is empty.
    pub fn post(&self, channel: &str) -> Result<(), Duration> {
        let s = self.settings();
        let capacity = f64::from(s.post_burst.max(1));
        let rate = s.post_per_second_per_channel;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(channel.to_owned()).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_second() {
        let l = Limits::default();
        l.set(&json!({ "post_burst": 2 })).unwrap_or_default();
        assert!(l.post("C1").is_ok());
        assert!(l.post("C1").is_ok());
        let wait = l.post("C1").err().unwrap_or_default();
        assert!(
            wait > Duration::from_millis(900) && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(l.post("C2").is_ok(), "channels are independent");
    }

    #[test]
    fn settings_are_validated_and_reset() {
        let l = Limits::default();
        assert!(l.set(&json!({ "tier4_per_minute": 0 })).is_err());
        assert!(l.set(&json!({ "rotate_tokens": "yes" })).is_err());
        assert!(l.set(&json!({ "nope": 1 })).is_err());
        l.set(&json!({ "tier2_per_minute": 1, "rotate_tokens": true }))
            .unwrap_or_default();
        assert!(l.settings().rotate_tokens);
        assert!(l.tier("users.list", Tier::Two).is_ok());
        assert!(l.tier("users.list", Tier::Two).is_err());
        assert!(
            l.tier("conversations.list", Tier::Two).is_ok(),
            "per method"
        );
        l.reset();
        assert_eq!(l.settings(), Settings::default());
        assert!(l.tier("users.list", Tier::Two).is_ok());
    }
}

//! When a failed call is tried again, and after how long.
//!
//! Full-jitter exponential backoff (delay = random(0, min(cap, base·2^n))) is a few
//! lines and no maintained crate offers it together with a `Retry-After` override and
//! the linear/fixed variants connections can select, so it is written here.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackoffKind {
    /// random(0, min(cap, base · 2^attempt)) — the default.
    Exponential,
    /// base · (attempt + 1), capped.
    Linear,
    /// base every time.
    Fixed,
}

impl From<switchyard_store::kinds::Backoff> for BackoffKind {
    fn from(b: switchyard_store::kinds::Backoff) -> Self {
        match b {
            switchyard_store::kinds::Backoff::Exponential => BackoffKind::Exponential,
            switchyard_store::kinds::Backoff::Linear => BackoffKind::Linear,
            switchyard_store::kinds::Backoff::Fixed => BackoffKind::Fixed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub kind: BackoffKind,
    pub base: Duration,
    pub cap: Duration,
    /// Total attempts including the first.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            kind: BackoffKind::Exponential,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            max_attempts: 5,
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (attempt counts from 0). A server's
    /// `Retry-After` wins, but is still capped.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.cap);
        }
        let capped = |d: Duration| d.min(self.cap);
        match self.kind {
            BackoffKind::Fixed => capped(self.base),
            BackoffKind::Linear => capped(self.base.saturating_mul(attempt.saturating_add(1))),
            BackoffKind::Exponential => {
                let ceiling = capped(
                    self.base
                        .saturating_mul(2u32.saturating_pow(attempt.min(20))),
                );
                let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
                Duration::from_millis(rand::thread_rng().gen_range(0..=millis))
            }
        }
    }
}

/// Why a response or failure may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retryable {
    /// The provider refused before doing anything (429 / throttling): always safe.
    Throttled,
    /// The request may or may not have taken effect (5xx, timeout, reset).
    Ambiguous,
    /// The request never left (connection refused, DNS): always safe.
    NotSent,
    No,
}

impl Retryable {
    pub fn from_status(status: u16) -> Self {
        match status {
            429 => Retryable::Throttled,
            500 | 502 | 503 | 504 | 520..=524 => Retryable::Ambiguous,
            _ => Retryable::No,
        }
    }

    /// Ambiguous failures are retried only for idempotent calls: a create must never be
    /// sent twice blind.
    pub fn allows(self, idempotent: bool) -> bool {
        match self {
            Retryable::Throttled | Retryable::NotSent => true,
            Retryable::Ambiguous => idempotent,
            Retryable::No => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_full_jitter_stays_under_the_doubling_ceiling_and_the_cap() {
        let p = RetryPolicy {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
            ..Default::default()
        };
        for attempt in 0..10 {
            let ceiling =
                Duration::from_millis(100 * 2u64.pow(attempt)).min(Duration::from_secs(1));
            for _ in 0..50 {
                assert!(p.delay(attempt, None) <= ceiling);
            }
        }
        let spread: std::collections::BTreeSet<_> = (0..50).map(|_| p.delay(3, None)).collect();
        assert!(spread.len() > 10, "jittered, not constant");
    }

    #[test]
    fn linear_fixed_and_retry_after() {
        let linear = RetryPolicy {
            kind: BackoffKind::Linear,
            base: Duration::from_secs(2),
            cap: Duration::from_secs(5),
            max_attempts: 5,
        };
        assert_eq!(
            [0, 1, 2].map(|a| linear.delay(a, None).as_secs()),
            [2, 4, 5]
        );
        let fixed = RetryPolicy {
            kind: BackoffKind::Fixed,
            ..linear
        };
        assert_eq!(fixed.delay(7, None), Duration::from_secs(2));
        assert_eq!(
            fixed.delay(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            fixed.delay(0, Some(Duration::from_secs(300))),
            Duration::from_secs(5),
            "capped"
        );
    }

    #[test]
    fn creates_are_not_retried_blind() {
        assert!(Retryable::from_status(429).allows(false));
        assert!(!Retryable::from_status(503).allows(false));
        assert!(Retryable::from_status(503).allows(true));
        assert!(!Retryable::from_status(400).allows(true));
        assert!(Retryable::NotSent.allows(false));
    }
}

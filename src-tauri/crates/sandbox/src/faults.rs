//! Fault injection: rules matched by method and path prefix, firing for the next N
//! matching calls or at a rate, drawn from a seeded generator so runs repeat.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// The provider's own throttling response (403 for Salesforce, 429 elsewhere).
    RateLimited,
    ServerError {
        #[serde(default = "default_status")]
        status: u16,
    },
    /// Holds the request this long before answering (client timeouts).
    Timeout {
        #[serde(default = "default_timeout_ms")]
        ms: u64,
    },
    /// Closes the connection without a complete response.
    ConnectionReset,
    /// Every access token expires now; the request then fails the provider's auth check.
    TokenExpired,
    /// QuickBooks: the next update sees a newer SyncToken (5010).
    StaleSyncToken,
    /// The next create clashes with an existing unique value.
    DuplicateValue,
    /// The next batch fails for some of its items (Salesforce collections, HubSpot 207, QuickBooks batch).
    PartialBatch,
}

fn default_status() -> u16 {
    503
}
fn default_timeout_ms() -> u64 {
    30_000
}

impl FaultKind {
    /// Faults the harness applies before the handler runs.
    pub fn is_transport(&self) -> bool {
        matches!(
            self,
            FaultKind::RateLimited
                | FaultKind::ServerError { .. }
                | FaultKind::Timeout { .. }
                | FaultKind::ConnectionReset
                | FaultKind::TokenExpired
        )
    }
}

/// One rule: `{"kind": "rate_limited", "path": "/services/data", "method": "GET", "next": 3}`
/// or with `"rate": 0.1` instead of `next`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Path prefix; absent matches every path.
    #[serde(default)]
    pub path: Option<String>,
    /// HTTP method; absent matches every method.
    #[serde(default)]
    pub method: Option<String>,
    /// Fire for the next N matching calls.
    #[serde(default)]
    pub next: Option<u32>,
    /// Or fire with this probability (0..=1) on every matching call.
    #[serde(default)]
    pub rate: Option<f64>,
}

impl FaultRule {
    pub fn validate(&self) -> Result<(), String> {
        match (self.next, self.rate) {
            (Some(0), None) => Err("next must be at least 1".into()),
            (Some(_), None) => Ok(()),
            (None, Some(r)) if (0.0..=1.0).contains(&r) => Ok(()),
            (None, Some(r)) => Err(format!("rate must be between 0 and 1, got {r}")),
            _ => Err("give exactly one of next (a count) or rate (a probability)".into()),
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| path.starts_with(p))
    }
}

#[derive(Debug)]
pub struct Faults {
    inner: Mutex<(Vec<FaultRule>, ChaCha8Rng)>,
}

impl Faults {
    pub fn new(seed: u64) -> Self {
        Self {
            inner: Mutex::new((Vec::new(), ChaCha8Rng::seed_from_u64(seed ^ 0xFA17))),
        }
    }

    pub fn add(&self, rule: FaultRule) -> Result<(), String> {
        rule.validate()?;
        self.lock().0.push(rule);
        Ok(())
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().0.clone()
    }

    pub fn clear(&self) {
        self.lock().0.clear();
    }

    /// The first matching transport fault for this request, if one fires.
    pub fn take_transport(&self, method: &str, path: &str) -> Option<FaultKind> {
        self.take_where(method, path, FaultKind::is_transport)
    }

    /// Whether a handler-level fault of this kind fires for this request.
    pub fn take(&self, kind: &FaultKind, method: &str, path: &str) -> bool {
        self.take_where(method, path, |k| {
            std::mem::discriminant(k) == std::mem::discriminant(kind)
        })
        .is_some()
    }

    fn take_where(
        &self,
        method: &str,
        path: &str,
        wanted: impl Fn(&FaultKind) -> bool,
    ) -> Option<FaultKind> {
        let mut guard = self.lock();
        let (rules, rng) = &mut *guard;
        let index = rules.iter().position(|r| {
            wanted(&r.kind)
                && r.matches(method, path)
                && (r.next.is_some() || r.rate.is_some_and(|p| rng.gen_bool(p)))
        })?;
        let kind = rules[index].kind.clone();
        if let Some(n) = rules[index].next.as_mut() {
            *n -= 1;
            if *n == 0 {
                rules.remove(index);
            }
        }
        Some(kind)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Vec<FaultRule>, ChaCha8Rng)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> FaultRule {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn next_n_fires_exactly_n_times_on_matching_requests() {
        let f = Faults::new(1);
        f.add(rule(
            r#"{"kind":"server_error","status":502,"path":"/crm","method":"post","next":2}"#,
        ))
        .unwrap_or_default();
        assert_eq!(
            f.take_transport("GET", "/crm/v3/objects/contacts"),
            None,
            "method must match"
        );
        assert_eq!(
            f.take_transport("POST", "/oauth/v1/token"),
            None,
            "path must match"
        );
        assert_eq!(
            f.take_transport("POST", "/crm/x"),
            Some(FaultKind::ServerError { status: 502 })
        );
        assert!(f.take_transport("POST", "/crm/x").is_some());
        assert_eq!(f.take_transport("POST", "/crm/x"), None);
        assert!(f.list().is_empty());
    }

    #[test]
    fn handler_faults_are_not_taken_as_transport_faults() {
        let f = Faults::new(1);
        f.add(rule(r#"{"kind":"stale_sync_token","next":1}"#))
            .unwrap_or_default();
        assert_eq!(f.take_transport("POST", "/v3/company/1/customer"), None);
        assert!(f.take(&FaultKind::StaleSyncToken, "POST", "/v3/company/1/customer"));
        assert!(!f.take(&FaultKind::StaleSyncToken, "POST", "/v3/company/1/customer"));
    }

    #[test]
    fn rates_are_seeded_and_validated() {
        let count = |seed| {
            let f = Faults::new(seed);
            f.add(rule(r#"{"kind":"rate_limited","rate":0.3}"#))
                .unwrap_or_default();
            (0..1000)
                .filter(|_| f.take_transport("GET", "/x").is_some())
                .count()
        };
        assert_eq!(count(7), count(7), "same seed, same faults");
        assert!((250..350).contains(&count(7)), "about 30%: {}", count(7));
        assert!(Faults::new(1)
            .add(rule(r#"{"kind":"rate_limited"}"#))
            .is_err());
        assert!(Faults::new(1)
            .add(rule(r#"{"kind":"rate_limited","rate":1.5}"#))
            .is_err());
    }
}

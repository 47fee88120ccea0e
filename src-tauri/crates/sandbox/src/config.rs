//! How a sandbox is started: seed and size of the data, latency, fixed ports, and the
//! provider modes that change OAuth rules (e.g. a QuickBooks production-keys app).

use serde::{Deserialize, Serialize};

/// What data to generate: the same seed and size always give the same records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedSpec {
    pub seed: u64,
    /// Records per main object (leads, contacts, customers …).
    pub records: usize,
}

impl Default for SeedSpec {
    fn default() -> Self {
        Self {
            seed: 42,
            records: 200,
        }
    }
}

/// Which objects get seeded records. Empty (the default) seeds every object of every
/// provider; otherwise only the listed `provider/object` pairs (`hubspot/contacts`,
/// `salesforce/Lead`), or every object of a provider named alone (`quickbooks`). A
/// provider none of whose objects is listed keeps its accounts, users and settings but
/// holds no records, so a benchmark of one object does not pay for every other's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedScope(Vec<String>);

impl SeedScope {
    /// Only these `provider/object` pairs or whole `provider`s.
    pub fn only<S: Into<String>>(entries: impl IntoIterator<Item = S>) -> Self {
        Self(entries.into_iter().map(Into::into).collect())
    }

    pub fn is_everything(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `object` of `provider` gets seeded records.
    pub fn seeds(&self, provider: &str, object: &str) -> bool {
        self.is_everything()
            || self.0.iter().any(|entry| match entry.split_once('/') {
                Some((p, o)) => p == provider && o == object,
                None => entry == provider,
            })
    }

    /// Whether any object of `provider` gets seeded records.
    pub fn seeds_any(&self, provider: &str) -> bool {
        self.is_everything()
            || self
                .0
                .iter()
                .any(|entry| entry.split_once('/').map_or(entry.as_str(), |(p, _)| p) == provider)
    }

    /// The seed `provider` is built from: `spec`, or the same seed with no records when
    /// none of its objects is seeded.
    pub fn seed_for(&self, provider: &str, spec: SeedSpec) -> SeedSpec {
        if self.seeds_any(provider) {
            spec
        } else {
            SeedSpec { records: 0, ..spec }
        }
    }
}

/// Added to every API response: `fixed_ms` plus a uniform random 0..=`jitter_ms`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    #[serde(default)]
    pub fixed_ms: u64,
    #[serde(default)]
    pub jitter_ms: u64,
}

#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    pub seed: SeedSpec,
    pub latency: Latency,
    /// Fixed port per provider, by name; missing or 0 picks a free port.
    pub ports: Vec<(String, u16)>,
    /// QuickBooks app with production keys: refuses loopback/http redirect URIs.
    pub quickbooks_production: bool,
    /// Which objects get seeded records (default: all of them).
    pub seed_scope: SeedScope,
}

impl SandboxConfig {
    pub fn port_for(&self, provider: &str) -> u16 {
        self.ports
            .iter()
            .find(|(p, _)| p == provider)
            .map(|(_, port)| *port)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_names_objects_or_whole_providers() {
        let all = SeedScope::default();
        assert!(all.seeds("hubspot", "deals") && all.seeds_any("slack"));
        let scoped = SeedScope::only(["hubspot/contacts", "quickbooks"]);
        assert!(scoped.seeds("hubspot", "contacts"));
        assert!(!scoped.seeds("hubspot", "companies"));
        assert!(scoped.seeds("quickbooks", "Invoice"));
        assert!(!scoped.seeds("salesforce", "Lead"));
        assert!(scoped.seeds_any("hubspot") && !scoped.seeds_any("slack"));
        let spec = SeedSpec {
            seed: 5,
            records: 1000,
        };
        assert_eq!(scoped.seed_for("hubspot", spec), spec);
        assert_eq!(
            scoped.seed_for("salesforce", spec),
            SeedSpec {
                seed: 5,
                records: 0
            }
        );
    }
}

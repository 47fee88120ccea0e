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

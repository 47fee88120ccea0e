//! Shared by the sync tests: an engine on a temp folder with sandbox accounts of a given
//! seed and size, the suggested HubSpot contacts → Salesforce Leads mapping, and the
//! in-process sandbox's control API.

#![allow(clippy::unwrap_used, dead_code)]

use serde_json::Value as Json;
use switchyard_engine::mapping::model::MappingDraft;
use switchyard_engine::store::kinds::ProviderId;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};
use switchyard_sandbox::{SandboxConfig, SeedSpec};

pub struct Setup {
    pub engine: Engine,
    pub dir: tempfile::TempDir,
    connections: Vec<(ProviderId, String)>,
}

/// An engine with one sandbox account per provider, seeded with `records` per object.
pub async fn sandbox_engine(seed: u64, records: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    engine.configure_sandbox(SandboxConfig {
        seed: SeedSpec { seed, records },
        ..Default::default()
    });
    let connections = engine
        .connect_sandbox_accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.provider, c.id))
        .collect();
    Setup {
        engine,
        dir,
        connections,
    }
}

impl Setup {
    pub fn id(&self, provider: ProviderId) -> String {
        self.connections
            .iter()
            .find(|(p, _)| *p == provider)
            .map(|(_, id)| id.clone())
            .unwrap()
    }

    /// The default HubSpot contacts ↔ Salesforce Leads mapping, as suggested.
    pub async fn contacts_to_leads(&self) -> MappingDraft {
        self.engine
            .suggest_mapping(
                &self.id(ProviderId::Hubspot),
                "contacts",
                &self.id(ProviderId::Salesforce),
                "Lead",
            )
            .await
            .unwrap()
            .draft
    }
}

/// GET (no body) or POST (with one) on the sandbox's control API of `provider`.
pub async fn sandbox(
    engine: &Engine,
    provider: ProviderId,
    path: &str,
    body: Option<Json>,
) -> Json {
    let base = engine.sandbox_base_url(provider).await.unwrap();
    let c = reqwest::Client::new();
    let r = match body {
        Some(b) => {
            c.post(format!("{base}/__sandbox/{path}"))
                .json(&b)
                .send()
                .await
        }
        None => c.get(format!("{base}/__sandbox/{path}")).send().await,
    };
    r.unwrap().json().await.unwrap_or(Json::Null)
}

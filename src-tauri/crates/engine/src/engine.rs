//! The engine handle: cheap to clone, shared by every command and background task.

use crate::EngineResult;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use switchyard_connectors::cache::{default_ttls, ReadCache};
use switchyard_connectors::http::MetricsTap;
use switchyard_sandbox::Sandbox;
use switchyard_store::{KeyPolicy, Store, StoreOptions};
use tokio::sync::Mutex;

/// Entries the read cache holds before it evicts the least used.
const CACHE_ENTRIES: u64 = 50_000;
/// Lifetime of cached reads of a kind without its own (the seed's longest, one hour).
const CACHE_FALLBACK_TTL: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Folder holding `switchyard.db` (and the key file when the keychain is not used).
    pub data_dir: PathBuf,
    /// Folder of the rolling log files, shown in Settings.
    pub log_dir: Option<PathBuf>,
    pub key_policy: KeyPolicy,
}

impl EngineConfig {
    /// `data_dir` unless `SWITCHYARD_DATA_DIR` overrides it; key policy from `SWITCHYARD_KEY_STORE`.
    pub fn new(data_dir: PathBuf, log_dir: Option<PathBuf>) -> EngineResult<Self> {
        let data_dir = match std::env::var_os(switchyard_store::DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => data_dir,
        };
        Ok(Self {
            data_dir,
            log_dir,
            key_policy: KeyPolicy::from_env()?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Engine {
    store: Store,
    log_dir: Option<PathBuf>,
    /// One HTTP connection pool for every provider call.
    http: reqwest::Client,
    /// Batched writer of `request_metrics` rows.
    tap: MetricsTap,
    /// The in-process sandbox, started on first use ("Try with sandbox accounts").
    sandbox: Arc<Mutex<Option<Sandbox>>>,
    /// How the in-process sandbox starts.
    sandbox_config: Arc<std::sync::Mutex<switchyard_sandbox::SandboxConfig>>,
    /// OAuth sign-ins started and not yet finished, by flow id.
    flows: Arc<crate::api::connect_flow::Flows>,
    /// One client stack per connection (rate limiter, caps, breaker), by connection id.
    stacks: Arc<
        std::sync::Mutex<
            std::collections::HashMap<String, Arc<switchyard_connectors::http::Stack>>,
        >,
    >,
    /// One authenticated client per connection (shared token refresh), by connection id.
    clients:
        Arc<std::sync::Mutex<std::collections::HashMap<String, switchyard_connectors::api::Api>>>,
    /// The TTL read cache every connector shares (schema descriptions, look-ups).
    cache: ReadCache,
    /// Runs asked to stop at their next safe point.
    cancelled: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// Mappings with a run (not a dry run) in progress: one at a time per mapping.
    running: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// How long one provider request may take, in milliseconds (the "request timeout"
    /// setting; applies to connections' client stacks created after it is set).
    timeout_ms: Arc<std::sync::atomic::AtomicU64>,
    /// Whether connections pace their own calls by the providers' documented rates.
    client_limits: Arc<std::sync::atomic::AtomicBool>,
    /// Health ticks and what the alert rules remember between them.
    health: Arc<crate::health::monitor::HealthHub>,
    /// The webhook receiver (opt-in) and the dispatcher that turns its events into syncs.
    webhooks: Arc<crate::webhooks::WebhookService>,
}

/// How often queued request rows are written (the Health screen shows traffic after
/// this plus one coalesced tick, well within a second).
const METRICS_FLUSH: Duration = Duration::from_millis(250);

/// Settings key of the request timeout, and its default.
const TIMEOUT_KEY: &str = "request_timeout_ms";
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl Engine {
    pub async fn open(config: EngineConfig) -> EngineResult<Self> {
        let store =
            Store::open(StoreOptions::new(&config.data_dir).key_policy(config.key_policy)).await?;
        let http = reqwest::Client::builder()
            .user_agent(concat!("Switchyard/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                crate::EngineError::new(crate::ErrorCode::Internal, format!("HTTP client: {e}"))
            })?;
        let (tap, _writer) = MetricsTap::spawn(store.clone(), 200, METRICS_FLUSH);
        let timeout_ms: u64 = switchyard_store::tables::settings::get(store.pool(), TIMEOUT_KEY)
            .await?
            .unwrap_or(DEFAULT_REQUEST_TIMEOUT.as_millis() as u64);
        Ok(Self {
            store,
            log_dir: config.log_dir,
            http,
            tap,
            sandbox: Arc::default(),
            flows: Arc::default(),
            sandbox_config: Arc::default(),
            stacks: Arc::default(),
            clients: Arc::default(),
            cache: ReadCache::new(CACHE_ENTRIES, default_ttls(), CACHE_FALLBACK_TTL),
            cancelled: Arc::default(),
            running: Arc::default(),
            timeout_ms: Arc::new(std::sync::atomic::AtomicU64::new(timeout_ms)),
            client_limits: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            health: Arc::default(),
            webhooks: Arc::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn log_dir(&self) -> Option<&PathBuf> {
        self.log_dir.as_ref()
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub(crate) fn metrics_tap(&self) -> &MetricsTap {
        &self.tap
    }

    pub(crate) fn health_hub(&self) -> &crate::health::monitor::HealthHub {
        &self.health
    }

    pub(crate) fn stacks(
        &self,
    ) -> &std::sync::Mutex<std::collections::HashMap<String, Arc<switchyard_connectors::http::Stack>>>
    {
        &self.stacks
    }

    pub(crate) fn clients(
        &self,
    ) -> &std::sync::Mutex<std::collections::HashMap<String, switchyard_connectors::api::Api>> {
        &self.clients
    }

    /// Whether connections pace their own calls by the providers' documented rates.
    pub fn client_limits(&self) -> bool {
        self.client_limits
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Turns the pacing of calls by the providers' documented rates (the per-connection
    /// rate limiter, HubSpot's search spacing) on or off for connections whose client is
    /// built afterwards. On by default; off only to measure the engine's own speed
    /// against a sandbox whose limits are off (benchmark B4). Concurrency caps stay, and
    /// a provider's 429 or `Retry-After` is still honoured.
    pub fn set_client_limits(&self, on: bool) {
        self.client_limits
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Sets how long one provider request may take (1 s to 10 min) and keeps it. The
    /// connections' client stacks are rebuilt with it on their next call.
    pub async fn set_request_timeout(&self, timeout: Duration) -> EngineResult<()> {
        if !(Duration::from_secs(1)..=Duration::from_secs(600)).contains(&timeout) {
            return Err(crate::EngineError::validation(
                "The request timeout must be between 1 second and 10 minutes.",
            ));
        }
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        switchyard_store::tables::settings::set(self.store.pool(), TIMEOUT_KEY, &ms).await?;
        self.timeout_ms
            .store(ms, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Asks a running sync to stop at its next safe point (between pages).
    pub fn cancel_run(&self, run_id: &str) {
        self.cancelled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(run_id.to_owned());
    }

    /// Claims a mapping for one run; `None` while another run of it is in progress. The
    /// claim ends when the guard drops.
    pub(crate) fn claim_mapping(&self, mapping_id: &str) -> Option<MappingClaim> {
        let fresh = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(mapping_id.to_owned());
        fresh.then(|| MappingClaim {
            running: self.running.clone(),
            mapping_id: mapping_id.to_owned(),
        })
    }

    pub(crate) fn run_cancelled(&self, run_id: &str) -> bool {
        self.cancelled
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(run_id)
    }

    pub(crate) fn read_cache(&self) -> &ReadCache {
        &self.cache
    }

    pub(crate) fn sandbox_config_slot(
        &self,
    ) -> &std::sync::Mutex<switchyard_sandbox::SandboxConfig> {
        &self.sandbox_config
    }

    pub(crate) fn flows(&self) -> &crate::api::connect_flow::Flows {
        &self.flows
    }

    pub(crate) fn sandbox_slot(&self) -> &Mutex<Option<Sandbox>> {
        &self.sandbox
    }

    pub(crate) fn webhook_service(&self) -> &crate::webhooks::WebhookService {
        &self.webhooks
    }

    /// Writes the request rows still queued, so health figures computed next count
    /// every call made so far (the tap otherwise writes them every 250 ms).
    pub async fn flush_metrics(&self) {
        self.tap.flush().await;
    }

    /// Flushes the WAL and closes the database (call on exit).
    pub async fn shutdown(&self) {
        self.tap.flush().await;
        self.webhooks.shutdown().await;
        if let Some(sandbox) = self.sandbox.lock().await.take() {
            sandbox.shutdown().await;
        }
        self.store.close().await;
    }
}

/// A mapping's claim to run (see `Engine::claim_mapping`).
#[derive(Debug)]
pub(crate) struct MappingClaim {
    running: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    mapping_id: String,
}

impl Drop for MappingClaim {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.mapping_id);
    }
}

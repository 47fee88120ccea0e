//! One benchmark's world: an engine on a temporary data folder whose in-process sandbox is
//! seeded, slowed and limited as the scenario says, plus the sandbox's control API
//! (limits, mutations, dumps and per-route request statistics) to set it up and to
//! count the calls that reached it independently of the engine's own counter.

use serde_json::Value as Json;
use switchyard_engine::api::provider_limits::ProviderLimits;
use switchyard_engine::mapping::model::MappingDraft;
use switchyard_engine::store::kinds::ProviderId;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::sync::{RunOptions, RunReport};
use switchyard_engine::{Engine, EngineConfig, EngineError, ErrorCode};
use switchyard_sandbox::{Latency, SandboxConfig, SeedScope, SeedSpec};

/// HubSpot's burst limit per token: requests per 10 s.
pub const BURST_PER_10S: u64 = 100;
/// HubSpot's search limit per portal: requests per second (search does not count
/// against the burst limit).
pub const SEARCH_PER_S: u64 = 5;

pub fn unavailable(e: impl std::fmt::Display) -> EngineError {
    EngineError::new(ErrorCode::Unavailable, format!("benchmark sandbox: {e}"))
}

pub struct BenchEnv {
    pub engine: Engine,
    http: reqwest::Client,
    connections: Vec<(ProviderId, String)>,
    // Dropped last: removes the data folder.
    _dir: tempfile::TempDir,
}

/// How a benchmark's world is set up.
pub struct Setup {
    pub seed: u64,
    /// Records per main object.
    pub records: usize,
    /// Added to every sandbox response.
    pub latency_ms: u64,
    /// Which objects the in-process sandbox seeds (an external one was seeded by whoever
    /// started it).
    pub seed_scope: SeedScope,
    /// Whether the engine paces its calls by the providers' documented rates.
    pub client_limits: bool,
}

impl BenchEnv {
    /// A fresh engine with one sandbox account per provider, `records` per main object,
    /// and `latency_ms` added to every sandbox response.
    pub async fn start(seed: u64, records: usize, latency_ms: u64) -> Result<Self, EngineError> {
        Self::start_with(Setup {
            seed,
            records,
            latency_ms,
            seed_scope: SeedScope::default(),
            client_limits: true,
        })
        .await
    }

    pub async fn start_with(setup: Setup) -> Result<Self, EngineError> {
        let dir = tempfile::tempdir().map_err(unavailable)?;
        let engine = Engine::open(EngineConfig {
            data_dir: dir.path().to_path_buf(),
            log_dir: None,
            key_policy: KeyPolicy::File,
        })
        .await?;
        engine.set_client_limits(setup.client_limits);
        engine.configure_sandbox(SandboxConfig {
            seed: SeedSpec {
                seed: setup.seed,
                records: setup.records,
            },
            latency: Latency {
                fixed_ms: setup.latency_ms,
                jitter_ms: 0,
            },
            seed_scope: setup.seed_scope,
            ..Default::default()
        });
        let connections = engine
            .connect_sandbox_accounts()
            .await?
            .into_iter()
            .map(|c| (c.provider, c.id))
            .collect();
        Ok(Self {
            engine,
            http: reqwest::Client::new(),
            connections,
            _dir: dir,
        })
    }

    pub fn connection(&self, provider: ProviderId) -> Result<String, EngineError> {
        self.connections
            .iter()
            .find(|(p, _)| *p == provider)
            .map(|(_, id)| id.clone())
            .ok_or_else(|| unavailable(format!("no {provider} sandbox connection")))
    }

    async fn control(
        &self,
        provider: ProviderId,
        method: reqwest::Method,
        path: &str,
        body: Option<&Json>,
    ) -> Result<Json, EngineError> {
        let base = self.engine.sandbox_base_url(provider).await?;
        let mut request = self
            .http
            .request(method, format!("{base}/__sandbox/{path}"));
        if let Some(b) = body {
            request = request.json(b);
        }
        let response = request
            .send()
            .await
            .map_err(unavailable)?
            .error_for_status()
            .map_err(unavailable)?;
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(Json::Null);
        }
        response.json().await.map_err(unavailable)
    }

    /// The default mapping the engine suggests for HubSpot contacts → Salesforce Leads.
    pub async fn contacts_to_leads(&self) -> Result<MappingDraft, EngineError> {
        Ok(self
            .engine
            .suggest_mapping(
                &self.connection(ProviderId::Hubspot)?,
                "contacts",
                &self.connection(ProviderId::Salesforce)?,
                "Lead",
            )
            .await?
            .draft)
    }

    /// `PUT /__sandbox/limits` (provider-specific figures).
    pub async fn set_limits(&self, provider: ProviderId, limits: &Json) -> Result<(), EngineError> {
        self.control(provider, reqwest::Method::PUT, "limits", Some(limits))
            .await
            .map(drop)
    }

    /// HubSpot's real limits on the sandbox account (`PUT /__sandbox/limits`): 100
    /// requests per 10 s, and searches at `SEARCH_PER_S`, which the engine is told the
    /// account allows (its own default is the more careful per-token figure).
    pub async fn limit_hubspot(&self) -> Result<(), EngineError> {
        let limits =
            serde_json::json!({ "ten_secondly": BURST_PER_10S, "search_per_second": SEARCH_PER_S });
        self.set_limits(ProviderId::Hubspot, &limits).await?;
        self.engine
            .set_provider_limits(ProviderLimits {
                hubspot_search_per_second: SEARCH_PER_S as u32,
            })
            .await?;
        Ok(())
    }

    /// `POST /__sandbox/mutate` ("another user edited this record") for many records,
    /// 16 in flight.
    pub async fn mutate_many(
        &self,
        provider: ProviderId,
        mutations: Vec<Json>,
    ) -> Result<(), EngineError> {
        let url = format!(
            "{}/__sandbox/mutate",
            self.engine.sandbox_base_url(provider).await?
        );
        let mut pending = mutations.into_iter();
        let mut running = tokio::task::JoinSet::new();
        loop {
            while running.len() < 16 {
                let Some(body) = pending.next() else { break };
                let (http, url) = (self.http.clone(), url.clone());
                running.spawn(async move {
                    http.post(url)
                        .json(&body)
                        .send()
                        .await
                        .and_then(reqwest::Response::error_for_status)
                        .map(drop)
                });
            }
            match running.join_next().await {
                Some(done) => done.map_err(unavailable)?.map_err(unavailable)?,
                None => return Ok(()),
            }
        }
    }

    /// A token for `provider`'s API straight from its control API (calls made with it are
    /// the harness's own, outside any measured run).
    pub async fn token(&self, provider: ProviderId) -> Result<String, EngineError> {
        let minted = self
            .control(provider, reqwest::Method::POST, "token", None)
            .await?;
        minted["access_token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| {
                unavailable(format!("{provider}: no access_token from /__sandbox/token"))
            })
    }

    /// POSTs `body` to `path` of `provider`'s API with a harness token.
    pub async fn api_post(
        &self,
        provider: ProviderId,
        path: &str,
        body: &Json,
    ) -> Result<Json, EngineError> {
        let base = self.engine.sandbox_base_url(provider).await?;
        let token = self.token(provider).await?;
        self.http
            .post(format!("{base}{path}"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .map_err(unavailable)?
            .error_for_status()
            .map_err(unavailable)?
            .json()
            .await
            .map_err(unavailable)
    }

    pub async fn dump(&self, provider: ProviderId) -> Result<Json, EngineError> {
        self.control(provider, reqwest::Method::GET, "dump", None)
            .await
    }

    /// Forgets the request statistics of every provider the scenario counts.
    pub async fn clear_stats(&self, providers: &[ProviderId]) -> Result<(), EngineError> {
        for p in providers {
            self.control(*p, reqwest::Method::DELETE, "stats", None)
                .await?;
        }
        Ok(())
    }

    /// API requests `provider`'s simulator answered since the statistics were cleared
    /// (the control API's own routes left out).
    pub async fn requests(&self, provider: ProviderId) -> Result<Requests, EngineError> {
        let stats = self
            .control(provider, reqwest::Method::GET, "stats", None)
            .await?;
        let mut out = Requests::default();
        for row in stats["rows"].as_array().into_iter().flatten() {
            let route = row["route"].as_str().unwrap_or_default();
            if route.starts_with("/__sandbox") {
                continue;
            }
            let count = row["count"].as_u64().unwrap_or(0);
            let method = row["method"].as_str().unwrap_or_default();
            let status = row["status"].as_u64().unwrap_or(0);
            out.routes
                .push(format!("{count} × {method} {route} → {status}"));
            out.total += count;
            if route.ends_with("/search") {
                out.searches += count;
            }
            if method != "GET" && !route.ends_with("/search") && !route.contains("token") {
                out.writes += count;
            }
            if row["status"].as_u64() == Some(429) {
                out.refused += count;
            }
        }
        Ok(out)
    }

    /// Runs the mapping once (incremental, as a user's "Run" would) and counts the
    /// requests `[source, target]` answered during the run.
    pub async fn measured_run(
        &self,
        mapping_id: &str,
        [source, target]: [ProviderId; 2],
    ) -> Result<Measured, EngineError> {
        self.clear_stats(&[source, target]).await?;
        let quiet = |_| {};
        let started = std::time::Instant::now();
        let report = self
            .engine
            .run_mapping(mapping_id, RunOptions::default(), &quiet)
            .await?;
        let wall_s = started.elapsed().as_secs_f64();
        Ok(Measured {
            report,
            wall_s,
            source: self.requests(source).await?,
            target: self.requests(target).await?,
        })
    }

    pub async fn shutdown(self) {
        self.engine.shutdown().await;
    }

    /// Starts a sandbox, runs `scenario` in it and shuts the sandbox down, whatever the
    /// scenario's outcome.
    pub async fn with<T>(
        seed: u64,
        records: usize,
        latency_ms: u64,
        scenario: impl AsyncFnOnce(&BenchEnv) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let env = Self::start(seed, records, latency_ms).await?;
        let result = scenario(&env).await;
        env.shutdown().await;
        result
    }
}

/// What one simulator's request statistics say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requests {
    /// `count × METHOD route → status`, one per route and status.
    pub routes: Vec<String>,
    pub total: u64,
    /// Search calls (HubSpot's own, lower per-second limit applies to them).
    pub searches: u64,
    /// Requests that change data (not GET, not search, not the token endpoint).
    pub writes: u64,
    /// Answered 429 (rate limited).
    pub refused: u64,
}

/// One run: the engine's report, its wall time and both simulators' request counts.
pub struct Measured {
    pub report: RunReport,
    pub wall_s: f64,
    pub source: Requests,
    pub target: Requests,
}

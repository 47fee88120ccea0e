//! What wraps every simulator: latency, transport faults and request statistics, applied
//! as one middleware in front of the provider's routes.

use crate::config::{Latency, SeedScope, SeedSpec};
use crate::faults::{FaultKind, Faults};
use crate::sim::Simulator;
use crate::stats::Stats;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const CONTROL_PREFIX: &str = "/__sandbox";

pub struct Harness {
    pub sim: Arc<dyn Simulator>,
    pub faults: Arc<Faults>,
    pub stats: Stats,
    pub latency: Mutex<Latency>,
    pub seed: Mutex<SeedSpec>,
    /// Which objects a (re)seed fills.
    pub scope: SeedScope,
    rng: Mutex<ChaCha8Rng>,
}

impl std::fmt::Debug for Harness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Harness")
            .field("provider", &self.sim.provider())
            .finish_non_exhaustive()
    }
}

impl Harness {
    pub fn new(
        sim: Arc<dyn Simulator>,
        faults: Arc<Faults>,
        latency: Latency,
        seed: SeedSpec,
        scope: SeedScope,
    ) -> Self {
        Self {
            sim,
            faults,
            stats: Stats::default(),
            latency: Mutex::new(latency),
            seed: Mutex::new(seed),
            scope,
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed.seed ^ 0x1A7E)),
        }
    }

    /// Replaces the simulator's data with `spec`'s, within the scope.
    pub fn reseed(&self, spec: SeedSpec) {
        self.sim
            .reset(self.scope.seed_for(self.sim.provider(), spec));
    }

    fn delay(&self) -> Duration {
        let latency = *self.latency.lock().unwrap_or_else(|p| p.into_inner());
        let jitter = if latency.jitter_ms > 0 {
            self.rng
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .gen_range(0..=latency.jitter_ms)
        } else {
            0
        };
        Duration::from_millis(latency.fixed_ms + jitter)
    }
}

/// Latency, transport faults and statistics for every non-control request.
pub async fn middleware(State(h): State<Arc<Harness>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with(CONTROL_PREFIX) {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |m| m.as_str().to_owned());
    let delay = h.delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let response = match h.faults.take_transport(&method, &path) {
        Some(FaultKind::RateLimited) => h.sim.rate_limited(),
        Some(FaultKind::ServerError { status }) => h.sim.server_error(status),
        Some(FaultKind::Timeout { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            h.sim.server_error(504)
        }
        Some(FaultKind::ConnectionReset) => {
            // Status 0 in the statistics: no response reached the client.
            h.stats.record(&method, &route, 0);
            return reset();
        }
        Some(FaultKind::TokenExpired) => {
            h.sim.expire_tokens();
            next.run(request).await
        }
        Some(_) | None => next.run(request).await,
    };
    h.stats.record(&method, &route, response.status().as_u16());
    response
}

/// A response whose body fails at once: the server drops the connection mid-response.
fn reset() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<axum::body::Bytes, _>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected reset",
        ))
    });
    let mut response = Response::new(Body::from_stream(failing));
    response.headers_mut().insert(
        "content-length",
        axum::http::HeaderValue::from_static("1024"),
    );
    response
}

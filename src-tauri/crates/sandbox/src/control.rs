//! The control API under `/__sandbox/` on every simulator's listener: reset and reseed,
//! latency, limits, faults, "another user edited this", statistics, data dump, and a
//! ready-made access token for scripts that should not click through a consent page, and
//! the webhook subscription of simulators that send webhooks when records change.

use crate::config::{Latency, SeedSpec};
use crate::faults::FaultRule;
use crate::harness::Harness;
use crate::sim::Mutation;
use crate::webhooks::Subscription;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router(h: Arc<Harness>) -> Router {
    Router::new()
        .route("/__sandbox/status", get(status))
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/latency", put(set_latency).get(get_latency))
        .route("/__sandbox/limits", put(set_limits))
        .route(
            "/__sandbox/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/__sandbox/mutate", post(mutate))
        .route("/__sandbox/stats", get(stats).delete(clear_stats))
        .route("/__sandbox/dump", get(dump))
        .route("/__sandbox/token", post(token))
        .route("/__sandbox/credentials", get(credentials))
        .route(
            "/__sandbox/webhooks",
            post(subscribe).get(webhooks).delete(unsubscribe),
        )
        .with_state(h)
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": message.into() })),
    )
        .into_response()
}

async fn status(State(h): State<Arc<Harness>>) -> Json<Value> {
    let seed = *h.seed.lock().unwrap_or_else(|p| p.into_inner());
    Json(
        json!({ "provider": h.sim.provider(), "simulator": "switchyard-sandbox", "version": env!("CARGO_PKG_VERSION"), "seed": seed }),
    )
}

#[derive(Debug, Deserialize)]
struct ResetBody {
    seed: Option<u64>,
    records: Option<usize>,
}

/// Reseeds the data (same seed and size when omitted), clears faults and statistics.
async fn reset(State(h): State<Arc<Harness>>, body: Option<Json<ResetBody>>) -> Json<Value> {
    let spec = {
        let mut seed = h.seed.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(Json(b)) = body {
            *seed = SeedSpec {
                seed: b.seed.unwrap_or(seed.seed),
                records: b.records.unwrap_or(seed.records),
            };
        }
        *seed
    };
    h.reseed(spec);
    h.faults.clear();
    h.stats.clear();
    Json(json!({ "seed": spec }))
}

async fn set_latency(State(h): State<Arc<Harness>>, Json(latency): Json<Latency>) -> Json<Latency> {
    *h.latency.lock().unwrap_or_else(|p| p.into_inner()) = latency;
    Json(latency)
}

async fn get_latency(State(h): State<Arc<Harness>>) -> Json<Latency> {
    Json(*h.latency.lock().unwrap_or_else(|p| p.into_inner()))
}

async fn set_limits(State(h): State<Arc<Harness>>, Json(limits): Json<Value>) -> Response {
    match h.sim.set_limits(&limits) {
        Ok(()) => Json(limits).into_response(),
        Err(e) => bad_request(e),
    }
}

async fn add_fault(State(h): State<Arc<Harness>>, Json(rule): Json<FaultRule>) -> Response {
    match h.faults.add(rule) {
        Ok(()) => (StatusCode::CREATED, Json(h.faults.list())).into_response(),
        Err(e) => bad_request(e),
    }
}

async fn list_faults(State(h): State<Arc<Harness>>) -> Json<Vec<FaultRule>> {
    Json(h.faults.list())
}

async fn clear_faults(State(h): State<Arc<Harness>>) -> StatusCode {
    h.faults.clear();
    StatusCode::NO_CONTENT
}

async fn mutate(State(h): State<Arc<Harness>>, Json(m): Json<Mutation>) -> Response {
    if !m.ids.is_empty() && h.sim.provider() != "hubspot" {
        return bad_request(format!(
            "ids (one edit of many records at one instant) is supported by the HubSpot simulator only, not {}",
            h.sim.provider()
        ));
    }
    match h.sim.mutate(&m) {
        Ok(v) => Json(v).into_response(),
        Err(e) => bad_request(e),
    }
}

async fn stats(State(h): State<Arc<Harness>>) -> Json<Value> {
    let rows = h.stats.rows();
    let total: u64 = rows.iter().map(|r| r.count).sum();
    Json(json!({ "total": total, "rows": rows }))
}

async fn clear_stats(State(h): State<Arc<Harness>>) -> StatusCode {
    h.stats.clear();
    StatusCode::NO_CONTENT
}

async fn dump(State(h): State<Arc<Harness>>) -> Json<Value> {
    Json(h.sim.dump())
}

async fn token(State(h): State<Arc<Harness>>) -> Json<Value> {
    Json(h.sim.mint_token())
}

async fn credentials(State(h): State<Arc<Harness>>) -> Json<Value> {
    Json(h.sim.credentials())
}

fn no_webhooks(h: &Harness) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "error": format!("the {} simulator sends no webhooks", h.sim.provider()) })),
    )
        .into_response()
}

/// Registers the receiver webhooks go to (replacing an earlier one).
async fn subscribe(State(h): State<Arc<Harness>>, Json(sub): Json<Subscription>) -> Response {
    let Some(hooks) = h.sim.webhooks() else {
        return no_webhooks(&h);
    };
    match hooks.subscribe(sub) {
        Ok(()) => (StatusCode::CREATED, Json(hooks.status())).into_response(),
        Err(e) => bad_request(e),
    }
}

/// The subscription (without its secret) and delivery counters.
async fn webhooks(State(h): State<Arc<Harness>>) -> Response {
    match h.sim.webhooks() {
        Some(hooks) => Json(hooks.status()).into_response(),
        None => no_webhooks(&h),
    }
}

async fn unsubscribe(State(h): State<Arc<Harness>>) -> Response {
    match h.sim.webhooks() {
        Some(hooks) => {
            hooks.unsubscribe();
            StatusCode::NO_CONTENT.into_response()
        }
        None => no_webhooks(&h),
    }
}

//! Zapier catch hooks: `POST /hooks/catch/{account_id}/{hook_id}/` accepts JSON, form or
//! query-string payloads, answers 200 with `{id, request_id, attempt, status}` and keeps
//! every payload for inspection; about 30 requests/s per hook, then 429.
//! `[UNCONFIRMED]` in the reference: the exact 429 body and array fan-out, so the 429
//! body here is a plain `{"status":"error"}` JSON and arrays are stored as one payload.

use crate::config::SeedSpec;
use crate::sim::{Ctx, Mutation, Simulator};
use crate::window::Window;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const ACCOUNT_ID: &str = "4827165";
const DEFAULT_PER_SECOND: u32 = 30;

#[derive(Debug)]
pub struct Zapier {
    ctx: Ctx,
    hooks: Mutex<BTreeMap<String, Vec<Value>>>,
    window: Window<String>,
    per_second: AtomicU32,
}

impl Zapier {
    pub fn new(ctx: Ctx) -> Arc<dyn Simulator> {
        Arc::new(Self {
            ctx,
            hooks: Mutex::default(),
            window: Window::default(),
            per_second: AtomicU32::new(DEFAULT_PER_SECOND),
        })
    }

    fn hook_ids(seed: SeedSpec) -> Vec<String> {
        (0..3)
            .map(|i| {
                format!(
                    "{:x}",
                    (seed.seed.wrapping_mul(2_654_435_761).wrapping_add(i)) % 0xff_ffff
                )
            })
            .collect()
    }

    fn hook_url(&self, hook: &str) -> String {
        format!("{}/hooks/catch/{ACCOUNT_ID}/{hook}/", self.ctx.base_url)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<Value>>> {
        self.hooks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The payload as Zapier would see it: JSON, form fields, or the query string.
fn payload(headers: &HeaderMap, query: Option<String>, body: &Bytes) -> Value {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !body.is_empty() {
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(body).unwrap_or_default();
            return Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            );
        }
        if let Ok(v) = serde_json::from_slice::<Value>(body) {
            return v;
        }
        return json!({ "raw": String::from_utf8_lossy(body) });
    }
    let pairs: Vec<(String, String)> = query
        .as_deref()
        .map(|q| serde_urlencoded::from_str(q).unwrap_or_default())
        .unwrap_or_default();
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    )
}

async fn catch(
    State(z): State<Arc<Zapier>>,
    Path((account, hook)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if account != ACCOUNT_ID || !z.lock().contains_key(&hook) {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "status": "error", "message": "Hook not found." })),
        )
            .into_response();
    }
    let limit = z.per_second.load(Ordering::Relaxed);
    if let Err(wait) = z.window.hit(&hook, limit, Duration::from_secs(1)) {
        return too_many(wait);
    }
    let received = payload(&headers, query, &body);
    z.lock().entry(hook).or_default().push(received);
    Json(json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "request_id": uuid::Uuid::new_v4().to_string(),
        "attempt": uuid::Uuid::new_v4().to_string(),
        "status": "success",
    }))
    .into_response()
}

fn too_many(wait: Duration) -> Response {
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, secs.to_string())],
        Json(json!({ "status": "error", "message": "Rate limit exceeded." })),
    )
        .into_response()
}

impl Simulator for Zapier {
    fn provider(&self) -> &'static str {
        "zapier"
    }

    fn routes(self: Arc<Self>) -> Router {
        Router::new()
            .route("/hooks/catch/{account}/{hook}/", post(catch))
            .route("/hooks/catch/{account}/{hook}", post(catch))
            .with_state(self)
    }

    fn reset(&self, seed: SeedSpec) {
        let mut hooks = self.lock();
        hooks.clear();
        for id in Self::hook_ids(seed) {
            hooks.insert(id, Vec::new());
        }
        self.window.clear();
        self.per_second.store(DEFAULT_PER_SECOND, Ordering::Relaxed);
    }

    fn dump(&self) -> Value {
        json!({ "hooks": &*self.lock() })
    }

    fn mutate(&self, _m: &Mutation) -> Result<Value, String> {
        Err("Zapier catch hooks hold no records to edit".into())
    }

    fn mint_token(&self) -> Value {
        let first = self.lock().keys().next().cloned().unwrap_or_default();
        json!({ "hook_url": self.hook_url(&first) })
    }

    fn credentials(&self) -> Value {
        let urls: Vec<String> = self.lock().keys().map(|h| self.hook_url(h)).collect();
        json!({ "hook_urls": urls })
    }

    fn set_limits(&self, limits: &Value) -> Result<(), String> {
        let per_second = limits
            .get("per_second")
            .and_then(Value::as_u64)
            .ok_or("expected {\"per_second\": N}")?;
        self.per_second.store(
            u32::try_from(per_second).map_err(|e| e.to_string())?.max(1),
            Ordering::Relaxed,
        );
        Ok(())
    }

    fn expire_tokens(&self) {}

    fn rate_limited(&self) -> Response {
        too_many(Duration::from_secs(1))
    }

    fn server_error(&self, status: u16) -> Response {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        (
            status,
            Json(json!({ "status": "error", "message": "Service unavailable." })),
        )
            .into_response()
    }
}

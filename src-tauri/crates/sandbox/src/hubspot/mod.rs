//! HubSpot simulator: the CRM v3 objects API (contacts, companies, deals, tickets) under
//! both `/crm/v3/objects/{o}` and the dated `/crm/objects/{YYYY-MM}/{o}`, batch and search
//! endpoints, the properties API, the OAuth server (app-host consent page, v1 and
//! 2026-03 token endpoints, revocation, token metadata), static private-app tokens, rate
//! limits with their headers, and webhook signatures — written from section 2 of the
//! provider reference.

// Handlers return HubSpot's own error response as `Err(Response)` and use `?` on it;
// that is the cold path of a request, so the size of `Response` does not matter here.
#![allow(clippy::result_large_err)]

mod auth;
mod batch;
mod catalog;
mod email_index;
mod errors;
mod filters;
mod limits;
mod modified_index;
mod oauth;
mod objects;
mod page_json;
mod properties;
mod records;
mod render;
mod schema;
mod search;
mod seed;
pub mod signature;
mod store;
mod tokens;
mod validate;
mod values;
mod webhooks;

use crate::config::SeedSpec;
use crate::oauth::{now_ms, AuthServer, Client};
use crate::sim::{Ctx, Mutation, Simulator};
use crate::webhooks::{Journaled, Webhooks};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use limits::Limits;
use rand::{Rng, SeedableRng};
use schema::Kind;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use store::Data;

pub const CLIENT_ID: &str = "sandbox-hubspot-client";
pub const CLIENT_SECRET: &str = "7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b";
pub const APP_ID: u64 = 4_815_162;
pub const USER_EMAIL: &str = "admin@sandbox-portal.example.com";
pub const USER_ID: u64 = 7_654_321;
/// Access tokens live 30 minutes.
pub const ACCESS_TTL_SECS: i64 = 1800;

#[derive(Debug)]
pub struct Hubspot {
    ctx: Ctx,
    auth: AuthServer,
    data: Mutex<Data>,
    /// Static bearer tokens (private apps, service keys) → scopes.
    statics: Mutex<HashMap<String, Arc<Vec<String>>>>,
    /// OAuth access token → when it expires (epoch ms), for the 401's "expired … ago".
    expiries: Mutex<HashMap<String, i64>>,
    limits: Limits,
    hub: AtomicU64,
    seeded_token: Mutex<String>,
    webhooks: Webhooks,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Hubspot {
    pub fn new(ctx: Ctx) -> Arc<dyn Simulator> {
        let auth = AuthServer::new(ctx.config.seed.seed);
        auth.register(Client {
            id: CLIENT_ID.into(),
            secret: CLIENT_SECRET.into(),
            name: "Switchyard (sandbox)".into(),
            redirect_uris: vec![
                "http://127.0.0.1/callback".into(),
                "http://localhost/callback".into(),
            ],
        });
        Arc::new(Self {
            ctx,
            auth,
            data: Mutex::default(),
            statics: Mutex::default(),
            expiries: Mutex::default(),
            limits: Limits::default(),
            hub: AtomicU64::new(0),
            seeded_token: Mutex::default(),
            webhooks: Webhooks::new("hubspot", Arc::new(webhooks::HubspotFormat)),
        })
    }

    /// The portal's records; changes made through the guard go out as webhooks.
    fn data(&self) -> Journaled<'_, Data> {
        Journaled::new(lock(&self.data), &self.webhooks, |_| {
            self.hub_id().to_string()
        })
    }

    fn static_tokens(&self) -> MutexGuard<'_, HashMap<String, Arc<Vec<String>>>> {
        lock(&self.statics)
    }

    fn expiries(&self) -> MutexGuard<'_, HashMap<String, i64>> {
        lock(&self.expiries)
    }

    fn hub_id(&self) -> u64 {
        self.hub.load(Ordering::Relaxed)
    }

    fn hub_domain(&self) -> String {
        format!("sandbox-{}.example.com", self.hub_id())
    }

    fn add_static_token(&self, uuid: uuid::Uuid) -> String {
        let token = format!("pat-na1-{uuid}");
        self.static_tokens()
            .insert(token.clone(), Arc::new(schema::all_scopes()));
        token
    }
}

async fn fallback() -> Response {
    errors::error(
        StatusCode::NOT_FOUND,
        Some("OBJECT_NOT_FOUND"),
        "resource not found",
        Value::Null,
    )
}

impl Simulator for Hubspot {
    fn provider(&self) -> &'static str {
        "hubspot"
    }

    fn routes(self: Arc<Self>) -> Router {
        let mut api = Router::new();
        for prefix in ["/crm/v3/objects", "/crm/objects/{version}"] {
            api = api
                .route(
                    &format!("{prefix}/{{object}}"),
                    get(objects::list).post(objects::create),
                )
                .route(&format!("{prefix}/{{object}}/search"), post(search::search))
                .route(
                    &format!("{prefix}/{{object}}/batch/{{action}}"),
                    post(batch::batch),
                )
                .route(
                    &format!("{prefix}/{{object}}/{{id}}"),
                    get(objects::read)
                        .patch(objects::update)
                        .delete(objects::archive),
                );
        }
        for prefix in ["/crm/v3/properties", "/crm/properties/{version}"] {
            api = api
                .route(&format!("{prefix}/{{object}}"), get(properties::list))
                .route(
                    &format!("{prefix}/{{object}}/{{name}}"),
                    get(properties::one),
                );
        }
        let api = api.route_layer(axum::middleware::from_fn_with_state(
            self.clone(),
            auth::gate,
        ));
        api.merge(oauth::routes())
            .fallback(fallback)
            .with_state(self)
    }

    fn reset(&self, seed: SeedSpec) {
        *self.data() = seed::build(seed, &self.ctx.config.seed_scope);
        self.hub.store(seed::hub_id(seed.seed), Ordering::Relaxed);
        self.auth.reset();
        self.expiries().clear();
        self.static_tokens().clear();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed.seed ^ 0x5041_5421);
        let token = self.add_static_token(uuid::Builder::from_random_bytes(rng.gen()).into_uuid());
        *lock(&self.seeded_token) = token;
        self.limits.reset();
    }

    fn dump(&self) -> Value {
        let data = self.data();
        let mut out = Map::new();
        out.insert("hub_id".into(), json!(self.hub_id()));
        for kind in Kind::ALL {
            let records: Vec<Value> = data
                .store(kind)
                .records
                .values()
                .map(|r| render::render_full(kind, r))
                .collect();
            out.insert(kind.plural().into(), Value::Array(records));
        }
        Value::Object(out)
    }

    fn mutate(&self, m: &Mutation) -> Result<Value, String> {
        objects::mutate(self, m)
    }

    fn mint_token(&self) -> Value {
        let token = self.add_static_token(uuid::Uuid::new_v4());
        json!({ "access_token": token, "token_type": "bearer", "hub_id": self.hub_id(), "portal_id": self.hub_id(), "scopes": schema::all_scopes() })
    }

    fn credentials(&self) -> Value {
        let clients: Vec<Value> = self.auth.clients().iter().map(|c| json!({ "client_id": c.id, "client_secret": c.secret, "name": c.name, "redirect_uris": c.redirect_uris })).collect();
        let first = self.auth.clients().into_iter().next();
        json!({
            // Every simulator names its app client at the top level; HubSpot also lists all.
            "client_id": first.as_ref().map(|c| c.id.clone()),
            "client_secret": first.as_ref().map(|c| c.secret.clone()),
            "oauth_clients": clients,
            "redirect_uri_rule": "any https URI, or http on 127.0.0.1 / localhost with any port and path",
            "authorize_url": format!("{}/oauth/authorize", self.ctx.base_url),
            "token_url": format!("{}/oauth/v1/token", self.ctx.base_url),
            "token_url_2026_03": format!("{}/oauth/2026-03/token", self.ctx.base_url),
            "scopes": schema::all_scopes(),
            "static_token": *lock(&self.seeded_token),
            "hub_id": self.hub_id(),
        })
    }

    fn set_limits(&self, limits: &Value) -> Result<(), String> {
        self.limits.set(limits)
    }

    fn webhooks(&self) -> Option<&Webhooks> {
        Some(&self.webhooks)
    }

    fn expire_tokens(&self) {
        self.auth.expire_all();
        let now = now_ms();
        for at in self.expiries().values_mut() {
            *at = (*at).min(now - 1);
        }
    }

    fn rate_limited(&self) -> Response {
        errors::rate_limited(errors::Policy::TenSecondly)
    }

    fn server_error(&self, status: u16) -> Response {
        errors::server_error(status)
    }
}

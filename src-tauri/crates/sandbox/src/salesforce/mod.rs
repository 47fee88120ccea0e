//! Salesforce: the REST API (`/services/data/vXX.X/…`, versions 20.0–68.0) and the
//! OAuth 2.0 server (`/services/oauth2/…`) of one sandbox org, on one listener.
//!
//! **Login host vs instance host.** Real Salesforce logs you in on `login.salesforce.com`
//! and then sends you to your org's `instance_url`, and clients must call the API there.
//! To make a client prove it uses `instance_url`, the token response names the *other*
//! loopback spelling of this listener: a client that called `http://127.0.0.1:<port>`
//! gets `instance_url = http://localhost:<port>` and vice versa (decided from the `Host`
//! header). Both reach the same listener, so appending `/services/data/…` works.
//!
//! Served: authorize (consent page) / token (authorization_code + PKCE, refresh_token,
//! optional rotation) / revoke / userinfo and the identity URL; versions and limits;
//! SOQL `query` / `queryAll` with cursors; sObject CRUD, upsert by external id,
//! sObject Collections; describe and global describe; Get Updated / Get Deleted.
//! Every API response carries `Sforce-Limit-Info`; errors are Salesforce's JSON arrays.

mod api_version;
mod batch;
mod body;
mod body_de;
mod changes;
mod collection_upsert;
mod collections;
mod cursors;
mod describe;
mod dml;
mod errors;
mod gate;
mod identity;
mod ids;
mod limits;
mod mutate;
mod oauth;
mod objects;
mod picklists;
mod query;
mod record;
mod render;
mod routes;
mod rows;
mod schema;
mod seed;
mod session;
mod sobjects;
mod soql;
mod store;
mod upsert;
mod versions;
mod write;

use crate::config::SeedSpec;
use crate::oauth::{AuthServer, Client};
use crate::sim::{Ctx, Mutation, Simulator};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use cursors::Cursors;
use errors::ApiError;
use limits::{Limits, Usage};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use store::Store;

pub const CLIENT_ID: &str = "sandbox-salesforce-client";
pub const CLIENT_SECRET: &str = "sandbox-salesforce-secret-7Q2m9x";
/// The API version used where no request names one (dumps, minted tokens).
pub const DEFAULT_VERSION: &str = "66.0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub first: &'static str,
    pub last: &'static str,
}

/// The org and its users; `users[0]` is the one who connects, `users[1]` "another user".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: String,
    pub name: &'static str,
    pub users: Vec<User>,
}

impl Org {
    fn new(seed: SeedSpec) -> Self {
        let pod = ids::pod(seed.seed);
        let user = |n: u64, first: &'static str, last: &'static str, login: &str| User {
            id: ids::make("005", &pod, n),
            username: format!("{login}@switchyard-sandbox.example"),
            first,
            last,
        };
        Self {
            id: ids::make("00D", &pod, 1),
            name: "Switchyard Sandbox Org",
            users: vec![
                user(1, "Sam", "Sandbox", "sam.sandbox"),
                user(2, "Riley", "Ortega", "riley.ortega"),
            ],
        }
    }

    pub fn user_ids(&self) -> Vec<String> {
        self.users.iter().map(|u| u.id.clone()).collect()
    }
}

#[derive(Debug)]
pub struct Salesforce {
    ctx: Ctx,
    auth: AuthServer,
    org: Mutex<Org>,
    store: Mutex<Store>,
    cursors: Mutex<Cursors>,
    limits: Mutex<Limits>,
    usage: Usage,
    /// Access token → last use (epoch ms), for the inactivity timeout.
    sessions: Mutex<HashMap<String, i64>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Salesforce {
    #[allow(clippy::new_ret_no_self)]
    pub fn new(ctx: Ctx) -> Arc<dyn Simulator> {
        let seed = ctx.config.seed;
        let auth = AuthServer::new(seed.seed);
        auth.register(Client {
            id: CLIENT_ID.into(),
            secret: CLIENT_SECRET.into(),
            name: "Switchyard".into(),
            redirect_uris: vec![
                "http://localhost:1717/OauthRedirect".into(),
                "http://127.0.0.1:<any port>/<any path>".into(),
                "https://<any host>/<any path>".into(),
            ],
        });
        let org = Org::new(seed);
        // Empty until the harness's first reset seeds it (within the seed scope).
        let store = Store::new(ids::pod(seed.seed));
        Arc::new(Self {
            ctx,
            auth,
            org: Mutex::new(org),
            store: Mutex::new(store),
            cursors: Mutex::default(),
            limits: Mutex::default(),
            usage: Usage::default(),
            sessions: Mutex::default(),
        })
    }

    fn limits(&self) -> Limits {
        *lock(&self.limits)
    }

    fn org(&self) -> Org {
        lock(&self.org).clone()
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    fn port(&self) -> &str {
        self.ctx.base_url.rsplit(':').next().unwrap_or_default()
    }
}

impl Simulator for Salesforce {
    fn provider(&self) -> &'static str {
        "salesforce"
    }

    fn routes(self: Arc<Self>) -> Router {
        routes::router(self)
    }

    fn reset(&self, seed: SeedSpec) {
        let org = Org::new(seed);
        *self.store() = seed::build(seed, &org, &self.ctx.config.seed_scope);
        *lock(&self.org) = org;
        *lock(&self.cursors) = Cursors::default();
        *lock(&self.limits) = Limits::default();
        lock(&self.sessions).clear();
        self.auth.reset();
        self.usage.clear();
    }

    fn dump(&self) -> Value {
        let store = self.store();
        let mut objects = serde_json::Map::new();
        for table in store.tables() {
            let rows: Vec<Value> = table
                .rows
                .values()
                .map(|r| render::full(DEFAULT_VERSION, table.obj, r))
                .collect();
            objects.insert(table.obj.name.into(), Value::Array(rows));
        }
        let org = self.org();
        objects.insert("organization_id".into(), Value::String(org.id.clone()));
        objects.insert(
            "users".into(),
            org.users
                .iter()
                .map(|u| json!({ "Id": u.id, "Username": u.username }))
                .collect(),
        );
        Value::Object(objects)
    }

    fn mutate(&self, m: &Mutation) -> Result<Value, String> {
        mutate::apply(self, m)
    }

    fn mint_token(&self) -> Value {
        self.mint()
    }

    fn credentials(&self) -> Value {
        let base = &self.ctx.base_url;
        json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": ["http://127.0.0.1:<port>/<path>", "http://localhost:<port>/<path>", "https://<host>/<path>"],
            "login_url": base,
            "authorize_url": format!("{base}/services/oauth2/authorize"),
            "token_url": format!("{base}/services/oauth2/token"),
            "revoke_url": format!("{base}/services/oauth2/revoke"),
            "userinfo_url": format!("{base}/services/oauth2/userinfo"),
            "scope": "api refresh_token",
            "api_versions": format!("{}–{}", api_version::MIN, api_version::MAX),
        })
    }

    fn set_limits(&self, limits: &Value) -> Result<(), String> {
        let mut current = lock(&self.limits);
        *current = current.patched(limits)?;
        Ok(())
    }

    fn expire_tokens(&self) {
        self.auth.expire_all();
    }

    fn rate_limited(&self) -> Response {
        let limits = self.limits();
        let body = ApiError::new(
            StatusCode::FORBIDDEN,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        );
        limits::with_usage(body.into_response(), self.usage.used(), limits.daily)
    }

    fn server_error(&self, status: u16) -> Response {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        let error = if status == StatusCode::INTERNAL_SERVER_ERROR {
            ApiError::new(status, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1829374650-42 (-1066139843)")
        } else {
            ApiError::new(
                status,
                "SERVER_UNAVAILABLE",
                "Server is temporarily unavailable. Please try again later.",
            )
        };
        limits::with_usage(
            error.into_response(),
            self.usage.used(),
            self.limits().daily,
        )
    }
}

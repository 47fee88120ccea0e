//! QuickBooks Online (Accounting API v3) and Intuit's OAuth server, simulated on one
//! loopback listener from shared/reference/provider-apis.md §3: a seeded company (realm)
//! with customers, invoices and payments; the query language; create/update/delete with
//! SyncTokens; batch; CDC; Intuit's fault formats (a Fault inside HTTP 200 included, the
//! lowercase gateway form on 401/403/429); per-realm throttles; webhook signing. Every API
//! response carries an `intuit_tid` header, as QuickBooks' do, and is XML unless the
//! request asked for JSON.

mod api;
mod batch;
mod cdc;
mod customer;
mod discovery;
mod errors;
mod invoice;
mod limits;
mod links;
mod oauth;
mod payment;
mod query;
mod seed;
pub mod signature;
mod store;
mod time;
mod webhooks;
mod write;
mod write_rules;
mod xml;

pub use oauth::{CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS};
pub use seed::realm_id;

use crate::config::SeedSpec;
use crate::oauth::AuthServer;
use crate::sim::{Ctx, Mutation, Simulator};
use crate::webhooks::{Journaled, Webhooks};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use errors::Fault;
use limits::{Limits, Throttle};
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};
use store::{Kind, Store};
use write::Op;
use write_rules::WriteCtx;

pub const ACCOUNTING_SCOPE: &str = "com.intuit.quickbooks.accounting";

#[derive(Debug)]
pub struct Quickbooks {
    ctx: Ctx,
    auth: AuthServer,
    store: Mutex<Store>,
    limits: Mutex<Limits>,
    throttle: Throttle,
    webhooks: Webhooks,
}

impl Quickbooks {
    pub fn new(ctx: Ctx) -> Arc<dyn Simulator> {
        let auth = AuthServer::new(ctx.config.seed.seed);
        auth.register(oauth::client());
        let store = Mutex::new(Store::new(realm_id(ctx.config.seed.seed)));
        Arc::new(Self {
            ctx,
            auth,
            store,
            limits: Mutex::new(Limits::default()),
            throttle: Throttle::default(),
            webhooks: Webhooks::new("quickbooks", Arc::new(webhooks::QuickbooksFormat)),
        })
    }

    /// The company's records; changes made through the guard go out as webhooks.
    fn store(&self) -> Journaled<'_, Store> {
        Journaled::new(
            self.store.lock().unwrap_or_else(|p| p.into_inner()),
            &self.webhooks,
            |s| s.realm.clone(),
        )
    }

    fn limits(&self) -> Limits {
        *self.limits.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn realm(&self) -> String {
        self.store().realm.clone()
    }

    fn company_name(&self) -> String {
        self.store()
            .get(Kind::CompanyInfo, 1)
            .and_then(|c| c.str_field("CompanyName"))
            .unwrap_or("Sandbox Company")
            .to_owned()
    }

    fn issue_tokens(&self, client_id: &str, scope: &str, realm: &str) -> Value {
        let access = self.auth.issue_access(
            "sbx-qbo-at-",
            64,
            client_id,
            scope,
            realm,
            Some(oauth::ACCESS_TTL_SECS * 1000),
        );
        let refresh = self.auth.issue_refresh("AB11", 46, client_id, scope, realm);
        oauth::token_body(&access, &refresh)
    }

    fn api_base(&self) -> String {
        format!("{}/v3/company/{}", self.ctx.base_url, self.realm())
    }
}

async fn add_tid(mut response: Response) -> Response {
    if let Ok(value) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("intuit_tid"), value);
    }
    response
}

impl Simulator for Quickbooks {
    fn provider(&self) -> &'static str {
        "quickbooks"
    }

    fn routes(self: Arc<Self>) -> Router {
        Router::new()
            .route(
                "/connect/oauth2",
                get(oauth::authorize_page).post(oauth::authorize_decision),
            )
            .route("/oauth2/v1/tokens/bearer", post(oauth::token))
            .route("/v2/oauth2/tokens/revoke", post(oauth::revoke))
            .route(
                "/.well-known/openid_sandbox_configuration",
                get(discovery::configuration),
            )
            .route(
                "/.well-known/openid_sandbox_configuration/",
                get(discovery::configuration),
            )
            .route(
                "/.well-known/openid_configuration",
                get(discovery::configuration),
            )
            .route(
                "/.well-known/openid_configuration/",
                get(discovery::configuration),
            )
            .route("/op/v1/jwks", get(discovery::jwks))
            .route("/v1/openid_connect/userinfo", get(discovery::userinfo))
            .route(
                "/v3/company/{realm}/query",
                get(api::query_get).post(api::query_post),
            )
            .route("/v3/company/{realm}/batch", post(batch::batch))
            .route("/v3/company/{realm}/cdc", get(cdc::cdc))
            .route("/v3/company/{realm}/{resource}", post(api::write))
            .route("/v3/company/{realm}/{resource}/{id}", get(api::read))
            .layer(axum::middleware::from_fn(xml::negotiate))
            .layer(axum::middleware::map_response(add_tid))
            .with_state(self)
    }

    fn reset(&self, seed: SeedSpec) {
        *self.store() = seed::build(seed);
        self.auth.reset();
        self.throttle.clear();
        *self.limits.lock().unwrap_or_else(|p| p.into_inner()) = Limits::default();
    }

    fn dump(&self) -> Value {
        let store = self.store();
        let mut out = Map::new();
        out.insert("realmId".into(), json!(store.realm));
        let mut deleted = Map::new();
        for kind in Kind::ALL {
            let (live, gone): (Vec<_>, Vec<_>) =
                store.table(kind).values().partition(|r| !r.deleted);
            out.insert(
                kind.name().into(),
                live.iter().map(|r| r.render()).collect(),
            );
            deleted.insert(
                kind.name().into(),
                gone.iter().map(|r| r.tombstone()).collect(),
            );
        }
        out.insert("Deleted".into(), Value::Object(deleted));
        Value::Object(out)
    }

    fn mutate(&self, m: &Mutation) -> Result<Value, String> {
        let kind = Kind::from_name(&m.object).ok_or_else(|| {
            format!(
                "unknown QuickBooks entity {:?}; use Customer, Invoice or Payment",
                m.object
            )
        })?;
        let ctx = WriteCtx {
            now_ms: crate::oauth::now_ms(),
            fires: &|_| false,
        };
        let mut store = self.store();
        let mut input = m.fields.clone();
        let op = match &m.id {
            None => Op::Create,
            Some(id) => {
                let record = id
                    .parse()
                    .ok()
                    .and_then(|n| store.get(kind, n))
                    .ok_or_else(|| format!("{} {id} not found", kind.name()))?;
                input.insert("Id".into(), json!(id));
                input.insert("SyncToken".into(), json!(record.sync.to_string()));
                input.insert("sparse".into(), json!(true));
                match (m.delete, kind.is_name_list()) {
                    (true, true) => {
                        input.insert("Active".into(), json!(false));
                        Op::Update
                    }
                    (true, false) => Op::Delete,
                    (false, _) => Op::Update,
                }
            }
        };
        write::apply(&mut store, kind, op, &input, &ctx).map_err(|f| {
            f.errors
                .first()
                .map(|e| format!("{} ({}): {}", e["Message"], e["code"], e["Detail"]))
                .unwrap_or_default()
        })
    }

    fn mint_token(&self) -> Value {
        let realm = self.realm();
        let mut body = self.issue_tokens(CLIENT_ID, ACCOUNTING_SCOPE, &realm);
        if let Value::Object(map) = &mut body {
            map.insert("realmId".into(), json!(realm));
            map.insert("base_url".into(), json!(self.ctx.base_url));
            map.insert("api_base_url".into(), json!(self.api_base()));
            map.insert("scope".into(), json!(ACCOUNTING_SCOPE));
        }
        body
    }

    fn credentials(&self) -> Value {
        let base = &self.ctx.base_url;
        json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": REDIRECT_URIS,
            "loopback_redirects": !self.ctx.config.quickbooks_production,
            "production": self.ctx.config.quickbooks_production,
            "scopes": [ACCOUNTING_SCOPE],
            "authorize_url": format!("{base}/connect/oauth2"),
            "token_url": format!("{base}/oauth2/v1/tokens/bearer"),
            "revoke_url": format!("{base}/v2/oauth2/tokens/revoke"),
            "discovery_url": format!("{base}/.well-known/{}", if self.ctx.config.quickbooks_production { "openid_configuration" } else { "openid_sandbox_configuration" }),
            "api_base_url": format!("{base}/v3"),
            "realmId": self.realm(),
            "limits": self.limits(),
        })
    }

    fn webhooks(&self) -> Option<&Webhooks> {
        Some(&self.webhooks)
    }

    fn set_limits(&self, limits: &Value) -> Result<(), String> {
        self.limits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .update(limits)
    }

    fn expire_tokens(&self) {
        self.auth.expire_all();
    }

    fn rate_limited(&self) -> Response {
        errors::throttled()
    }

    fn server_error(&self, status: u16) -> Response {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(StatusCode::is_server_error)
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        Fault::system("the service is temporarily unavailable; retry the request")
            .with_status(status)
            .into_response()
    }
}

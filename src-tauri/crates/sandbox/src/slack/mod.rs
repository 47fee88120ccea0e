//! Slack: the Web API (`/api/<method>`, HTTP 200 with `ok:false` errors, 429 with
//! `Retry-After` when rate limited) and the OAuth v2 install flow of one seeded
//! workspace, for the methods Switchyard uses: `oauth.v2.access`, `auth.test`,
//! `auth.revoke`, `chat.postMessage`, `conversations.list|join|history` and
//! `users.list`. Also the v0 request signing the sandbox will use to send events.
//!
//! Built from shared/reference/provider-apis.md §4 and Slack's method reference.
//! `[UNCONFIRMED]` behaviours are switches under `/__sandbox/limits` (see [`limits`]).

mod api;
mod auth;
mod chat;
mod conversations;
mod install;
mod limits;
mod mutate;
mod oauth;
mod params;
mod render;
mod reply;
mod seeding;
pub mod signature;
mod users;
mod workspace;

pub use install::{
    CLIENT_ID, CLIENT_SECRET, REDIRECT_APP, REDIRECT_LOOPBACK, REDIRECT_WEB, SIGNING_SECRET,
};

use crate::config::SeedSpec;
use crate::oauth::{AuthServer, Client};
use crate::sim::{Ctx, Mutation, Simulator};
use api::Api;
use axum::response::Response;
use axum::routing::{any, get};
use axum::Router;
use install::Grants;
use limits::Limits;
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use workspace::Workspace;

/// Scopes of the token `/__sandbox/token` mints (no `chat:write.public`, so the bot
/// still has to be in a channel to post there).
const MINT_BOT_SCOPES: &str = "chat:write,channels:read,channels:history,channels:join,groups:read,groups:history,users:read,users:read.email";
const MINT_USER_SCOPES: &str = "chat:write,channels:read,channels:history,users:read";

#[derive(Debug)]
pub struct Slack {
    ctx: Ctx,
    auth: AuthServer,
    ws: Mutex<Workspace>,
    grants: Mutex<Grants>,
    limits: Limits,
}

impl Slack {
    pub fn new(ctx: Ctx) -> Arc<dyn Simulator> {
        let auth = AuthServer::new(ctx.config.seed.seed);
        auth.register(Client {
            id: CLIENT_ID.into(),
            secret: CLIENT_SECRET.into(),
            name: "Switchyard".into(),
            redirect_uris: install::redirect_uris(),
        });
        // Empty until the harness's first reset seeds it (within the seed scope): seeding
        // the whole unscoped spec here would only build a workspace to throw away.
        let ws = Mutex::new(Workspace::seed(SeedSpec {
            seed: ctx.config.seed.seed,
            records: 0,
        }));
        Arc::new(Self {
            ctx,
            auth,
            ws,
            grants: Mutex::default(),
            limits: Limits::default(),
        })
    }

    fn ws(&self) -> MutexGuard<'_, Workspace> {
        self.ws.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn grants(&self) -> MutexGuard<'_, Grants> {
        self.grants.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The numeric parts of `xoxb-<team>-<bot>-…` tokens, fixed per workspace.
    fn token_numbers(&self) -> (u64, u64) {
        let ws = self.ws();
        let hash = |s: &str| {
            s.bytes().fold(1_469_598_103_934_665_603u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(1_099_511_628_211)
            })
        };
        (
            10_000_000_000 + hash(&ws.team.id) % 90_000_000_000,
            10_000_000_000 + hash(&ws.bot_id) % 90_000_000_000,
        )
    }
}

impl Simulator for Slack {
    fn provider(&self) -> &'static str {
        "slack"
    }

    fn routes(self: Arc<Self>) -> Router {
        let mut router = Router::new()
            .route("/oauth/v2/authorize", get(oauth::page).post(oauth::decide))
            .route("/api/{method}", any(api::unknown));
        for method in Api::ALL {
            router = router.route(&format!("/api/{}", method.name()), method.route());
        }
        router.with_state(self)
    }

    fn reset(&self, seed: SeedSpec) {
        *self.ws() = Workspace::seed(seed);
        *self.grants() = Grants::default();
        self.auth.reset();
        self.limits.reset();
    }

    fn dump(&self) -> Value {
        let ws = self.ws();
        let channels: Vec<Value> = ws
            .channels
            .iter()
            .map(|c| {
                let mut out = render::channel(c, &ws.bot_user_id);
                out["members"] = json!(c.members);
                out
            })
            .collect();
        let users: Vec<Value> = ws
            .users
            .iter()
            .map(|u| render::user(&ws, u, true))
            .collect();
        let messages: Map<String, Value> = ws
            .messages
            .iter()
            .map(|(id, list)| (id.clone(), list.iter().map(render::message).collect()))
            .collect();
        json!({
            "team": { "id": ws.team.id, "name": ws.team.name, "domain": ws.team.domain },
            "app_id": ws.app_id,
            "bot_id": ws.bot_id,
            "bot_user_id": ws.bot_user_id,
            "installer_user_id": ws.installer_id,
            "channels": channels,
            "users": users,
            "messages": messages,
            "limits": self.limits.settings().to_json(),
        })
    }

    fn mutate(&self, m: &Mutation) -> Result<Value, String> {
        mutate::apply(&mut self.ws(), m)
    }

    fn mint_token(&self) -> Value {
        install::install(
            self,
            MINT_BOT_SCOPES,
            MINT_USER_SCOPES,
            self.limits.settings().rotate_tokens,
            false,
        )
    }

    fn credentials(&self) -> Value {
        let base = &self.ctx.base_url;
        let ws = self.ws();
        json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "signing_secret": SIGNING_SECRET,
            "redirect_uris": install::redirect_uris(),
            "app_id": ws.app_id,
            "team_id": ws.team.id,
            "authorize_url": format!("{base}/oauth/v2/authorize"),
            "token_url": format!("{base}/api/oauth.v2.access"),
            "api_base_url": format!("{base}/api/"),
        })
    }

    fn set_limits(&self, limits: &Value) -> Result<(), String> {
        self.limits.set(limits)
    }

    fn expire_tokens(&self) {
        self.auth.expire_all();
    }

    fn rate_limited(&self) -> Response {
        reply::ratelimited(Duration::from_secs(1))
    }

    fn server_error(&self, status: u16) -> Response {
        reply::server_error(status)
    }
}

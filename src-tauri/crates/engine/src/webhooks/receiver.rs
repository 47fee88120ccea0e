//! The webhook receiver: an HTTP server, off by default, on `127.0.0.1:8787` unless the
//! user chooses another address. Routes:
//! - `POST /webhooks/hubspot` — v3 (or v1/v2, as set) signatures;
//! - `POST /webhooks/quickbooks` — `intuit-signature`, CloudEvents or legacy bodies;
//! - `POST /webhooks/slack` — v0 signing, `url_verification` answered;
//! - `POST /webhooks/generic/{mapping_id}` — Switchyard's scheme, one secret per mapping.
//!
//! A delivery is answered as soon as its events are stored: 200 (repeats included), 401
//! for a missing, wrong or stale signature, 400 for a body the provider would not send,
//! 404 for an unknown mapping, 413 over [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES). Syncing happens afterwards.

use super::settings::WebhookSettings;
use super::state::Ctx;
use crate::Engine;
use axum::routing::post;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A listening receiver.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

fn router(ctx: Arc<Ctx>) -> Router {
    Router::new()
        .route("/webhooks/hubspot", post(super::routes::hubspot))
        .route("/webhooks/quickbooks", post(super::routes::quickbooks))
        .route("/webhooks/slack", post(super::routes::slack))
        .route(
            "/webhooks/generic/{mapping_id}",
            post(super::routes::generic),
        )
        .with_state(ctx)
}

/// The receiver as seen from this machine (a wildcard bind is reached on loopback).
pub(crate) fn local_base(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        match addr {
            SocketAddr::V4(_) => "127.0.0.1".to_owned(),
            SocketAddr::V6(_) => "[::1]".to_owned(),
        }
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    format!("http://{ip}:{}", addr.port())
}

/// Binds and serves until stopped.
pub(crate) async fn start(engine: Engine, settings: WebhookSettings) -> std::io::Result<Running> {
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::new(settings.ip(), settings.port)).await?;
    let addr = listener.local_addr()?;
    let app = router(Arc::new(Ctx { engine, settings }));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!("webhook receiver stopped: {e}");
        }
    });
    tracing::info!(%addr, "webhook receiver listening");
    Ok(Running { addr, stop, task })
}

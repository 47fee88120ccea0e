//! The one-shot loopback listener (RFC 8252 §7.3) that receives the browser's redirect
//! on 127.0.0.1. A request whose `state` does not match is refused and the listener keeps
//! waiting; the first matching one (code or provider error) ends it and closes the port.

use super::error::FlowError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};

/// What the provider sent back through the browser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    /// QuickBooks sends the company id only here.
    #[serde(rename = "realmId")]
    pub realm_id: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

#[derive(Debug)]
pub struct Loopback {
    pub redirect_uri: String,
    rx: Option<oneshot::Receiver<Result<CallbackParams, FlowError>>>,
    stop: Arc<Notify>,
}

struct Shared {
    state: String,
    tx: Mutex<Option<oneshot::Sender<Result<CallbackParams, FlowError>>>>,
    stop: Arc<Notify>,
}

impl Loopback {
    /// Listens on 127.0.0.1:`port` (0 picks a free port) for `path`.
    pub async fn bind(port: u16, path: &str, expected_state: String) -> std::io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel();
        let stop = Arc::new(Notify::new());
        let shared = Arc::new(Shared {
            state: expected_state,
            tx: Mutex::new(Some(tx)),
            stop: stop.clone(),
        });
        let app = Router::new().route(path, get(callback)).with_state(shared);
        let shutdown = stop.clone();
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move { shutdown.notified().await });
            if let Err(e) = served.await {
                tracing::warn!("OAuth callback listener failed: {e}");
            }
        });
        Ok(Self {
            redirect_uri: format!("http://127.0.0.1:{}{path}", addr.port()),
            rx: Some(rx),
            stop,
        })
    }

    /// The first valid callback; the listener is closed when this returns.
    pub async fn wait(mut self) -> Result<CallbackParams, FlowError> {
        let Some(rx) = self.rx.take() else {
            return Err(FlowError::Cancelled);
        };
        match rx.await {
            Ok(result) => result,
            Err(_) => Err(FlowError::Cancelled),
        }
        // `self` drops here and closes the port.
    }
}

/// Dropping the listener (cancel, timeout) closes its port.
impl Drop for Loopback {
    fn drop(&mut self) {
        self.stop.notify_one();
    }
}

async fn callback(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<CallbackParams>,
) -> Response {
    if params.state.as_deref() != Some(shared.state.as_str()) {
        tracing::warn!("OAuth callback with a foreign state refused");
        return page(
            StatusCode::BAD_REQUEST,
            "This sign-in response was not started by Switchyard",
            "Go back to Switchyard and start connecting again.",
        );
    }
    let result = match (&params.error, &params.code) {
        (Some(error), _) => Err(FlowError::Denied {
            error: error.clone(),
            description: params.error_description.clone(),
        }),
        (None, Some(_)) => Ok(params.clone()),
        (None, None) => Err(FlowError::Provider {
            error: "invalid_response".into(),
            description: Some("the provider sent neither a code nor an error".into()),
        }),
    };
    let denied = result.is_err();
    let sender = shared.tx.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(tx) = sender {
        let _ = tx.send(result);
    }
    shared.stop.notify_one();
    if denied {
        page(StatusCode::OK, "Connection not completed", "The provider did not grant access. You can close this tab and try again from Switchyard.")
    } else {
        page(
            StatusCode::OK,
            "Connected",
            "You can close this tab and return to Switchyard.",
        )
    }
}

fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Switchyard — {title}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:30rem;margin:4rem auto\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    (status, Html(html)).into_response()
}

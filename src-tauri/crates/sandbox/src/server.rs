//! One loopback listener per simulated provider, started and stopped together.

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The providers the sandbox stands in for.
pub const PROVIDERS: [&str; 5] = ["salesforce", "hubspot", "quickbooks", "slack", "zapier"];

#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// Fixed port per provider (index as in `PROVIDERS`); `None` or 0 picks a free port.
    pub ports: [Option<u16>; 5],
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen for the {provider} sandbox on 127.0.0.1:{port}: {source}")]
    Bind {
        provider: &'static str,
        port: u16,
        #[source]
        source: std::io::Error,
    },
}

/// Where one simulated provider answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderSlot {
    pub provider: &'static str,
    pub base_url: String,
}

#[derive(Serialize)]
struct Status {
    provider: &'static str,
    simulator: &'static str,
    version: &'static str,
}

/// A running sandbox. Dropping it stops every listener.
#[derive(Debug)]
pub struct Sandbox {
    slots: Vec<ProviderSlot>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    pub async fn start(config: SandboxConfig) -> Result<Self, SandboxError> {
        let (stop, stopped) = watch::channel(false);
        let mut slots = Vec::new();
        let mut tasks = Vec::new();
        for (provider, port) in PROVIDERS.into_iter().zip(config.ports) {
            let port = port.unwrap_or(0);
            let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
                .await
                .map_err(|source| SandboxError::Bind {
                    provider,
                    port,
                    source,
                })?;
            let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
                provider,
                port,
                source,
            })?;
            let app = Router::new().route(
                "/__sandbox/status",
                get(move || async move {
                    Json(Status {
                        provider,
                        simulator: "switchyard-sandbox",
                        version: env!("CARGO_PKG_VERSION"),
                    })
                }),
            );
            let mut stopped = stopped.clone();
            tasks.push(tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stopped.wait_for(|s| *s).await;
                };
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
                {
                    tracing::warn!(provider, "sandbox listener stopped: {e}");
                }
            }));
            slots.push(ProviderSlot {
                provider,
                base_url: format!("http://{addr}"),
            });
        }
        tracing::info!(count = slots.len(), "sandbox listening on 127.0.0.1");
        Ok(Self { slots, stop, tasks })
    }

    pub fn slots(&self) -> &[ProviderSlot] {
        &self.slots
    }

    pub fn base_url(&self, provider: &str) -> Option<&str> {
        self.slots
            .iter()
            .find(|s| s.provider == provider)
            .map(|s| s.base_url.as_str())
    }

    /// Stops every listener and waits for them to finish.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

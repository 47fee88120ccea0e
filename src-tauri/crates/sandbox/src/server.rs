//! Starts one loopback listener per simulated provider and stops them together.

use crate::config::SandboxConfig;
use crate::control;
use crate::faults::Faults;
use crate::harness::{self, Harness};
use crate::sim::{Ctx, Simulator};
use axum::extract::DefaultBodyLimit;
use axum::serve::ListenerExt;
use serde::Serialize;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Largest request body any simulator accepts (Zapier's documented payload limit).
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

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

type Constructor = fn(Ctx) -> Arc<dyn Simulator>;

/// The simulators compiled in, in display order.
#[allow(clippy::vec_init_then_push)] // each push is behind its own cargo feature
fn simulators() -> Vec<(&'static str, Constructor)> {
    let mut list: Vec<(&'static str, Constructor)> = Vec::new();
    #[cfg(feature = "salesforce")]
    list.push(("salesforce", |ctx| crate::salesforce::Salesforce::new(ctx)));
    #[cfg(feature = "hubspot")]
    list.push(("hubspot", |ctx| crate::hubspot::Hubspot::new(ctx)));
    #[cfg(feature = "quickbooks")]
    list.push(("quickbooks", |ctx| crate::quickbooks::Quickbooks::new(ctx)));
    #[cfg(feature = "slack")]
    list.push(("slack", |ctx| crate::slack::Slack::new(ctx)));
    #[cfg(feature = "zapier")]
    list.push(("zapier", |ctx| crate::zapier::Zapier::new(ctx)));
    list
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
        for (provider, construct) in simulators() {
            let port = config.port_for(provider);
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
            let base_url = format!("http://{addr}");
            let faults = Arc::new(Faults::new(config.seed.seed));
            let sim = construct(Ctx {
                base_url: base_url.clone(),
                config: config.clone(),
                faults: faults.clone(),
            });
            let harness = Arc::new(Harness::new(
                sim.clone(),
                faults,
                config.latency,
                config.seed,
                config.seed_scope.clone(),
            ));
            harness.reseed(config.seed);
            let app = sim
                .routes()
                .merge(control::router(harness.clone()))
                .layer(axum::middleware::from_fn_with_state(
                    harness,
                    harness::middleware,
                ))
                .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
            let listener = listener.tap_io(|tcp| {
                if let Err(e) = tcp.set_nodelay(true) {
                    tracing::debug!("TCP_NODELAY not set: {e}");
                }
            });
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
            slots.push(ProviderSlot { provider, base_url });
        }
        tracing::info!(providers = slots.len(), "sandbox listening on 127.0.0.1");
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

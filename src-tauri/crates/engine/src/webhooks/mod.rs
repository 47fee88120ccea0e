//! Incoming webhooks: who may send them and how each provider signs them
//! ([`signatures`]), what their bodies say ([`payloads`]), the opt-in receiver that
//! checks and stores them, and the dispatcher that turns them into debounced syncs.

mod checks;
mod dispatch;
mod intake;
mod keys;
pub mod payloads;
pub(crate) mod receiver;
mod replay;
mod routes;
mod sandbox;
mod service;
pub mod settings;
pub mod signatures;
mod state;

pub(crate) use dispatch::spawn as spawn_dispatcher;
pub(crate) use receiver::start as start_receiver;
pub(crate) use service::WebhookService;
pub use service::{ReceiverState, ReceiverStatus};
pub use settings::{HubspotSignature, WebhookSettings};
pub use state::MAX_BODY_BYTES;

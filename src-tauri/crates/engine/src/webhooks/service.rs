//! The engine's one handle on incoming webhooks: the running receiver (if any) and what
//! it last reported, and the dispatcher that turns stored events into syncs.

use super::dispatch;
use super::receiver::Running;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Whether the receiver is listening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReceiverState {
    #[default]
    Off,
    Listening,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReceiverStatus {
    pub state: ReceiverState,
    /// `host:port` it listens on (the real port when 0 was asked for).
    pub address: Option<String>,
    /// Why it is not listening, when it should be.
    pub message: Option<String>,
}

#[derive(Debug)]
pub struct WebhookService {
    /// Start and stop are serialised by this lock.
    receiver: tokio::sync::Mutex<Option<Running>>,
    status: Mutex<ReceiverStatus>,
    dispatcher: Mutex<Option<dispatch::Handle>>,
    debounce_ms: AtomicU64,
    /// Held while the sandbox is being subscribed.
    subscribing: tokio::sync::Mutex<()>,
}

impl Default for WebhookService {
    fn default() -> Self {
        Self {
            receiver: tokio::sync::Mutex::default(),
            status: Mutex::default(),
            dispatcher: Mutex::default(),
            debounce_ms: AtomicU64::new(u64::from(super::settings::DEFAULT_DEBOUNCE_MS)),
            subscribing: tokio::sync::Mutex::default(),
        }
    }
}

impl WebhookService {
    pub(crate) fn receiver(&self) -> &tokio::sync::Mutex<Option<Running>> {
        &self.receiver
    }

    pub(crate) fn subscribing(&self) -> &tokio::sync::Mutex<()> {
        &self.subscribing
    }

    pub(crate) fn status(&self) -> ReceiverStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn set_status(&self, status: ReceiverStatus) {
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = status;
    }

    pub(crate) fn debounce(&self) -> Duration {
        Duration::from_millis(self.debounce_ms.load(Ordering::Relaxed))
    }

    pub(crate) fn set_debounce(&self, ms: u32) {
        self.debounce_ms.store(u64::from(ms), Ordering::Relaxed);
    }

    /// Tells the dispatcher, starting it with `spawn` the first time, that events wait.
    pub(crate) fn wake(&self, spawn: impl FnOnce() -> dispatch::Handle) {
        let mut slot = self.dispatcher.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_none_or(|d| d.is_closed()) {
            *slot = Some(spawn());
        }
        if let Some(d) = slot.as_ref() {
            d.wake();
        }
    }

    /// Stops the receiver and the dispatcher (events not yet synced stay pending in the
    /// database and are picked up on the next start).
    pub(crate) async fn shutdown(&self) {
        if let Some(running) = self.receiver.lock().await.take() {
            running.stop().await;
        }
        if let Some(d) = self
            .dispatcher
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            d.stop();
        }
        self.set_status(ReceiverStatus::default());
    }
}

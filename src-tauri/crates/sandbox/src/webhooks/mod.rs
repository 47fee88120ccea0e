//! Webhooks the simulators send when their records change, as the real services do once an
//! app subscribes: a receiver is registered through the control API
//! (`POST /__sandbox/webhooks`), every write (API calls and `/__sandbox/mutate`) is noted
//! in the simulator's journal, and a background task batches the notes into the
//! provider's payload, signs each request and POSTs it, retrying 429, 5xx and timeouts
//! with backoff. API handlers never wait for a delivery.

mod journal;
mod sender;
mod subscription;

pub use journal::{Journal, Journaled};
pub use subscription::Subscription;

use sender::Sender;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
}

/// One change noted by a simulator's journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The object as the provider names it (`contacts`, `Customer`).
    pub object: String,
    pub id: String,
    pub kind: ChangeKind,
    /// The property that changed, with its new value (HubSpot's `propertyChange`).
    pub property: Option<(String, String)>,
    pub at_ms: i64,
}

/// A change with the identity it keeps through every delivery attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Unique across restarts of the sandbox (HubSpot's numeric `eventId`).
    pub seq: u64,
    /// A UUID (the CloudEvents `id`).
    pub uid: String,
    /// The provider account the record belongs to (HubSpot portal, QuickBooks realm).
    pub account: String,
    pub change: Change,
}

/// One HTTP request to the receiver.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

/// How a provider shapes and signs its webhook requests.
pub trait Format: Send + Sync + 'static {
    /// Most events one request carries.
    fn max_batch(&self) -> usize;
    /// Checks a subscription's provider options (signature version, payload format).
    fn check(&self, sub: &Subscription) -> Result<(), String>;
    /// The request carrying `events`, for delivery attempt `attempt` (0 is the first).
    fn request(&self, events: &[Event], attempt: u32, sub: &Subscription) -> Outgoing;
}

/// Counters of one subscription's deliveries, shown by `GET /__sandbox/webhooks`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Counters {
    /// Changes handed to the sender.
    pub events: u64,
    /// HTTP requests made (retries included).
    pub attempts: u64,
    /// Requests that ended with a 2xx answer.
    pub delivered: u64,
    /// Events carried by delivered requests.
    pub delivered_events: u64,
    /// Requests given up on (a non-retryable answer, or retries exhausted).
    pub failed: u64,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
}

/// A simulator's webhook subscription and sender.
pub struct Webhooks {
    provider: &'static str,
    format: Arc<dyn Format>,
    active: Mutex<Option<Sender>>,
    next_seq: AtomicU64,
    counters: Arc<Mutex<Counters>>,
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhooks")
            .field("provider", &self.provider)
            .field("subscribed", &self.subscribed())
            .finish_non_exhaustive()
    }
}

impl Webhooks {
    pub fn new(provider: &'static str, format: Arc<dyn Format>) -> Self {
        // Event ids continue from the clock, so a restarted sandbox never repeats one that a
        // receiver has already seen (and would drop as a duplicate).
        let start = u64::try_from(crate::oauth::now_ms()).unwrap_or(0) * 1000;
        Self {
            provider,
            format,
            active: Mutex::default(),
            next_seq: AtomicU64::new(start),
            counters: Arc::default(),
        }
    }

    fn sender(&self) -> std::sync::MutexGuard<'_, Option<Sender>> {
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn subscribed(&self) -> bool {
        self.sender().is_some()
    }

    /// Hands changes to the sender (nothing happens without a subscription). Never blocks.
    pub fn publish(&self, account: &str, changes: Vec<Change>) {
        let sender = self.sender();
        let Some(sender) = sender.as_ref() else {
            return;
        };
        for change in changes {
            sender.send(Event {
                seq: self.next_seq.fetch_add(1, Ordering::Relaxed),
                uid: uuid::Uuid::new_v4().to_string(),
                account: account.to_owned(),
                change,
            });
        }
    }

    /// Starts sending to a receiver (replacing an earlier subscription). Call from a Tokio runtime.
    pub fn subscribe(&self, sub: Subscription) -> Result<(), String> {
        sub.check(self.provider)?;
        self.format.check(&sub)?;
        *self.counters.lock().unwrap_or_else(|p| p.into_inner()) = Counters::default();
        let sender = Sender::start(sub, self.format.clone(), self.counters.clone())?;
        *self.sender() = Some(sender);
        Ok(())
    }

    /// Stops sending; returns whether there was a subscription.
    pub fn unsubscribe(&self) -> bool {
        self.sender().take().is_some()
    }

    /// The subscription (its secret withheld) and the delivery counters.
    pub fn status(&self) -> Value {
        let counters = self
            .counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let sender = self.sender();
        json!({
            "provider": self.provider,
            "subscription": sender.as_ref().map(|s| s.subscription().public_view()),
            "counters": counters,
        })
    }
}

//! From stored events to syncs. The dispatcher picks up verified, unprocessed events (on
//! start, so nothing received before a restart is lost, and whenever the receiver stores
//! new ones), finds every enabled mapping that reads that connection's object — its
//! source, or either side of a two-way mapping; a generic delivery names its mapping —
//! and runs each such mapping once the debounce delay after its first waiting event has
//! passed: many events in the window make one run. Events arriving while a mapping runs
//! wait for exactly one follow-up run. An event is marked processed, with the run id,
//! when every mapping it concerns has run (the id of the last of them); an event no
//! mapping concerns is marked processed at once, without a run.

use crate::sync::RunOptions;
use crate::{Engine, EngineError, ErrorCode};
use std::collections::HashMap;
use std::time::Duration;
use switchyard_store::kinds::{RunTrigger, SyncDirection};
use switchyard_store::tables::mappings::{self, Mapping};
use switchyard_store::tables::webhook_events::{self, WebhookEvent};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, Instant};

/// Events read per query.
const PAGE: i64 = 500;
/// A run that could not start for a passing reason (database busy …) is tried again after this.
const RETRY_AFTER: Duration = Duration::from_secs(30);
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

enum Msg {
    Wake,
    Finished {
        mapping_id: String,
        outcome: Result<String, EngineError>,
        events: Vec<i64>,
    },
}

/// The running dispatcher.
pub struct Handle {
    tx: mpsc::UnboundedSender<Msg>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("dispatch::Handle").finish_non_exhaustive()
    }
}

impl Handle {
    pub fn wake(&self) {
        let _ = self.tx.send(Msg::Wake);
    }

    /// The task ended (it only does if it failed): a new one must be started.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

/// One mapping's share of waiting events.
#[derive(Debug, Default)]
struct Slot {
    due: Option<Instant>,
    events: Vec<i64>,
    running: bool,
}

struct Dispatcher {
    engine: Engine,
    tx: mpsc::UnboundedSender<Msg>,
    slots: HashMap<String, Slot>,
    /// Event id → mappings still to run for it.
    waiting: HashMap<i64, usize>,
    /// Highest event id picked up.
    seen: i64,
    pruned_at: Option<Instant>,
}

pub(crate) fn spawn(engine: Engine) -> Handle {
    let (tx, rx) = mpsc::unbounded_channel();
    let dispatcher = Dispatcher {
        engine,
        tx: tx.clone(),
        slots: HashMap::new(),
        waiting: HashMap::new(),
        seen: 0,
        pruned_at: None,
    };
    let task = tokio::spawn(dispatcher.run(rx));
    Handle { tx, task }
}

/// The enabled mappings an event concerns.
fn targets(all: &[Mapping], event: &WebhookEvent) -> Vec<String> {
    if let Some(id) = &event.mapping_id {
        return all
            .iter()
            .filter(|m| &m.id == id && m.enabled)
            .map(|m| m.id.clone())
            .collect();
    }
    let (Some(connection), Some(object)) = (&event.connection_id, &event.object) else {
        return Vec::new();
    };
    all.iter()
        .filter(|m| m.enabled)
        .filter(|m| {
            let source = &m.source_connection_id == connection
                && m.source_object.eq_ignore_ascii_case(object);
            let target = m.direction == SyncDirection::TwoWay
                && &m.target_connection_id == connection
                && m.target_object.eq_ignore_ascii_case(object);
            source || target
        })
        .map(|m| m.id.clone())
        .collect()
}

impl Dispatcher {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Msg>) {
        loop {
            self.prune().await;
            self.launch_due();
            let next = self
                .slots
                .values()
                .filter(|s| !s.running)
                .filter_map(|s| s.due)
                .min();
            tokio::select! {
                msg = rx.recv() => match msg {
                    None => return,
                    Some(Msg::Wake) => self.pick_up().await,
                    Some(Msg::Finished { mapping_id, outcome, events }) => {
                        self.finished(mapping_id, outcome, events).await;
                    }
                },
                () = sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => {}
            }
        }
    }

    async fn pick_up(&mut self) {
        let pool = self.engine.store().pool();
        let debounce = self.engine.webhook_service().debounce();
        loop {
            let batch = match webhook_events::pending_after(pool, self.seen, PAGE).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!("webhook events unreadable: {e}");
                    return;
                }
            };
            if batch.is_empty() {
                return;
            }
            let all: Vec<Mapping> = match mappings::list_with_counts(pool).await {
                Ok(list) => list.into_iter().map(|m| m.mapping).collect(),
                Err(e) => {
                    tracing::warn!("mappings unreadable for webhooks: {e}");
                    return;
                }
            };
            let full = batch.len() as i64 == PAGE;
            for event in batch {
                self.seen = self.seen.max(event.id);
                let targets = targets(&all, &event);
                if targets.is_empty() {
                    self.mark(event.id, None).await;
                    continue;
                }
                self.waiting.insert(event.id, targets.len());
                for mapping in targets {
                    let slot = self.slots.entry(mapping).or_default();
                    slot.events.push(event.id);
                    slot.due.get_or_insert_with(|| Instant::now() + debounce);
                }
            }
            if !full {
                return;
            }
        }
    }

    fn launch_due(&mut self) {
        let now = Instant::now();
        for (mapping_id, slot) in &mut self.slots {
            let due = slot.due.is_some_and(|d| d <= now);
            if slot.running || !due || slot.events.is_empty() {
                continue;
            }
            slot.running = true;
            slot.due = None;
            let events = std::mem::take(&mut slot.events);
            let (engine, tx, mapping_id) =
                (self.engine.clone(), self.tx.clone(), mapping_id.clone());
            tracing::info!(mapping = %mapping_id, events = events.len(), "webhook sync starting");
            tokio::spawn(async move {
                let options = RunOptions {
                    trigger: Some(RunTrigger::Webhook),
                    ..Default::default()
                };
                let outcome = engine
                    .run_mapping(&mapping_id, options, &|_| {})
                    .await
                    .map(|report| report.run_id);
                let _ = tx.send(Msg::Finished {
                    mapping_id,
                    outcome,
                    events,
                });
            });
        }
        self.slots.retain(|_, s| s.running || !s.events.is_empty());
    }

    async fn finished(
        &mut self,
        mapping_id: String,
        outcome: Result<String, EngineError>,
        events: Vec<i64>,
    ) {
        match outcome {
            Ok(run_id) => {
                for event in events {
                    self.settle(event, Some(&run_id)).await;
                }
            }
            Err(e) if matches!(e.code, ErrorCode::Validation | ErrorCode::NotFound) => {
                // The mapping cannot run as it stands (or is gone): a later event will try again.
                tracing::warn!(mapping = %mapping_id, "webhook sync not run: {}", e.message);
                for event in events {
                    self.settle(event, None).await;
                }
            }
            Err(e) => {
                tracing::warn!(mapping = %mapping_id, "webhook sync failed to start, retrying later: {}", e.message);
                let slot = self.slots.entry(mapping_id.clone()).or_default();
                slot.events.splice(0..0, events);
                let retry = Instant::now() + RETRY_AFTER;
                slot.due = Some(slot.due.map_or(retry, |d| d.min(retry)));
            }
        }
        if let Some(slot) = self.slots.get_mut(&mapping_id) {
            slot.running = false;
        }
    }

    /// One mapping of this event has run; the last one marks it processed.
    async fn settle(&mut self, event: i64, run_id: Option<&str>) {
        let left = self.waiting.get_mut(&event).map(|n| {
            *n = n.saturating_sub(1);
            *n
        });
        if left.unwrap_or(0) == 0 {
            self.waiting.remove(&event);
            self.mark(event, run_id).await;
        }
    }

    async fn mark(&self, event: i64, run_id: Option<&str>) {
        if let Err(e) =
            webhook_events::mark_processed(self.engine.store().pool(), event, run_id).await
        {
            tracing::warn!(event, "webhook event not marked processed: {e}");
        }
    }

    async fn prune(&mut self) {
        if self.pruned_at.is_some_and(|at| at.elapsed() < PRUNE_EVERY) {
            return;
        }
        self.pruned_at = Some(Instant::now());
        let before = switchyard_store::now_ms() - super::replay::KEEP_MS;
        match webhook_events::prune(self.engine.store().pool(), before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "old webhook events forgotten"),
            Err(e) => tracing::warn!("webhook events not pruned: {e}"),
        }
    }
}

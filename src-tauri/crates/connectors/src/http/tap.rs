//! The metrics tap: every provider request becomes one `request_metrics` row. Rows are
//! queued on a channel and written by one background task in batches (one multi-row
//! INSERT per batch), so a busy sync costs the database a few writes per second, not
//! one per call.

use std::time::Duration;
use switchyard_store::tables::request_metrics::{self, RequestMetric};
use switchyard_store::Store;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

const QUEUE: usize = 10_000;

#[derive(Debug)]
enum Msg {
    Row(RequestMetric),
    /// Write what is queued now and say when it is done.
    Flush(tokio::sync::oneshot::Sender<()>),
}

#[derive(Debug, Clone)]
pub struct MetricsTap {
    tx: mpsc::Sender<Msg>,
    /// Counts the batches written, so the health monitor wakes when new rows land.
    written: watch::Receiver<u64>,
}

impl MetricsTap {
    /// Starts the writer: flushes every `batch` rows or every `every`, and on close.
    pub fn spawn(store: Store, batch: usize, every: Duration) -> (Self, JoinHandle<()>) {
        let (tx, mut rx) = mpsc::channel::<Msg>(QUEUE);
        let (written_tx, written) = watch::channel(0u64);
        let handle = tokio::spawn(async move {
            let mut buf = Vec::with_capacity(batch);
            let mut tick = tokio::time::interval(every);
            loop {
                tokio::select! {
                    msg = rx.recv() => match msg {
                        Some(Msg::Row(row)) => {
                            buf.push(row);
                            if buf.len() >= batch {
                                flush(&store, &mut buf, &written_tx).await;
                            }
                        }
                        Some(Msg::Flush(done)) => {
                            flush(&store, &mut buf, &written_tx).await;
                            let _ = done.send(());
                        }
                        None => break,
                    },
                    _ = tick.tick() => flush(&store, &mut buf, &written_tx).await,
                }
            }
            flush(&store, &mut buf, &written_tx).await;
        });
        (Self { tx, written }, handle)
    }

    /// Queues a row; never blocks a provider call (a full queue drops the row and says so).
    pub fn record(&self, row: RequestMetric) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(Msg::Row(row)) {
            tracing::warn!("metrics queue full: one request row dropped");
        }
    }
}

impl MetricsTap {
    /// Changes (a batch counter) each time rows have been written.
    pub fn written(&self) -> watch::Receiver<u64> {
        self.written.clone()
    }

    /// Writes every queued row now (before the store closes).
    pub async fn flush(&self) {
        let (done, wait) = tokio::sync::oneshot::channel();
        if self.tx.send(Msg::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn flush(store: &Store, buf: &mut Vec<RequestMetric>, written: &watch::Sender<u64>) {
    if buf.is_empty() {
        return;
    }
    match request_metrics::insert_batch(store.pool(), buf).await {
        Ok(_) => written.send_modify(|n| *n += 1),
        Err(e) => tracing::warn!(rows = buf.len(), "writing request metrics failed: {e}"),
    }
    buf.clear();
}

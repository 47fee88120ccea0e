//! The background task of one subscription: gathers events for a short window (or until a
//! request is full), then delivers each batch on its own task so a slow or failing
//! receiver never holds up the next one. Each attempt is rendered and signed afresh
//! (HubSpot's body carries `attemptNumber`, its v3 signature a new timestamp); 429, 5xx,
//! timeouts and refused connections are retried after a doubling delay.

use super::{Counters, Event, Format, Subscription};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, Instant};

pub struct Sender {
    sub: Arc<Subscription>,
    tx: mpsc::UnboundedSender<Event>,
    task: JoinHandle<()>,
}

impl Sender {
    pub fn start(
        sub: Subscription,
        format: Arc<dyn Format>,
        counters: Arc<Mutex<Counters>>,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(sub.timeout())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the webhook client: {e}"))?;
        let sub = Arc::new(sub);
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(gather(rx, client, sub.clone(), format, counters));
        Ok(Self { sub, tx, task })
    }

    pub fn subscription(&self) -> &Subscription {
        &self.sub
    }

    pub fn send(&self, event: Event) {
        // The task only ends when this sender is dropped.
        let _ = self.tx.send(event);
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn count(counters: &Mutex<Counters>, f: impl FnOnce(&mut Counters)) {
    f(&mut counters.lock().unwrap_or_else(|p| p.into_inner()));
}

async fn gather(
    mut rx: mpsc::UnboundedReceiver<Event>,
    client: reqwest::Client,
    sub: Arc<Subscription>,
    format: Arc<dyn Format>,
    counters: Arc<Mutex<Counters>>,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        let deadline = Instant::now() + sub.batch_window();
        while batch.len() < format.max_batch().max(1) {
            tokio::select! {
                () = sleep_until(deadline) => break,
                next = rx.recv() => match next {
                    Some(e) => batch.push(e),
                    None => break,
                },
            }
        }
        count(&counters, |c| c.events += batch.len() as u64);
        tokio::spawn(deliver(
            client.clone(),
            sub.clone(),
            format.clone(),
            counters.clone(),
            batch,
        ));
    }
}

/// Whether an answer asks for another attempt.
fn retryable(status: u16) -> bool {
    status == 429 || status >= 500
}

async fn deliver(
    client: reqwest::Client,
    sub: Arc<Subscription>,
    format: Arc<dyn Format>,
    counters: Arc<Mutex<Counters>>,
    batch: Vec<Event>,
) {
    for attempt in 0..sub.max_attempts {
        if attempt > 0 {
            tokio::time::sleep(sub.backoff(attempt)).await;
        }
        let out = format.request(&batch, attempt, &sub);
        let mut request = client
            .post(&sub.url)
            .header("content-type", "application/json")
            .body(out.body);
        for (name, value) in out.headers {
            request = request.header(name, value);
        }
        count(&counters, |c| c.attempts += 1);
        let (status, error) = match request.send().await {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        count(&counters, |c| {
            c.last_status = status;
            c.last_error.clone_from(&error);
        });
        match status {
            Some(s) if (200..300).contains(&s) => {
                count(&counters, |c| {
                    c.delivered += 1;
                    c.delivered_events += batch.len() as u64;
                });
                return;
            }
            Some(s) if !retryable(s) => {
                tracing::debug!(status = s, url = %sub.url, "webhook refused; not retried");
                break;
            }
            _ => {
                tracing::debug!(?status, attempt, url = %sub.url, "webhook not delivered; retrying")
            }
        }
    }
    count(&counters, |c| c.failed += 1);
}

//! The one client stack every provider request goes through, in this order:
//! circuit breaker → pause gate, rate limiter and concurrency cap → the request with a
//! timeout → limit headers read → metrics row → retry with backoff (honouring
//! `Retry-After`; ambiguous failures retried only for idempotent calls).
//! Token refresh and the read cache sit above this layer.

mod breaker;
mod limits;
mod retry;
mod tap;

pub use breaker::{Admission, Breaker, CircuitState};
pub use limits::{retry_after, Limiter, QuotaReading, RateSpec};
pub use retry::{BackoffKind, RetryPolicy, Retryable};
pub use tap::MetricsTap;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use std::time::{Duration, Instant};
use switchyard_store::kinds::{CacheUse, Outcome, ProviderId};
use switchyard_store::now_ms;
use switchyard_store::tables::request_metrics::RequestMetric;

#[derive(Debug, Clone)]
pub struct StackConfig {
    pub provider: ProviderId,
    pub connection_id: Option<String>,
    pub rate: RateSpec,
    pub retry: RetryPolicy,
    pub breaker_threshold: u32,
    pub breaker_cool_down: Duration,
    pub timeout: Duration,
}

impl StackConfig {
    pub fn new(provider: ProviderId, rate: RateSpec) -> Self {
        Self {
            provider,
            connection_id: None,
            rate,
            retry: RetryPolicy::default(),
            breaker_threshold: 5,
            breaker_cool_down: Duration::from_secs(30),
            timeout: Duration::from_secs(30),
        }
    }
}

/// One request to send.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub url: String,
    /// Path template for metrics and logs (`/crm/v3/objects/{object}`): never ids or tokens.
    pub endpoint: String,
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
    /// Safe to send twice (reads, updates by id, upserts). Creates are not.
    pub idempotent: bool,
    pub run_id: Option<String>,
    /// `Miss` when the read cache sent this call; `Bypass` otherwise.
    pub cache: CacheUse,
}

impl Call {
    pub fn new(method: Method, url: impl Into<String>, endpoint: impl Into<String>) -> Self {
        let idempotent = method != Method::POST;
        Self {
            method,
            url: url.into(),
            endpoint: endpoint.into(),
            headers: HeaderMap::new(),
            body: None,
            idempotent,
            run_id: None,
            cache: CacheUse::Bypass,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub attempts: u32,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum CallError {
    #[error("the connection's circuit is open after repeated failures; next try in {}s", retry_in.as_secs().max(1))]
    CircuitOpen { retry_in: Duration },
    #[error("the provider did not answer within the time limit ({attempts} attempts)")]
    Timeout { attempts: u32 },
    #[error("could not reach the provider: {message} ({attempts} attempts)")]
    Network { message: String, attempts: u32 },
    #[error("the provider answered HTTP {status} ({attempts} attempts)")]
    Status {
        status: u16,
        headers: HeaderMap,
        body: Bytes,
        attempts: u32,
    },
}

#[derive(Debug)]
pub struct Stack {
    http: reqwest::Client,
    config: StackConfig,
    /// The retry policy, changeable while the stack lives (the connection's backoff setting).
    retry: std::sync::Mutex<RetryPolicy>,
    limiter: Limiter,
    breaker: Breaker,
    tap: Option<MetricsTap>,
}

impl Stack {
    pub fn new(http: reqwest::Client, config: StackConfig, tap: Option<MetricsTap>) -> Self {
        Self {
            limiter: Limiter::new(config.rate),
            breaker: Breaker::new(config.breaker_threshold, config.breaker_cool_down),
            retry: std::sync::Mutex::new(config.retry),
            http,
            config,
            tap,
        }
    }

    /// Switches how later retries wait (exponential, linear or fixed).
    pub fn set_backoff(&self, kind: BackoffKind) {
        self.retry.lock().unwrap_or_else(|p| p.into_inner()).kind = kind;
    }

    pub fn circuit(&self) -> CircuitState {
        self.breaker.state()
    }

    pub fn quota(&self) -> Option<QuotaReading> {
        self.limiter.reading()
    }

    /// Requests left in the provider's short window at the last response (HubSpot).
    pub fn burst(&self) -> Option<QuotaReading> {
        self.limiter.burst()
    }

    /// Sends `call` through the whole stack, inside a `provider_call` span that names the
    /// provider, method and endpoint template — never the URL (it may carry identifiers)
    /// nor any header.
    pub async fn send(&self, call: &Call) -> Result<Reply, CallError> {
        use tracing::Instrument as _;
        let span = tracing::debug_span!("provider_call", provider = %self.config.provider, method = %call.method, endpoint = %call.endpoint);
        self.send_in_span(call).instrument(span).await
    }

    async fn send_in_span(&self, call: &Call) -> Result<Reply, CallError> {
        let policy = *self.retry.lock().unwrap_or_else(|p| p.into_inner());
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Admission::Rejected(retry_in) = self.breaker.admit() {
                return Err(CallError::CircuitOpen { retry_in });
            }
            let permit = self.limiter.acquire().await;
            let started = Instant::now();
            let result = self.once(call).await;
            drop(permit);
            let latency = started.elapsed();
            tracing::debug!(
                attempt,
                status = result.as_ref().map(|(status, _, _)| *status).ok(),
                latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
                "provider answered"
            );
            let (retryable, wait, error) = match result {
                Ok((status, headers, body)) => {
                    let reading = self.limiter.observe(&headers);
                    let (outcome, retryable) = classify(self.config.provider, status, &body);
                    self.record(
                        call,
                        Some(status),
                        outcome,
                        latency,
                        attempt,
                        Some(body.len()),
                        reading,
                    );
                    if status < 400 || retryable == Retryable::No {
                        self.breaker.success();
                        if status < 400 {
                            return Ok(Reply {
                                status,
                                headers,
                                body,
                                attempts: attempt,
                            });
                        }
                        return Err(CallError::Status {
                            status,
                            headers,
                            body,
                            attempts: attempt,
                        });
                    }
                    let server_wait = retry_after(&headers);
                    if retryable == Retryable::Throttled {
                        // Throttling says nothing about the service's health; it holds every call back.
                        self.limiter
                            .pause_for(policy.delay(attempt - 1, server_wait));
                    } else {
                        self.breaker.failure();
                    }
                    (
                        retryable,
                        server_wait,
                        CallError::Status {
                            status,
                            headers,
                            body,
                            attempts: attempt,
                        },
                    )
                }
                Err((outcome, retryable, message)) => {
                    self.record(call, None, outcome, latency, attempt, None, None);
                    self.breaker.failure();
                    let error = if outcome == Outcome::Timeout {
                        CallError::Timeout { attempts: attempt }
                    } else {
                        CallError::Network {
                            message,
                            attempts: attempt,
                        }
                    };
                    (retryable, None, error)
                }
            };
            if !retryable.allows(call.idempotent) || attempt >= policy.max_attempts {
                return Err(error);
            }
            let delay = policy.delay(attempt - 1, wait);
            tracing::debug!(provider = %self.config.provider, endpoint = %call.endpoint, attempt, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn once(
        &self,
        call: &Call,
    ) -> Result<(u16, HeaderMap, Bytes), (Outcome, Retryable, String)> {
        let mut request = self
            .http
            .request(call.method.clone(), &call.url)
            .headers(call.headers.clone())
            .timeout(self.config.timeout);
        if let Some(body) = &call.body {
            request = request.body(body.clone());
        }
        let fail = |e: reqwest::Error| {
            let (outcome, retryable) = if e.is_timeout() {
                (Outcome::Timeout, Retryable::Ambiguous)
            } else if e.is_connect() {
                (Outcome::Network, Retryable::NotSent)
            } else {
                (Outcome::Network, Retryable::Ambiguous)
            };
            // Without the URL: it may carry a query with identifiers.
            (outcome, retryable, e.without_url().to_string())
        };
        let response = request.send().await.map_err(fail)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(fail)?;
        Ok((status, headers, body))
    }

    /// A metrics row for a read the cache answered (no request was sent).
    pub fn record_cache_hit(&self, method: &Method, endpoint: &str, run_id: Option<&str>) {
        let Some(tap) = &self.tap else { return };
        tap.record(RequestMetric {
            connection_id: self.config.connection_id.clone(),
            provider: self.config.provider,
            run_id: run_id.map(str::to_owned),
            method: method.as_str().to_owned(),
            endpoint: endpoint.to_owned(),
            status: None,
            outcome: Outcome::Ok,
            cache: CacheUse::Hit,
            latency_ms: 0,
            attempt: 1,
            response_bytes: None,
            limit_remaining: None,
            limit_total: None,
            at: now_ms(),
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        call: &Call,
        status: Option<u16>,
        outcome: Outcome,
        latency: Duration,
        attempt: u32,
        bytes: Option<usize>,
        reading: Option<QuotaReading>,
    ) {
        let Some(tap) = &self.tap else { return };
        tap.record(RequestMetric {
            connection_id: self.config.connection_id.clone(),
            provider: self.config.provider,
            run_id: call.run_id.clone(),
            method: call.method.as_str().to_owned(),
            endpoint: call.endpoint.clone(),
            status,
            outcome,
            cache: call.cache,
            latency_ms: i64::try_from(latency.as_millis()).unwrap_or(i64::MAX),
            attempt: i64::from(attempt),
            response_bytes: bytes.and_then(|b| i64::try_from(b).ok()),
            limit_remaining: reading.map(|r| r.remaining),
            limit_total: reading.map(|r| r.total),
            at: now_ms(),
        });
    }
}

/// How a response counts and whether it may be retried. Salesforce throttles with 403
/// `REQUEST_LIMIT_EXCEEDED` rather than 429: the concurrent-request limit passes (retry),
/// the daily total does not (no retry, but counted as rate limiting).
fn classify(provider: ProviderId, status: u16, body: &[u8]) -> (Outcome, Retryable) {
    if provider == ProviderId::Salesforce && status == 403 {
        let text = String::from_utf8_lossy(body);
        if text.contains("REQUEST_LIMIT_EXCEEDED") {
            let retry = if text.contains("ConcurrentRequests") {
                Retryable::Throttled
            } else {
                Retryable::No
            };
            return (Outcome::RateLimited, retry);
        }
    }
    (outcome_of(status), Retryable::from_status(status))
}

fn outcome_of(status: u16) -> Outcome {
    match status {
        0..=399 => Outcome::Ok,
        401 | 403 => Outcome::AuthError,
        429 => Outcome::RateLimited,
        400..=499 => Outcome::ClientError,
        _ => Outcome::ServerError,
    }
}

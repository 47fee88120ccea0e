//! The client stack against the sandbox (Zapier catch hooks, whose limits and faults the
//! control API sets): Retry-After waited out, 5xx retried, creates never retried blind,
//! the circuit opening and recovering, concurrency capped, one metrics row per attempt.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use switchyard_connectors::http::{
    BackoffKind, Call, CallError, CircuitState, MetricsTap, RateSpec, RetryPolicy, Stack,
    StackConfig,
};
use switchyard_sandbox::{Sandbox, SandboxConfig};
use switchyard_store::kinds::{Outcome, ProviderId};
use switchyard_store::{KeyPolicy, Store, StoreOptions};

struct Env {
    _sandbox: Sandbox,
    base: String,
    hook: String,
    control: reqwest::Client,
}

async fn env() -> Env {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sandbox.base_url("zapier").unwrap().to_owned();
    let control = reqwest::Client::new();
    let token: Value = control
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Env {
        hook: token["hook_url"].as_str().unwrap().to_owned(),
        base,
        _sandbox: sandbox,
        control,
    }
}

impl Env {
    async fn fault(&self, rule: Value) {
        assert_eq!(
            self.control
                .post(format!("{}/__sandbox/faults", self.base))
                .json(&rule)
                .send()
                .await
                .unwrap()
                .status(),
            201
        );
    }
    async fn served(&self, status: u64) -> u64 {
        let stats: Value = self
            .control
            .get(format!("{}/__sandbox/stats", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        stats["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == status)
            .map(|r| r["count"].as_u64().unwrap())
            .sum()
    }
    fn post(&self, idempotent: bool) -> Call {
        let mut call = Call::new(Method::POST, &self.hook, "/hooks/catch/{account}/{hook}/");
        call.idempotent = idempotent;
        call.body = Some(serde_json::to_vec(&json!({"x": 1})).unwrap().into());
        call.headers
            .insert("content-type", "application/json".parse().unwrap());
        call
    }
}

fn config(retry: RetryPolicy) -> StackConfig {
    let mut c = StackConfig::new(
        ProviderId::Zapier,
        RateSpec {
            limit: 1000,
            per: Duration::from_secs(1),
            concurrency: 8,
        },
    );
    c.retry = retry;
    c.timeout = Duration::from_millis(400);
    c
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        kind: BackoffKind::Fixed,
        base: Duration::from_millis(20),
        cap: Duration::from_secs(60),
        max_attempts: 4,
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let e = env().await;
    e.control
        .put(format!("{}/__sandbox/limits", e.base))
        .json(&json!({"per_second": 1}))
        .send()
        .await
        .unwrap();
    let stack = Stack::new(reqwest::Client::new(), config(quick()), None);
    assert_eq!(stack.send(&e.post(false)).await.unwrap().status, 200);
    let t = Instant::now();
    let reply = stack.send(&e.post(false)).await.unwrap();
    let waited = t.elapsed();
    assert_eq!(
        (reply.status, reply.attempts),
        (200, 2),
        "the 429 was retried, even for a create"
    );
    assert!(
        waited >= Duration::from_millis(900),
        "Retry-After (1 s) honoured, measured {waited:?}"
    );
    assert_eq!(e.served(429).await, 1);
}

#[tokio::test]
async fn server_errors_are_retried_for_idempotent_calls_only() {
    let e = env().await;
    let stack = Stack::new(reqwest::Client::new(), config(quick()), None);
    e.fault(json!({"kind": "server_error", "status": 503, "next": 2}))
        .await;
    let reply = stack.send(&e.post(true)).await.unwrap();
    assert_eq!((reply.status, reply.attempts), (200, 3));

    e.fault(json!({"kind": "server_error", "status": 502, "next": 1}))
        .await;
    match stack.send(&e.post(false)).await {
        Err(CallError::Status {
            status: 502,
            attempts: 1,
            ..
        }) => {}
        other => panic!("a create must not be re-sent after an ambiguous failure: {other:?}"),
    }
    e.fault(json!({"kind": "timeout", "ms": 1500, "next": 1}))
        .await;
    let reply = stack.send(&e.post(true)).await.unwrap();
    assert_eq!(
        reply.attempts, 2,
        "a timeout is retried for an idempotent call"
    );
}

#[tokio::test]
async fn the_circuit_opens_fails_fast_and_recovers() {
    let e = env().await;
    let mut cfg = config(RetryPolicy {
        max_attempts: 1,
        ..quick()
    });
    cfg.breaker_threshold = 3;
    cfg.breaker_cool_down = Duration::from_millis(300);
    let stack = Stack::new(reqwest::Client::new(), cfg, None);
    e.fault(json!({"kind": "server_error", "status": 500, "next": 3}))
        .await;
    for _ in 0..3 {
        assert!(matches!(
            stack.send(&e.post(true)).await,
            Err(CallError::Status { status: 500, .. })
        ));
    }
    assert_eq!(stack.circuit(), CircuitState::Open);
    let before = e.served(500).await + e.served(200).await;
    assert!(matches!(
        stack.send(&e.post(true)).await,
        Err(CallError::CircuitOpen { .. })
    ));
    assert_eq!(
        e.served(500).await + e.served(200).await,
        before,
        "an open circuit sends nothing"
    );
    tokio::time::sleep(Duration::from_millis(320)).await;
    assert_eq!(stack.circuit(), CircuitState::HalfOpen);
    assert_eq!(stack.send(&e.post(true)).await.unwrap().status, 200);
    assert_eq!(stack.circuit(), CircuitState::Closed);
}

#[tokio::test]
async fn concurrency_is_capped() {
    let e = env().await;
    e.control
        .put(format!("{}/__sandbox/latency", e.base))
        .json(&json!({"fixed_ms": 100}))
        .send()
        .await
        .unwrap();
    let mut cfg = config(quick());
    cfg.rate.concurrency = 2;
    let stack = std::sync::Arc::new(Stack::new(reqwest::Client::new(), cfg, None));
    let t = Instant::now();
    let calls: Vec<_> = (0..6)
        .map(|_| {
            let (stack, call) = (stack.clone(), e.post(true));
            tokio::spawn(async move { stack.send(&call).await.map(|r| r.status) })
        })
        .collect();
    for c in calls {
        assert_eq!(c.await.unwrap().unwrap(), 200);
    }
    assert!(
        t.elapsed() >= Duration::from_millis(290),
        "6 calls, 2 at a time, 100 ms each: {:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn every_attempt_becomes_one_metrics_row() {
    let e = env().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(StoreOptions::new(dir.path()).key_policy(KeyPolicy::File))
        .await
        .unwrap();
    let (tap, writer) = MetricsTap::spawn(store.clone(), 100, Duration::from_millis(50));
    let stack = Stack::new(reqwest::Client::new(), config(quick()), Some(tap));
    e.fault(json!({"kind": "server_error", "status": 503, "next": 1}))
        .await;
    stack.send(&e.post(true)).await.unwrap();
    drop(stack);
    writer.await.unwrap();
    type Row = (Option<i64>, Outcome, i64, String, Option<i64>);
    let rows: Vec<Row> =
        sqlx::query_as("SELECT status, outcome, attempt, endpoint, response_bytes FROM request_metrics ORDER BY id").fetch_all(store.pool()).await.unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].0, rows[0].1, rows[0].2),
        (Some(503), Outcome::ServerError, 1)
    );
    assert_eq!(
        (rows[1].0, rows[1].1, rows[1].2),
        (Some(200), Outcome::Ok, 2)
    );
    assert_eq!(
        rows[1].3, "/hooks/catch/{account}/{hook}/",
        "a template, not the secret hook URL"
    );
    assert!(rows[1].4.unwrap() > 0);
}

#[tokio::test]
async fn salesforce_403_request_limit_exceeded_counts_as_rate_limiting_and_the_daily_cap_is_not_retried(
) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sandbox.base_url("salesforce").unwrap().to_owned();
    let control = reqwest::Client::new();
    let token: Value = control
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(StoreOptions::new(dir.path()).key_policy(KeyPolicy::File))
        .await
        .unwrap();
    let (tap, writer) = MetricsTap::spawn(store.clone(), 100, Duration::from_millis(50));
    let mut cfg = StackConfig::new(
        ProviderId::Salesforce,
        RateSpec {
            limit: 100,
            per: Duration::from_secs(1),
            concurrency: 4,
        },
    );
    cfg.retry = quick();
    let stack = Stack::new(reqwest::Client::new(), cfg, Some(tap));
    // The simulator's own throttling response for Salesforce: 403 TotalRequests Limit exceeded.
    control
        .post(format!("{base}/__sandbox/faults"))
        .json(&json!({"kind": "rate_limited", "next": 1}))
        .send()
        .await
        .unwrap();
    let mut call = Call::new(
        Method::GET,
        format!("{base}/services/data/v66.0/limits"),
        "/services/data/{version}/limits",
    );
    call.headers.insert(
        "authorization",
        format!("Bearer {}", token["access_token"].as_str().unwrap())
            .parse()
            .unwrap(),
    );
    match stack.send(&call).await {
        Err(CallError::Status {
            status: 403,
            attempts: 1,
            ..
        }) => {}
        other => panic!("the daily cap must not be retried: {other:?}"),
    }
    assert_eq!(stack.send(&call).await.unwrap().status, 200);
    drop(stack);
    writer.await.unwrap();
    let outcomes: Vec<(Outcome,)> =
        sqlx::query_as("SELECT outcome FROM request_metrics ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(outcomes, vec![(Outcome::RateLimited,), (Outcome::Ok,)]);
}

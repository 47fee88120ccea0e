//! A receiver for the webhook tests: records each request with its verdict under the
//! reference algorithms and answers with scripted statuses (then 200), optionally slowly.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SECRET: &str = "test-signing-secret-1234";

#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Value,
    /// Verdicts under each scheme whose headers were present.
    pub v1: Option<bool>,
    pub v2: Option<bool>,
    pub v3: Option<bool>,
    pub intuit: Option<bool>,
}

#[derive(Default)]
struct Inner {
    requests: Vec<Received>,
    /// Statuses to answer next (then 200), with an optional delay each.
    script: VecDeque<(u16, u64)>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac_b64(key: &str, msg: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(msg);
    STANDARD.encode(mac.finalize().into_bytes())
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn verify(
    url: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (Option<bool>, Option<bool>, Option<bool>, Option<bool>) {
    let text = String::from_utf8_lossy(body);
    let version = header(headers, "x-hubspot-signature-version");
    let plain = header(headers, "x-hubspot-signature");
    let v1 = (version == Some("v1")).then(|| {
        plain == Some(hex(&Sha256::digest(format!("{SECRET}{text}").as_bytes())).as_str())
    });
    let v2 = (version == Some("v2")).then(|| {
        plain
            == Some(
                hex(&Sha256::digest(
                    format!("{SECRET}POST{url}{text}").as_bytes(),
                ))
                .as_str(),
            )
    });
    let v3 = header(headers, "x-hubspot-signature-v3").map(|sig| {
        let ts = header(headers, "x-hubspot-request-timestamp").unwrap_or_default();
        let fresh = ts
            .parse::<i64>()
            .is_ok_and(|t| (chrono::Utc::now().timestamp_millis() - t).abs() <= 300_000);
        fresh && sig == hmac_b64(SECRET, format!("POST{url}{text}{ts}").as_bytes())
    });
    let intuit = header(headers, "intuit-signature").map(|sig| sig == hmac_b64(SECRET, body));
    (v1, v2, v3, intuit)
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let (v1, v2, v3, intuit) = verify(&r.url, &headers, &body);
    let (status, delay) = {
        let mut inner = r.inner.lock().unwrap();
        inner.requests.push(Received {
            headers,
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            v1,
            v2,
            v3,
            intuit,
        });
        inner.script.pop_front().unwrap_or((200, 0))
    };
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    StatusCode::from_u16(status).unwrap()
}

impl Receiver {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/in", listener.local_addr().unwrap());
        let r = Receiver {
            url,
            inner: Arc::default(),
        };
        let app = Router::new()
            .route("/hooks/in", post(receive))
            .with_state(r.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        r
    }

    /// The next answers: `(status, delay ms)` each, then 200 at once.
    pub fn script(&self, answers: &[(u16, u64)]) {
        self.inner.lock().unwrap().script = answers.iter().copied().collect();
    }

    pub fn requests(&self) -> Vec<Received> {
        self.inner.lock().unwrap().requests.clone()
    }

    /// Waits until `n` requests arrived (at most 10 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.requests();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} requests, got {}", self.requests().len());
    }

    /// Events received so far, every request's array flattened.
    pub fn events(&self) -> Vec<Value> {
        self.requests()
            .into_iter()
            .flat_map(|r| r.body.as_array().cloned().unwrap_or_default())
            .collect()
    }
}

/// POST/GET/DELETE on a simulator's `/__sandbox/webhooks`.
pub async fn control(base: &str, method: reqwest::Method, body: Option<Value>) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, format!("{base}/__sandbox/webhooks"));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

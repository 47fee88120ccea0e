//! Conformance of the Salesforce simulator with the provider reference
//! (shared/reference/provider-apis.md §1, §6, §7): OAuth, sessions, SOQL paging, records,
//! collections, describe, replication, limits and injected faults. Each module starts
//! its own sandbox (seed 7, 300 records unless a test reseeds it).

#![cfg(feature = "salesforce")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod salesforce {
    pub mod collections;
    pub mod limits;
    pub mod metadata;
    pub mod oauth;
    pub mod query;
    pub mod records;
    pub mod sdk;
    pub mod sessions;
    pub mod soql;
    pub mod upserts;
}

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedSpec};

pub const V: &str = "v66.0";

/// A running sandbox, an HTTP client that does not follow redirects, and a session.
#[derive(Debug)]
pub struct Org {
    pub sandbox: Sandbox,
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
}

/// A response reduced to what the tests look at; 204 and empty bodies give `Null`.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Org {
    pub async fn start() -> Self {
        let sandbox = Sandbox::start(SandboxConfig {
            seed: SeedSpec {
                seed: 7,
                records: 300,
            },
            ..Default::default()
        })
        .await
        .unwrap();
        let base = sandbox.base_url("salesforce").unwrap().to_owned();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut org = Self {
            sandbox,
            base,
            http,
            token: String::new(),
        };
        org.token = org.mint().await;
        org
    }

    /// A fresh token from `POST /__sandbox/token`.
    pub async fn mint(&self) -> String {
        let minted = self.control(Method::POST, "/__sandbox/token", None).await;
        minted["access_token"].as_str().unwrap().to_owned()
    }

    /// Calls the control API and returns its JSON.
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        assert!(
            resp.status().is_success(),
            "control {path}: {}",
            resp.status()
        );
        resp.json().await.unwrap_or(Value::Null)
    }

    /// Reseeds with `records` people per provider and takes a new session.
    pub async fn reseed(&mut self, records: usize) {
        self.control(
            Method::POST,
            "/__sandbox/reset",
            Some(json!({ "records": records })),
        )
        .await;
        self.token = self.mint().await;
    }

    pub async fn limits(&self, limits: Value) {
        self.control(Method::PUT, "/__sandbox/limits", Some(limits))
            .await;
    }

    pub async fn fault(&self, rule: Value) {
        self.control(Method::POST, "/__sandbox/faults", Some(rule))
            .await;
    }

    /// An API call under `/services/data/v66.0` with the session token.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.call_with(
            method,
            &format!("/services/data/{V}{path}"),
            body,
            Some(&self.token),
            &[],
        )
        .await
    }

    /// Any call on the listener, with an optional token and extra headers.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let mut req = self.http.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    /// `GET /query?q=` (or `queryAll`), asserting 200.
    pub async fn soql(&self, resource: &str, q: &str) -> Value {
        let url = format!(
            "{}/services/data/{V}/{resource}?q={}",
            self.base,
            urlencode(q)
        );
        let r = self
            .call_with(Method::GET, &url, None, Some(&self.token), &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
        r.body
    }

    pub async fn query(&self, q: &str) -> Value {
        self.soql("query", q).await
    }

    pub async fn dump(&self) -> Value {
        self.control(Method::GET, "/__sandbox/dump", None).await
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The single error of a Salesforce error array (asserting the array shape).
pub fn error(body: &Value) -> (&str, &str) {
    let list = body
        .as_array()
        .unwrap_or_else(|| panic!("errors are a JSON array: {body}"));
    assert_eq!(list.len(), 1, "{body}");
    (
        list[0]["errorCode"].as_str().unwrap(),
        list[0]["message"].as_str().unwrap(),
    )
}

/// `api-usage=N/M` from `Sforce-Limit-Info`.
pub fn usage(headers: &HeaderMap) -> (u64, u64) {
    let value = headers
        .get("sforce-limit-info")
        .unwrap_or_else(|| panic!("Sforce-Limit-Info missing"))
        .to_str()
        .unwrap();
    let rest = value.strip_prefix("api-usage=").unwrap();
    let (used, max) = rest.split(';').next().unwrap().split_once('/').unwrap();
    (used.parse().unwrap(), max.parse().unwrap())
}

/// `2013-05-20T20:49:32.000+0000`.
pub fn is_sf_datetime(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    let b = s.as_bytes();
    s.len() == 28 && b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && s.ends_with("+0000")
}

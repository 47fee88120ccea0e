//! A started QuickBooks sandbox and small HTTP helpers for the conformance tests.

use reqwest::header::HeaderMap;
use reqwest::{redirect, Client, Method, StatusCode};
use serde_json::Value;
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedSpec};

pub struct Qb {
    pub _sandbox: Sandbox,
    pub base: String,
    pub http: Client,
    pub token: String,
    pub refresh: String,
    pub realm: String,
    pub creds: Value,
}

pub fn config() -> SandboxConfig {
    SandboxConfig {
        seed: SeedSpec {
            seed: 7,
            records: 300,
        },
        ..Default::default()
    }
}

pub async fn start() -> Qb {
    start_with(config()).await
}

pub async fn start_with(config: SandboxConfig) -> Qb {
    let sandbox = Sandbox::start(config).await.unwrap();
    let base = sandbox.base_url("quickbooks").unwrap().to_owned();
    let http = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let minted: Value = http
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let creds: Value = http
        .get(format!("{base}/__sandbox/credentials"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Qb {
        _sandbox: sandbox,
        token: minted["access_token"].as_str().unwrap().to_owned(),
        refresh: minted["refresh_token"].as_str().unwrap().to_owned(),
        realm: minted["realmId"].as_str().unwrap().to_owned(),
        base,
        http,
        creds,
    }
}

impl Qb {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `…/v3/company/{realm}/{rest}` with `minorversion=75` added.
    pub fn api(&self, rest: &str) -> String {
        let sep = if rest.contains('?') { '&' } else { '?' };
        format!(
            "{}/v3/company/{}/{rest}{sep}minorversion=75",
            self.base, self.realm
        )
    }

    pub async fn control(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, self.url(&format!("/__sandbox/{path}")));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn fault(&self, rule: Value) {
        let (status, body) = self.control(Method::POST, "faults", Some(rule)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    pub async fn limits(&self, limits: Value) {
        let (status, body) = self.control(Method::PUT, "limits", Some(limits)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    pub async fn get_with(&self, url: &str, token: &str) -> (StatusCode, HeaderMap, Value) {
        let resp = self
            .http
            .get(url)
            .bearer_auth(token)
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        (status, headers, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, rest: &str) -> (StatusCode, Value) {
        let (status, _, body) = self.get_with(&self.api(rest), &self.token).await;
        (status, body)
    }

    pub async fn post(&self, rest: &str, body: &Value) -> (StatusCode, Value) {
        let resp = self
            .http
            .post(self.api(rest))
            .bearer_auth(&self.token)
            .header("Accept", "application/json")
            .json(body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn query(&self, statement: &str) -> (StatusCode, Value) {
        let url = format!("{}/v3/company/{}/query", self.base, self.realm);
        let resp = self
            .http
            .get(url)
            .query(&[("query", statement), ("minorversion", "75")])
            .bearer_auth(&self.token)
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// The rows of a query that must succeed.
    pub async fn rows(&self, statement: &str, entity: &str) -> Vec<Value> {
        let (status, body) = self.query(statement).await;
        assert_eq!(status, StatusCode::OK, "{statement}: {body}");
        assert!(body.get("Fault").is_none(), "{statement}: {body}");
        body["QueryResponse"][entity]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn count(&self, statement: &str) -> u64 {
        let (status, body) = self.query(statement).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["QueryResponse"]["totalCount"]
            .as_u64()
            .unwrap_or_else(|| panic!("no totalCount: {body}"))
    }

    pub async fn mutate(&self, m: Value) -> Value {
        let (status, body) = self.control(Method::POST, "mutate", Some(m)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

/// The first Error of a capitalised `Fault` body, with the fault type.
pub fn fault(body: &Value) -> (String, String, String) {
    let f = &body["Fault"];
    let e = &f["Error"][0];
    (
        e["code"].as_str().unwrap_or_default().to_owned(),
        e["Message"].as_str().unwrap_or_default().to_owned(),
        f["type"].as_str().unwrap_or_default().to_owned(),
    )
}

/// `2015-07-24T10:33:39-07:00`: local time with an offset.
pub fn is_offset_time(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 25 && b[4] == b'-' && b[10] == b'T' && b[19] == b'-'
        || s.len() == 25 && b[19] == b'+'
}

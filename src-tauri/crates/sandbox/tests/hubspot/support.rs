//! Shared helpers for the HubSpot conformance suite: a running sandbox, plain reqwest
//! calls that keep status, headers and JSON body, and the OAuth consent click-through.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use switchyard_sandbox::{Sandbox, SandboxConfig, SeedSpec};

pub struct Hs {
    /// Kept alive for the test's duration; dropping it stops the listeners.
    pub _sandbox: Sandbox,
    pub base: String,
    pub http: reqwest::Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    pub fn location(&self) -> reqwest::Url {
        reqwest::Url::parse(&self.header("location").unwrap_or_default()).unwrap()
    }

    pub fn query(&self, name: &str) -> Option<String> {
        self.location()
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

impl Hs {
    pub async fn start() -> Self {
        Self::start_with(SandboxConfig {
            seed: SeedSpec {
                seed: 7,
                records: 300,
            },
            ..Default::default()
        })
        .await
    }

    pub async fn start_with(config: SandboxConfig) -> Self {
        let sandbox = Sandbox::start(config).await.unwrap();
        let base = sandbox.base_url("hubspot").unwrap().to_owned();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            _sandbox: sandbox,
            base,
            http,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn call(
        &self,
        method: Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let text = res.text().await.unwrap();
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

    pub async fn get(&self, token: &str, path: &str) -> Reply {
        self.call(Method::GET, Some(token), path, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Reply {
        self.call(Method::POST, Some(token), path, Some(body)).await
    }

    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let res = self
            .http
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let text = res.text().await.unwrap();
        Reply {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        }
    }

    pub async fn control(&self, method: Method, path: &str, body: Value) -> Value {
        let res = self
            .http
            .request(method, self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap_or(Value::Null)
    }

    /// A ready static token from `POST /__sandbox/token`.
    pub async fn token(&self) -> String {
        let v = self
            .control(Method::POST, "/__sandbox/token", json!({}))
            .await;
        v["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn limits(&self, limits: Value) {
        self.control(Method::PUT, "/__sandbox/limits", limits).await;
    }

    pub async fn fault(&self, rule: Value) {
        self.control(Method::POST, "/__sandbox/faults", rule).await;
    }

    pub async fn client(&self) -> (String, String) {
        let c = self
            .control(Method::GET, "/__sandbox/credentials", Value::Null)
            .await;
        let client = &c["oauth_clients"][0];
        (
            client["client_id"].as_str().unwrap().to_owned(),
            client["client_secret"].as_str().unwrap().to_owned(),
        )
    }

    /// Opens the install URL, then clicks Allow (or Deny) on the consent page.
    pub async fn consent(
        &self,
        client_id: &str,
        redirect: &str,
        scope: &str,
        extra: &[(&str, &str)],
        decision: &str,
    ) -> Reply {
        let mut query = vec![
            ("client_id", client_id),
            ("redirect_uri", redirect),
            ("scope", scope),
            ("state", "st-42"),
        ];
        query.extend_from_slice(extra);
        let page = self
            .http
            .get(self.url("/oauth/authorize"))
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("<form") && html.contains("Allow"),
            "a consent page a person can click"
        );
        query.push(("decision", decision));
        self.form("/oauth/authorize", &query).await
    }

    /// `POST /oauth/v1/token` for an authorization code.
    pub async fn exchange(&self, redirect: &str, code: &str, verifier: Option<&str>) -> Reply {
        let (id, secret) = self.client().await;
        let mut f = vec![
            ("grant_type", "authorization_code"),
            ("client_id", id.as_str()),
            ("client_secret", secret.as_str()),
            ("redirect_uri", redirect),
            ("code", code),
        ];
        if let Some(v) = verifier {
            f.push(("code_verifier", v));
        }
        self.form("/oauth/v1/token", &f).await
    }

    /// `POST /oauth/v1/token` for a refresh token.
    pub async fn refresh(&self, refresh: &str) -> Reply {
        let (id, secret) = self.client().await;
        self.form(
            "/oauth/v1/token",
            &[
                ("grant_type", "refresh_token"),
                ("client_id", &id),
                ("client_secret", &secret),
                ("refresh_token", refresh),
            ],
        )
        .await
    }

    /// Full flow to a token response (v1).
    pub async fn oauth_tokens(&self, scope: &str) -> Value {
        let (id, secret) = self.client().await;
        let redirect = "http://127.0.0.1:53682/callback";
        let code = self
            .consent(&id, redirect, scope, &[], "allow")
            .await
            .query("code")
            .unwrap();
        let r = self
            .form(
                "/oauth/v1/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("client_id", &id),
                    ("client_secret", &secret),
                    ("redirect_uri", redirect),
                    ("code", &code),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }
}

pub const ALL_SCOPES: &str = "oauth crm.objects.contacts.read crm.objects.contacts.write crm.objects.companies.read crm.objects.companies.write crm.objects.deals.read crm.objects.deals.write tickets";

/// Every field of HubSpot's error body that the reference lists as always there.
pub fn assert_error(r: &Reply, status: u16, category: &str) {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(r.body["status"], "error", "{}", r.body);
    assert_eq!(r.body["category"], category, "{}", r.body);
    assert!(
        r.body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        r.body
    );
    assert!(
        r.body["correlationId"]
            .as_str()
            .is_some_and(|c| c.len() == 36),
        "{}",
        r.body
    );
}

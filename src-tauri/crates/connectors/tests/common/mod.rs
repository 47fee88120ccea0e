//! Shared by the OAuth and token tests: a scripted "browser" that submits the sandbox's
//! consent form, and a full loopback sign-in.

#![allow(clippy::unwrap_used, dead_code)]

pub mod fixture;
pub mod reads;

use serde_json::Value;
use std::time::Duration;
use switchyard_connectors::auth::{begin, oauth_endpoints, FlowConfig, Target, TokenGrant};
use switchyard_sandbox::Sandbox;
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

pub struct Browser {
    pub http: reqwest::Client,
}

impl Browser {
    pub fn new() -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// Opens the authorize URL, submits the consent form with `decision`, and returns
    /// the redirect's Location (not followed).
    pub async fn consent(&self, authorize_url: &str, decision: &str) -> String {
        switchyard_sandbox::consent::decide(authorize_url, decision)
            .await
            .unwrap()
    }
}

pub async fn config(sandbox: &Sandbox, provider: ProviderId, name: &str) -> FlowConfig {
    let base = sandbox.base_url(name).unwrap().to_owned();
    let creds: Value = reqwest::get(format!("{base}/__sandbox/credentials"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let client_id = creds["client_id"]
        .as_str()
        .unwrap_or_else(|| panic!("client_id in {creds}"))
        .to_owned();
    let client_secret = creds["client_secret"]
        .as_str()
        .map(|s| Secret::new(s.to_owned()));
    FlowConfig {
        provider,
        endpoints: oauth_endpoints(provider, &Target::Sandbox { base_url: base }).unwrap(),
        client_id,
        client_secret,
        loopback_port: 0,
        loopback_path: "/callback".into(),
        paste_redirect_uri: None,
        timeout: Duration::from_secs(10),
    }
}

pub async fn connect_via_loopback(
    sandbox: &Sandbox,
    provider: ProviderId,
    name: &str,
) -> TokenGrant {
    let flow = begin(&config(sandbox, provider, name).await).await.unwrap();
    assert!(
        flow.authorize_url.contains("code_challenge_method=S256"),
        "{}",
        flow.authorize_url
    );
    assert!(flow.redirect_uri.starts_with("http://127.0.0.1:"));
    let browser = Browser::new();
    let location = browser.consent(&flow.authorize_url, "allow").await;
    assert!(location.starts_with(&flow.redirect_uri), "{location}");
    let finish = tokio::spawn(flow.finish(std::future::pending()));
    // A response with a forged state is refused and does not end the flow.
    let forged = location.replace("state=", "state=forged");
    assert_eq!(
        browser.http.get(&forged).send().await.unwrap().status(),
        400
    );
    assert_eq!(
        browser.http.get(&location).send().await.unwrap().status(),
        200
    );
    let grant = finish.await.unwrap().unwrap();
    // The listener is closed after the one valid callback.
    assert!(
        browser.http.get(&location).send().await.is_err(),
        "port closed"
    );
    grant
}

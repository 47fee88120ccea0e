//! "Who is connected" against the sandbox, for every provider, and what a bad
//! credential looks like.

#![allow(clippy::unwrap_used)]

mod common;

use serde_json::Value;
use std::time::Duration;
use switchyard_connectors::http::{RateSpec, Stack, StackConfig};
use switchyard_connectors::identity::IdentityError;
use switchyard_connectors::{hubspot, quickbooks, salesforce, slack, zapier};
use switchyard_sandbox::{Sandbox, SandboxConfig};
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

fn stack(provider: ProviderId) -> Stack {
    Stack::new(
        reqwest::Client::new(),
        StackConfig::new(
            provider,
            RateSpec {
                limit: 100,
                per: Duration::from_secs(1),
                concurrency: 4,
            },
        ),
        None,
    )
}

async fn minted(sandbox: &Sandbox, name: &str) -> Value {
    let base = sandbox.base_url(name).unwrap();
    reqwest::Client::new()
        .post(format!("{base}/__sandbox/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_provider_says_who_is_connected() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();

    let sf = common::connect_via_loopback(&sandbox, ProviderId::Salesforce, "salesforce").await;
    let who = salesforce::identity(
        &stack(ProviderId::Salesforce),
        sf.instance_url.as_deref().unwrap(),
        &sf.access_token,
    )
    .await
    .unwrap();
    assert!(
        who.account_id.as_deref().unwrap().starts_with("00D"),
        "{who:?}"
    );
    assert!(who.user_name.is_some());

    let hs = common::connect_via_loopback(&sandbox, ProviderId::Hubspot, "hubspot").await;
    let hs_base = sandbox.base_url("hubspot").unwrap();
    let who = hubspot::identity(&stack(ProviderId::Hubspot), hs_base, &hs.access_token)
        .await
        .unwrap();
    assert!(
        who.account_id
            .as_deref()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_digit()),
        "{who:?}"
    );
    let pat = minted(&sandbox, "hubspot").await;
    let pat = Secret::new(
        pat["access_token"]
            .as_str()
            .or(pat["token"].as_str())
            .unwrap()
            .to_owned(),
    );
    assert!(pat.expose().starts_with("pat-"));
    assert_eq!(
        hubspot::identity(&stack(ProviderId::Hubspot), hs_base, &pat)
            .await
            .unwrap()
            .account_name,
        "HubSpot (private app)"
    );

    let qb = common::connect_via_loopback(&sandbox, ProviderId::Quickbooks, "quickbooks").await;
    let who = quickbooks::identity(
        &stack(ProviderId::Quickbooks),
        sandbox.base_url("quickbooks").unwrap(),
        qb.realm_id.as_deref().unwrap(),
        &qb.access_token,
    )
    .await
    .unwrap();
    assert!(!who.account_name.is_empty());
    assert_eq!(who.account_id, qb.realm_id);

    let bot = minted(&sandbox, "slack").await;
    let bot = Secret::new(bot["access_token"].as_str().unwrap().to_owned());
    let who = slack::identity(
        &stack(ProviderId::Slack),
        sandbox.base_url("slack").unwrap(),
        &bot,
    )
    .await
    .unwrap();
    assert!(
        who.account_id.as_deref().unwrap().starts_with('T'),
        "{who:?}"
    );

    let hook = minted(&sandbox, "zapier").await["hook_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let zap_base = sandbox.base_url("zapier").unwrap();
    assert!(zapier::parse_hook_url(&hook, zap_base).is_ok());
    assert!(zapier::test_post(&stack(ProviderId::Zapier), &hook)
        .await
        .is_ok());
}

#[tokio::test]
async fn bad_credentials_are_rejected_not_mistaken_for_outages() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let bad = Secret::from("not-a-real-token-123456");
    assert!(matches!(
        slack::identity(
            &stack(ProviderId::Slack),
            sandbox.base_url("slack").unwrap(),
            &Secret::from("xoxb-nope")
        )
        .await,
        Err(IdentityError::Rejected)
    ));
    assert!(matches!(
        hubspot::identity(
            &stack(ProviderId::Hubspot),
            sandbox.base_url("hubspot").unwrap(),
            &Secret::from("pat-na1-00000000-0000")
        )
        .await,
        Err(IdentityError::Rejected)
    ));
    assert!(matches!(
        salesforce::identity(
            &stack(ProviderId::Salesforce),
            sandbox.base_url("salesforce").unwrap(),
            &bad
        )
        .await,
        Err(IdentityError::Rejected)
    ));
}

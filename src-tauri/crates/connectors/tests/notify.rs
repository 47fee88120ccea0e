//! The notification channels against the sandbox: a Slack message posted as the bot (and
//! Slack's `ok:false` answers turned into sentences), and a Zapier hook post acknowledged.

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::time::Duration;
use switchyard_connectors::connector::ConnectorError;
use switchyard_connectors::http::{RateSpec, Stack, StackConfig};
use switchyard_connectors::{slack, zapier};
use switchyard_sandbox::{Sandbox, SandboxConfig};
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

fn stack(provider: ProviderId) -> Stack {
    let rate = RateSpec {
        limit: 100,
        per: Duration::from_secs(1),
        concurrency: 4,
    };
    Stack::new(
        reqwest::Client::new(),
        StackConfig::new(provider, rate),
        None,
    )
}

async fn control(sandbox: &Sandbox, name: &str, path: &str, post: bool) -> Value {
    let url = format!("{}/__sandbox/{path}", sandbox.base_url(name).unwrap());
    let c = reqwest::Client::new();
    let r = if post {
        c.post(url).send().await
    } else {
        c.get(url).send().await
    };
    r.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn slack_posts_and_explains_refusals() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sandbox.base_url("slack").unwrap().to_owned();
    let token = Secret::new(
        control(&sandbox, "slack", "token", true).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    let dump = control(&sandbox, "slack", "dump", false).await;
    let bot = dump["bot_user_id"].as_str().unwrap();
    let channels = dump["channels"].as_array().unwrap();
    let joined = channels
        .iter()
        .find(|c| {
            c["members"].as_array().unwrap().iter().any(|m| m == bot)
                && !c["is_archived"].as_bool().unwrap_or(false)
        })
        .unwrap();
    let id = joined["id"].as_str().unwrap();
    let posted = slack::post_message(
        &stack(ProviderId::Slack),
        &base,
        &token,
        id,
        "Sync finished: 5 created, 0 failed ✅",
    )
    .await
    .unwrap();
    assert_eq!(posted.channel, id);
    let dump = control(&sandbox, "slack", "dump", false).await;
    let texts: Vec<&str> = dump["messages"][id]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert!(
        texts.contains(&"Sync finished: 5 created, 0 failed ✅"),
        "{texts:?}"
    );

    let refused = slack::post_message(&stack(ProviderId::Slack), &base, &token, "C0NOPE", "hi")
        .await
        .unwrap_err();
    match refused {
        ConnectorError::Rejected {
            provider_code,
            message,
            ..
        } => {
            assert_eq!(provider_code, "channel_not_found");
            assert!(message.contains("no channel"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let bad = slack::post_message(
        &stack(ProviderId::Slack),
        &base,
        &Secret::from("xoxb-nope"),
        id,
        "hi",
    )
    .await
    .unwrap_err();
    assert!(matches!(bad, ConnectorError::NeedsReconnect(_)), "{bad:?}");
}

#[tokio::test]
async fn zapier_hook_posts_are_acknowledged() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let hook = control(&sandbox, "zapier", "token", true).await["hook_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = zapier::post(
        &stack(ProviderId::Zapier),
        &hook,
        &serde_json::json!({ "mapping": "Leads", "created": 5 }),
    )
    .await
    .unwrap();
    assert!(!id.is_empty());
    let unknown = format!(
        "{}/hooks/catch/1/nope/",
        sandbox.base_url("zapier").unwrap()
    );
    assert!(
        zapier::post(&stack(ProviderId::Zapier), &unknown, &serde_json::json!({}))
            .await
            .is_err()
    );
}

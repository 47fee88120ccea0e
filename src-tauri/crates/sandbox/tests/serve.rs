//! The harness serves every provider on its own loopback port and stops cleanly.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use switchyard_sandbox::{Sandbox, SandboxConfig};

#[tokio::test]
async fn every_provider_answers_on_its_own_port_until_shutdown() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    assert_eq!(sandbox.slots().len(), 5);
    let client = reqwest::Client::new();
    let mut ports = std::collections::BTreeSet::new();
    for slot in sandbox.slots() {
        assert!(
            slot.base_url.starts_with("http://127.0.0.1:"),
            "{}",
            slot.base_url
        );
        ports.insert(slot.base_url.clone());
        let status: serde_json::Value = client
            .get(format!("{}/__sandbox/status", slot.base_url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(status["provider"], slot.provider);
    }
    assert_eq!(ports.len(), 5, "one port each");
    let url = format!("{}/__sandbox/status", sandbox.base_url("hubspot").unwrap());
    sandbox.shutdown().await;
    assert!(
        client.get(url).send().await.is_err(),
        "listener closed after shutdown"
    );
}

#[tokio::test]
async fn a_taken_port_is_a_clear_error() {
    let first = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let taken: u16 = first
        .base_url("slack")
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut config = SandboxConfig::default();
    config.ports[3] = Some(taken);
    let err = Sandbox::start(config).await.unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("slack sandbox on 127.0.0.1:{taken}")),
        "{err}"
    );
}

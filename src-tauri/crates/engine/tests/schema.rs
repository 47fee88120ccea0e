//! Schema discovery through the engine on sandbox accounts: objects and fields of each
//! record provider, descriptions served from the read cache (hits and misses counted in
//! the health numbers), and the "clear cache" action.

#![allow(clippy::unwrap_used)]

use std::time::Duration;
use switchyard_engine::store::kinds::ProviderId;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};

#[tokio::test]
async fn objects_and_fields_are_discovered_and_cached_until_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    let connected = engine.connect_sandbox_accounts().await.unwrap();
    let id = |p: ProviderId| {
        connected
            .iter()
            .find(|c| c.provider == p)
            .unwrap()
            .id
            .clone()
    };

    let objects = engine
        .list_objects(&id(ProviderId::Salesforce))
        .await
        .unwrap();
    let names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Lead", "Contact", "Account", "Opportunity"]);
    assert_eq!(
        engine
            .list_objects(&id(ProviderId::Hubspot))
            .await
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        engine
            .list_objects(&id(ProviderId::Quickbooks))
            .await
            .unwrap()
            .len(),
        3
    );
    let slack = engine
        .list_objects(&id(ProviderId::Slack))
        .await
        .unwrap_err();
    assert_eq!(slack.code.as_str(), "validation");

    let lead = engine
        .describe_object(&id(ProviderId::Salesforce), "Lead")
        .await
        .unwrap();
    assert!(lead.field("Email").is_some());
    let again = engine
        .describe_object(&id(ProviderId::Salesforce), "Lead")
        .await
        .unwrap();
    assert_eq!(lead, again);
    let contacts = engine
        .describe_object(&id(ProviderId::Hubspot), "contacts")
        .await
        .unwrap();
    assert!(contacts.field("hs_lead_status").is_some());
    let missing = engine
        .describe_object(&id(ProviderId::Hubspot), "widgets")
        .await
        .unwrap_err();
    assert_eq!(missing.code.as_str(), "not_found");

    engine.clear_cache();
    engine
        .describe_object(&id(ProviderId::Salesforce), "Lead")
        .await
        .unwrap();

    // Metrics rows are written in batches about once a second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let health = engine.health_summary(3600).await.unwrap();
    assert_eq!(
        (health.cache_hits, health.cache_misses),
        (1, 3),
        "{health:?}"
    );
}

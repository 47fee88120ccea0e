//! Shared set-up for the store's tests: a fresh store in a temp directory, and the
//! connections and mapping most table tests start from. Not every test file uses every
//! helper.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use switchyard_store::kinds::*;
use switchyard_store::tables::{connections, mappings};
use switchyard_store::{KeyPolicy, Store, StoreOptions};
use tempfile::TempDir;

pub async fn temp_store() -> (Store, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(StoreOptions::new(dir.path()).key_policy(KeyPolicy::File))
        .await
        .expect("open store");
    (store, dir)
}

/// A Salesforce and a HubSpot connection: (Salesforce id, HubSpot id).
pub async fn two_connections(store: &Store) -> (String, String) {
    let mk = |provider, label: &str| connections::NewConnection {
        provider,
        label: label.into(),
        environment: Environment::Sandbox,
        auth_kind: AuthKind::OauthLoopback,
        account_id: None,
        account_name: None,
        user_name: None,
        instance_url: None,
        scopes: None,
    };
    let a = connections::insert(store.pool(), &mk(ProviderId::Salesforce, "SF"))
        .await
        .unwrap();
    let b = connections::insert(store.pool(), &mk(ProviderId::Hubspot, "HS"))
        .await
        .unwrap();
    (a.id, b.id)
}

/// A two-way Leads → contacts mapping between `two_connections`: (mapping, Salesforce
/// id, HubSpot id).
pub async fn a_mapping(store: &Store) -> (mappings::Mapping, String, String) {
    let (a, b) = two_connections(store).await;
    let m = mappings::insert(
        store.pool(),
        &mappings::NewMapping {
            name: "Leads to contacts".into(),
            source_connection_id: a.clone(),
            source_object: "Lead".into(),
            target_connection_id: b.clone(),
            target_object: "contacts".into(),
            direction: SyncDirection::TwoWay,
            match_rule: r#"{"kind":"email","source_field":"Email","target_field":"email"}"#.into(),
            conflict_policy: ConflictPolicy::Review,
            delete_policy: DeletePolicy::Ignore,
        },
    )
    .await
    .unwrap();
    (m, a, b)
}

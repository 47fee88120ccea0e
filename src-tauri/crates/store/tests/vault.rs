//! The secret vault: sealed round trips, tamper detection, key checks, and proof that a
//! token's bytes never reach the database file or its WAL.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use switchyard_store::kinds::{AuthKind, Environment, ProviderId};
use switchyard_store::tables::{connections, secrets};
use switchyard_store::{KeyPolicy, KeySource, Secret, Store, StoreError, StoreOptions};

const TOKEN: &str = "00Dxx0000001gPL!AQ4AQFh3u-KNOWN-TOKEN-7c1f9e2a";

async fn a_connection(store: &Store) -> String {
    let new = connections::NewConnection {
        provider: ProviderId::Salesforce,
        label: "Acme Salesforce".into(),
        environment: Environment::Sandbox,
        auth_kind: AuthKind::OauthLoopback,
        account_id: Some("00Dxx0000001gPL".into()),
        account_name: Some("Acme".into()),
        user_name: None,
        instance_url: Some("http://127.0.0.1:1".into()),
        scopes: None,
    };
    connections::insert(store.pool(), &new).await.unwrap().id
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_known_token_never_appears_in_the_database_or_wal() {
    let (store, dir) = common::temp_store().await;
    let conn = a_connection(&store).await;
    secrets::put(
        store.pool(),
        store.vault(),
        &conn,
        "access_token",
        Some(&conn),
        &Secret::from(TOKEN),
    )
    .await
    .unwrap();
    let back = secrets::get(store.pool(), store.vault(), &conn, "access_token")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.expose(), TOKEN);

    let db = std::fs::read(dir.path().join("switchyard.db")).unwrap();
    let wal = std::fs::read(dir.path().join("switchyard.db-wal")).unwrap();
    assert!(
        !wal.is_empty(),
        "the write must be in the WAL before checkpoint"
    );
    for (name, bytes) in [("db", &db), ("wal", &wal)] {
        assert!(!contains(bytes, TOKEN.as_bytes()), "token found in {name}");
        assert!(
            !contains(bytes, b"KNOWN-TOKEN"),
            "token fragment found in {name}"
        );
    }
    store.close().await;
    let db = std::fs::read(dir.path().join("switchyard.db")).unwrap();
    assert!(
        !contains(&db, b"KNOWN-TOKEN"),
        "token found after checkpoint"
    );
}

#[tokio::test]
async fn a_moved_or_altered_ciphertext_is_rejected() {
    let (store, _dir) = common::temp_store().await;
    let conn = a_connection(&store).await;
    secrets::put(
        store.pool(),
        store.vault(),
        &conn,
        "access_token",
        Some(&conn),
        &Secret::from(TOKEN),
    )
    .await
    .unwrap();
    // Move the row to another name: the AAD no longer matches.
    sqlx::query("UPDATE secrets SET name = 'refresh_token'")
        .execute(store.pool())
        .await
        .unwrap();
    let moved = secrets::get(store.pool(), store.vault(), &conn, "refresh_token").await;
    assert!(
        matches!(moved, Err(StoreError::Decrypt { .. })),
        "{moved:?}"
    );
    // Flip one ciphertext bit.
    sqlx::query("UPDATE secrets SET name = 'access_token', ciphertext = CAST(zeroblob(length(ciphertext)) AS BLOB)")
        .execute(store.pool())
        .await
        .unwrap();
    let altered = secrets::get(store.pool(), store.vault(), &conn, "access_token").await;
    assert!(
        matches!(altered, Err(StoreError::Decrypt { .. })),
        "{altered:?}"
    );
}

#[tokio::test]
async fn secrets_go_with_their_connection() {
    let (store, _dir) = common::temp_store().await;
    let conn = a_connection(&store).await;
    secrets::put(
        store.pool(),
        store.vault(),
        &conn,
        "access_token",
        Some(&conn),
        &Secret::from(TOKEN),
    )
    .await
    .unwrap();
    secrets::put(
        store.pool(),
        store.vault(),
        &conn,
        "refresh_token",
        Some(&conn),
        &Secret::from("r"),
    )
    .await
    .unwrap();
    assert_eq!(
        secrets::names(store.pool(), &conn).await.unwrap(),
        vec!["access_token", "refresh_token"]
    );
    connections::delete(store.pool(), &conn).await.unwrap();
    assert!(secrets::names(store.pool(), &conn)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_key_file_is_reused_and_a_wrong_or_missing_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let opts = StoreOptions::new(dir.path()).key_policy(KeyPolicy::File);
    let store = Store::open(opts.clone()).await.unwrap();
    assert_eq!(store.vault().source(), KeySource::KeyFile);
    secrets::put(
        store.pool(),
        store.vault(),
        "app:hubspot",
        "client_secret",
        None,
        &Secret::from("s3cr3t"),
    )
    .await
    .unwrap();
    store.close().await;

    // Reopen with the same key: the secret reads back.
    let store = Store::open(opts.clone()).await.unwrap();
    let got = secrets::get(store.pool(), store.vault(), "app:hubspot", "client_secret")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.expose(), "s3cr3t");
    store.close().await;

    // Another key: refused with a clear message, not garbage.
    let key_file = dir.path().join("vault.key");
    let original = std::fs::read_to_string(&key_file).unwrap();
    std::fs::write(&key_file, "11".repeat(32)).unwrap();
    let err = Store::open(opts.clone()).await.expect_err("wrong key");
    assert!(
        err.to_string().contains("does not match this database"),
        "{err}"
    );

    // No key at all: refused, and no new key is silently made.
    std::fs::remove_file(&key_file).unwrap();
    let err = Store::open(opts.clone()).await.expect_err("missing key");
    assert!(err.to_string().contains("is missing"), "{err}");
    assert!(!key_file.exists());

    std::fs::write(&key_file, original).unwrap();
    Store::open(opts)
        .await
        .expect("the original key works again");
}

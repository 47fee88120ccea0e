//! The OS keychain path of the vault. These need a secret-service session (or its
//! absence) set up from outside, so they are run by `./dev test` explicitly:
//! inside `dbus-run-session` with an unlocked gnome-keyring (expects "keychain"), and
//! with no reachable session bus (expects the 0600 key-file fallback).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use switchyard_store::{KeyPolicy, KeySource, Secret, Store, StoreOptions};

fn expected() -> KeySource {
    match std::env::var("SWITCHYARD_EXPECT_KEY_SOURCE").as_deref() {
        Ok("keychain") => KeySource::Keychain,
        Ok("key_file") => KeySource::KeyFile,
        other => panic!("set SWITCHYARD_EXPECT_KEY_SOURCE to keychain or key_file (got {other:?})"),
    }
}

#[tokio::test]
#[ignore = "needs a prepared session bus; run by ./dev test"]
async fn auto_policy_uses_the_keychain_when_it_answers_else_the_key_file() {
    let want = expected();
    let dir = tempfile::tempdir().unwrap();
    let opts = StoreOptions::new(dir.path()).key_policy(KeyPolicy::Auto);
    let store = Store::open(opts.clone()).await.unwrap();
    assert_eq!(store.vault().source(), want);
    assert_eq!(store.paths().key_file.exists(), want == KeySource::KeyFile);
    switchyard_store::tables::secrets::put(
        store.pool(),
        store.vault(),
        "app:slack",
        "client_secret",
        None,
        &Secret::from("xoxb-1"),
    )
    .await
    .unwrap();
    store.close().await;

    let again = Store::open(opts).await.unwrap();
    assert_eq!(again.vault().source(), want);
    let got = switchyard_store::tables::secrets::get(
        again.pool(),
        again.vault(),
        "app:slack",
        "client_secret",
    )
    .await
    .unwrap();
    assert_eq!(got.map(|s| s.expose().clone()).as_deref(), Some("xoxb-1"));
}

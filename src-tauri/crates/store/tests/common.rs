//! Shared set-up for the store's tests: a fresh store in a temp directory.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use switchyard_store::{KeyPolicy, Store, StoreOptions};
use tempfile::TempDir;

pub async fn temp_store() -> (Store, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(StoreOptions::new(dir.path()).key_policy(KeyPolicy::File))
        .await
        .expect("open store");
    (store, dir)
}

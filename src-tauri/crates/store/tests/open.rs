//! Opening the database: pragmas, file modes, idempotent migrations, and refusal to be
//! opened by an older binary.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use switchyard_store::{latest_schema_version, KeyPolicy, Store, StoreError, StoreOptions};

#[tokio::test]
async fn pragmas_are_set_on_every_connection() {
    let (store, _dir) = common::temp_store().await;
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let (busy,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 1, "synchronous=NORMAL");
    assert_eq!(fk, 1);
    assert!(busy >= 5000, "busy timeout {busy}");
}

#[cfg(unix)]
#[tokio::test]
async fn files_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested").join("data");
    let store = Store::open(StoreOptions::new(&data).key_policy(KeyPolicy::File))
        .await
        .unwrap();
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', 0)")
        .execute(store.pool())
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&store.paths().database), 0o600);
    assert_eq!(mode(&data.join("switchyard.db-wal")), 0o600);
    assert_eq!(mode(&store.paths().key_file), 0o600);
}

#[tokio::test]
async fn migrations_apply_once() {
    let dir = tempfile::tempdir().unwrap();
    let opts = StoreOptions::new(dir.path()).key_policy(KeyPolicy::File);
    let first = Store::open(opts.clone()).await.unwrap();
    assert_eq!(first.schema().version, latest_schema_version());
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(
        first.schema().applied_now,
        files,
        "every migration file applied"
    );
    first.close().await;
    let second = Store::open(opts).await.unwrap();
    assert_eq!(second.schema().applied_now, 0);
}

#[tokio::test]
async fn refuses_a_database_migrated_by_a_newer_binary() {
    let dir = tempfile::tempdir().unwrap();
    let opts = StoreOptions::new(dir.path()).key_policy(KeyPolicy::File);
    let store = Store::open(opts.clone()).await.unwrap();
    let future = latest_schema_version() + 1;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (?, 'future', 1, x'00', 0)",
    )
    .bind(future)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query("UPDATE app_meta SET value = '9.9.9' WHERE key = 'app.last_migrated_by'")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;

    let err = Store::open(opts).await.expect_err("must refuse");
    match &err {
        StoreError::TooNew {
            db_schema,
            known_schema,
            by_version,
            ..
        } => {
            assert_eq!(*db_schema, future);
            assert_eq!(*known_schema, latest_schema_version());
            assert_eq!(by_version, "9.9.9");
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("Switchyard 9.9.9"), "{text}");
    assert!(text.contains("has not been changed"), "{text}");
}

//! With logging at its most talkative (trace), connecting every sandbox account, testing
//! and disconnecting them writes log files in which no token, refresh token, client
//! secret or hook URL appears. (One test per binary: logging is process-global.)

#![allow(clippy::unwrap_used)]

use switchyard_engine::store::tables::secrets;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};

#[tokio::test]
async fn tokens_never_reach_the_log_files() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    // Safe: this test binary has one test, and nothing else reads the environment yet.
    std::env::set_var("RUST_LOG", "trace");
    let guard = switchyard_engine::logging::init(Some(&logs));

    let engine = Engine::open(EngineConfig {
        data_dir: dir.path().join("data"),
        log_dir: Some(logs.clone()),
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    let connected = engine.connect_sandbox_accounts().await.unwrap();
    let pool = engine.store().pool();
    let mut secrets_seen = Vec::new();
    for c in &connected {
        for name in ["access_token", "refresh_token"] {
            if let Some(s) = secrets::get(pool, engine.store().vault(), &c.id, name)
                .await
                .unwrap()
            {
                secrets_seen.push(s.expose().clone());
            }
        }
        engine.test_connection(&c.id).await.unwrap();
    }
    for c in &connected {
        engine.disconnect(&c.id).await.unwrap();
    }
    engine.shutdown().await;
    drop(guard); // flushes the file writer

    assert!(
        secrets_seen.len() >= 8,
        "access and refresh tokens collected: {}",
        secrets_seen.len()
    );
    let mut text = String::new();
    for entry in std::fs::read_dir(&logs).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(
        text.lines().count() > 20,
        "trace logging wrote something: {} lines",
        text.lines().count()
    );
    for secret in &secrets_seen {
        assert!(
            !text.contains(secret.as_str()),
            "a token reached the log file"
        );
        let fragment = &secret[secret.len().saturating_sub(16)..];
        assert!(
            !text.contains(fragment),
            "a token fragment reached the log file"
        );
    }
}

//! The desktop app and `switchyard-cli` open the same SQLite file, possibly at once:
//! a second engine on the same folder sees the first one's writes, with the same key.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use switchyard_engine::api::settings::Theme;
use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};

#[tokio::test]
async fn two_engines_share_one_database_and_key() {
    let (first, dir) = switchyard_tests::temp_engine().await;
    first.set_theme(Theme::Light).await.unwrap();
    let second = Engine::open(EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    })
    .await
    .unwrap();
    assert_eq!(second.preferences().await.unwrap().theme, Theme::Light);
    second.set_theme(Theme::Dark).await.unwrap();
    assert_eq!(
        first.preferences().await.unwrap().theme,
        Theme::Dark,
        "WAL readers see committed writes"
    );
    assert_eq!(
        first.app_info().database_path,
        second.app_info().database_path
    );
    second.shutdown().await;
    first.shutdown().await;
}

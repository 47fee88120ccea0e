//! Helpers shared by the cross-crate suites in `tests/tests/`.

use switchyard_engine::store::KeyPolicy;
use switchyard_engine::{Engine, EngineConfig};

/// An engine on a fresh temp data folder (key file, never the real keychain).
pub async fn temp_engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = EngineConfig {
        data_dir: dir.path().to_path_buf(),
        log_dir: None,
        key_policy: KeyPolicy::File,
    };
    let engine = Engine::open(config).await.expect("engine opens");
    (engine, dir)
}

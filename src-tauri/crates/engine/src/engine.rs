//! The engine handle: cheap to clone, shared by every command and background task.

use crate::EngineResult;
use std::path::PathBuf;
use switchyard_store::{KeyPolicy, Store, StoreOptions};

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Folder holding `switchyard.db` (and the key file when the keychain is not used).
    pub data_dir: PathBuf,
    /// Folder of the rolling log files, shown in Settings.
    pub log_dir: Option<PathBuf>,
    pub key_policy: KeyPolicy,
}

impl EngineConfig {
    /// `data_dir` unless `SWITCHYARD_DATA_DIR` overrides it; key policy from `SWITCHYARD_KEY_STORE`.
    pub fn new(data_dir: PathBuf, log_dir: Option<PathBuf>) -> EngineResult<Self> {
        let data_dir = match std::env::var_os(switchyard_store::DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => data_dir,
        };
        Ok(Self {
            data_dir,
            log_dir,
            key_policy: KeyPolicy::from_env()?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Engine {
    store: Store,
    log_dir: Option<PathBuf>,
}

impl Engine {
    pub async fn open(config: EngineConfig) -> EngineResult<Self> {
        let store =
            Store::open(StoreOptions::new(&config.data_dir).key_policy(config.key_policy)).await?;
        Ok(Self {
            store,
            log_dir: config.log_dir,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn log_dir(&self) -> Option<&PathBuf> {
        self.log_dir.as_ref()
    }

    /// Flushes the WAL and closes the database (call on exit).
    pub async fn shutdown(&self) {
        self.store.close().await;
    }
}

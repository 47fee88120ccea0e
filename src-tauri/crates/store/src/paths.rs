//! Where the database lives: the OS app-data directory, or `SWITCHYARD_DATA_DIR`.

use std::path::{Path, PathBuf};

/// The bundle identifier; also the folder name under the OS data directory, so the
/// desktop shell (Tauri's `app_data_dir`) and the CLI agree on one location.
pub const APP_IDENTIFIER: &str = "dev.switchyard.app";
/// Overrides the data directory (tests, portable installs, several profiles).
pub const DATA_DIR_ENV: &str = "SWITCHYARD_DATA_DIR";
pub const DB_FILE_NAME: &str = "switchyard.db";
const KEY_FILE_NAME: &str = "vault.key";

/// `SWITCHYARD_DATA_DIR` when set and not empty, else `<OS data dir>/dev.switchyard.app`.
pub fn default_data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)),
    }
}

/// The files of one Switchyard data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPaths {
    pub dir: PathBuf,
    pub database: PathBuf,
    pub key_file: PathBuf,
}

impl DataPaths {
    pub fn in_dir(dir: impl AsRef<Path>) -> Self {
        let dir = dir.as_ref().to_path_buf();
        Self {
            database: dir.join(DB_FILE_NAME),
            key_file: dir.join(KEY_FILE_NAME),
            dir,
        }
    }
}

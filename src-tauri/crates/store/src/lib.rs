//! Switchyard's local state. Everything the app knows lives in one SQLite file
//! (`switchyard.db`): this crate opens it safely (WAL, foreign keys, 0600, migrations,
//! refusal to be opened by an older binary), keeps one repository module per table, and
//! encrypts every secret with an AEAD key held in the OS keychain or a 0600 key file.

mod db;
mod error;
pub mod kinds;
mod migrate;
mod paths;
mod secret;
pub mod tables;
mod time;
mod tx;
mod vault;

pub use db::{Store, StoreOptions};
pub use error::{StoreError, StoreResult};
pub use migrate::{latest_schema_version, SchemaInfo};
pub use paths::{default_data_dir, DataPaths, APP_IDENTIFIER, DATA_DIR_ENV, DB_FILE_NAME};
pub use secret::Secret;
pub use sqlx;
pub use time::now_ms;
pub use tx::begin_write;
pub use vault::{KeyPolicy, KeySource, Vault, KEY_POLICY_ENV};

/// A new random id for rows keyed by text (time-ordered UUIDv7).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

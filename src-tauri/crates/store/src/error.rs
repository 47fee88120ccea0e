//! Errors of the store, each specific enough for the engine to map to a stable code.

use std::path::PathBuf;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),

    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error(
        "this database ({path}) was last updated by Switchyard {by_version} to schema {db_schema}, \
         but this copy of Switchyard only knows schema {known_schema}; install Switchyard \
         {by_version} or newer to open it (your data has not been changed)"
    )]
    TooNew {
        path: PathBuf,
        db_schema: i64,
        known_schema: i64,
        by_version: String,
    },

    #[error("cannot prepare the data folder {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("encryption key problem: {0}")]
    Key(String),

    #[error("a secret could not be decrypted ({scope}/{name}): the key does not match or the data was altered")]
    Decrypt { scope: String, name: String },

    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },

    #[error("invalid stored value in {column}: {value}")]
    BadValue { column: &'static str, value: String },

    #[error("invalid JSON in {column}: {source}")]
    Json {
        column: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

impl StoreError {
    pub(crate) fn json(column: &'static str) -> impl FnOnce(serde_json::Error) -> Self {
        move |source| StoreError::Json { column, source }
    }
}

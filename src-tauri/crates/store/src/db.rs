//! Opening the one SQLite file: folder and file permissions, pragmas, migrations, vault.

use crate::migrate::{self, SchemaInfo};
use crate::paths::DataPaths;
use crate::vault::{write_private, KeyPolicy, Vault};
use crate::{StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Page cache per connection, in KiB (only pages actually read take memory).
const CACHE_KIB: u32 = 32 * 1024;

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub dir: PathBuf,
    pub key_policy: KeyPolicy,
    pub max_connections: u32,
}

impl StoreOptions {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            key_policy: KeyPolicy::Auto,
            max_connections: 8,
        }
    }

    pub fn key_policy(mut self, policy: KeyPolicy) -> Self {
        self.key_policy = policy;
        self
    }
}

/// A cheap, cloneable handle on the database and its vault. The pool is already
/// synchronized: never wrap a `Store` in a mutex.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    vault: Vault,
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    paths: DataPaths,
    schema: SchemaInfo,
    connect: SqliteConnectOptions,
}

impl Store {
    /// Opens (creating when missing) `<dir>/switchyard.db`, migrates it and loads the vault key.
    pub async fn open(options: StoreOptions) -> StoreResult<Self> {
        let paths = DataPaths::in_dir(&options.dir);
        prepare_dir(&paths.dir)?;
        prepare_file(&paths.database)?;
        let connect = SqliteConnectOptions::new()
            .filename(&paths.database)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // SQLite's default page cache is 2 MB: at a million links the index pages a
            // page of writes touches no longer fit, and every insert reads pages back.
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            .pragma("temp_store", "memory")
            // A checkpoint copies each page once however often the WAL holds it: at 40 MB
            // instead of 4 MB, the index pages a run rewrites page after page are copied
            // back far fewer times.
            .pragma("wal_autocheckpoint", "10000");
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .connect_with(connect.clone())
            .await?;
        let schema = migrate::migrate(&pool, &paths.database).await?;
        let vault = Vault::open(&pool, &paths, options.key_policy).await?;
        tracing::info!(database = %paths.database.display(), schema = schema.version, "store opened");
        Ok(Self {
            pool,
            vault,
            inner: Arc::new(Inner {
                paths,
                schema,
                connect,
            }),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A pool of one connection of its own, for work that runs many statements in a row
    /// (a sync run's pages). SQLite drops a connection's whole page cache whenever another
    /// connection has written since its last statement, and the shared pool hands out its
    /// idle connections in turn, so a run spread over them read back every B-tree page it
    /// touched (at 200,000 records, 25 KiB read per record). One connection keeps its
    /// cache across the run's statements. Close it when done.
    pub async fn dedicated_pool(&self) -> StoreResult<SqlitePool> {
        Ok(SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(self.inner.connect.clone())
            .await?)
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn paths(&self) -> &DataPaths {
        &self.inner.paths
    }

    pub fn schema(&self) -> &SchemaInfo {
        &self.inner.schema
    }

    /// Checkpoints the WAL and closes every connection (clean shutdown).
    pub async fn close(&self) {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!("WAL checkpoint on close failed: {e}");
        }
        self.pool.close().await;
    }
}

fn prepare_dir(dir: &Path) -> StoreResult<()> {
    let io = |source| StoreError::Io {
        path: dir.into(),
        source,
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
    }
    Ok(())
}

/// Creates the database file 0600 before SQLite does (SQLite gives its -wal and -shm
/// files the database file's mode), and tightens an existing file's mode.
fn prepare_file(path: &Path) -> StoreResult<()> {
    if !path.exists() {
        return write_private(path, b"");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(
            |source| StoreError::Io {
                path: path.into(),
                source,
            },
        )?;
    }
    Ok(())
}

//! Embedded migrations (one file per table in `migrations/`) and the guard that stops an
//! older binary from opening a database a newer one has migrated.

use crate::tables::app_meta;
use crate::{StoreError, StoreResult};
use sqlx::migrate::Migrator;
use sqlx::SqlitePool;
use std::path::Path;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");
const META_MIGRATED_BY: &str = "app.last_migrated_by";

/// The schema this binary knows: the version of its newest embedded migration.
pub fn latest_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// What `migrate` found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaInfo {
    pub version: i64,
    pub applied_now: usize,
}

pub(crate) async fn migrate(pool: &SqlitePool, path: &Path) -> StoreResult<SchemaInfo> {
    let known = latest_schema_version();
    let before = applied_versions(pool).await?;
    if let Some(&db_schema) = before.iter().max() {
        if db_schema > known {
            let by_version = app_meta::get(pool, META_MIGRATED_BY)
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| "a newer version".into());
            return Err(StoreError::TooNew {
                path: path.into(),
                db_schema,
                known_schema: known,
                by_version,
            });
        }
    }
    MIGRATOR.run(pool).await?;
    let applied_now = MIGRATOR
        .iter()
        .filter(|m| !before.contains(&m.version))
        .count();
    if applied_now > 0 {
        app_meta::set(pool, META_MIGRATED_BY, env!("CARGO_PKG_VERSION")).await?;
        tracing::info!(applied_now, schema = known, "database migrated");
    }
    Ok(SchemaInfo {
        version: known,
        applied_now,
    })
}

async fn applied_versions(pool: &SqlitePool) -> StoreResult<Vec<i64>> {
    let exists: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(pool)
    .await?;
    if exists.is_none() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}

//! `mappings`: which object of which connection syncs to which, and under what rules.

use crate::kinds::{ConflictPolicy, DeletePolicy, SyncDirection};
use crate::{new_id, now_ms, StoreError, StoreResult};
use sqlx::SqliteExecutor;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Mapping {
    pub id: String,
    pub name: String,
    pub source_connection_id: String,
    pub source_object: String,
    pub target_connection_id: String,
    pub target_object: String,
    pub direction: SyncDirection,
    /// JSON: `{"kind": "email" | "external_id" | "field", "sourceField": .., "targetField": ..}`.
    pub match_rule: String,
    pub conflict_policy: ConflictPolicy,
    pub delete_policy: DeletePolicy,
    pub enabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewMapping {
    pub name: String,
    pub source_connection_id: String,
    pub source_object: String,
    pub target_connection_id: String,
    pub target_object: String,
    pub direction: SyncDirection,
    pub match_rule: String,
    pub conflict_policy: ConflictPolicy,
    pub delete_policy: DeletePolicy,
}

/// A mapping with how many field rows it has (for lists).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MappingWithCount {
    #[sqlx(flatten)]
    pub mapping: Mapping,
    pub field_count: i64,
}

pub async fn insert(db: impl SqliteExecutor<'_>, new: &NewMapping) -> StoreResult<Mapping> {
    let now = now_ms();
    Ok(sqlx::query_as(
        "INSERT INTO mappings (id, name, source_connection_id, source_object, target_connection_id, target_object,
             direction, match_rule, conflict_policy, delete_policy, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(new_id())
    .bind(&new.name)
    .bind(&new.source_connection_id)
    .bind(&new.source_object)
    .bind(&new.target_connection_id)
    .bind(&new.target_object)
    .bind(new.direction)
    .bind(&new.match_rule)
    .bind(new.conflict_policy)
    .bind(new.delete_policy)
    .bind(now)
    .bind(now)
    .fetch_one(db)
    .await?)
}

/// Replaces a mapping's settings (its field rows are replaced by `field_maps::replace`).
pub async fn update(
    db: impl SqliteExecutor<'_>,
    id: &str,
    new: &NewMapping,
) -> StoreResult<Mapping> {
    sqlx::query_as(
        "UPDATE mappings SET name = ?, source_connection_id = ?, source_object = ?, target_connection_id = ?,
             target_object = ?, direction = ?, match_rule = ?, conflict_policy = ?, delete_policy = ?, updated_at = ?
         WHERE id = ? RETURNING *",
    )
    .bind(&new.name)
    .bind(&new.source_connection_id)
    .bind(&new.source_object)
    .bind(&new.target_connection_id)
    .bind(&new.target_object)
    .bind(new.direction)
    .bind(&new.match_rule)
    .bind(new.conflict_policy)
    .bind(new.delete_policy)
    .bind(now_ms())
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| StoreError::NotFound {
        what: "mapping",
        id: id.into(),
    })
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> StoreResult<Mapping> {
    sqlx::query_as("SELECT * FROM mappings WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "mapping",
            id: id.into(),
        })
}

pub async fn list_with_counts(db: impl SqliteExecutor<'_>) -> StoreResult<Vec<MappingWithCount>> {
    Ok(sqlx::query_as(
        "SELECT m.*, (SELECT COUNT(*) FROM field_maps f WHERE f.mapping_id = m.id) AS field_count
         FROM mappings m ORDER BY m.name COLLATE NOCASE, m.id",
    )
    .fetch_all(db)
    .await?)
}

pub async fn set_enabled(db: impl SqliteExecutor<'_>, id: &str, enabled: bool) -> StoreResult<()> {
    let done = sqlx::query("UPDATE mappings SET enabled = ?, updated_at = ? WHERE id = ?")
        .bind(enabled)
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "mapping",
            id: id.into(),
        });
    }
    Ok(())
}

/// Deletes a mapping with its field rows, links, cursors and runs (cascade).
pub async fn delete(db: impl SqliteExecutor<'_>, id: &str) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM mappings WHERE id = ?")
        .bind(id)
        .execute(db)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "mapping",
            id: id.into(),
        });
    }
    Ok(())
}

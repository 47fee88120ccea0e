//! `field_maps`: the field rows of a mapping, replaced as a whole when the user saves.

use crate::kinds::SyncRule;
use crate::StoreResult;
use sqlx::{Sqlite, Transaction};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FieldMap {
    pub id: i64,
    pub mapping_id: String,
    pub position: i64,
    pub source_field: Option<String>,
    pub target_field: String,
    /// JSON list of declarative transform steps.
    pub transform: String,
    pub sync_rule: SyncRule,
    /// JSON list of the steps back, target → source (two-way rows).
    pub reverse_transform: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldRow {
    pub source_field: Option<String>,
    pub target_field: String,
    pub transform: String,
    pub sync_rule: SyncRule,
    pub reverse_transform: String,
}

/// Replaces every field row of a mapping, keeping the given order.
pub async fn replace(
    tx: &mut Transaction<'_, Sqlite>,
    mapping_id: &str,
    rows: &[FieldRow],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM field_maps WHERE mapping_id = ?")
        .bind(mapping_id)
        .execute(&mut **tx)
        .await?;
    for (position, row) in rows.iter().enumerate() {
        sqlx::query(
            "INSERT INTO field_maps (mapping_id, position, source_field, target_field, transform, sync_rule, reverse_transform)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(mapping_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&row.source_field)
        .bind(&row.target_field)
        .bind(&row.transform)
        .bind(row.sync_rule)
        .bind(&row.reverse_transform)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE mappings SET updated_at = ? WHERE id = ?")
        .bind(crate::now_ms())
        .bind(mapping_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn list(
    db: impl sqlx::SqliteExecutor<'_>,
    mapping_id: &str,
) -> StoreResult<Vec<FieldMap>> {
    Ok(
        sqlx::query_as("SELECT * FROM field_maps WHERE mapping_id = ? ORDER BY position")
            .bind(mapping_id)
            .fetch_all(db)
            .await?,
    )
}

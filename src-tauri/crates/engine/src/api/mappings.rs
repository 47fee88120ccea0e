//! Mappings as the UI lists them.

use crate::{Engine, EngineResult};
use switchyard_store::kinds::SyncDirection;
use switchyard_store::tables::mappings;

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MappingSummary {
    pub id: String,
    pub name: String,
    pub source_connection_id: String,
    pub source_object: String,
    pub target_connection_id: String,
    pub target_object: String,
    pub direction: SyncDirection,
    pub enabled: bool,
    pub field_count: u32,
    pub updated_at: i64,
}

impl Engine {
    pub async fn list_mappings(&self) -> EngineResult<Vec<MappingSummary>> {
        let rows = mappings::list_with_counts(self.store().pool()).await?;
        Ok(rows
            .into_iter()
            .map(|r| MappingSummary {
                field_count: u32::try_from(r.field_count).unwrap_or(u32::MAX),
                id: r.mapping.id,
                name: r.mapping.name,
                source_connection_id: r.mapping.source_connection_id,
                source_object: r.mapping.source_object,
                target_connection_id: r.mapping.target_connection_id,
                target_object: r.mapping.target_object,
                direction: r.mapping.direction,
                enabled: r.mapping.enabled,
                updated_at: r.mapping.updated_at,
            })
            .collect())
    }
}

//! Mappings area.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::mapping_editor::MappingPreview;
use switchyard_engine::api::mappings::MappingSummary;
use switchyard_engine::connectors::schema::{ObjectSpec, ObjectSummary};
use switchyard_engine::mapping::defaults::SuggestedMapping;
use switchyard_engine::mapping::model::{MappingDetail, MappingDraft};
use switchyard_engine::mapping::validate::Problem;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn list_mappings(state: State<'_, AppState>) -> IpcResult<Vec<MappingSummary>> {
    Ok(state.engine()?.list_mappings().await?)
}

/// The objects a connection can sync (Salesforce Lead…, HubSpot contacts…, QuickBooks Customer…).
#[tauri::command]
#[specta::specta]
pub async fn list_objects(
    state: State<'_, AppState>,
    connection_id: String,
) -> IpcResult<Vec<ObjectSummary>> {
    Ok(state.engine()?.list_objects(&connection_id).await?)
}

/// Every field of an object, as discovered from the provider (cached for an hour).
#[tauri::command]
#[specta::specta]
pub async fn describe_object(
    state: State<'_, AppState>,
    connection_id: String,
    object: String,
) -> IpcResult<ObjectSpec> {
    Ok(state
        .engine()?
        .describe_object(&connection_id, &object)
        .await?)
}

/// Forgets every cached read, so the next ones ask the providers again.
#[tauri::command]
#[specta::specta]
pub async fn clear_cache(state: State<'_, AppState>) -> IpcResult<()> {
    state.engine()?.clear_cache();
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn get_mapping(state: State<'_, AppState>, id: String) -> IpcResult<MappingDetail> {
    Ok(state.engine()?.get_mapping(&id).await?)
}

/// Saves a new mapping (problems are allowed; a run refuses it until they are fixed).
#[tauri::command]
#[specta::specta]
pub async fn create_mapping(
    state: State<'_, AppState>,
    draft: MappingDraft,
) -> IpcResult<MappingDetail> {
    Ok(state.engine()?.create_mapping(draft).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_mapping(
    state: State<'_, AppState>,
    id: String,
    draft: MappingDraft,
) -> IpcResult<MappingDetail> {
    Ok(state.engine()?.update_mapping(&id, draft).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn duplicate_mapping(state: State<'_, AppState>, id: String) -> IpcResult<MappingDetail> {
    Ok(state.engine()?.duplicate_mapping(&id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_mapping(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    Ok(state.engine()?.delete_mapping(&id).await?)
}

/// Every problem of a draft against both discovered schemas; empty when it can run.
#[tauri::command]
#[specta::specta]
pub async fn validate_mapping(
    state: State<'_, AppState>,
    draft: MappingDraft,
) -> IpcResult<Vec<Problem>> {
    Ok(state.engine()?.validate_mapping(&draft).await?)
}

/// The draft applied to up to `limit` real source records, for one read call.
#[tauri::command]
#[specta::specta]
pub async fn preview_mapping(
    state: State<'_, AppState>,
    draft: MappingDraft,
    limit: u32,
) -> IpcResult<MappingPreview> {
    Ok(state.engine()?.preview_mapping(&draft, limit).await?)
}

/// A default mapping for two objects, with notes on the fields it could not map.
#[tauri::command]
#[specta::specta]
pub async fn suggest_mapping(
    state: State<'_, AppState>,
    source_connection_id: String,
    source_object: String,
    target_connection_id: String,
    target_object: String,
) -> IpcResult<SuggestedMapping> {
    Ok(state
        .engine()?
        .suggest_mapping(
            &source_connection_id,
            &source_object,
            &target_connection_id,
            &target_object,
        )
        .await?)
}

/// Creates the default mappings between the connected accounts.
#[tauri::command]
#[specta::specta]
pub async fn create_default_mappings(state: State<'_, AppState>) -> IpcResult<Vec<MappingSummary>> {
    Ok(state.engine()?.create_default_mappings().await?)
}

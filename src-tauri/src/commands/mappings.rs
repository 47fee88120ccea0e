//! Mappings area.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::mappings::MappingSummary;
use switchyard_engine::connectors::schema::{ObjectSpec, ObjectSummary};
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

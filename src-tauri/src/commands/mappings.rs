//! Mappings area.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::mappings::MappingSummary;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn list_mappings(state: State<'_, AppState>) -> IpcResult<Vec<MappingSummary>> {
    Ok(state.engine()?.list_mappings().await?)
}

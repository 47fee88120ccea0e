//! Connections area.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::connections::{self, ConnectionSummary, ProviderInfo};
use tauri::State;

/// The providers Switchyard can connect, for the catalogue.
#[tauri::command]
#[specta::specta]
pub fn list_providers() -> Vec<ProviderInfo> {
    connections::list_providers()
}

#[tauri::command]
#[specta::specta]
pub async fn list_connections(state: State<'_, AppState>) -> IpcResult<Vec<ConnectionSummary>> {
    Ok(state.engine()?.list_connections().await?)
}

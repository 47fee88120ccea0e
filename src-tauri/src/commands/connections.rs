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

/// Connects one sandbox account of every provider ("Try with sandbox accounts").
#[tauri::command]
#[specta::specta]
pub async fn connect_sandbox_accounts(
    state: State<'_, AppState>,
) -> IpcResult<Vec<ConnectionSummary>> {
    Ok(state.engine()?.connect_sandbox_accounts().await?)
}

/// Asks the provider who is connected and records the outcome.
#[tauri::command]
#[specta::specta]
pub async fn test_connection(
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<ConnectionSummary> {
    Ok(state.engine()?.test_connection(&id).await?)
}

/// Wipes the connection's secrets and marks it disconnected.
#[tauri::command]
#[specta::specta]
pub async fn disconnect(state: State<'_, AppState>, id: String) -> IpcResult<ConnectionSummary> {
    Ok(state.engine()?.disconnect(&id).await?)
}

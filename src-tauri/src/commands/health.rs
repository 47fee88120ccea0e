//! Health area: dashboard numbers and alerts.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::health::{AlertItem, HealthSummary};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn health_summary(
    state: State<'_, AppState>,
    window_secs: u32,
) -> IpcResult<HealthSummary> {
    Ok(state.engine()?.health_summary(window_secs).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_alerts(
    state: State<'_, AppState>,
    include_acknowledged: bool,
) -> IpcResult<Vec<AlertItem>> {
    Ok(state.engine()?.list_alerts(include_acknowledged).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn acknowledge_alert(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    Ok(state.engine()?.acknowledge_alert(&id).await?)
}

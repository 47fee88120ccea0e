//! Runs area.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::runs::RunSummary;
use tauri::State;

/// The newest `limit` runs (1..=500), newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_runs(state: State<'_, AppState>, limit: u32) -> IpcResult<Vec<RunSummary>> {
    Ok(state.engine()?.list_runs(limit).await?)
}

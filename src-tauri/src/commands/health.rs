//! Health area: dashboard numbers, series, timeline, alerts, settings and exports, and
//! the `health-updated` event the engine's monitor sends after each tick.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::health::{AlertItem, HealthSummary, TimelineRun};
use switchyard_engine::health::export::{ExportFile, ExportFormat};
use switchyard_engine::health::{HealthRange, HealthSeries, HealthSettings, HealthTick};
use switchyard_engine::{EngineError, ErrorCode};
use tauri::State;

/// Sent after each health tick (a few times a second at most during traffic).
#[derive(Debug, Clone, serde::Serialize, specta::Type, tauri_specta::Event)]
pub struct HealthUpdated(pub HealthTick);

/// Where an export was saved.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedExport {
    pub path: String,
    pub rows: u32,
}

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
pub async fn health_series(
    state: State<'_, AppState>,
    range: HealthRange,
    connection_id: Option<String>,
) -> IpcResult<HealthSeries> {
    Ok(state
        .engine()?
        .health_series(range, connection_id.as_deref())
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn health_timeline(
    state: State<'_, AppState>,
    range: HealthRange,
) -> IpcResult<Vec<TimelineRun>> {
    Ok(state.engine()?.health_timeline(range).await?)
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
pub async fn alert_history(
    state: State<'_, AppState>,
    range: HealthRange,
) -> IpcResult<Vec<AlertItem>> {
    Ok(state.engine()?.alert_history(range).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn acknowledge_alert(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    Ok(state.engine()?.acknowledge_alert(&id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn health_settings(state: State<'_, AppState>) -> IpcResult<HealthSettings> {
    Ok(state.engine()?.health_settings().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_health_settings(
    state: State<'_, AppState>,
    settings: HealthSettings,
) -> IpcResult<HealthSettings> {
    Ok(state.engine()?.set_health_settings(settings).await?)
}

/// Saves the charts' data over `range` (one row per connection and bucket).
#[tauri::command]
#[specta::specta]
pub async fn export_health(
    state: State<'_, AppState>,
    range: HealthRange,
    format: ExportFormat,
) -> IpcResult<SavedExport> {
    let file = state.engine()?.export_health(range, format).await?;
    save(&state, file).await
}

/// Saves the runs started in `range` (one row per run).
#[tauri::command]
#[specta::specta]
pub async fn export_runs(
    state: State<'_, AppState>,
    range: HealthRange,
    format: ExportFormat,
) -> IpcResult<SavedExport> {
    let file = state.engine()?.export_runs(range, format).await?;
    save(&state, file).await
}

/// Saves one run's log (its failed records; the whole run as JSON).
#[tauri::command]
#[specta::specta]
pub async fn export_run(
    state: State<'_, AppState>,
    run_id: String,
    format: ExportFormat,
) -> IpcResult<SavedExport> {
    let file = state.engine()?.export_run(&run_id, format).await?;
    save(&state, file).await
}

async fn save(state: &AppState, file: ExportFile) -> IpcResult<SavedExport> {
    let dir = state
        .exports_dir()
        .ok_or_else(|| EngineError::new(ErrorCode::Internal, "no folder to save exports in"))?;
    let path = dir.join(&file.file_name);
    let written = async {
        tokio::fs::create_dir_all(dir).await?;
        tokio::fs::write(&path, file.content.as_bytes()).await
    };
    written.await.map_err(|e| {
        EngineError::new(
            ErrorCode::Storage,
            format!("could not save {}: {e}", path.display()),
        )
    })?;
    tracing::info!(rows = file.rows, path = %path.display(), "export saved");
    Ok(SavedExport {
        path: path.display().to_string(),
        rows: u32::try_from(file.rows).unwrap_or(u32::MAX),
    })
}

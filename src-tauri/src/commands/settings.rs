//! Settings area: preferences and facts about this installation.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::settings::{AppInfo, Preferences, Theme};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    Ok(state.engine()?.app_info())
}

#[tauri::command]
#[specta::specta]
pub async fn get_preferences(state: State<'_, AppState>) -> IpcResult<Preferences> {
    Ok(state.engine()?.preferences().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_theme(state: State<'_, AppState>, theme: Theme) -> IpcResult<Preferences> {
    Ok(state.engine()?.set_theme(theme).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn complete_onboarding(state: State<'_, AppState>) -> IpcResult<Preferences> {
    Ok(state.engine()?.complete_onboarding().await?)
}

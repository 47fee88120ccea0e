//! Settings area: preferences and facts about this installation.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::apps::AppCredentials;
use switchyard_engine::api::notifications::NotificationSettings;
use switchyard_engine::api::provider_limits::ProviderLimits;
use switchyard_engine::api::settings::{AppInfo, Preferences, Theme};
use switchyard_engine::store::kinds::ProviderId;
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

/// The OAuth app a provider knows Switchyard by (real accounts), and the redirect URI to register.
#[tauri::command]
#[specta::specta]
pub async fn app_credentials(
    state: State<'_, AppState>,
    provider: ProviderId,
) -> IpcResult<AppCredentials> {
    Ok(state.engine()?.app_credentials(provider).await?)
}

/// Saves an app's client id, and its secret when given (empty removes it).
#[tauri::command]
#[specta::specta]
pub async fn set_app_credentials(
    state: State<'_, AppState>,
    provider: ProviderId,
    client_id: String,
    client_secret: Option<String>,
    paste_redirect_uri: Option<String>,
) -> IpcResult<AppCredentials> {
    Ok(state
        .engine()?
        .set_app_credentials(provider, client_id, client_secret, paste_redirect_uri)
        .await?)
}

/// Where run summaries go: desktop, a Slack channel, a Zapier hook.
#[tauri::command]
#[specta::specta]
pub async fn notification_settings(state: State<'_, AppState>) -> IpcResult<NotificationSettings> {
    Ok(state.engine()?.notification_settings().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_notification_settings(
    state: State<'_, AppState>,
    settings: NotificationSettings,
) -> IpcResult<NotificationSettings> {
    Ok(state.engine()?.set_notification_settings(settings).await?)
}

/// Provider limits the reference leaves unconfirmed (HubSpot's search pace).
#[tauri::command]
#[specta::specta]
pub async fn provider_limits(state: State<'_, AppState>) -> IpcResult<ProviderLimits> {
    Ok(state.engine()?.provider_limits().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_provider_limits(
    state: State<'_, AppState>,
    limits: ProviderLimits,
) -> IpcResult<ProviderLimits> {
    Ok(state.engine()?.set_provider_limits(limits).await?)
}

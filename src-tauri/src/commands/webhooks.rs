//! Webhooks area: the receiver's settings and status, the addresses to give providers,
//! signing secrets (write-only, except a mapping's generated secret, shown once), counts.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::webhooks::{GeneratedSecret, WebhookStats, WebhookView};
use switchyard_engine::store::kinds::ProviderId;
use switchyard_engine::webhooks::WebhookSettings;
use tauri::State;

/// Settings, status, endpoint URLs and the last day's counts.
#[tauri::command]
#[specta::specta]
pub async fn webhook_settings(state: State<'_, AppState>) -> IpcResult<WebhookView> {
    Ok(state.engine()?.webhook_view().await?)
}

/// Saves the settings and starts, restarts or stops the receiver to match.
#[tauri::command]
#[specta::specta]
pub async fn set_webhook_settings(
    state: State<'_, AppState>,
    settings: WebhookSettings,
) -> IpcResult<WebhookView> {
    Ok(state.engine()?.set_webhook_settings(settings).await?)
}

/// Saves a provider's signing secret (HubSpot, QuickBooks, Slack); empty or null removes it.
#[tauri::command]
#[specta::specta]
pub async fn set_webhook_secret(
    state: State<'_, AppState>,
    provider: ProviderId,
    secret: Option<String>,
) -> IpcResult<WebhookView> {
    Ok(state.engine()?.set_webhook_secret(provider, secret).await?)
}

/// A new secret for a mapping's generic endpoint (the old one stops working), shown once.
#[tauri::command]
#[specta::specta]
pub async fn rotate_webhook_secret(
    state: State<'_, AppState>,
    mapping_id: String,
) -> IpcResult<GeneratedSecret> {
    Ok(state
        .engine()?
        .rotate_generic_webhook_secret(&mapping_id)
        .await?)
}

/// Closes a mapping's generic endpoint.
#[tauri::command]
#[specta::specta]
pub async fn remove_webhook_secret(
    state: State<'_, AppState>,
    mapping_id: String,
) -> IpcResult<WebhookView> {
    Ok(state
        .engine()?
        .remove_generic_webhook_secret(&mapping_id)
        .await?)
}

/// Deliveries received, refused and repeated since `since_ms` (for the dashboard).
#[tauri::command]
#[specta::specta]
pub async fn webhook_stats(state: State<'_, AppState>, since_ms: i64) -> IpcResult<WebhookStats> {
    Ok(state.engine()?.webhook_stats(since_ms).await?)
}

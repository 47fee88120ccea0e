//! Connections area.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::connect_flow::PendingConnect;
use switchyard_engine::api::connections::{self, ConnectionSummary, ProviderInfo};
use switchyard_engine::store::kinds::{Backoff, Environment, ProviderId};
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

/// Starts an OAuth sign-in; the UI opens the returned link in the system browser
/// (opener plugin) and then waits with `finish_connect`.
#[tauri::command]
#[specta::specta]
pub async fn start_connect(
    state: State<'_, AppState>,
    provider: ProviderId,
    environment: Environment,
) -> IpcResult<PendingConnect> {
    Ok(state.engine()?.start_connect(provider, environment).await?)
}

/// Waits for the browser to return to Switchyard and stores the new connection.
#[tauri::command]
#[specta::specta]
pub async fn finish_connect(
    state: State<'_, AppState>,
    flow_id: String,
) -> IpcResult<ConnectionSummary> {
    Ok(state.engine()?.finish_connect(&flow_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_connect(state: State<'_, AppState>, flow_id: String) -> IpcResult<()> {
    Ok(state.engine()?.cancel_connect(&flow_id).await?)
}

/// Connects with a pasted HubSpot or Slack token or Zapier hook URL, verified first.
#[tauri::command]
#[specta::specta]
pub async fn connect_pasted(
    state: State<'_, AppState>,
    provider: ProviderId,
    environment: Environment,
    credential: String,
) -> IpcResult<ConnectionSummary> {
    Ok(state
        .engine()?
        .connect_pasted(provider, environment, credential)
        .await?)
}

/// Completes a sign-in whose provider refused loopback: the user pastes the address the
/// browser landed on.
#[tauri::command]
#[specta::specta]
pub async fn finish_connect_pasted(
    state: State<'_, AppState>,
    flow_id: String,
    pasted_url: String,
) -> IpcResult<ConnectionSummary> {
    Ok(state
        .engine()?
        .finish_connect_pasted(&flow_id, &pasted_url)
        .await?)
}

/// Chooses how a connection's calls wait between retries (exponential, linear, fixed).
#[tauri::command]
#[specta::specta]
pub async fn set_backoff(
    state: State<'_, AppState>,
    id: String,
    backoff: Backoff,
) -> IpcResult<ConnectionSummary> {
    Ok(state.engine()?.set_backoff(&id, backoff).await?)
}

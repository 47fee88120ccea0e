//! Runs area.

use crate::error::IpcResult;
use crate::state::AppState;
use switchyard_engine::api::run_detail::{LinkView, RunDetail};
use switchyard_engine::api::runs::RunSummary;
use switchyard_engine::sync::{Keep, Progress, RunOptions, RunReport};
use tauri::ipc::Channel;
use tauri::State;

/// The newest `limit` runs (1..=500), newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_runs(state: State<'_, AppState>, limit: u32) -> IpcResult<Vec<RunSummary>> {
    Ok(state.engine()?.list_runs(limit).await?)
}

/// Runs a mapping now (or plans it, with `dry_run`), streaming progress over
/// `on_progress` after every page; resolves with the run's report.
#[tauri::command]
#[specta::specta]
pub async fn start_run(
    state: State<'_, AppState>,
    mapping_id: String,
    dry_run: bool,
    full: bool,
    on_progress: Channel<Progress>,
) -> IpcResult<RunReport> {
    let options = RunOptions {
        dry_run,
        full,
        ..Default::default()
    };
    let send = move |p: Progress| {
        if let Err(e) = on_progress.send(p) {
            tracing::warn!("run progress not delivered: {e}");
        }
    };
    Ok(state
        .engine()?
        .run_mapping(&mapping_id, options, &send)
        .await?)
}

/// Asks a run to stop at its next safe point (between pages).
#[tauri::command]
#[specta::specta]
pub async fn cancel_run(state: State<'_, AppState>, run_id: String) -> IpcResult<()> {
    state.engine()?.cancel_run(&run_id);
    Ok(())
}

/// A run with its per-record errors.
#[tauri::command]
#[specta::specta]
pub async fn get_run(state: State<'_, AppState>, run_id: String) -> IpcResult<RunDetail> {
    Ok(state.engine()?.get_run(&run_id).await?)
}

/// Runs the mapping again for only its records with open errors.
#[tauri::command]
#[specta::specta]
pub async fn retry_failed(
    state: State<'_, AppState>,
    mapping_id: String,
    on_progress: Channel<Progress>,
) -> IpcResult<RunReport> {
    let send = move |p: Progress| {
        if let Err(e) = on_progress.send(p) {
            tracing::warn!("run progress not delivered: {e}");
        }
    };
    Ok(state.engine()?.retry_failed(&mapping_id, &send).await?)
}

/// The identity map of a mapping: pairs whose ids contain `query`.
#[tauri::command]
#[specta::specta]
pub async fn list_links(
    state: State<'_, AppState>,
    mapping_id: String,
    query: String,
    limit: u32,
) -> IpcResult<Vec<LinkView>> {
    Ok(state
        .engine()?
        .list_links(&mapping_id, &query, limit)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn unlink(
    state: State<'_, AppState>,
    mapping_id: String,
    source_id: String,
) -> IpcResult<()> {
    Ok(state.engine()?.unlink(&mapping_id, &source_id).await?)
}

/// Pairs two records by hand.
#[tauri::command]
#[specta::specta]
pub async fn pin_link(
    state: State<'_, AppState>,
    mapping_id: String,
    source_id: String,
    target_id: String,
) -> IpcResult<()> {
    Ok(state
        .engine()?
        .pin_link(&mapping_id, &source_id, &target_id)
        .await?)
}

/// Settles a queued conflict by keeping the source's or the target's value (written now).
#[tauri::command]
#[specta::specta]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    error_id: i64,
    keep: Keep,
) -> IpcResult<()> {
    Ok(state.engine()?.resolve_conflict(error_id, keep).await?)
}

//! Start-up and shut-down, in an explicit order: folders → logging → engine → state.

use crate::state::AppState;
use std::path::PathBuf;
use switchyard_engine::logging::{self, LogGuard};
use switchyard_engine::{Engine, EngineConfig};
use tauri::{AppHandle, Manager, Runtime};

/// Keeps the log writer alive for the life of the app.
struct Logs(#[allow(dead_code)] LogGuard);

pub fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), Box<dyn std::error::Error>> {
    let (data_dir, log_dir) = folders(app)?;
    app.manage(Logs(logging::init(Some(&log_dir))));
    tracing::info!(version = env!("CARGO_PKG_VERSION"), data = %data_dir.display(), "Switchyard starting");
    let engine = tauri::async_runtime::block_on(async {
        let config = EngineConfig::new(data_dir.clone(), Some(log_dir))?;
        let engine = Engine::open(config).await?;
        // Minute roll-ups and retention of the health data, for the life of the app.
        engine.start_metrics_maintenance();
        // Status, alert rules and the live Health screen, after each metrics batch.
        engine.start_health_monitor();
        // Webhooks stored before a restart are synced; the receiver listens if turned on.
        if let Err(e) = engine.start_webhooks().await {
            tracing::warn!("webhooks not started: {}", e.message);
        }
        Ok::<_, switchyard_engine::EngineError>(engine)
    });
    if let Err(e) = &engine {
        tracing::error!(
            code = e.code.as_str(),
            "engine did not start: {}",
            e.message
        );
    }
    if let Ok(engine) = &engine {
        forward_health_ticks(app, engine);
    }
    let exports = exports_dir(app, &data_dir);
    app.manage(AppState::new(engine).with_exports_dir(exports));
    Ok(())
}

pub fn stop<R: Runtime>(app: &AppHandle<R>) {
    if let Some(state) = app.try_state::<AppState>() {
        if let Ok(engine) = state.engine() {
            tauri::async_runtime::block_on(engine.shutdown());
        }
    }
    tracing::info!("Switchyard stopped");
}

/// Sends each health tick to the window as one `health-updated` event.
fn forward_health_ticks<R: Runtime>(app: &AppHandle<R>, engine: &Engine) {
    use tauri_specta::Event as _;
    let mut ticks = engine.health_ticks();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match ticks.recv().await {
                Ok(tick) => {
                    if let Err(e) = crate::commands::health::HealthUpdated(tick).emit(&app) {
                        tracing::warn!("health update not sent to the window: {e}");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    tracing::debug!(skipped = n, "health updates skipped (window busy)");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// Exports go to the Downloads folder, or `<data>/exports` when the data folder is
/// overridden (tests, portable use).
fn exports_dir<R: Runtime>(app: &AppHandle<R>, data_dir: &std::path::Path) -> PathBuf {
    let overridden =
        std::env::var_os(switchyard_engine::store::DATA_DIR_ENV).is_some_and(|d| !d.is_empty());
    match app.path().download_dir() {
        Ok(dir) if !overridden => dir,
        _ => data_dir.join("exports"),
    }
}

/// The data folder (`SWITCHYARD_DATA_DIR` or the OS app-data folder) and the log folder
/// (`<data>/logs` when overridden, so tests never write into the real app folders).
fn folders<R: Runtime>(app: &AppHandle<R>) -> Result<(PathBuf, PathBuf), tauri::Error> {
    match std::env::var_os(switchyard_engine::store::DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            Ok((dir.clone(), dir.join("logs")))
        }
        _ => Ok((app.path().app_data_dir()?, app.path().app_log_dir()?)),
    }
}

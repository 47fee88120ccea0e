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
        let config = EngineConfig::new(data_dir, Some(log_dir))?;
        let engine = Engine::open(config).await?;
        // Minute roll-ups and retention of the health data, for the life of the app.
        engine.start_metrics_maintenance();
        Ok::<_, switchyard_engine::EngineError>(engine)
    });
    if let Err(e) = &engine {
        tracing::error!(
            code = e.code.as_str(),
            "engine did not start: {}",
            e.message
        );
    }
    app.manage(AppState::new(engine));
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

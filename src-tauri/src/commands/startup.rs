//! Start-up area: the window says its first screen has painted (benchmark B7).

use crate::error::{IpcError, IpcResult};
use crate::startup::StartupProbe;
use switchyard_engine::startup::UiMarks;
use switchyard_engine::ErrorCode;
use tauri::State;

/// The first screen has painted: with `SWITCHYARD_STARTUP_REPORT` set, writes the start-up
/// report there (once); otherwise does nothing. The window calls it only when asked to.
#[tauri::command]
#[specta::specta]
pub fn startup_painted(probe: State<'_, StartupProbe>, marks: UiMarks) -> IpcResult<()> {
    probe.first_screen(marks).map_err(|e| IpcError {
        code: ErrorCode::Internal,
        message: format!("start-up report not written: {e}"),
    })
}

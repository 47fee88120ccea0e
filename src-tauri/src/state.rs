//! Managed state: the engine handle (a cheap clone), or the reason it could not start.
//! When the database cannot be opened (say, a newer Switchyard migrated it) the window
//! still opens and every screen shows that reason instead of a blank app.

use crate::error::{IpcError, IpcResult};
use std::path::{Path, PathBuf};
use switchyard_engine::{Engine, EngineError};

#[derive(Debug, Clone)]
pub struct AppState {
    engine: Result<Engine, IpcError>,
    /// Where exported health data and run logs are saved.
    exports_dir: Option<PathBuf>,
}

impl AppState {
    pub fn new(engine: Result<Engine, EngineError>) -> Self {
        Self {
            engine: engine.map_err(IpcError::from),
            exports_dir: None,
        }
    }

    pub fn with_exports_dir(mut self, dir: PathBuf) -> Self {
        self.exports_dir = Some(dir);
        self
    }

    pub fn exports_dir(&self) -> Option<&Path> {
        self.exports_dir.as_deref()
    }

    pub fn engine(&self) -> IpcResult<&Engine> {
        self.engine.as_ref().map_err(Clone::clone)
    }
}

//! Managed state: the engine handle (a cheap clone), or the reason it could not start.
//! When the database cannot be opened (say, a newer Switchyard migrated it) the window
//! still opens and every screen shows that reason instead of a blank app.

use crate::error::{IpcError, IpcResult};
use switchyard_engine::{Engine, EngineError};

#[derive(Debug, Clone)]
pub struct AppState {
    engine: Result<Engine, IpcError>,
}

impl AppState {
    pub fn new(engine: Result<Engine, EngineError>) -> Self {
        Self {
            engine: engine.map_err(IpcError::from),
        }
    }

    pub fn engine(&self) -> IpcResult<&Engine> {
        self.engine.as_ref().map_err(Clone::clone)
    }
}

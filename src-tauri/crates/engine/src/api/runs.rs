//! Run history as the UI lists it.

use crate::{Engine, EngineError, EngineResult};
use switchyard_store::kinds::RunStatus;
use switchyard_store::tables::runs;

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    pub id: String,
    pub mapping_id: String,
    pub mapping_name: String,
    pub status: RunStatus,
    pub dry_run: bool,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub records_read: i64,
    pub records_written: i64,
    pub records_skipped: i64,
    pub records_failed: i64,
    pub calls_made: i64,
    pub message: Option<String>,
}

impl From<runs::RunWithMapping> for RunSummary {
    fn from(r: runs::RunWithMapping) -> Self {
        let run = r.run;
        Self {
            records_written: run.records_created + run.records_updated,
            id: run.id,
            mapping_id: run.mapping_id,
            mapping_name: r.mapping_name,
            status: run.status,
            dry_run: run.dry_run,
            started_at: run.started_at,
            finished_at: run.finished_at,
            records_read: run.records_read,
            records_skipped: run.records_skipped,
            records_failed: run.records_failed,
            calls_made: run.calls_made,
            message: run.message,
        }
    }
}

/// The most runs one history request returns.
pub const MAX_RUNS_PER_PAGE: u32 = 500;

impl Engine {
    /// The newest `limit` runs (1..=500), newest first.
    pub async fn list_runs(&self, limit: u32) -> EngineResult<Vec<RunSummary>> {
        if limit == 0 || limit > MAX_RUNS_PER_PAGE {
            return Err(EngineError::validation(format!(
                "limit must be between 1 and {MAX_RUNS_PER_PAGE}, got {limit}"
            )));
        }
        let rows = runs::recent(self.store().pool(), i64::from(limit)).await?;
        Ok(rows.into_iter().map(RunSummary::from).collect())
    }
}

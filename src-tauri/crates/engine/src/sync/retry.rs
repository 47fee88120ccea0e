//! "Retry failed": runs a mapping again for only the records whose errors are still
//! open. Those errors are then closed: a record that went through is done, and one that
//! failed again has a fresh error from the retry run, which is the open one now.

use super::report::{Progress, RunOptions, RunReport};
use crate::{Engine, EngineError, EngineResult};
use switchyard_store::kinds::{RunErrorStatus, RunTrigger};
use switchyard_store::tables::run_errors;

impl Engine {
    pub async fn retry_failed(
        &self,
        mapping_id: &str,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> EngineResult<RunReport> {
        let pool = self.store().pool();
        let open = run_errors::open_for_mapping(pool, mapping_id).await?;
        let mut ids: Vec<String> = open.iter().filter_map(|e| e.record_id.clone()).collect();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            return Err(EngineError::validation(
                "This mapping has no failed records to retry.",
            ));
        }
        let options = RunOptions {
            trigger: Some(RunTrigger::Retry),
            only: Some(ids),
            ..Default::default()
        };
        let report = self.run_mapping(mapping_id, options, progress).await?;
        for e in open {
            run_errors::set_status(pool, e.id, RunErrorStatus::Resolved).await?;
        }
        Ok(report)
    }
}

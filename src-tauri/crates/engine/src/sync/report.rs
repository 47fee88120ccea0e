//! The public shapes of a run: the options it starts with, the progress it streams after
//! every page, and the report it ends with (a dry run's plan included). Plain data: the
//! stages fill them in.

use super::plan::{Action, FieldChange};
use serde::Serialize;
use switchyard_store::kinds::{RunStatus, RunTrigger};

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub dry_run: bool,
    /// Read everything, ignoring the stored cursor.
    pub full: bool,
    pub trigger: Option<RunTrigger>,
    /// Only these source records (retrying failed ones); the cursor is left alone.
    pub only: Option<Vec<String>>,
    /// Stop at the first checkpoint after this many API calls.
    pub call_budget: Option<u32>,
    /// Stop at a checkpoint when either account's daily headroom falls below this
    /// percentage (as the providers' own limit headers report it).
    pub min_headroom_pct: Option<f64>,
}

/// Live progress, sent after every page.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(
    tag = "event",
    content = "data",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Progress {
    Started {
        run_id: String,
    },
    Page {
        read: u32,
        created: u32,
        updated: u32,
        skipped: u32,
        failed: u32,
        calls: u32,
        records_per_sec: f64,
    },
    Finished {
        status: RunStatus,
    },
}

/// One record of a dry run's plan.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRecord {
    pub source_id: String,
    pub target_id: Option<String>,
    pub action: Action,
    pub changes: Vec<FieldChange>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub run_id: String,
    pub status: RunStatus,
    pub read: u32,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub failed: u32,
    /// Fields changed on both sides since the last sync (two-way runs).
    pub conflicts: u32,
    pub calls: u32,
    pub message: String,
    /// A dry run's plan (the first 500 records).
    pub plan: Vec<PlannedRecord>,
}

/// The most records a dry run's report lists (counts cover all of them).
pub(super) const PLAN_MAX: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_tagged_by_event_with_camel_case_data() {
        let page = Progress::Page {
            read: 3,
            created: 1,
            updated: 1,
            skipped: 1,
            failed: 0,
            calls: 2,
            records_per_sec: 1.5,
        };
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["event"], "page");
        assert_eq!(json["data"]["recordsPerSec"], 1.5);
        let started = serde_json::to_value(Progress::Started {
            run_id: "r1".into(),
        })
        .unwrap();
        assert_eq!(
            started,
            serde_json::json!({"event": "started", "data": {"runId": "r1"}})
        );
    }
}

//! What was seen of target records when their updates were decided: versions
//! (QuickBooks' SyncToken), last-modified times, and records read just before their
//! write. `recheck` compares against them before an update is sent.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use switchyard_connectors::value::Record;

/// What was seen of target records when their updates were decided, by target id.
#[derive(Debug, Default)]
pub(super) struct Snapshots {
    /// Current versions (QuickBooks' SyncToken).
    pub(super) versions: HashMap<String, String>,
    /// Last-modified times seen (the record was read from the target when decided).
    pub(super) seen: HashMap<String, Option<DateTime<Utc>>>,
    /// Records read just before their write (QuickBooks' SyncToken read), with values.
    pub(super) current: HashMap<String, Record>,
}

impl Snapshots {
    /// Remembers a target record read while deciding.
    pub(super) fn saw(&mut self, record: &Record) {
        if let Some(v) = &record.version {
            self.versions.insert(record.id.clone(), v.clone());
        }
        self.seen.insert(record.id.clone(), record.modified);
    }

    pub(super) fn extend(&mut self, other: Snapshots) {
        self.versions.extend(other.versions);
        self.seen.extend(other.seen);
    }

    pub(super) fn forget(&mut self, id: &str) {
        self.versions.remove(id);
        self.seen.remove(id);
        self.current.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_seen_is_remembered_until_forgotten() {
        let mut one = super::super::fixtures::record("t1", &[]);
        one.version = Some("7".into());
        let mut page = Snapshots::default();
        page.saw(&one);
        page.saw(&super::super::fixtures::record("t2", &[]));
        let mut run = Snapshots::default();
        run.extend(page);
        assert_eq!(run.versions.get("t1").map(String::as_str), Some("7"));
        assert_eq!(run.seen.len(), 2);
        run.forget("t1");
        assert!(!run.versions.contains_key("t1") && !run.seen.contains_key("t1"));
        assert!(run.seen.contains_key("t2"));
    }
}

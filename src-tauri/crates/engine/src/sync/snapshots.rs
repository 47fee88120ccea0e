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

    /// Moves out what was seen of the records `ids` (a batch taken to be written).
    pub(super) fn take_for<'i>(&mut self, ids: impl Iterator<Item = &'i str>) -> Snapshots {
        let mut out = Snapshots::default();
        for id in ids {
            if let Some((k, v)) = self.versions.remove_entry(id) {
                out.versions.insert(k, v);
            }
            if let Some((k, v)) = self.seen.remove_entry(id) {
                out.seen.insert(k, v);
            }
            if let Some((k, v)) = self.current.remove_entry(id) {
                out.current.insert(k, v);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_seen_is_remembered_until_taken() {
        let mut one = super::super::fixtures::record("t1", &[]);
        one.version = Some("7".into());
        let mut page = Snapshots::default();
        page.saw(&one);
        page.saw(&super::super::fixtures::record("t2", &[]));
        let mut run = Snapshots::default();
        run.extend(page);
        assert_eq!(run.versions.get("t1").map(String::as_str), Some("7"));
        assert_eq!(run.seen.len(), 2);
        let gone = run.take_for(["t1"].into_iter());
        assert_eq!(gone.versions.get("t1").map(String::as_str), Some("7"));
        assert!(!run.versions.contains_key("t1") && !run.seen.contains_key("t1"));
        assert!(run.seen.contains_key("t2"));
    }
}

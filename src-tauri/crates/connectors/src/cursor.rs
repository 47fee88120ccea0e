//! The incremental read cursor. Several records can share one modification timestamp
//! (bulk edits, imports), and a page can end in the middle of them; a cursor of "after
//! T" would then miss the rest and "from T" would read some twice. So the cursor keeps
//! the last timestamp *and* the ids already seen at it: reads ask the provider for
//! changes at or after T and drop the ids already seen. The seen ids are a set (a tie
//! can hold tens of thousands of records), so admitting a record is O(log n).
//!
//! Two more rules keep a stored cursor honest when people edit data while a run reads:
//! a cursor kept for the next run only moves over records changed before the run
//! began (`advance_until`), since a record changed later may not be visible yet
//! everywhere (HubSpot search indexes with a delay; a Salesforce query snapshot shows an
//! edited record out of order); and the next run starts a look-back window earlier
//! (`looking_back`), so records a provider showed late are still read.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use crate::value::Record;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Cursor {
    /// The newest modification time read so far.
    pub at: Option<DateTime<Utc>>,
    /// Ids of the records read whose modification time is exactly `at`.
    pub seen_at: BTreeSet<String>,
}

impl Cursor {
    pub fn starting(at: DateTime<Utc>) -> Self {
        Self {
            at: Some(at),
            seen_at: BTreeSet::new(),
        }
    }

    /// Whether `record` is new to this cursor (not before it, not already seen at it).
    pub fn admits(&self, record: &Record) -> bool {
        match (self.at, record.modified) {
            (Some(at), Some(m)) if m < at => false,
            (Some(at), Some(m)) if m == at => !self.seen_at.contains(&record.id),
            _ => true,
        }
    }

    /// Moves the cursor over `records` (any order).
    pub fn advance<'a>(&mut self, records: impl IntoIterator<Item = &'a Record>) {
        self.advance_until(records, None);
    }

    /// Moves the cursor over the records of `records` changed no later than `horizon`
    /// (all of them when `None`); later ones are left for the next run to read.
    pub fn advance_until<'a>(
        &mut self,
        records: impl IntoIterator<Item = &'a Record>,
        horizon: Option<DateTime<Utc>>,
    ) {
        for r in records {
            let Some(m) = r.modified else { continue };
            if horizon.is_some_and(|h| m > h) {
                continue;
            }
            match self.at {
                Some(at) if m < at => {}
                Some(at) if m == at => {
                    if !self.seen_at.contains(&r.id) {
                        self.seen_at.insert(r.id.clone());
                    }
                }
                _ => {
                    self.at = Some(m);
                    self.seen_at = BTreeSet::from([r.id.clone()]);
                }
            }
        }
    }

    /// The cursor a run starts from: `window` earlier than where the last one stopped,
    /// with nothing marked seen (records changed in the window are read again and
    /// skipped when they equal what was synced).
    pub fn looking_back(&self, window: Duration) -> Self {
        if window <= Duration::zero() {
            return self.clone();
        }
        Self {
            at: self.at.map(|at| at - window),
            seen_at: BTreeSet::new(),
        }
    }

    /// Whether `record` was read at exactly this cursor's timestamp (and is unchanged
    /// since, or its timestamp would have moved): a look-back read drops these again.
    pub fn saw(&self, record: &Record) -> bool {
        self.at.is_some() && record.modified == self.at && self.seen_at.contains(&record.id)
    }

    /// Keeps the records this cursor has not seen.
    pub fn filter(&self, records: Vec<Record>) -> Vec<Record> {
        records.into_iter().filter(|r| self.admits(r)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rec(id: &str, secs: i64) -> Record {
        Record {
            id: id.into(),
            modified: Utc.timestamp_opt(secs, 0).single(),
            archived: false,
            version: None,
            fields: Default::default(),
        }
    }

    fn ids(c: &Cursor) -> Vec<&str> {
        c.seen_at.iter().map(String::as_str).collect()
    }

    #[test]
    fn equal_timestamps_across_a_page_boundary() {
        let mut c = Cursor::default();
        let page1 = vec![rec("a", 10), rec("b", 20), rec("c", 20)];
        c.advance(&page1);
        assert_eq!(c.at, Utc.timestamp_opt(20, 0).single());
        assert_eq!(ids(&c), vec!["b", "c"]);
        // The provider is asked for ">= 20" and sends b and c again with d and e.
        let page2 = c.filter(vec![rec("b", 20), rec("c", 20), rec("d", 20), rec("e", 30)]);
        let got: Vec<_> = page2.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(got, ["d", "e"]);
        c.advance(&page2);
        assert_eq!(ids(&c), vec!["e"]);
        assert!(!c.admits(&rec("z", 29)));
        assert!(c.admits(&rec("f", 30)));
    }

    #[test]
    fn records_changed_after_the_horizon_do_not_move_it() {
        let mut c = Cursor::default();
        let horizon = Utc.timestamp_opt(25, 0).single();
        // A query snapshot shows "x", edited at 90 after the run began, between older rows.
        c.advance_until(&[rec("a", 10), rec("x", 90), rec("b", 20)], horizon);
        assert_eq!(c.at, Utc.timestamp_opt(20, 0).single());
        assert_eq!(ids(&c), vec!["b"]);
        assert!(c.admits(&rec("x", 90)), "the next run reads x again");
    }

    #[test]
    fn a_look_back_starts_earlier_and_forgets_what_was_seen() {
        let mut c = Cursor::default();
        c.advance(&[rec("a", 100), rec("b", 100)]);
        let back = c.looking_back(Duration::seconds(30));
        assert_eq!(back.at, Utc.timestamp_opt(70, 0).single());
        assert!(back.seen_at.is_empty());
        assert!(back.admits(&rec("late", 80)), "indexed late, still read");
        assert!(c.saw(&rec("a", 100)) && !c.saw(&rec("a", 101)) && !c.saw(&rec("c", 100)));
        assert_eq!(c.looking_back(Duration::zero()), c);
    }

    #[test]
    fn a_large_tie_is_admitted_in_logarithmic_time() {
        let mut c = Cursor::default();
        let tie: Vec<Record> = (0..20_000).map(|i| rec(&i.to_string(), 5)).collect();
        c.advance(&tie);
        assert_eq!(c.seen_at.len(), 20_000);
        assert!(c.filter(tie).is_empty());
        assert!(c.admits(&rec("20000", 5)));
    }
}

//! The incremental read cursor. Several records can share one modification timestamp
//! (bulk edits, imports), and a page can end in the middle of them; a cursor of "after
//! T" would then miss the rest and "from T" would read some twice. So the cursor keeps
//! the last timestamp *and* the ids already seen at it: reads ask the provider for
//! changes at or after T and drop the ids already seen.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::value::Record;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Cursor {
    /// The newest modification time read so far.
    pub at: Option<DateTime<Utc>>,
    /// Ids of the records read whose modification time is exactly `at`.
    pub seen_at: Vec<String>,
}

impl Cursor {
    pub fn starting(at: DateTime<Utc>) -> Self {
        Self {
            at: Some(at),
            seen_at: Vec::new(),
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
        for r in records {
            let Some(m) = r.modified else { continue };
            match self.at {
                Some(at) if m < at => {}
                Some(at) if m == at => {
                    if !self.seen_at.contains(&r.id) {
                        self.seen_at.push(r.id.clone());
                    }
                }
                _ => {
                    self.at = Some(m);
                    self.seen_at = vec![r.id.clone()];
                }
            }
        }
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

    #[test]
    fn equal_timestamps_across_a_page_boundary() {
        let mut c = Cursor::default();
        let page1 = vec![rec("a", 10), rec("b", 20), rec("c", 20)];
        c.advance(&page1);
        assert_eq!(c.at, Utc.timestamp_opt(20, 0).single());
        assert_eq!(c.seen_at, vec!["b", "c"]);
        // The provider is asked for ">= 20" and sends b and c again with d and e.
        let page2 = c.filter(vec![rec("b", 20), rec("c", 20), rec("d", 20), rec("e", 30)]);
        let ids: Vec<_> = page2.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["d", "e"]);
        c.advance(&page2);
        assert_eq!(c.seen_at, vec!["e"]);
        assert!(!c.admits(&rec("z", 29)));
        assert!(c.admits(&rec("f", 30)));
    }
}

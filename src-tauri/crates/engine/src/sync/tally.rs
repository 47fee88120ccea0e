//! A run's counters: what each page (and the run) read, created, updated, skipped,
//! failed and found in conflict. Pages add theirs to the run's; the run's row takes
//! each page's share at its checkpoint.

use switchyard_store::tables::runs;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Tally {
    pub(super) read: u32,
    pub(super) created: u32,
    pub(super) updated: u32,
    pub(super) skipped: u32,
    pub(super) failed: u32,
    pub(super) conflicts: u32,
}

impl Tally {
    pub(super) fn add(&mut self, page: &Tally) {
        self.read += page.read;
        self.created += page.created;
        self.updated += page.updated;
        self.skipped += page.skipped;
        self.failed += page.failed;
        self.conflicts += page.conflicts;
    }

    /// The counters a page adds to its run's row.
    pub(super) fn counts(&self) -> runs::Counts {
        runs::Counts {
            read: i64::from(self.read),
            created: i64::from(self.created),
            updated: i64::from(self.updated),
            skipped: i64::from(self.skipped),
            failed: i64::from(self.failed),
            conflicts: i64::from(self.conflicts),
            calls: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_add_up_and_a_page_never_counts_calls() {
        let page = Tally {
            read: 3,
            created: 1,
            updated: 1,
            skipped: 1,
            failed: 0,
            conflicts: 2,
        };
        let mut run = Tally::default();
        run.add(&page);
        run.add(&page);
        assert_eq!(run.read, 6);
        assert_eq!(run.conflicts, 4);
        let counts = run.counts();
        assert_eq!((counts.read, counts.created, counts.calls), (6, 2, 0));
    }
}

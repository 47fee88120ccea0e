//! Live records of one object in last-modified order, `(modified ms, id)` — the order a
//! search sorted by the last-modified date returns them in (ties by id). Sync engines
//! read incrementally with exactly that search (`modified ≥ cursor`, ascending), so it
//! pages from the index in O(log n + page) instead of filtering and sorting every
//! record for every page. The result count of the last range asked for is remembered
//! until a record changes: one query's pages all report the same `total`.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

#[derive(Debug, Default)]
pub struct ModifiedIndex {
    order: BTreeSet<(i64, u64)>,
    counted: Option<(RangeInclusive<i64>, usize)>,
}

impl ModifiedIndex {
    pub fn insert(&mut self, modified_ms: i64, id: u64) {
        self.counted = None;
        self.order.insert((modified_ms, id));
    }

    pub fn remove(&mut self, modified_ms: i64, id: u64) {
        self.counted = None;
        self.order.remove(&(modified_ms, id));
    }

    /// Ids modified within `ms`, oldest first (ties by id).
    pub fn ids(&self, ms: RangeInclusive<i64>) -> impl Iterator<Item = u64> + '_ {
        let (lo, hi) = (*ms.start(), *ms.end());
        let range = (lo <= hi).then(|| self.order.range((lo, 0)..=(hi, u64::MAX)));
        range.into_iter().flatten().map(|(_, id)| *id)
    }

    /// How many records were modified within `ms`.
    pub fn count(&mut self, ms: RangeInclusive<i64>) -> usize {
        match &self.counted {
            Some((range, n)) if *range == ms => *n,
            _ => {
                let n = self.ids(ms.clone()).count();
                self.counted = Some((ms, n));
                n
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_inclusive_ordered_by_time_then_id_and_counts_follow_changes() {
        let mut index = ModifiedIndex::default();
        for (ms, id) in [(30, 1), (10, 2), (20, 3), (20, 4), (40, 5)] {
            index.insert(ms, id);
        }
        assert_eq!(index.ids(20..=30).collect::<Vec<_>>(), vec![3, 4, 1]);
        assert_eq!(index.ids(i64::MIN..=i64::MAX).count(), 5);
        let (after, before) = (31, 30);
        assert_eq!(index.ids(after..=before).count(), 0, "an empty range");
        assert_eq!(index.count(20..=i64::MAX), 4);
        index.remove(20, 3);
        assert_eq!(index.count(20..=i64::MAX), 3);
        index.insert(50, 3);
        assert_eq!(index.count(20..=i64::MAX), 4);
    }
}

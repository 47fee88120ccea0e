//! Live records of one object in last-modified order, `(modified ms, id)` — the order a
//! search sorted by the last-modified date returns them in (ties by id), and within one
//! millisecond the order of a search sorted by `hs_object_id`. Sync engines read
//! incrementally with exactly those searches (`modified ≥ cursor`, ascending; a tie read
//! by id), so they page from the index in O(log n + page) instead of filtering and
//! sorting every record for every page. A search's `total` is counted once per range and
//! then kept up to date as the range moves (each keyset page starts where the last one
//! ended), so counting costs O(page) too; any change to a record forgets it.

use std::collections::BTreeSet;
use std::ops::Bound;

/// An entry of the index: (last-modified ms, id).
pub type Key = (i64, u64);

#[derive(Debug, Default)]
pub struct ModifiedIndex {
    order: BTreeSet<Key>,
    /// The last range counted, inclusive at both ends, and its count.
    counted: Option<(Key, Key, usize)>,
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

    /// Ids from `lo` to `hi` (inclusive), oldest first (ties by id).
    pub fn ids(&self, lo: Key, hi: Key) -> impl Iterator<Item = u64> + '_ {
        let range = (lo <= hi).then(|| self.order.range(lo..=hi));
        range.into_iter().flatten().map(|(_, id)| *id)
    }

    /// How many entries lie from `lo` to `hi` (inclusive).
    pub fn count(&mut self, lo: Key, hi: Key) -> usize {
        if lo > hi {
            return 0;
        }
        let n = match self.counted {
            Some((lo0, hi0, n0)) if lo >= lo0 && hi >= hi0 && lo <= hi0 => {
                // The range moved forward: drop what fell behind, add what came in front.
                let behind = self
                    .order
                    .range((Bound::Included(lo0), Bound::Excluded(lo)))
                    .count();
                let ahead = self
                    .order
                    .range((Bound::Excluded(hi0), Bound::Included(hi)))
                    .count();
                n0 - behind + ahead
            }
            _ => self.order.range(lo..=hi).count(),
        };
        self.counted = Some((lo, hi, n));
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: (Key, Key) = ((i64::MIN, 0), (i64::MAX, u64::MAX));

    #[test]
    fn ranges_are_inclusive_ordered_by_time_then_id_and_counts_follow_changes() {
        let mut index = ModifiedIndex::default();
        for (ms, id) in [(30, 1), (10, 2), (20, 3), (20, 4), (40, 5)] {
            index.insert(ms, id);
        }
        assert_eq!(
            index.ids((20, 0), (30, u64::MAX)).collect::<Vec<_>>(),
            vec![3, 4, 1]
        );
        assert_eq!(index.ids(ALL.0, ALL.1).count(), 5);
        assert_eq!(
            index.ids((31, 0), (30, u64::MAX)).count(),
            0,
            "an empty range"
        );
        assert_eq!(
            index.ids((20, 4), (20, u64::MAX)).collect::<Vec<_>>(),
            vec![4]
        );
        assert_eq!(index.count((20, 0), ALL.1), 4);
        index.remove(20, 3);
        assert_eq!(index.count((20, 0), ALL.1), 3);
        index.insert(50, 3);
        assert_eq!(index.count((20, 0), ALL.1), 4);
    }

    #[test]
    fn a_moving_range_counts_what_a_fresh_count_would() {
        let mut index = ModifiedIndex::default();
        for id in 0..1000u64 {
            index.insert((id / 3) as i64, id);
        }
        let mut lo = (0, 0);
        let mut hi = (100, u64::MAX);
        for step in 0..60 {
            let n = index.count(lo, hi);
            let fresh = index.ids(lo, hi).count();
            assert_eq!(n, fresh, "step {step}");
            lo = (lo.0 + 5, step);
            hi = (hi.0 + 3, u64::MAX);
        }
        assert_eq!(index.count((5, 0), (4, 0)), 0);
    }
}

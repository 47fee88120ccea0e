//! Forward writes decided but not sent yet. Creates and updates wait, across pages, until
//! a full batch of the target's size is ready, so a run sends ⌈creates ÷ batch⌉ +
//! ⌈updates ÷ batch⌉ writes rather than a part-filled create and update batch per page.
//!
//! Nothing waiting has an outbox intent yet, and the source cursor is only committed up
//! to the last page none of whose records still wait: after a crash those pages are read
//! again and decided afresh, so a record is never lost and never sent twice.
//!
//! Decisions taken to be sent (`Taken`) stay marked until they have `landed`: while a
//! batch is in flight the next page may be decided, unless it repeats one of its
//! records or match keys, and the cursor does not move past the batch's pages.

use super::matching;
use super::plan::{Action, Decision};
use super::snapshots::Snapshots;
use crate::mapping::model::MatchRule;
use std::collections::{HashSet, VecDeque};
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::value::Record;

/// One decision waiting to be sent, with the page it came from.
struct Waiting {
    page: u64,
    decision: Decision,
    /// The record's match keys (its own, and for a create the one the created target will
    /// have when another field fills it): a later record with one of them must see what
    /// this one wrote (the target it created, or the link it makes), so it waits for it.
    keys: Vec<String>,
}

/// Decisions taken from `Pending` to be sent, with what their writes need. They stay
/// marked in `Pending` until `Pending::landed` is told they were written.
pub(super) struct Taken {
    pub(super) decisions: Vec<Decision>,
    /// What was seen of their target records when decided.
    pub(super) snapshots: Snapshots,
    keys: Vec<String>,
    /// The oldest page they came from.
    page: u64,
}

#[derive(Default)]
pub(super) struct Pending {
    waiting: VecDeque<Waiting>,
    /// Source ids and match keys of decisions waiting or taken and not landed yet.
    source_ids: HashSet<String>,
    keys: HashSet<String>,
    /// What was seen of matched target records (version, last-modified), by target id.
    pub(super) snapshots: Snapshots,
    /// Cursors after each page read whose records may still wait, oldest first.
    cursors: VecDeque<(u64, Cursor)>,
    /// The oldest page of each batch taken and not landed yet.
    flying: Vec<u64>,
}

impl Pending {
    /// Queues a page's creates and updates; other decisions are ignored.
    pub(super) fn push(&mut self, page: u64, decision: Decision, keys: Vec<String>) {
        if !matches!(decision.action, Action::Create | Action::Update) {
            return;
        }
        self.source_ids.insert(decision.source_id.clone());
        self.keys.extend(keys.iter().cloned());
        self.waiting.push_back(Waiting {
            page,
            decision,
            keys,
        });
    }

    /// Whether a page holds a record that waits or is in flight, or one whose match key
    /// such a record has: those must be written before the page is decided.
    pub(super) fn overlaps(&self, records: &[Record], rule: &MatchRule) -> bool {
        records.iter().any(|r| {
            self.source_ids.contains(&r.id)
                || matching::key(rule.kind, r.get(&rule.source_field))
                    .is_some_and(|k| self.keys.contains(&k))
        })
    }

    /// Whether a batch taken has not landed yet.
    #[cfg(test)]
    pub(super) fn in_flight(&self) -> bool {
        !self.flying.is_empty()
    }

    /// Takes the decisions to send now, if any: every one when `all`, otherwise only
    /// whole batches of each action (oldest first); the rest keep waiting. They stay
    /// marked until `landed`.
    pub(super) fn take(&mut self, batch: usize, all: bool) -> Option<Taken> {
        let batch = batch.max(1);
        // Creates first, updates second.
        let mut quota = [Action::Create, Action::Update].map(|a| {
            let n = self
                .waiting
                .iter()
                .filter(|w| w.decision.action == a)
                .count();
            if all {
                n
            } else {
                n / batch * batch
            }
        });
        let mut out = Vec::new();
        let mut keys = Vec::new();
        let mut page = u64::MAX;
        let mut kept = VecDeque::with_capacity(self.waiting.len());
        for w in self.waiting.drain(..) {
            let slot = usize::from(w.decision.action == Action::Update);
            match quota.get_mut(slot) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    keys.extend(w.keys);
                    page = page.min(w.page);
                    out.push(w.decision);
                }
                _ => kept.push_back(w),
            }
        }
        self.waiting = kept;
        if out.is_empty() {
            return None;
        }
        let targets = out.iter().filter_map(|d| d.target_id.as_deref());
        let snapshots = self.snapshots.take_for(targets);
        self.flying.push(page);
        Some(Taken {
            decisions: out,
            snapshots,
            keys,
            page,
        })
    }

    /// Clears the marks of decisions taken, once written (or failed): their records
    /// and keys may be decided again, and the cursor may pass their pages.
    pub(super) fn landed(&mut self, taken: &Taken) {
        for d in &taken.decisions {
            self.source_ids.remove(&d.source_id);
        }
        for k in &taken.keys {
            self.keys.remove(k);
        }
        if let Some(i) = self.flying.iter().position(|p| *p == taken.page) {
            self.flying.swap_remove(i);
        }
    }

    /// Whether a record read `max_pages` or more pages before `page` still waits: the
    /// cursor must not lag so far that a crash means reading much again.
    pub(super) fn lags(&self, page: u64, max_pages: u64) -> bool {
        self.waiting
            .front()
            .is_some_and(|w| page.saturating_sub(w.page) >= max_pages)
    }

    /// Remembers the cursor reached after reading page `page`.
    pub(super) fn read_up_to(&mut self, page: u64, cursor: Cursor) {
        self.cursors.push_back((page, cursor));
    }

    /// The newest cursor that no waiting record depends on, if it moved: every page up
    /// to it has been sent in full.
    pub(super) fn committable(&mut self) -> Option<Cursor> {
        let waiting = self.waiting.iter().map(|w| w.page);
        let oldest_waiting = waiting.chain(self.flying.iter().copied()).min();
        let mut last = None;
        while let Some((page, _)) = self.cursors.front() {
            if oldest_waiting.is_some_and(|o| *page >= o) {
                break;
            }
            last = self.cursors.pop_front().map(|(_, c)| c);
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::model::MatchKind;
    use switchyard_connectors::value::Value;

    fn decision(id: &str, action: Action) -> Decision {
        Decision {
            source_id: id.into(),
            target_id: (action == Action::Update).then(|| format!("t{id}")),
            action,
            values: Default::default(),
            changes: Default::default(),
            expected: Default::default(),
            error: None,
        }
    }

    fn cursor(n: i64) -> Cursor {
        Cursor::starting(chrono::DateTime::from_timestamp(n, 0).unwrap_or_default())
    }

    /// Takes and lands at once (a batch written before anything else happens).
    fn sent(p: &mut Pending, batch: usize, all: bool) -> Vec<String> {
        let Some(taken) = p.take(batch, all) else {
            return Vec::new();
        };
        p.landed(&taken);
        taken.decisions.into_iter().map(|d| d.source_id).collect()
    }

    #[test]
    fn only_whole_batches_leave_until_everything_is_asked_for() {
        let mut p = Pending::default();
        for i in 0..5 {
            p.push(0, decision(&format!("c{i}"), Action::Create), Vec::new());
        }
        for i in 0..3 {
            p.push(0, decision(&format!("u{i}"), Action::Update), Vec::new());
        }
        p.push(0, decision("s", Action::Skip), Vec::new());
        assert_eq!(sent(&mut p, 2, false), ["c0", "c1", "c2", "c3", "u0", "u1"]);
        assert_eq!(sent(&mut p, 2, true), ["c4", "u2"]);
        assert!(p.take(2, true).is_none());
    }

    #[test]
    fn the_cursor_stops_before_the_oldest_page_still_waiting() {
        let mut p = Pending::default();
        p.push(1, decision("a", Action::Create), Vec::new());
        p.read_up_to(1, cursor(10));
        p.push(2, decision("b", Action::Create), Vec::new());
        p.read_up_to(2, cursor(20));
        assert_eq!(p.committable(), None, "page 1 still waits");
        assert_eq!(sent(&mut p, 1, false).len(), 2);
        p.push(3, decision("c", Action::Update), Vec::new());
        p.read_up_to(3, cursor(30));
        assert_eq!(p.committable(), Some(cursor(20)), "pages 1 and 2 are sent");
        assert_eq!(p.committable(), None, "nothing moved since");
        sent(&mut p, 1, true);
        assert_eq!(p.committable(), Some(cursor(30)));
    }

    #[test]
    fn the_cursor_stops_before_a_batch_in_flight_until_it_lands() {
        let mut p = Pending::default();
        p.push(1, decision("a", Action::Create), Vec::new());
        p.read_up_to(1, cursor(10));
        let flying = p.take(1, true).unwrap();
        assert!(p.in_flight());
        p.push(2, decision("b", Action::Create), Vec::new());
        p.read_up_to(2, cursor(20));
        let second = p.take(1, true).unwrap();
        assert_eq!(p.committable(), None, "page 1 is in flight");
        p.landed(&second);
        assert_eq!(p.committable(), None, "page 1 is still in flight");
        p.landed(&flying);
        assert!(!p.in_flight());
        assert_eq!(p.committable(), Some(cursor(20)));
    }

    #[test]
    fn the_oldest_waiting_record_sets_the_lag() {
        let mut p = Pending::default();
        assert!(!p.lags(9, 8));
        p.push(2, decision("a", Action::Update), Vec::new());
        p.push(5, decision("b", Action::Create), Vec::new());
        assert!(!p.lags(9, 8));
        assert!(p.lags(10, 8));
        sent(&mut p, 1, false);
        assert!(
            !p.lags(10, 8),
            "nothing waits once whole batches of one left"
        );
    }

    #[test]
    fn a_page_repeating_a_waiting_or_flying_record_or_its_key_overlaps() {
        let rule = MatchRule {
            kind: MatchKind::Email,
            source_field: "email".into(),
            target_field: "Email".into(),
        };
        let mut p = Pending::default();
        p.push(
            1,
            decision("1", Action::Create),
            vec!["ann@example.com".into()],
        );
        p.push(
            1,
            decision("7", Action::Update),
            vec!["cy@example.com".into(), "cy.target@example.com".into()],
        );
        let record = |id: &str, email: &str| Record {
            id: id.into(),
            modified: None,
            archived: false,
            version: None,
            fields: [("email".to_owned(), Value::text(email))].into(),
        };
        assert!(p.overlaps(&[record("1", "other@example.com")], &rule));
        assert!(p.overlaps(&[record("2", " ANN@example.com")], &rule));
        assert!(
            p.overlaps(&[record("8", "cy@example.com")], &rule),
            "an update's key too"
        );
        assert!(!p.overlaps(&[record("3", "bob@example.com")], &rule));
        let flying = p.take(10, true).unwrap();
        assert!(
            p.overlaps(&[record("2", "ann@example.com")], &rule),
            "in flight"
        );
        assert!(
            p.overlaps(&[record("1", "x@example.com")], &rule),
            "in flight"
        );
        p.landed(&flying);
        assert!(!p.overlaps(&[record("2", "ann@example.com")], &rule));
        assert!(!p.overlaps(&[record("1", "x@example.com")], &rule));
    }

    #[test]
    fn a_batch_takes_its_targets_snapshots_with_it() {
        let mut p = Pending::default();
        let mut seen = super::super::fixtures::record("tu0", &[]);
        seen.version = Some("3".into());
        p.snapshots.saw(&seen);
        p.snapshots
            .saw(&super::super::fixtures::record("tother", &[]));
        p.push(1, decision("u0", Action::Update), Vec::new());
        let taken = p.take(1, true).unwrap();
        assert_eq!(
            taken.snapshots.versions.get("tu0").map(String::as_str),
            Some("3")
        );
        assert!(!p.snapshots.seen.contains_key("tu0"));
        assert!(p.snapshots.seen.contains_key("tother"));
    }
}

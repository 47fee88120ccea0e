//! Forward writes decided but not sent yet. Creates and updates wait, across pages, until
//! a full batch of the target's size is ready, so a run sends ⌈creates ÷ batch⌉ +
//! ⌈updates ÷ batch⌉ writes rather than a part-filled create and update batch per page.
//!
//! Nothing waiting has an outbox intent yet, and the source cursor is only committed up
//! to the last page none of whose records still wait: after a crash those pages are read
//! again and decided afresh, so a record is never lost and never sent twice.

use super::matching;
use super::plan::{Action, Decision};
use crate::mapping::model::MatchRule;
use std::collections::{HashSet, VecDeque};
use switchyard_connectors::cursor::Cursor;
use switchyard_connectors::value::Record;

/// One decision waiting to be sent, with the page it came from.
struct Waiting {
    page: u64,
    decision: Decision,
    /// The match key of a record to create (a later record with the same key must see
    /// the created target, so it waits for this one to be sent).
    create_key: Option<String>,
}

#[derive(Default)]
pub(super) struct Pending {
    waiting: VecDeque<Waiting>,
    source_ids: HashSet<String>,
    create_keys: HashSet<String>,
    /// What was seen of matched target records (version, last-modified), by target id.
    pub(super) snapshots: super::snapshots::Snapshots,
    /// Cursors after each page read whose records may still wait, oldest first.
    cursors: VecDeque<(u64, Cursor)>,
}

impl Pending {
    /// Queues a page's creates and updates; other decisions are ignored.
    pub(super) fn push(&mut self, page: u64, decision: Decision, create_key: Option<String>) {
        if !matches!(decision.action, Action::Create | Action::Update) {
            return;
        }
        self.source_ids.insert(decision.source_id.clone());
        let create_key = create_key.filter(|_| decision.action == Action::Create);
        if let Some(k) = &create_key {
            self.create_keys.insert(k.clone());
        }
        self.waiting.push_back(Waiting {
            page,
            decision,
            create_key,
        });
    }

    /// Whether a page holds a record that waits, or one whose key a waiting create
    /// claims: those must be sent before the page is decided.
    pub(super) fn overlaps(&self, records: &[Record], rule: &MatchRule) -> bool {
        records.iter().any(|r| {
            self.source_ids.contains(&r.id)
                || matching::key(rule.kind, r.get(&rule.source_field))
                    .is_some_and(|k| self.create_keys.contains(&k))
        })
    }

    /// Takes the decisions to send now: every one when `all`, otherwise only whole
    /// batches of each action (oldest first); the rest keep waiting.
    pub(super) fn take(&mut self, batch: usize, all: bool) -> Vec<Decision> {
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
        let mut kept = VecDeque::with_capacity(self.waiting.len());
        for w in self.waiting.drain(..) {
            let slot = usize::from(w.decision.action == Action::Update);
            match quota.get_mut(slot) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    self.source_ids.remove(&w.decision.source_id);
                    if let Some(k) = &w.create_key {
                        self.create_keys.remove(k);
                    }
                    out.push(w.decision);
                }
                _ => kept.push_back(w),
            }
        }
        self.waiting = kept;
        out
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
        let oldest_waiting = self.waiting.iter().map(|w| w.page).min();
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

    #[test]
    fn only_whole_batches_leave_until_everything_is_asked_for() {
        let mut p = Pending::default();
        for i in 0..5 {
            p.push(0, decision(&format!("c{i}"), Action::Create), None);
        }
        for i in 0..3 {
            p.push(0, decision(&format!("u{i}"), Action::Update), None);
        }
        p.push(0, decision("s", Action::Skip), None);
        let sent = p.take(2, false);
        let ids: Vec<&str> = sent.iter().map(|d| d.source_id.as_str()).collect();
        assert_eq!(ids, ["c0", "c1", "c2", "c3", "u0", "u1"]);
        let rest = p.take(2, true);
        let ids: Vec<&str> = rest.iter().map(|d| d.source_id.as_str()).collect();
        assert_eq!(ids, ["c4", "u2"]);
        assert!(p.take(2, true).is_empty());
    }

    #[test]
    fn the_cursor_stops_before_the_oldest_page_still_waiting() {
        let mut p = Pending::default();
        p.push(1, decision("a", Action::Create), None);
        p.read_up_to(1, cursor(10));
        p.push(2, decision("b", Action::Create), None);
        p.read_up_to(2, cursor(20));
        assert_eq!(p.committable(), None, "page 1 still waits");
        assert_eq!(p.take(1, false).len(), 2);
        p.push(3, decision("c", Action::Update), None);
        p.read_up_to(3, cursor(30));
        assert_eq!(p.committable(), Some(cursor(20)), "pages 1 and 2 are sent");
        assert_eq!(p.committable(), None, "nothing moved since");
        p.take(1, true);
        assert_eq!(p.committable(), Some(cursor(30)));
    }

    #[test]
    fn the_oldest_waiting_record_sets_the_lag() {
        let mut p = Pending::default();
        assert!(!p.lags(9, 8));
        p.push(2, decision("a", Action::Update), None);
        p.push(5, decision("b", Action::Create), None);
        assert!(!p.lags(9, 8));
        assert!(p.lags(10, 8));
        p.take(1, false);
        assert!(
            !p.lags(10, 8),
            "nothing waits once whole batches of one left"
        );
    }

    #[test]
    fn a_page_repeating_a_waiting_record_or_its_key_overlaps() {
        let rule = MatchRule {
            kind: MatchKind::Email,
            source_field: "email".into(),
            target_field: "Email".into(),
        };
        let mut p = Pending::default();
        p.push(
            1,
            decision("1", Action::Create),
            Some("ann@example.com".into()),
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
        assert!(!p.overlaps(&[record("3", "bob@example.com")], &rule));
        p.take(10, true);
        assert!(!p.overlaps(&[record("2", "ann@example.com")], &rule));
    }
}

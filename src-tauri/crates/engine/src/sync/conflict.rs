//! Conflicts of two-way runs: a field changed on both sides since the base. `settle`
//! decides each by the row's sync rule and the mapping's conflict policy (source wins,
//! target wins, newest wins) or queues it for the user (`review`, the field left alone
//! on both sides); `Conflict` is what a queued one stores as its record error's payload.

use super::plan::{Action, Decision, Values};
use crate::mapping::model::MappingDraft;
use switchyard_connectors::value::{Record, Value};
use switchyard_store::kinds::{ConflictPolicy, SyncRule};

/// A field changed on both sides, as queued for review (the record error's payload):
/// the source's value already converted for the target, and the target's value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    pub field: String,
    pub source: Value,
    pub target: Value,
}

/// What settling one record's conflicts decided.
#[derive(Debug, Default)]
pub struct Settled {
    pub conflicts: u32,
    /// Conflicts left for the user.
    pub review: Vec<Conflict>,
}

/// Settles the fields a source record changed that its target also changed since the
/// base. Changes that lose are removed from `d` and keep their old base value, so the
/// target's value flows back to the source afterwards.
pub fn settle(
    draft: &MappingDraft,
    d: &mut Decision,
    source: &Record,
    target_now: &Record,
    base: &Values,
) -> Settled {
    let mut out = Settled::default();
    let fields: Vec<String> = d.changes.keys().cloned().collect();
    for field in fields {
        let Some(new) = d.changes.get(&field).cloned() else {
            continue;
        };
        let was = base.get(&field).cloned().unwrap_or(Value::Null);
        let now = target_now.get(&field).clone();
        let target_changed = !(now.same(&was) || now.is_blank() && was.is_blank());
        if !target_changed || now.same(&new) {
            continue;
        }
        out.conflicts += 1;
        let rule = draft
            .fields
            .iter()
            .find(|r| r.target_field == field)
            .map(|r| r.sync_rule);
        let source_wins = match (rule, draft.conflict_policy) {
            (Some(SyncRule::TwoWay), ConflictPolicy::SourceWins) => true,
            (Some(SyncRule::TwoWay), ConflictPolicy::TargetWins) => false,
            (Some(SyncRule::TwoWay), ConflictPolicy::NewestWins) => {
                match (source.modified, target_now.modified) {
                    (Some(s), Some(t)) => s >= t,
                    _ => true,
                }
            }
            (Some(SyncRule::TwoWay), ConflictPolicy::Review) => {
                out.review.push(Conflict {
                    field: field.clone(),
                    source: new.clone(),
                    target: now.clone(),
                });
                false
            }
            _ => true,
        };
        if !source_wins {
            d.changes.remove(&field);
            d.values.insert(field.clone(), was);
        }
    }
    if d.changes.is_empty() && d.action == Action::Update {
        d.action = Action::Skip;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{draft, record};
    use super::*;
    use crate::mapping::model::FieldRule;

    fn text(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::text(*v)))
            .collect()
    }

    /// An update of Title to "CTO" whose base was "CEO", against a target now at `now`.
    fn settled(policy: ConflictPolicy, now: &str) -> (Decision, Settled) {
        let mut m = draft(vec![
            FieldRule::copy("title", "Title").rule(SyncRule::TwoWay)
        ]);
        m.conflict_policy = policy;
        let mut d = Decision {
            source_id: "s1".into(),
            target_id: Some("t1".into()),
            action: Action::Update,
            values: text(&[("Title", "CTO")]),
            changes: text(&[("Title", "CTO")]),
            expected: text(&[("Title", "CEO")]),
            error: None,
        };
        let target = record("t1", &[("Title", now)]);
        let out = settle(
            &m,
            &mut d,
            &record("s1", &[]),
            &target,
            &text(&[("Title", "CEO")]),
        );
        (d, out)
    }

    #[test]
    fn a_field_only_the_source_changed_is_no_conflict() {
        let (d, out) = settled(ConflictPolicy::TargetWins, "CEO");
        assert_eq!((out.conflicts, d.action), (0, Action::Update));
    }

    #[test]
    fn the_policy_picks_the_side_and_review_queues_the_field() {
        let (d, out) = settled(ConflictPolicy::SourceWins, "CFO");
        assert_eq!((out.conflicts, d.action), (1, Action::Update));
        let (d, out) = settled(ConflictPolicy::TargetWins, "CFO");
        assert_eq!((out.conflicts, d.action), (1, Action::Skip));
        assert_eq!(
            d.values,
            text(&[("Title", "CEO")]),
            "the base value is kept"
        );
        let (d, out) = settled(ConflictPolicy::Review, "CFO");
        assert_eq!(d.action, Action::Skip);
        assert_eq!(out.review[0].target, Value::text("CFO"));
    }
}

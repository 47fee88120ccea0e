//! Stage 2 of a page, match: which target record each source record of the page goes
//! to. Linked records go to their pair (compared with the link's base); the others are
//! matched by the mapping's rule in one batched look-up for the page, and a key that
//! repeats on the page, that two target records share, or whose target is linked to
//! another record is a failure — never a guess.

use super::context::{Ctx, Failed};
use super::matching;
use super::plan::{parse_base, Values};
use super::snapshots::Snapshots;
use crate::api::schema::connector_error;
use crate::mapping::model::MatchRule;
use crate::EngineResult;
use std::collections::{HashMap, HashSet};
use switchyard_connectors::value::Record;
use switchyard_store::kinds::Side;
use switchyard_store::tables::links;

/// What a page's look-ups found, and what picking targets from them has seen so far.
pub(super) struct Matches<'c> {
    pub(super) rule: &'c MatchRule,
    /// The target object's label, for messages.
    pub(super) label: &'c str,
    pub(super) target_fields: &'c [String],
    /// The page's links, by source id.
    pub(super) linked: HashMap<String, links::Link>,
    /// Target records by match key, for the page's unlinked records.
    pub(super) found: HashMap<String, Vec<Record>>,
    /// Target ids among `found` already linked to some source record.
    pub(super) taken: HashSet<String>,
    /// Match keys already picked on this page.
    pub(super) seen_keys: HashSet<String>,
    /// Target records matched on this page, as read.
    pub(super) seen: Snapshots,
}

/// A record's target id, and the values its decision compares with.
pub(super) type Target = (Option<String>, Option<Values>);

/// Looks up the page's links, then its unlinked records' keys in the target, then which
/// of the candidates are linked already.
pub(super) async fn match_page<'c>(ctx: &'c Ctx, records: &[Record]) -> EngineResult<Matches<'c>> {
    // Committed links only, on the run's reading connection (see `Ctx::reads`).
    let pool = &ctx.reads;
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    let linked: HashMap<String, links::Link> = links::by_source_ids(pool, &ctx.mapping_id, &ids)
        .await?
        .into_iter()
        .map(|l| (l.source_id.clone(), l))
        .collect();
    let rule = &ctx.draft.match_rule;
    // Upserted records need no look-up: the target finds them by their key.
    let found = if ctx.upsert_key.is_some() {
        HashMap::new()
    } else {
        let keys: Vec<String> = records
            .iter()
            .filter(|r| !linked.contains_key(&r.id))
            .filter_map(|r| matching::key(rule.kind, r.get(&rule.source_field)))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        matching::find(
            ctx.target.as_ref(),
            &ctx.tspec,
            rule,
            keys,
            &ctx.target_fields,
        )
        .await
        .map_err(|e| connector_error(ctx.target.provider(), e))?
    };
    let candidate_ids: Vec<String> = found.values().flatten().map(|r| r.id.clone()).collect();
    let taken: HashSet<String> = links::by_target_ids(pool, &ctx.mapping_id, &candidate_ids)
        .await?
        .into_iter()
        .map(|l| l.target_id)
        .collect();
    Ok(Matches {
        rule,
        label: &ctx.tspec.label,
        target_fields: &ctx.target_fields,
        linked,
        found,
        taken,
        seen_keys: HashSet::new(),
        seen: Snapshots::default(),
    })
}

impl Matches<'_> {
    /// The target of one record of the page (records in page order), or why it has none
    /// that may be written.
    pub(super) fn pick(&mut self, record: &Record) -> Result<Target, Failed> {
        if let Some(link) = self.linked.get(&record.id) {
            return Ok((Some(link.target_id.clone()), Some(parse_base(&link.base))));
        }
        let rule = self.rule;
        let Some(k) = matching::key(rule.kind, record.get(&rule.source_field)) else {
            return Ok((None, None));
        };
        let failed = |side, code: &str, message| Failed {
            side,
            record_id: record.id.clone(),
            code: code.into(),
            message,
            payload: None,
        };
        if !self.seen_keys.insert(k.clone()) {
            let message = format!(
                "Another record on this page has the same {} ({k}); it was synced first.",
                rule.source_field
            );
            return Err(failed(Side::Source, "duplicate_source_key", message));
        }
        match self.found.get(&k).map(Vec::as_slice) {
            Some([one]) if self.taken.contains(&one.id) => {
                let message = format!(
                    "The {} record {} with {k} is already linked to another source record.",
                    self.label, one.id
                );
                Err(failed(Side::Target, "target_already_linked", message))
            }
            Some([one]) => {
                self.seen.saw(one);
                let current: Values = self
                    .target_fields
                    .iter()
                    .map(|f| (f.clone(), one.get(f).clone()))
                    .collect();
                Ok((Some(one.id.clone()), Some(current)))
            }
            Some(many) if many.len() > 1 => {
                let message = format!(
                    "{} {} records have {k}; link one by hand.",
                    many.len(),
                    self.label
                );
                Err(failed(Side::Target, "ambiguous_match", message))
            }
            _ => Ok((None, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{draft, record};
    use super::*;

    fn link(source: &str, target: &str) -> links::Link {
        links::Link {
            id: 1,
            mapping_id: "m".into(),
            source_id: source.into(),
            target_id: target.into(),
            base: r#"{"Email":"ann@example.com"}"#.into(),
            pinned: false,
            source_modified_at: None,
            target_modified_at: None,
            last_synced_at: 0,
            last_run_id: None,
        }
    }

    fn code(r: Result<Target, Failed>) -> String {
        r.err().map(|f| f.code).unwrap_or_default()
    }

    #[test]
    fn links_first_then_one_match_by_key_and_never_a_guess() {
        let d = draft(Vec::new());
        let fields = vec!["Email".to_owned()];
        let ann = record("t-ann", &[("Email", "ann@example.com")]);
        let found = HashMap::from([
            ("ann@example.com".to_owned(), vec![ann]),
            (
                "bob@example.com".to_owned(),
                vec![record("t-b1", &[]), record("t-b2", &[])],
            ),
            ("cy@example.com".to_owned(), vec![record("t-cy", &[])]),
        ]);
        let mut m = Matches {
            rule: &d.match_rule,
            label: "Contact",
            target_fields: &fields,
            linked: HashMap::from([("s0".to_owned(), link("s0", "t0"))]),
            found,
            taken: HashSet::from(["t-cy".to_owned()]),
            seen_keys: HashSet::new(),
            seen: Snapshots::default(),
        };
        let linked = m.pick(&record("s0", &[])).ok().unwrap();
        assert_eq!(linked.0.as_deref(), Some("t0"));
        let one = m
            .pick(&record("s1", &[("email", " ANN@example.com")]))
            .ok()
            .unwrap();
        assert_eq!(one.0.as_deref(), Some("t-ann"));
        assert!(m.seen.seen.contains_key("t-ann"));
        let again = m.pick(&record("s2", &[("email", "ann@example.com")]));
        assert_eq!(code(again), "duplicate_source_key");
        let many = m.pick(&record("s3", &[("email", "bob@example.com")]));
        assert_eq!(code(many), "ambiguous_match");
        let taken = m.pick(&record("s4", &[("email", "cy@example.com")]));
        assert_eq!(code(taken), "target_already_linked");
        let new = m
            .pick(&record("s5", &[("email", "new@example.com")]))
            .ok()
            .unwrap();
        assert_eq!(new, (None, None));
        assert_eq!(m.pick(&record("s6", &[])).ok().unwrap(), (None, None));
    }
}

//! What every stage of one run shares: the run's context (`Ctx`: the mapping, both
//! connectors and their schemas, the run's own database connection, the two-way state),
//! a record failure to store (`Failed`), and which way a write goes (`Way`). Stages take
//! a `&Ctx`; nothing here calls a stage, so the arrows point one way.

use super::upsert::key_field;
use crate::api::schema::connector_error;
use crate::mapping::model::MappingDraft;
use crate::mapping::validate::validate;
use crate::{Engine, EngineError, EngineResult};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use switchyard_connectors::connector::Connector;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::Record;
use switchyard_store::kinds::Side;

pub(super) struct Ctx<'a> {
    pub(super) run_id: String,
    pub(super) mapping_id: &'a str,
    pub(super) draft: MappingDraft,
    pub(super) sspec: ObjectSpec,
    pub(super) tspec: ObjectSpec,
    pub(super) source: Arc<dyn Connector>,
    pub(super) target: Arc<dyn Connector>,
    /// The run's own connection (`Store::dedicated_pool`): its pages' statements keep one
    /// warm page cache.
    pub(super) db: switchyard_store::sqlx::SqlitePool,
    pub(super) dry_run: bool,
    pub(super) target_fields: Vec<String>,
    pub(super) source_fields: Vec<String>,
    /// The target field unlinked records are upserted on (`upsert::key_field`), or
    /// `None` when they are looked up and created.
    pub(super) upsert_key: Option<String>,
    /// Two-way runs: the target's changes read before the source, by target id.
    pub(super) target_changes: Option<HashMap<String, Record>>,
    /// Target ids this run linked from the source side (their changes are its own).
    pub(super) linked_now: std::sync::Mutex<HashSet<String>>,
    /// Source ids with a conflict waiting for the user: left alone until settled.
    pub(super) under_review: HashSet<String>,
    /// Source ids whose interrupted create may have landed as one of several records
    /// (an open `unknown_outcome`): not created again until the user settles it, by
    /// linking it by hand or by "Retry failed".
    pub(super) held: HashSet<String>,
    /// Target fields this run wrote from the source, by target id: the target's earlier
    /// values of those fields (read before the write) must not flow back.
    pub(super) written_fields: std::sync::Mutex<HashMap<String, HashSet<String>>>,
}

impl<'a> Ctx<'a> {
    /// Opens both connections for the run, describes both objects and checks the
    /// mapping against them again; the two-way state starts empty.
    pub(super) async fn open(
        engine: &Engine,
        run_id: &str,
        mapping_id: &'a str,
        draft: MappingDraft,
        dry_run: bool,
        db: &switchyard_store::sqlx::SqlitePool,
    ) -> EngineResult<Ctx<'a>> {
        let source = engine
            .connector_for_run(&draft.source_connection_id, Some(run_id))
            .await?;
        let target = engine
            .connector_for_run(&draft.target_connection_id, Some(run_id))
            .await?;
        let sspec = source
            .describe(&draft.source_object)
            .await
            .map_err(|e| connector_error(source.provider(), e))?;
        let tspec = target
            .describe(&draft.target_object)
            .await
            .map_err(|e| connector_error(target.provider(), e))?;
        if !validate(&draft, &sspec, &tspec).is_empty() {
            return Err(EngineError::validation(
                "the mapping no longer fits the discovered schemas; open it to see why",
            ));
        }
        let source_fields = source_fields(&draft);
        let target_fields = target_fields(&draft);
        let upsert_key = key_field(&draft.match_rule, &tspec, dry_run).map(str::to_owned);
        Ok(Ctx {
            run_id: run_id.to_owned(),
            mapping_id,
            draft,
            sspec,
            tspec,
            source,
            target,
            db: db.clone(),
            dry_run,
            target_fields,
            source_fields,
            upsert_key,
            target_changes: None,
            linked_now: Default::default(),
            under_review: HashSet::new(),
            held: HashSet::new(),
            written_fields: Default::default(),
        })
    }

    /// API calls both connectors made so far in this run.
    pub(super) fn calls(&self) -> u32 {
        u32::try_from(self.source.calls() + self.target.calls()).unwrap_or(u32::MAX)
    }
}

/// The source fields a run reads: every mapped one, the match field and the fields
/// concatenated by transform steps, sorted and without repeats.
fn source_fields(draft: &MappingDraft) -> Vec<String> {
    let mut source_fields: Vec<String> = draft
        .fields
        .iter()
        .filter_map(|f| f.source_field.clone())
        .collect();
    source_fields.push(draft.match_rule.source_field.clone());
    for row in &draft.fields {
        for step in &row.transform {
            if let crate::mapping::transform::Step::Concat { fields, .. } = step {
                source_fields.extend(fields.iter().cloned());
            }
        }
    }
    source_fields.sort();
    source_fields.dedup();
    source_fields
}

/// The target fields a run reads: every mapped one and the match field.
fn target_fields(draft: &MappingDraft) -> Vec<String> {
    let mut target_fields: Vec<String> = draft
        .fields
        .iter()
        .map(|f| f.target_field.clone())
        .collect();
    target_fields.push(draft.match_rule.target_field.clone());
    target_fields.sort();
    target_fields.dedup();
    target_fields
}

/// A failure to store for one record.
pub(super) struct Failed {
    pub(super) side: Side,
    pub(super) record_id: String,
    pub(super) code: String,
    pub(super) message: String,
    pub(super) payload: Option<String>,
}

/// Which way a write goes: source → target, or (two-way) target → source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    Forward,
    Backward,
}

impl Way {
    /// The way's part of an intent's idempotency key (`reconcile` looks for `:back:`).
    pub(super) fn tag(self) -> &'static str {
        match self {
            Way::Forward => "fwd",
            Way::Backward => "back",
        }
    }

    pub(super) fn written_side(self) -> Side {
        match self {
            Way::Forward => Side::Target,
            Way::Backward => Side::Source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::model::FieldRule;
    use crate::mapping::transform::Step;

    #[test]
    fn a_run_reads_mapped_match_and_concatenated_fields_once_each() {
        let d = super::super::fixtures::draft(vec![
            FieldRule::copy("email", "Email"),
            FieldRule::copy("lastname", "LastName").with(Step::Concat {
                fields: vec!["firstname".into(), "lastname".into()],
                separator: " ".into(),
            }),
        ]);
        assert_eq!(source_fields(&d), ["email", "firstname", "lastname"]);
        assert_eq!(target_fields(&d), ["Email", "LastName"]);
    }

    #[test]
    fn each_way_has_its_key_tag_and_written_side() {
        assert_eq!(
            (Way::Forward.tag(), Way::Forward.written_side()),
            ("fwd", Side::Target)
        );
        assert_eq!(
            (Way::Backward.tag(), Way::Backward.written_side()),
            ("back", Side::Source)
        );
    }
}

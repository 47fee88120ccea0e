//! What the mapping editor calls: read, create, update, duplicate and delete mappings;
//! validate a draft against both discovered schemas; preview it on a few real source
//! records for one read call; suggest a default mapping for two objects; and create the
//! default mappings between the connected accounts in one step.

use crate::api::mappings::MappingSummary;
use crate::api::schema::connector_error;
use crate::mapping::defaults::{suggest, SuggestedMapping};
use crate::mapping::model::{detail, MappingDetail, MappingDraft};
use crate::mapping::preview::{preview_record, PreviewRecord};
use crate::mapping::validate::{validate, Problem};
use crate::{Engine, EngineError, EngineResult, ErrorCode};
use serde::Serialize;
use switchyard_connectors::connector::ReadRequest;
use switchyard_connectors::schema::ObjectSpec;
use switchyard_store::kinds::{ConnectionStatus, ProviderId};
use switchyard_store::tables::{connections, field_maps, mappings};

/// At most this many records in a preview.
pub const PREVIEW_MAX: u32 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MappingPreview {
    pub records: Vec<PreviewRecord>,
    /// The draft's validation problems, shown beside the records.
    pub problems: Vec<Problem>,
}

fn problem(code: &str, message: String) -> Problem {
    Problem {
        row: None,
        field: None,
        code: code.to_owned(),
        message,
    }
}

impl Engine {
    pub async fn get_mapping(&self, id: &str) -> EngineResult<MappingDetail> {
        let pool = self.store().pool();
        let m = mappings::get(pool, id).await?;
        let rows = field_maps::list(pool, id).await?;
        detail(m, rows).map_err(|e| EngineError::new(ErrorCode::Storage, e))
    }

    fn check_shape(draft: &MappingDraft) -> EngineResult<()> {
        if draft.name.trim().is_empty() {
            return Err(EngineError::validation("Give the mapping a name."));
        }
        if draft.source_object.is_empty() || draft.target_object.is_empty() {
            return Err(EngineError::validation(
                "Pick a source and a target object.",
            ));
        }
        if draft.source_connection_id == draft.target_connection_id
            && draft.source_object == draft.target_object
        {
            return Err(EngineError::validation(
                "A mapping needs two different objects.",
            ));
        }
        let mut targets = std::collections::HashSet::new();
        if let Some(dup) = draft
            .fields
            .iter()
            .find(|f| !targets.insert(f.target_field.as_str()))
        {
            return Err(EngineError::validation(format!(
                "{} is filled by more than one row.",
                dup.target_field
            )));
        }
        Ok(())
    }

    /// Saves a new mapping. It may still have validation problems; a run refuses it until fixed.
    pub async fn create_mapping(&self, draft: MappingDraft) -> EngineResult<MappingDetail> {
        Self::check_shape(&draft)?;
        let pool = self.store().pool();
        connections::get(pool, &draft.source_connection_id).await?;
        connections::get(pool, &draft.target_connection_id).await?;
        let mut tx = switchyard_store::begin_write(pool).await?;
        let m = mappings::insert(&mut *tx, &draft.to_row()).await?;
        field_maps::replace(&mut tx, &m.id, &draft.field_rows()).await?;
        tx.commit()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        self.get_mapping(&m.id).await
    }

    pub async fn update_mapping(
        &self,
        id: &str,
        draft: MappingDraft,
    ) -> EngineResult<MappingDetail> {
        Self::check_shape(&draft)?;
        let pool = self.store().pool();
        connections::get(pool, &draft.source_connection_id).await?;
        connections::get(pool, &draft.target_connection_id).await?;
        let mut tx = switchyard_store::begin_write(pool).await?;
        mappings::update(&mut *tx, id, &draft.to_row()).await?;
        field_maps::replace(&mut tx, id, &draft.field_rows()).await?;
        tx.commit()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        self.get_mapping(id).await
    }

    pub async fn duplicate_mapping(&self, id: &str) -> EngineResult<MappingDetail> {
        let mut draft = self.get_mapping(id).await?.draft;
        draft.name = format!("{} (copy)", draft.name);
        self.create_mapping(draft).await
    }

    pub async fn delete_mapping(&self, id: &str) -> EngineResult<()> {
        let pool = self.store().pool();
        mappings::delete(pool, id).await?;
        // Its webhook endpoint's secret goes with it.
        let name = crate::webhooks::settings::generic_secret_name(id);
        switchyard_store::tables::secrets::delete(pool, crate::webhooks::settings::SCOPE, &name)
            .await?;
        Ok(())
    }

    /// The discovered schema of one side, or the problem that stops discovering it.
    async fn side(
        &self,
        connection_id: &str,
        object: &str,
        which: &str,
    ) -> Result<ObjectSpec, Problem> {
        let c = connections::get(self.store().pool(), connection_id)
            .await
            .map_err(|_| {
                problem(
                    "connection_missing",
                    format!("The {which} connection no longer exists."),
                )
            })?;
        if c.status != ConnectionStatus::Connected {
            return Err(problem(
                "connection_unavailable",
                format!(
                    "The {which} connection ({}) is not connected: reconnect it first.",
                    c.label
                ),
            ));
        }
        self.describe_object(connection_id, object)
            .await
            .map_err(|e| {
                problem(
                    "schema_unavailable",
                    format!("The {which} object could not be described: {}", e.message),
                )
            })
    }

    async fn sides(&self, draft: &MappingDraft) -> Result<(ObjectSpec, ObjectSpec), Vec<Problem>> {
        let source = self
            .side(&draft.source_connection_id, &draft.source_object, "source")
            .await;
        let target = self
            .side(&draft.target_connection_id, &draft.target_object, "target")
            .await;
        match (source, target) {
            (Ok(s), Ok(t)) => Ok((s, t)),
            (s, t) => Err([s.err(), t.err()].into_iter().flatten().collect()),
        }
    }

    /// Every problem of a draft, one per row and field; empty when it can run.
    pub async fn validate_mapping(&self, draft: &MappingDraft) -> EngineResult<Vec<Problem>> {
        Ok(match self.sides(draft).await {
            Ok((source, target)) => validate(draft, &source, &target),
            Err(problems) => problems,
        })
    }

    /// The draft applied to the first `limit` source records, read in one call.
    pub async fn preview_mapping(
        &self,
        draft: &MappingDraft,
        limit: u32,
    ) -> EngineResult<MappingPreview> {
        let (source, target) = match self.sides(draft).await {
            Ok(sides) => sides,
            Err(problems) => {
                return Ok(MappingPreview {
                    records: Vec::new(),
                    problems,
                })
            }
        };
        let problems = validate(draft, &source, &target);
        let mut fields: Vec<String> = Vec::new();
        let mut want = |f: &str| {
            if source.field(f).is_some() && !fields.iter().any(|x| x == f) {
                fields.push(f.to_owned());
            }
        };
        for row in &draft.fields {
            if let Some(f) = &row.source_field {
                want(f);
            }
            for step in &row.transform {
                if let crate::mapping::transform::Step::Concat { fields: more, .. } = step {
                    more.iter().for_each(|f| want(f));
                }
            }
        }
        want(&draft.match_rule.source_field);
        let limit = limit.clamp(1, PREVIEW_MAX) as usize;
        let connector = self.connector(&draft.source_connection_id).await?;
        let request = ReadRequest {
            fields,
            limit: Some(limit),
            ..Default::default()
        };
        let page = connector
            .read(&source, &request)
            .await
            .map_err(|e| connector_error(connector.provider(), e))?;
        let records = page
            .records
            .iter()
            .take(limit)
            .map(|r| preview_record(draft, r, &target))
            .collect();
        Ok(MappingPreview { records, problems })
    }

    /// A default mapping for two objects, using what their schemas really hold.
    pub async fn suggest_mapping(
        &self,
        source_connection_id: &str,
        source_object: &str,
        target_connection_id: &str,
        target_object: &str,
    ) -> EngineResult<SuggestedMapping> {
        let pool = self.store().pool();
        let source_provider = connections::get(pool, source_connection_id).await?.provider;
        let target_provider = connections::get(pool, target_connection_id).await?.provider;
        let source = self
            .describe_object(source_connection_id, source_object)
            .await?;
        let target = self
            .describe_object(target_connection_id, target_object)
            .await?;
        let mut s = suggest(
            (source_provider, source_object),
            &source,
            (target_provider, target_object),
            &target,
        );
        s.draft.source_connection_id = source_connection_id.to_owned();
        s.draft.target_connection_id = target_connection_id.to_owned();
        Ok(s)
    }

    /// Creates the default mappings between the connected accounts (HubSpot contacts ↔
    /// Salesforce Leads, QuickBooks Customers → Accounts and Contacts, companies ↔
    /// Accounts, deals ↔ Opportunities), skipping any whose name already exists.
    pub async fn create_default_mappings(&self) -> EngineResult<Vec<MappingSummary>> {
        let pool = self.store().pool();
        let connected = connections::list(pool).await?;
        let first = |p: ProviderId| {
            connected
                .iter()
                .find(|c| c.provider == p && c.status == ConnectionStatus::Connected)
                .map(|c| c.id.clone())
        };
        let pairs = [
            (
                ProviderId::Hubspot,
                "contacts",
                ProviderId::Salesforce,
                "Lead",
            ),
            (
                ProviderId::Quickbooks,
                "Customer",
                ProviderId::Salesforce,
                "Account",
            ),
            (
                ProviderId::Quickbooks,
                "Customer",
                ProviderId::Salesforce,
                "Contact",
            ),
            (
                ProviderId::Hubspot,
                "companies",
                ProviderId::Salesforce,
                "Account",
            ),
            (
                ProviderId::Hubspot,
                "deals",
                ProviderId::Salesforce,
                "Opportunity",
            ),
        ];
        let existing: Vec<String> = mappings::list_with_counts(pool)
            .await?
            .into_iter()
            .map(|m| m.mapping.name)
            .collect();
        for (sp, so, tp, to) in pairs {
            let (Some(s), Some(t)) = (first(sp), first(tp)) else {
                continue;
            };
            let suggestion = self.suggest_mapping(&s, so, &t, to).await?;
            if !existing.contains(&suggestion.draft.name) {
                self.create_mapping(suggestion.draft).await?;
            }
        }
        self.list_mappings().await
    }
}

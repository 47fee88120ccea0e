//! Settling a conflict from the review queue by choosing a side: the chosen value is
//! written now to the side that lost (through the row's reverse steps when that is the
//! source), the pair's base becomes that value, and the record error is closed — so the
//! next run sees nothing to do for that field.

use super::conflict::Conflict;
use super::plan::{base_json, parse_base};
use crate::api::schema::connector_error;
use crate::mapping::transform::{apply, coerce};
use crate::{Engine, EngineError, EngineResult, ErrorCode};
use switchyard_connectors::connector::{Connector, WriteOp, WriteRow};
use switchyard_connectors::schema::ObjectSpec;
use switchyard_connectors::value::{Record, Value};
use switchyard_store::kinds::{ProviderId, RunErrorStatus};
use switchyard_store::tables::{links, run_errors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Source,
    Target,
}

/// Updates one field of one record, naming its SyncToken where QuickBooks needs it.
async fn write_one(
    connector: &dyn Connector,
    spec: &ObjectSpec,
    id: &str,
    field: &str,
    value: Value,
) -> EngineResult<()> {
    let version = if connector.provider() == ProviderId::Quickbooks {
        let current = connector
            .reread(spec, &[id.to_owned()], &[])
            .await
            .map_err(|e| connector_error(connector.provider(), e))?;
        current.into_iter().next().and_then(|r| r.version)
    } else {
        None
    };
    let row = WriteRow {
        id: Some(id.to_owned()),
        version,
        fields: std::borrow::Cow::Owned([(field.to_owned(), value)].into_iter().collect()),
    };
    let result = connector
        .write(spec, &WriteOp::Update, &[row])
        .await
        .map_err(|e| connector_error(connector.provider(), e))?;
    match result.into_iter().next() {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(EngineError::validation(format!(
            "{}: {}",
            e.code, e.message
        ))),
        None => Err(EngineError::new(
            ErrorCode::Internal,
            "the provider returned no result",
        )),
    }
}

impl Engine {
    pub async fn resolve_conflict(&self, error_id: i64, keep: Keep) -> EngineResult<()> {
        let pool = self.store().pool();
        let error = run_errors::get(pool, error_id).await?;
        let not_conflict =
            || EngineError::validation("This record error is not a conflict waiting for a choice.");
        if error.code != "conflict" || error.status != RunErrorStatus::Open {
            return Err(not_conflict());
        }
        let conflict: Conflict = error
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(not_conflict)?;
        let source_id = error.record_id.clone().ok_or_else(not_conflict)?;
        let pair = links::by_source_ids(pool, &error.mapping_id, std::slice::from_ref(&source_id))
            .await?
            .pop()
            .ok_or_else(|| {
                EngineError::new(
                    ErrorCode::NotFound,
                    "These records are no longer linked; run the mapping again.",
                )
            })?;
        let draft = self.get_mapping(&error.mapping_id).await?.draft;
        let row = draft
            .fields
            .iter()
            .find(|r| r.target_field == conflict.field)
            .ok_or_else(|| {
                EngineError::validation(format!("The mapping no longer maps {}.", conflict.field))
            })?;
        let chosen = match keep {
            Keep::Source => {
                let target = self.connector(&draft.target_connection_id).await?;
                let spec = target
                    .describe(&draft.target_object)
                    .await
                    .map_err(|e| connector_error(target.provider(), e))?;
                write_one(
                    target.as_ref(),
                    &spec,
                    &pair.target_id,
                    &conflict.field,
                    conflict.source.clone(),
                )
                .await?;
                conflict.source
            }
            Keep::Target => {
                let source = self.connector(&draft.source_connection_id).await?;
                let spec = source
                    .describe(&draft.source_object)
                    .await
                    .map_err(|e| connector_error(source.provider(), e))?;
                let source_field = row.source_field.clone().ok_or_else(|| {
                    EngineError::validation("This row has no source field to write back to.")
                })?;
                let field_spec = spec.field(&source_field).ok_or_else(|| {
                    EngineError::validation(format!("{} has no field {source_field}.", spec.label))
                })?;
                let carrier = Record {
                    id: pair.target_id.clone(),
                    modified: None,
                    archived: false,
                    version: None,
                    fields: [(conflict.field.clone(), conflict.target.clone())]
                        .into_iter()
                        .collect(),
                };
                let value = apply(&row.reverse, conflict.target.clone(), &carrier)
                    .and_then(|v| coerce(v, field_spec))
                    .map_err(|e| {
                        EngineError::validation(format!("{source_field}: {}", e.message))
                    })?;
                write_one(source.as_ref(), &spec, &source_id, &source_field, value).await?;
                conflict.target
            }
        };
        let mut base = parse_base(&pair.base);
        base.insert(conflict.field, chosen);
        let mut tx = switchyard_store::begin_write(pool).await?;
        links::set_base(&mut *tx, &error.mapping_id, &source_id, &base_json(&base)).await?;
        run_errors::set_status(&mut *tx, error_id, RunErrorStatus::Resolved).await?;
        tx.commit()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        Ok(())
    }
}

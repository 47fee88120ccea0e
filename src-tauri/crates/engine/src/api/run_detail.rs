//! One run in detail (its counters and per-record errors with the provider's code,
//! message and payload), and the identity map of a mapping: search, unlink, pin a pair
//! by hand.

use crate::api::runs::RunSummary;
use crate::{Engine, EngineError, EngineResult};
use switchyard_store::kinds::{RunErrorStatus, Side};
use switchyard_store::tables::{links, mappings, run_errors, runs};

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordErrorView {
    pub id: i64,
    pub side: Side,
    pub record_id: Option<String>,
    pub code: String,
    pub message: String,
    /// The values that were to be written (JSON), when the target refused them.
    pub payload: Option<String>,
    pub status: RunErrorStatus,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RunDetail {
    pub summary: RunSummary,
    pub records_created: i64,
    pub records_updated: i64,
    pub errors: Vec<RecordErrorView>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    pub source_id: String,
    pub target_id: String,
    pub pinned: bool,
    pub last_synced_at: i64,
}

/// The most links one identity-map search returns.
pub const MAX_LINKS: u32 = 200;

impl Engine {
    pub async fn get_run(&self, run_id: &str) -> EngineResult<RunDetail> {
        let pool = self.store().pool();
        let run = runs::get(pool, run_id).await?;
        let mapping_name = mappings::get(pool, &run.mapping_id)
            .await
            .map(|m| m.name)
            .unwrap_or_default();
        let errors = run_errors::for_run(pool, run_id)
            .await?
            .into_iter()
            .map(|e| RecordErrorView {
                id: e.id,
                side: e.side,
                record_id: e.record_id,
                code: e.code,
                message: e.message,
                payload: e.payload,
                status: e.status,
                created_at: e.created_at,
            })
            .collect();
        let (created, updated) = (run.records_created, run.records_updated);
        Ok(RunDetail {
            summary: RunSummary::from(runs::RunWithMapping { run, mapping_name }),
            records_created: created,
            records_updated: updated,
            errors,
        })
    }

    /// Pairs whose source or target id contains `query` (all when empty), newest first.
    pub async fn list_links(
        &self,
        mapping_id: &str,
        query: &str,
        limit: u32,
    ) -> EngineResult<Vec<LinkView>> {
        if limit == 0 || limit > MAX_LINKS {
            return Err(EngineError::validation(format!(
                "limit must be between 1 and {MAX_LINKS}"
            )));
        }
        mappings::get(self.store().pool(), mapping_id).await?;
        Ok(links::search(
            self.store().pool(),
            mapping_id,
            query.trim(),
            i64::from(limit),
        )
        .await?
        .into_iter()
        .map(|l| LinkView {
            source_id: l.source_id,
            target_id: l.target_id,
            pinned: l.pinned,
            last_synced_at: l.last_synced_at,
        })
        .collect())
    }

    /// Forgets a pair: the next run matches the source record again.
    pub async fn unlink(&self, mapping_id: &str, source_id: &str) -> EngineResult<()> {
        if !links::unlink(self.store().pool(), mapping_id, source_id).await? {
            return Err(EngineError::new(
                crate::ErrorCode::NotFound,
                format!("{source_id} is not linked in this mapping"),
            ));
        }
        Ok(())
    }

    /// Pairs two records by hand; runs keep the pair even when the match rule disagrees.
    /// Each id must be one its provider could have given a record of the mapping's object
    /// (a pinned id is later put in look-ups, updates and deletes): refused with
    /// `validation` otherwise.
    pub async fn pin_link(
        &self,
        mapping_id: &str,
        source_id: &str,
        target_id: &str,
    ) -> EngineResult<()> {
        let (source_id, target_id) = (source_id.trim(), target_id.trim());
        if source_id.is_empty() || target_id.is_empty() {
            return Err(EngineError::validation("Give both record ids."));
        }
        let pool = self.store().pool();
        let mapping = mappings::get(pool, mapping_id).await?;
        for (connection, object, id) in [
            (
                &mapping.source_connection_id,
                &mapping.source_object,
                source_id,
            ),
            (
                &mapping.target_connection_id,
                &mapping.target_object,
                target_id,
            ),
        ] {
            let provider = switchyard_store::tables::connections::get(pool, connection)
                .await?
                .provider;
            switchyard_connectors::record_ids::check(provider, object, id)
                .map_err(EngineError::validation)?;
        }
        let mut tx = switchyard_store::begin_write(pool).await?;
        links::pin(&mut tx, mapping_id, source_id, target_id).await?;
        tx.commit()
            .await
            .map_err(switchyard_store::StoreError::from)?;
        Ok(())
    }
}

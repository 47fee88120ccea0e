//! Deletes found by comparison, for when a provider can no longer list them: QuickBooks
//! change data reaches 30 days back, so a mapping whose last delete check is older (or
//! was never made) reads every live record once and takes the linked ids that are not
//! among them as deleted. Nothing is dropped silently: the run's message says so and an
//! alert is raised for the connection.

use super::context::{Ctx, Way};
use crate::api::schema::connector_error;
use crate::{Engine, EngineResult};
use std::collections::HashSet;
use switchyard_connectors::connector::ReadRequest;
use switchyard_connectors::cursor::Cursor;
use switchyard_store::kinds::Severity;
use switchyard_store::tables::{alerts, links};

/// Linked ids on the `way`'s deleting side that no live record holds any more, and
/// the note for the run.
pub(super) async fn deletes_by_comparison(
    engine: &Engine,
    ctx: &Ctx,
    way: Way,
    why: &str,
) -> EngineResult<(Vec<String>, String)> {
    let (connector, spec, connection, target) = match way {
        Way::Forward => (
            &ctx.source,
            &ctx.sspec,
            &ctx.draft.source_connection_id,
            false,
        ),
        Way::Backward => (
            &ctx.target,
            &ctx.tspec,
            &ctx.draft.target_connection_id,
            true,
        ),
    };
    let mut live = HashSet::new();
    let mut cursor = Cursor::default();
    let mut request = ReadRequest::default();
    loop {
        let page = connector
            .read(spec, &request)
            .await
            .map_err(|e| connector_error(connector.provider(), e))?;
        cursor.advance(&page.records);
        live.extend(page.records.into_iter().map(|r| r.id));
        if !request.follow(page.next, &cursor) {
            break;
        }
    }
    let pool = engine.store().pool();
    let gone: Vec<String> = links::all_ids(pool, &ctx.mapping_id, target)
        .await?
        .into_iter()
        .filter(|id| !live.contains(id))
        .collect();
    let note = format!(
        "Deletes of {} found by comparing all {} live records with the identity map ({why})",
        spec.label,
        live.len()
    );
    let message = format!("{note}. Run syncs at least every 30 days to keep delete checks cheap.");
    let dedup_key = format!("changes_unavailable:{}", &ctx.mapping_id);
    let alert = alerts::NewAlert {
        connection_id: Some(connection),
        mapping_id: Some(&ctx.mapping_id),
        kind: "changes_unavailable",
        severity: Severity::Warning,
        message: &message,
        dedup_key: &dedup_key,
    };
    alerts::raise(pool, &alert).await?;
    tracing::warn!(mapping = &ctx.mapping_id, "{note}");
    Ok((gone, note))
}

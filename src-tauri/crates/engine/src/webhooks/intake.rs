//! The two ways a delivery ends: refused (logged with the reason, counted as a stored
//! refusal, never with its body or any secret) or accepted (its events stored in one
//! transaction, repeats counted, cached reads of the changed objects dropped, the
//! dispatcher woken) — and answered at once either way.

use super::payloads::Incoming;
use super::state::Ctx;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use switchyard_connectors::api::lookup_kind;
use switchyard_store::kinds::ProviderId;
use switchyard_store::tables::webhook_events::{self, NewWebhookEvent};

/// Refuses a delivery: warn, count, answer.
pub(crate) async fn refuse(
    ctx: &Ctx,
    provider: ProviderId,
    status: StatusCode,
    reason: &str,
) -> Response {
    tracing::warn!(
        provider = provider.as_str(),
        status = status.as_u16(),
        reason,
        "webhook refused"
    );
    if let Err(e) =
        webhook_events::insert_rejected(ctx.engine.store().pool(), provider, reason).await
    {
        tracing::warn!("a refused webhook was not counted: {e}");
    }
    (status, Json(json!({ "error": reason }))).into_response()
}

/// Where accepted events go: a mapping's endpoint names its mapping and source side.
pub(crate) struct Route<'a> {
    pub mapping_id: &'a str,
    pub connection_id: &'a str,
}

/// Stores verified events; 200 with how many were new and how many repeats.
pub(crate) async fn accept(
    ctx: &Ctx,
    provider: ProviderId,
    events: Vec<Incoming>,
    route: Option<Route<'_>>,
) -> Response {
    match store(ctx, provider, &events, route).await {
        Ok((new, repeats)) => {
            tracing::info!(
                provider = provider.as_str(),
                new,
                repeats,
                "webhook received"
            );
            if new > 0 {
                ctx.engine.wake_webhook_dispatcher();
            }
            (
                StatusCode::OK,
                Json(json!({ "received": new, "duplicates": repeats })),
            )
                .into_response()
        }
        Err(e) => {
            // The provider retries on 5xx: nothing is lost.
            tracing::warn!(
                provider = provider.as_str(),
                "webhook not stored: {}",
                e.message
            );
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "error": "not stored; retry later" })),
            )
                .into_response()
        }
    }
}

async fn store(
    ctx: &Ctx,
    provider: ProviderId,
    events: &[Incoming],
    route: Option<Route<'_>>,
) -> crate::EngineResult<(usize, usize)> {
    let accounts: Vec<String> = events.iter().filter_map(|e| e.account_id.clone()).collect();
    let owners = super::keys::connections_for(&ctx.engine, provider, &accounts).await?;
    let mut tx = switchyard_store::begin_write(ctx.engine.store().pool()).await?;
    let (mut new, mut repeats) = (0, 0);
    let mut touched: Vec<(String, String)> = Vec::new();
    for e in events {
        let connection = match &route {
            Some(r) => Some(r.connection_id),
            None => e.account_id.as_ref().and_then(|a| {
                owners
                    .iter()
                    .find(|(account, _)| account == a)
                    .map(|(_, c)| c.as_str())
            }),
        };
        let row = NewWebhookEvent {
            connection_id: connection,
            provider,
            delivery_id: &e.delivery_id,
            event_type: &e.event_type,
            object: e.object.as_deref(),
            record_id: e.record_id.as_deref(),
            signature_valid: true,
            payload: &e.payload,
        };
        let mapping = route.as_ref().map(|r| r.mapping_id);
        if webhook_events::insert_for_mapping(&mut *tx, &row, mapping)
            .await?
            .is_some()
        {
            new += 1;
            if let (Some(c), Some(o)) = (connection, &e.object) {
                touched.push((c.to_owned(), o.clone()));
            }
        } else {
            repeats += 1;
        }
    }
    tx.commit()
        .await
        .map_err(switchyard_store::StoreError::from)?;
    touched.sort();
    touched.dedup();
    for (connection, object) in touched {
        ctx.engine
            .read_cache()
            .invalidate(&connection, &lookup_kind(&object), None);
    }
    Ok((new, repeats))
}

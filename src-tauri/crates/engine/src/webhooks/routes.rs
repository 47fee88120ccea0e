//! One handler per provider: read the body (capped), find the secrets that may have
//! signed it, check the signature exactly as the provider documents it, then read the
//! events. The signature is checked before a body is judged malformed, so an unsigned
//! request is always a 401.

use super::checks::{any_of, candidates, decoded, header, hubspot_uris, now_secs, read, reason};
use super::intake::{accept, refuse, Route};
use super::payloads::{self, slack::SlackBody, Incoming, Malformed};
use super::replay;
use super::settings::{generic_secret_name, HubspotSignature, SCOPE};
use super::signatures::{self, Rejected};
use super::state::Ctx;
use axum::body::Body;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;
use switchyard_store::kinds::ProviderId;
use switchyard_store::tables::{mappings, secrets};

/// A provider's batch of events: the raw body (what was signed), the events read from it,
/// and the secrets of the accounts they name.
struct Batch {
    body: axum::body::Bytes,
    parsed: Result<Vec<Incoming>, Malformed>,
    secrets: Vec<switchyard_store::Secret<String>>,
}

async fn batch(
    ctx: &Ctx,
    provider: ProviderId,
    headers: &HeaderMap,
    body: Body,
    parse: fn(&[u8]) -> Result<Vec<Incoming>, Malformed>,
) -> Result<Batch, Response> {
    let body = read(ctx, provider, headers, body).await?;
    let parsed = parse(&body);
    let accounts = parsed
        .as_ref()
        .map(|e| e.iter().filter_map(|e| e.account_id.clone()).collect())
        .unwrap_or_default();
    let secrets = candidates(ctx, provider, accounts).await?;
    Ok(Batch {
        body,
        parsed,
        secrets,
    })
}

/// After the signature held: store the events, or say the body was malformed.
async fn deliver(
    ctx: &Ctx,
    provider: ProviderId,
    parsed: Result<Vec<Incoming>, Malformed>,
) -> Response {
    match parsed {
        Ok(events) => accept(ctx, provider, events, None).await,
        Err(m) => refuse(ctx, provider, StatusCode::BAD_REQUEST, &m.0).await,
    }
}

pub(super) async fn hubspot(
    State(ctx): State<Arc<Ctx>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let provider = ProviderId::Hubspot;
    let Batch {
        body,
        parsed,
        secrets,
    } = match batch(&ctx, provider, &headers, body, payloads::hubspot::parse).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let uris = hubspot_uris(&ctx, &headers, &uri);
    let signature = header(&headers, "x-hubspot-signature").unwrap_or_default();
    let now = now_secs();
    let verdict = match ctx.settings.hubspot_signature {
        HubspotSignature::V3 => {
            let sig = header(&headers, "x-hubspot-signature-v3").unwrap_or_default();
            let ts = header(&headers, "x-hubspot-request-timestamp").unwrap_or_default();
            any_of(&secrets, |secret| {
                let mut worst = Err(Rejected::Missing);
                for u in &uris {
                    match signatures::hubspot_v3(secret, "POST", &decoded(u), &body, ts, sig, now) {
                        Ok(()) => return Ok(()),
                        Err(r) => worst = Err(r),
                    }
                }
                worst
            })
        }
        HubspotSignature::V2 => any_of(&secrets, |secret| {
            let mut worst = Err(Rejected::Missing);
            for u in &uris {
                match signatures::hubspot_v2(secret, "POST", u, &body, signature) {
                    Ok(()) => return Ok(()),
                    Err(r) => worst = Err(r),
                }
            }
            worst
        }),
        HubspotSignature::V1 => any_of(&secrets, |secret| {
            signatures::hubspot_v1(secret, &body, signature)
        }),
    };
    if let Err(r) = verdict {
        return refuse(&ctx, provider, StatusCode::UNAUTHORIZED, &reason(&r)).await;
    }
    if ctx.settings.hubspot_signature != HubspotSignature::V3 && parsed.is_ok() {
        let oldest = payloads::hubspot::oldest_occurrence(&body);
        if let Err(why) = replay::untimestamped_fresh(oldest, now * 1000) {
            return refuse(&ctx, provider, StatusCode::UNAUTHORIZED, &why).await;
        }
    }
    deliver(&ctx, provider, parsed).await
}

pub(super) async fn quickbooks(
    State(ctx): State<Arc<Ctx>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let provider = ProviderId::Quickbooks;
    let Batch {
        body,
        parsed,
        secrets,
    } = match batch(&ctx, provider, &headers, body, payloads::quickbooks::parse).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let signature = header(&headers, "intuit-signature").unwrap_or_default();
    if let Err(r) = any_of(&secrets, |token| {
        signatures::intuit(token, &body, signature)
    }) {
        return refuse(&ctx, provider, StatusCode::UNAUTHORIZED, &reason(&r)).await;
    }
    deliver(&ctx, provider, parsed).await
}

pub(super) async fn slack(State(ctx): State<Arc<Ctx>>, headers: HeaderMap, body: Body) -> Response {
    let provider = ProviderId::Slack;
    let body = match read(&ctx, provider, &headers, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let accounts = payloads::slack::team(&body).into_iter().collect();
    let secrets = match candidates(&ctx, provider, accounts).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let signature = header(&headers, "x-slack-signature").unwrap_or_default();
    let ts = header(&headers, "x-slack-request-timestamp").unwrap_or_default();
    let now = now_secs();
    if let Err(r) = any_of(&secrets, |secret| {
        signatures::slack(secret, ts, &body, signature, now)
    }) {
        return refuse(&ctx, provider, StatusCode::UNAUTHORIZED, &reason(&r)).await;
    }
    match payloads::slack::parse(&body) {
        Ok(SlackBody::Challenge(challenge)) => {
            Json(serde_json::json!({ "challenge": challenge })).into_response()
        }
        Ok(SlackBody::Event(event)) => accept(&ctx, provider, vec![event], None).await,
        Ok(SlackBody::Other(kind)) => {
            tracing::info!(kind, "Slack envelope acknowledged");
            StatusCode::OK.into_response()
        }
        Err(m) => refuse(&ctx, provider, StatusCode::BAD_REQUEST, &m.0).await,
    }
}

pub(super) async fn generic(
    State(ctx): State<Arc<Ctx>>,
    Path(mapping_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // Generic senders are stored and counted as Zapier, the one such sender Switchyard
    // knows; delivery ids are scoped to the mapping.
    let pool = ctx.engine.store().pool();
    let mapping = match mappings::get(pool, &mapping_id).await {
        Ok(m) => m,
        Err(_) => {
            return refuse(
                &ctx,
                ProviderId::Zapier,
                StatusCode::NOT_FOUND,
                "no mapping has this webhook address",
            )
            .await;
        }
    };
    let provider = ProviderId::Zapier;
    let body = match read(&ctx, provider, &headers, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let secret = match secrets::get(
        pool,
        ctx.engine.store().vault(),
        SCOPE,
        &generic_secret_name(&mapping.id),
    )
    .await
    {
        Ok(Some(s)) => s,
        Ok(None) => {
            return refuse(
                &ctx,
                provider,
                StatusCode::UNAUTHORIZED,
                "this mapping's webhook has no secret yet",
            )
            .await;
        }
        Err(e) => {
            tracing::warn!("webhook secret unreadable: {e}");
            return (StatusCode::SERVICE_UNAVAILABLE, "retry later").into_response();
        }
    };
    let signature = header(&headers, "x-switchyard-signature").unwrap_or_default();
    let ts = header(&headers, "x-switchyard-timestamp").unwrap_or_default();
    if let Err(r) = signatures::switchyard(secret.expose(), ts, &body, signature, now_secs()) {
        return refuse(&ctx, provider, StatusCode::UNAUTHORIZED, &reason(&r)).await;
    }
    // The `X-Switchyard-Delivery` header is not signed: it never names the delivery.
    let replay_key = signatures::switchyard_replay_key(ts, &body);
    match payloads::generic::parse(&body, &replay_key, &mapping.source_object) {
        Ok(mut event) => {
            event.delivery_id = format!("{}:{}", mapping.id, event.delivery_id);
            let route = Route {
                mapping_id: &mapping.id,
                connection_id: &mapping.source_connection_id,
            };
            accept(&ctx, provider, vec![event], Some(route)).await
        }
        Err(m) => refuse(&ctx, provider, StatusCode::BAD_REQUEST, &m.0).await,
    }
}

//! What every route checks before it reads a body's events: the size cap, the secrets
//! that may have signed it, the signature against each (constant-time, in
//! `signatures`), and, for HubSpot, the URLs it may have been signed for.

use super::intake::refuse;
use super::signatures::Rejected;
use super::state::{Ctx, MAX_BODY_BYTES};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use switchyard_store::kinds::ProviderId;
use switchyard_store::Secret;

pub(super) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub(super) fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The body, or the 413 for one over the cap.
pub(super) async fn read(
    ctx: &Ctx,
    provider: ProviderId,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, Response> {
    let declared = header(headers, "content-length").and_then(|l| l.parse::<usize>().ok());
    let too_large = format!("the body is larger than {} KiB", MAX_BODY_BYTES / 1024);
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(refuse(ctx, provider, StatusCode::PAYLOAD_TOO_LARGE, &too_large).await);
    }
    match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => Ok(bytes),
        Err(_) => Err(refuse(ctx, provider, StatusCode::PAYLOAD_TOO_LARGE, &too_large).await),
    }
}

pub(super) fn reason(r: &Rejected) -> String {
    match r {
        Rejected::Missing => "the signature header is missing or unreadable".into(),
        Rejected::Mismatch => "the signature does not match".into(),
        Rejected::Stale(s) => {
            format!("the signed timestamp is {s} s from now, outside the 300 s window")
        }
    }
}

/// Tries every candidate; the verdict is the first match, else the most telling refusal
/// (stale over mismatch over missing).
pub(super) fn any_of(
    secrets: &[Secret<String>],
    check: impl Fn(&str) -> Result<(), Rejected>,
) -> Result<(), Rejected> {
    let mut worst = Rejected::Missing;
    for secret in secrets {
        match check(secret.expose()) {
            Ok(()) => return Ok(()),
            Err(r @ Rejected::Stale(_)) => worst = r,
            Err(Rejected::Mismatch) if worst == Rejected::Missing => worst = Rejected::Mismatch,
            Err(_) => {}
        }
    }
    Err(worst)
}

pub(super) async fn candidates(
    ctx: &Ctx,
    provider: ProviderId,
    accounts: Vec<String>,
) -> Result<Vec<Secret<String>>, Response> {
    let name = switchyard_connectors::provider(provider).name;
    match super::keys::candidates(&ctx.engine, provider, &accounts).await {
        Ok(list) if list.is_empty() => Err(refuse(
            ctx,
            provider,
            StatusCode::UNAUTHORIZED,
            &format!("no {name} signing secret is set in Switchyard"),
        )
        .await),
        Ok(list) => Ok(list),
        Err(e) => {
            tracing::warn!("webhook secrets unreadable: {}", e.message);
            Err((StatusCode::SERVICE_UNAVAILABLE, "retry later").into_response())
        }
    }
}

/// The URLs HubSpot may have signed: the public address set for a tunnel, and the one
/// this request names (`Host`, with `X-Forwarded-Proto` when a proxy sets it).
pub(super) fn hubspot_uris(ctx: &Ctx, headers: &HeaderMap, uri: &axum::http::Uri) -> Vec<String> {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut out = Vec::new();
    if let Some(public) = &ctx.settings.public_url {
        out.push(format!("{public}{path}"));
    }
    if let Some(host) = header(headers, "host") {
        let scheme = header(headers, "x-forwarded-proto").unwrap_or("http");
        out.push(format!("{scheme}://{host}{path}"));
    }
    out
}

pub(super) fn decoded(uri: &str) -> String {
    percent_encoding::percent_decode_str(uri)
        .decode_utf8_lossy()
        .into_owned()
}

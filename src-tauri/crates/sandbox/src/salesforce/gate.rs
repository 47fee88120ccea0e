//! What every `/services/data/vXX.X/…` call passes through before its handler: the
//! version must be served (404 NOT_FOUND), the session valid (401 INVALID_SESSION_ID),
//! the concurrent-long-request cap and the daily allocation not exceeded (403, never
//! 429). Every response, errors included, gets `Sforce-Limit-Info: api-usage=N/M`.

use super::api_version::{self, Api};
use super::errors::{invalid_session, ApiError};
use super::limits::with_usage;
use super::Salesforce;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

pub async fn gate(State(sf): State<Arc<Salesforce>>, mut request: Request, next: Next) -> Response {
    let limits = sf.limits();
    let refuse = |response: Response| with_usage(response, sf.usage.used(), limits.daily);
    let Some(version) = request
        .uri()
        .path()
        .split('/')
        .nth(3)
        .and_then(api_version::parse)
    else {
        return refuse(ApiError::not_found().into_response());
    };
    if !sf.session(request.headers()) {
        return refuse(invalid_session());
    }
    let Ok(_in_flight) = sf.usage.enter(
        limits.concurrent,
        Duration::from_secs(limits.long_request_secs),
    ) else {
        let error = ApiError::new(
            StatusCode::FORBIDDEN,
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentRequests (Concurrent API Requests) Limit exceeded.",
        );
        return refuse(error.into_response());
    };
    let used = match sf.usage.count(limits.daily) {
        Ok(used) => used,
        Err(used) => {
            let error = ApiError::new(
                StatusCode::FORBIDDEN,
                "REQUEST_LIMIT_EXCEEDED",
                "TotalRequests Limit exceeded.",
            );
            return with_usage(error.into_response(), used, limits.daily);
        }
    };
    request.extensions_mut().insert(Api { version });
    with_usage(next.run(request).await, used, limits.daily)
}

//! Who is calling the CRM API and whether they may: bearer tokens are either OAuth access
//! tokens (expire after 1800 s; 401 `EXPIRED_AUTHENTICATION` afterwards) or static
//! private-app / service-key tokens (`pat-na1-<uuid>`, never expire). The gate in front
//! of every CRM route authenticates, applies the rate limits and adds the rate headers;
//! handlers then check the token's scopes for the object they touch (403 `MISSING_SCOPES`).

use super::errors::{self, Policy};
use super::limits::add_headers;
use super::schema::Kind;
use super::Hubspot;
use crate::oauth::{bearer, now_ms, BearerError};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The authenticated caller, put into request extensions by [`gate`].
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: String,
    pub scopes: Arc<Vec<String>>,
}

impl Caller {
    /// Ok when the token holds a scope that allows reading (or writing) `kind`.
    pub fn allows(&self, kind: Kind, write: bool) -> Result<(), Response> {
        let needed = kind.scopes(write);
        if needed
            .iter()
            .any(|s| self.scopes.iter().any(|have| have == s))
        {
            Ok(())
        } else {
            Err(errors::missing_scopes(&needed[..1]))
        }
    }

    /// Properties (schema) reads: the schema scope or any scope on the object.
    pub fn allows_schema(&self, kind: Kind) -> Result<(), Response> {
        let schema = format!("crm.schemas.{}.read", kind.plural());
        if self.scopes.contains(&schema) || self.allows(kind, false).is_ok() {
            Ok(())
        } else {
            Err(errors::missing_scopes(&[schema]))
        }
    }
}

impl Hubspot {
    /// A static token's scopes, or an OAuth token's; the 401 HubSpot gives otherwise.
    pub(super) fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, Response> {
        let token = bearer(headers).ok_or_else(errors::unauthenticated)?;
        if let Some(scopes) = self.static_tokens().get(token) {
            return Ok(Caller {
                token: token.to_owned(),
                scopes: scopes.clone(),
            });
        }
        match self.auth.check_token(token) {
            Ok(info) => Ok(Caller {
                token: token.to_owned(),
                scopes: Arc::new(info.scope.split_whitespace().map(str::to_owned).collect()),
            }),
            Err(BearerError::Expired) => {
                let now = now_ms();
                let at = self.expiries().get(token).copied().unwrap_or(now);
                Err(errors::expired(at, now))
            }
            Err(_) => Err(errors::unauthenticated()),
        }
    }
}

/// Authentication, rate limits and rate headers for every CRM route. Search calls count
/// against the search limit only and carry no rate headers.
pub async fn gate(State(hs): State<Arc<Hubspot>>, mut request: Request, next: Next) -> Response {
    let caller = match hs.authenticate(request.headers()) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if request.uri().path().ends_with("/search") {
        if !hs.limits.hit_search() {
            return errors::rate_limited(Policy::SearchSecondly);
        }
        request.extensions_mut().insert(caller);
        return next.run(request).await;
    }
    match hs.limits.hit(&caller.token, now_ms()) {
        Err((policy, usage)) => {
            let mut response = errors::rate_limited(policy);
            add_headers(&mut response, &usage);
            response
        }
        Ok(usage) => {
            request.extensions_mut().insert(caller);
            let mut response = next.run(request).await;
            add_headers(&mut response, &usage);
            response
        }
    }
}

//! Intuit's OpenID discovery documents (`/.well-known/openid_sandbox_configuration` and
//! `/.well-known/openid_configuration`, with or without the trailing slash intuit-oauth
//! uses), with Intuit's field names — issuer, authorization_endpoint, token_endpoint,
//! userinfo_endpoint, revocation_endpoint, jwks_uri and the `*_supported` lists — all
//! pointing at this listener, plus the JWKS and userinfo endpoints they name. No
//! id_token is issued (it is optional in the token response), so the key set is empty.

use super::errors::unauthorized;
use super::Quickbooks;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn document(base: &str) -> Value {
    json!({
        "issuer": format!("{base}/op/v1"),
        "authorization_endpoint": format!("{base}/connect/oauth2"),
        "token_endpoint": format!("{base}/oauth2/v1/tokens/bearer"),
        "userinfo_endpoint": format!("{base}/v1/openid_connect/userinfo"),
        "revocation_endpoint": format!("{base}/v2/oauth2/tokens/revoke"),
        "jwks_uri": format!("{base}/op/v1/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "address", "phone"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
    })
}

pub async fn configuration(State(qb): State<Arc<Quickbooks>>) -> Json<Value> {
    Json(document(&qb.ctx.base_url))
}

pub async fn jwks() -> Json<Value> {
    Json(json!({ "keys": [] }))
}

/// OpenID userinfo: the subject of a valid token that was granted `openid`.
pub async fn userinfo(State(qb): State<Arc<Quickbooks>>, headers: HeaderMap) -> Response {
    match qb.auth.check_bearer(&headers) {
        Ok(info) if info.scope.split_whitespace().any(|s| s == "openid") => {
            Json(json!({ "sub": format!("sandbox-user-{}", info.account) })).into_response()
        }
        Ok(_) => unauthorized("The token was not granted the openid scope"),
        Err(_) => unauthorized("Token invalid or expired"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn discovery_points_at_this_listener() {
        let d = super::document("http://127.0.0.1:9");
        assert_eq!(
            d["token_endpoint"],
            "http://127.0.0.1:9/oauth2/v1/tokens/bearer"
        );
        assert_eq!(
            d["revocation_endpoint"],
            "http://127.0.0.1:9/v2/oauth2/tokens/revoke"
        );
        assert!(super::super::oauth::SCOPES.contains(&"com.intuit.quickbooks.accounting"));
    }
}

//! "Who is connected": the identity URL returned as `id` by the token endpoint
//! (`GET /id/{orgId}/{userId}`) and the OpenID Connect `GET /services/oauth2/userinfo`.
//! Both take the access token as a bearer header or an `oauth_token` / `access_token`
//! parameter, and answer a bad or expired token with 403 `Bad_OAuth_Token`, not 401.

use super::session::api_token;
use super::{Org, Salesforce, User};
use crate::oauth::now_ms;
use crate::seed::sf_datetime;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

fn token<'a>(headers: &'a HeaderMap, query: &'a HashMap<String, String>) -> Option<&'a str> {
    api_token(headers).or_else(|| {
        query
            .get("oauth_token")
            .or_else(|| query.get("access_token"))
            .map(String::as_str)
    })
}

fn bad_token() -> Response {
    (StatusCode::FORBIDDEN, "Bad_OAuth_Token").into_response()
}

/// The API endpoints of the org under `instance`, with `{version}` unless one is asked for.
fn urls(instance: &str, org: &Org, user: &User, version: &str) -> Value {
    let data = format!("{instance}/services/data/v{version}");
    json!({
        "enterprise": format!("{instance}/services/Soap/c/{version}/{}", org.id),
        "metadata": format!("{instance}/services/Soap/m/{version}/{}", org.id),
        "partner": format!("{instance}/services/Soap/u/{version}/{}", org.id),
        "rest": format!("{data}/"),
        "sobjects": format!("{data}/sobjects/"),
        "search": format!("{data}/search/"),
        "query": format!("{data}/query/"),
        "recent": format!("{data}/recent/"),
        "tooling_rest": format!("{data}/tooling/"),
        "profile": format!("{instance}/{}", user.id),
        "users": format!("{data}/chatter/users"),
        "custom_domain": instance,
    })
}

fn version_param(query: &HashMap<String, String>) -> String {
    match query.get("version").map(String::as_str) {
        Some("latest") => format!("{}.0", super::api_version::MAX),
        Some(v) if !v.is_empty() => v.trim_start_matches('v').to_owned(),
        _ => "{version}".to_owned(),
    }
}

/// `GET /id/{orgId}/{userId}`.
pub async fn identity(
    State(sf): State<Arc<Salesforce>>,
    headers: HeaderMap,
    Path((org_id, user_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !token(&headers, &query).is_some_and(|t| sf.touch(t)) {
        return bad_token();
    }
    let org = sf.org();
    let Some(user) = org
        .users
        .iter()
        .find(|u| u.id == user_id)
        .filter(|_| org.id == org_id)
    else {
        return (StatusCode::NOT_FOUND, "Bad_Id").into_response();
    };
    let (login, instance) = sf.hosts(&headers);
    Json(json!({
        "id": format!("{login}/id/{}/{}", org.id, user.id),
        "asserted_user": user.id == org.users[0].id,
        "user_id": user.id,
        "organization_id": org.id,
        "username": user.username,
        "nick_name": user.username.split('@').next().unwrap_or_default(),
        "display_name": format!("{} {}", user.first, user.last),
        "email": user.username,
        "email_verified": true,
        "first_name": user.first,
        "last_name": user.last,
        "timezone": "America/Los_Angeles",
        "photos": { "picture": format!("{instance}/profilephoto/005/F"), "thumbnail": format!("{instance}/profilephoto/005/T") },
        "status": { "created_date": null, "body": null },
        "urls": urls(&instance, &org, user, &version_param(&query)),
        "active": true,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": -28_800_000,
        "last_modified_date": sf_datetime(now_ms()),
        "is_app_installed": true,
    }))
    .into_response()
}

/// `GET|POST /services/oauth2/userinfo`.
pub async fn userinfo(
    State(sf): State<Arc<Salesforce>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !token(&headers, &query).is_some_and(|t| sf.touch(t)) {
        return bad_token();
    }
    let org = sf.org();
    let user = &org.users[0];
    let (login, instance) = sf.hosts(&headers);
    Json(json!({
        "sub": format!("{login}/id/{}/{}", org.id, user.id),
        "user_id": user.id,
        "organization_id": org.id,
        "preferred_username": user.username,
        "nickname": user.username.split('@').next().unwrap_or_default(),
        "name": format!("{} {}", user.first, user.last),
        "email": user.username,
        "email_verified": true,
        "given_name": user.first,
        "family_name": user.last,
        "zoneinfo": "America/Los_Angeles",
        "photos": { "picture": format!("{instance}/profilephoto/005/F"), "thumbnail": format!("{instance}/profilephoto/005/T") },
        "profile": format!("{instance}/{}", user.id),
        "picture": format!("{instance}/profilephoto/005/F"),
        "address": { "country": "US" },
        "urls": urls(&instance, &org, user, &version_param(&query)),
        "active": true,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": -28_800_000,
        "updated_at": sf_datetime(now_ms()),
        "is_app_installed": true,
    }))
    .into_response()
}

//! The listener's routes. API paths are served with and without a trailing slash (the
//! Python SDK adds one), pass through the gate (version, session, limits), and answer
//! unsupported methods with 405 METHOD_NOT_ALLOWED and unknown paths with 404 NOT_FOUND,
//! both as Salesforce error arrays.

use super::api_version::Api;
use super::errors::ApiError;
use super::gate;
use super::limits::with_usage;
use super::{
    changes, collection_upsert, collections, describe, identity, oauth, query, sobjects, upsert,
    versions, Salesforce,
};
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, MethodRouter};
use axum::{Extension, Json, Router};
use serde_json::json;
use std::sync::Arc;

type S = Arc<Salesforce>;

/// A route's methods, with Salesforce's 405 for the others.
fn only(allowed: &'static str, methods: MethodRouter<S>) -> MethodRouter<S> {
    methods.fallback(move |method: Method| async move {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("HTTP Method '{method}' not allowed. Allowed are {allowed}"),
        )
        .into_response()
    })
}

/// Registers `path` and `path/`.
fn both(router: Router<S>, path: &str, methods: MethodRouter<S>) -> Router<S> {
    router
        .route(path, methods.clone())
        .route(&format!("{path}/"), methods)
}

async fn not_found(State(sf): State<S>) -> Response {
    with_usage(
        ApiError::not_found().into_response(),
        sf.usage.used(),
        sf.limits().daily,
    )
}

async fn limits(State(sf): State<S>, Extension(_api): Extension<Api>) -> Json<serde_json::Value> {
    let daily = sf.limits().daily;
    let used = sf.usage.used();
    Json(json!({ "DailyApiRequests": { "Max": daily, "Remaining": daily.saturating_sub(used) } }))
}

fn api(sf: &S) -> Router<S> {
    let v = "/services/data/{version}";
    let mut r = Router::new();
    r = both(r, v, only("GET,HEAD", get(versions::resources)));
    r = both(r, &format!("{v}/limits"), only("GET,HEAD", get(limits)));
    r = both(
        r,
        &format!("{v}/query"),
        only("GET,HEAD", get(query::query)),
    );
    r = both(
        r,
        &format!("{v}/query/{{locator}}"),
        only("GET,HEAD", get(query::more)),
    );
    r = both(
        r,
        &format!("{v}/queryAll"),
        only("GET,HEAD", get(query::query_all)),
    );
    r = both(
        r,
        &format!("{v}/queryAll/{{locator}}"),
        only("GET,HEAD", get(query::more)),
    );
    r = both(
        r,
        &format!("{v}/sobjects"),
        only("GET,HEAD", get(describe::global)),
    );
    r = both(
        r,
        &format!("{v}/sobjects/{{obj}}"),
        only("GET,HEAD,POST", get(describe::basic).post(sobjects::create)),
    );
    r = both(
        r,
        &format!("{v}/sobjects/{{obj}}/describe"),
        only("GET,HEAD", get(describe::describe)),
    );
    r = both(
        r,
        &format!("{v}/sobjects/{{obj}}/updated"),
        only("GET,HEAD", get(changes::updated)),
    );
    r = both(
        r,
        &format!("{v}/sobjects/{{obj}}/deleted"),
        only("GET,HEAD", get(changes::deleted)),
    );
    r = both(
        r,
        &format!("{v}/sobjects/{{obj}}/{{id}}"),
        only(
            "GET,HEAD,PATCH,DELETE",
            get(sobjects::read)
                .patch(sobjects::update)
                .delete(sobjects::delete),
        ),
    );
    r = both(
        r,
        &format!("{v}/sobjects/{{obj}}/{{field}}/{{value}}"),
        only(
            "GET,HEAD,PATCH,DELETE",
            get(upsert::read)
                .patch(upsert::upsert)
                .delete(upsert::delete),
        ),
    );
    r = both(
        r,
        &format!("{v}/composite/sobjects"),
        only(
            "POST,PATCH,DELETE",
            post(collections::create)
                .patch(collections::update)
                .delete(collections::delete),
        ),
    );
    r = both(
        r,
        &format!("{v}/composite/sobjects/{{obj}}/{{field}}"),
        only("PATCH", patch(collection_upsert::upsert)),
    );
    r.route_layer(from_fn_with_state(sf.clone(), gate::gate))
}

pub fn router(sf: S) -> Router {
    let mut r = api(&sf);
    r = r
        .route("/services/data", get(versions::list))
        .route("/services/data/", get(versions::list));
    r = r.route(
        "/services/oauth2/authorize",
        get(oauth::authorize).post(oauth::decide),
    );
    r = r.route("/services/oauth2/token", post(oauth::token));
    r = r.route(
        "/services/oauth2/revoke",
        post(oauth::revoke).get(oauth::revoke),
    );
    r = r.route(
        "/services/oauth2/userinfo",
        get(identity::userinfo).post(identity::userinfo),
    );
    r = r.route(
        "/id/{org}/{user}",
        get(identity::identity).post(identity::identity),
    );
    r.fallback(not_found).with_state(sf)
}

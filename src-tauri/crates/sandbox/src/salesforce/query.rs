//! `GET /query?q=` and `GET /queryAll?q=` (which also returns deleted rows), and the
//! follow-up batches at `nextRecordsUrl` (`/query/01g…-2000`; `/queryAll/…` works too).
//! Batches hold 2000 records unless `Sforce-Query-Options: batchSize=N` (200–2000) asks
//! for fewer.

use super::api_version::Api;
use super::cursors::Cursor;
use super::errors::ApiError;
use super::soql::row_json::{self, Layout};
use super::soql::{self, Outcome, Plan};
use super::{lock, Salesforce};
use crate::json_out;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

const MAX_BATCH: usize = 2000;
const MIN_BATCH: usize = 200;

/// The batch size asked for in `Sforce-Query-Options`, within Salesforce's bounds.
fn batch_size(headers: &HeaderMap) -> Option<usize> {
    let options = headers.get("sforce-query-options")?.to_str().ok()?;
    let size = options
        .split(',')
        .find_map(|o| o.trim().strip_prefix("batchSize="))?
        .trim()
        .parse::<usize>()
        .ok()?;
    Some(size.clamp(MIN_BATCH, MAX_BATCH))
}

pub async fn query(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    run(&sf, &api, &headers, params.get("q"), false)
}

pub async fn query_all(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    run(&sf, &api, &headers, params.get("q"), true)
}

fn run(
    sf: &Salesforce,
    api: &Api,
    headers: &HeaderMap,
    q: Option<&String>,
    include_deleted: bool,
) -> Response {
    let Some(q) = q.filter(|q| !q.trim().is_empty()) else {
        return ApiError::bad("MALFORMED_QUERY", "A query string has to be specified")
            .into_response();
    };
    let plan = match soql::compile(q) {
        Ok(plan) => Arc::new(plan),
        Err(e) => return e.into_response(),
    };
    let store = sf.store();
    let ids = match soql::run(&plan, &store, include_deleted) {
        Outcome::Count(n) => {
            return Json(json!({ "totalSize": n, "done": true, "records": [] })).into_response()
        }
        Outcome::Ids(ids) => Arc::new(ids),
    };
    let batch = batch_size(headers).unwrap_or(MAX_BATCH);
    let locator = (ids.len() > batch).then(|| {
        let cursor = Cursor {
            plan: plan.clone(),
            ids: ids.clone(),
            batch,
        };
        lock(&sf.cursors).open(&store.pod, cursor, sf.limits().max_cursors)
    });
    page(&plan, &ids, &store, api, 0, batch, locator.as_deref())
}

/// One batch of a result, with `nextRecordsUrl` while more remain, written straight to
/// bytes (`{"done","nextRecordsUrl"?,"records","totalSize"}`, keys in sorted order).
fn page(
    plan: &Plan,
    ids: &[String],
    store: &super::store::Store,
    api: &Api,
    from: usize,
    batch: usize,
    locator: Option<&str>,
) -> Response {
    let to = (from + batch).min(ids.len());
    let layout = Layout::new(plan);
    let mut out = Vec::with_capacity(128 + (to - from.min(to)) * 300);
    out.extend_from_slice(b"{");
    json_out::key(&mut out, "done");
    json_out::value(&mut out, &(to >= ids.len()));
    if let (Some(locator), true) = (locator, to < ids.len()) {
        out.push(b',');
        json_out::key(&mut out, "nextRecordsUrl");
        let url = format!("/services/data/v{}/query/{locator}-{to}", api.version);
        json_out::str(&mut out, &url);
    }
    out.push(b',');
    json_out::key(&mut out, "records");
    out.push(b'[');
    let rows = ids[from.min(to)..to]
        .iter()
        .filter_map(|id| store.get(plan.obj, id));
    for (i, r) in rows.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        row_json::row(&mut out, &layout, plan, &api.version, store, r);
    }
    out.extend_from_slice(b"],");
    json_out::key(&mut out, "totalSize");
    json_out::value(&mut out, &ids.len());
    out.push(b'}');
    ([(header::CONTENT_TYPE, "application/json")], out).into_response()
}

/// `GET /query/{locator}-{position}`.
pub async fn more(
    State(sf): State<Arc<Salesforce>>,
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let invalid =
        || ApiError::bad("INVALID_QUERY_LOCATOR", "invalid query locator").into_response();
    let Some((locator, position)) = params.get("locator").and_then(|l| l.rsplit_once('-')) else {
        return invalid();
    };
    let Ok(position) = position.parse::<usize>() else {
        return invalid();
    };
    let Some(cursor) = lock(&sf.cursors).get(locator) else {
        return invalid();
    };
    if position > cursor.ids.len() {
        return invalid();
    }
    let batch = batch_size(&headers).unwrap_or(cursor.batch);
    let store = sf.store();
    page(
        &cursor.plan,
        &cursor.ids,
        &store,
        &api,
        position,
        batch,
        Some(locator),
    )
}

//! `POST /batch`: `{"BatchItemRequest":[{"bId","operation","Customer":{…}} |
//! {"bId","Query":"select …"}]}` → `{"BatchItemResponse":[{"bId","Customer":{…}} |
//! {"bId","QueryResponse":{…}} | {"bId","Fault":{…}}]}`. Items run in order against one
//! snapshot of the store lock; each fails alone. At most 30 items (`batch_max_items`);
//! batches count against their own 40/min throttle. When the partial-batch fault fires,
//! every second item fails with a SystemFault.

use super::api::{params, respond};
use super::errors::Fault;
use super::query::{self, Paging};
use super::store::Kind;
use super::write::{self, Op};
use super::write_rules::WriteCtx;
use super::Quickbooks;
use crate::faults::FaultKind;
use crate::oauth::now_ms;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::sync::Arc;

const ITEM_KEYS: &[&str] = &["bId", "operation", "optionsData"];

pub async fn batch(
    State(qb): State<Arc<Quickbooks>>,
    Path(realm): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = params(raw);
    let _slot = match qb.begin(&headers, &realm, &params, true).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let items = match serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("BatchItemRequest").and_then(Value::as_array).cloned())
    {
        Some(items) if !items.is_empty() => items,
        _ => return Fault::required("BatchItemRequest").into_response(),
    };
    let limits = qb.limits();
    if items.len() > limits.batch_max_items {
        return Fault::business(&format!(
            "The batch request has {} items; the maximum is {}.",
            items.len(),
            limits.batch_max_items
        ))
        .into_response();
    }
    let path = format!("/v3/company/{realm}/batch");
    let partial = qb.ctx.faults.take(&FaultKind::PartialBatch, "POST", &path);
    let fires = |k: &FaultKind| qb.ctx.faults.take(k, "POST", &path);
    let ctx = WriteCtx {
        now_ms: now_ms(),
        fires: &fires,
    };
    let paging = Paging {
        default_max: limits.default_max_results,
        cap: limits.max_results,
    };
    let mut store = qb.store();
    let responses: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let b_id = item.get("bId").cloned().unwrap_or(Value::Null);
            let outcome = if partial && i % 2 == 1 {
                Err(Fault::system(
                    "the item could not be processed (injected partial batch failure)",
                ))
            } else {
                run_item(&mut store, item, &ctx, paging)
            };
            match outcome {
                Ok((key, value)) => json!({ "bId": b_id, key: value }),
                Err(f) => json!({ "bId": b_id, "Fault": f.fault_object() }),
            }
        })
        .collect();
    respond("BatchItemResponse", Value::Array(responses))
}

fn run_item(
    store: &mut super::store::Store,
    item: &Value,
    ctx: &WriteCtx,
    paging: Paging,
) -> Result<(String, Value), Fault> {
    let item = item
        .as_object()
        .ok_or_else(|| Fault::invalid("BatchItemRequest", "each batch item must be an object"))?;
    if let Some(text) = item.get("Query").and_then(Value::as_str) {
        return query::run(store, text, paging)
            .map(|qr| ("QueryResponse".to_owned(), qr))
            .map_err(|f| f.fault);
    }
    let (name, entity) = item
        .iter()
        .find(|(k, _)| !ITEM_KEYS.contains(&k.as_str()))
        .ok_or_else(|| Fault::required("BatchItemRequest entity"))?;
    let kind = Kind::from_name(name)
        .filter(|k| k.name() == name)
        .ok_or_else(|| Fault::unsupported(&format!("batch {name}")))?;
    let input: Map<String, Value> = entity
        .as_object()
        .cloned()
        .ok_or_else(|| Fault::invalid(name, "the entity must be a JSON object"))?;
    let op = Op::decide(item.get("operation").and_then(Value::as_str), &input)?;
    write::apply(store, kind, op, &input, ctx).map(|e| (kind.name().to_owned(), e))
}

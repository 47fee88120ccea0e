//! QuickBooks writes through `POST /batch` (≤ 30 items a call): creates, and sparse
//! updates that must name the current `SyncToken`. An item refused with 5010 (stale
//! object: someone saved it since its token was read) comes back as that error and is
//! NOT sent again here: its values were decided against the record as it was, and
//! resending them with a fresh token would overwrite the other person's edit. The engine
//! re-reads it and writes only what nobody else changed (`engine::sync::recheck`).
//! QuickBooks has no delete for name-list entities: archiving a customer
//! sets `Active` to false. Faults arrive per item inside an HTTP 200. Ids are digit
//! strings; any other is refused per record before it reaches a query or a batch.

use super::{codec, read, Quickbooks};
use crate::api::Request;
use crate::batch::in_batches;
use crate::codec::set_path;
use crate::connector::{ConnectorError, RecordError, WriteOp, WriteResult, WriteRow, Written};
use crate::schema::ObjectSpec;
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;

pub const MAX_BATCH: usize = 30;
const STALE: &str = "5010";

#[derive(Debug, Clone)]
struct Item {
    operation: &'static str,
    entity: Map<String, Json>,
}

fn encode(spec: &ObjectSpec, op: &WriteOp, row: &WriteRow) -> Result<Item, RecordError> {
    let mut entity = Map::new();
    for (name, value) in row.fields.iter() {
        let field = spec.field(name).ok_or_else(|| {
            let mut e = RecordError::new(
                "2010",
                format!("Property Name:{name} is not known on {}", spec.name),
            );
            e.fields = vec![name.clone()];
            e
        })?;
        let json = codec::encode(field, value).map_err(|e| {
            let mut r = RecordError::new("2020", e.to_string());
            r.fields = vec![name.clone()];
            r
        })?;
        set_path(&mut entity, name, json);
    }
    let operation = match op {
        WriteOp::Create => "create",
        WriteOp::Update => {
            let id = row
                .id
                .clone()
                .ok_or_else(|| RecordError::new("MISSING_ID", "an update needs the record's id"))?;
            crate::record_ids::check(crate::ProviderId::Quickbooks, &spec.name, &id)
                .map_err(|why| RecordError::new("INVALID_ID", why))?;
            let token = row.version.clone().ok_or_else(|| {
                RecordError::new(
                    "MISSING_SYNC_TOKEN",
                    "an update needs the record's SyncToken",
                )
            })?;
            entity.insert("Id".into(), Json::from(id));
            entity.insert("SyncToken".into(), Json::from(token));
            entity.insert("sparse".into(), Json::Bool(true));
            "update"
        }
        WriteOp::Upsert { .. } => {
            return Err(RecordError::new(
                "UNSUPPORTED",
                "QuickBooks has no upsert; match the record first, then create or update it",
            ))
        }
    };
    Ok(Item { operation, entity })
}

fn item_result(spec: &ObjectSpec, item: &Json, created: bool) -> WriteResult {
    if let Some(entity) = item.get(&spec.name) {
        return Ok(Written {
            id: entity
                .get("Id")
                .and_then(crate::codec::text_of)
                .unwrap_or_default(),
            created,
            version: entity.get("SyncToken").and_then(crate::codec::text_of),
        });
    }
    let (code, message) = crate::connector_error::summarize(item.to_string().as_bytes());
    let mut e = RecordError::new(
        code.unwrap_or_else(|| "FAULT".into()),
        message.unwrap_or_default(),
    );
    // Safe to try again later (the engine re-checks it first); never resent blindly.
    e.retryable = e.code == STALE;
    e.fields = item
        .pointer("/Fault/Error/0/element")
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| vec![s.to_owned()])
        .unwrap_or_default();
    Err(e)
}

async fn send_batch(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    items: &[Item],
) -> Result<Vec<WriteResult>, ConnectorError> {
    let request_items: Vec<Json> = items
        .iter()
        .enumerate()
        .map(|(i, item)| json!({ "bId": i.to_string(), "operation": item.operation, spec.name.clone(): item.entity }))
        .collect();
    let url = format!(
        "{}/batch?minorversion={}",
        qb.company_url(),
        super::MINOR_VERSION_TEXT
    );
    let creates = items.iter().any(|i| i.operation == "create");
    let body = qb
        .send(
            Request::new(reqwest::Method::POST, url, "/v3/company/{realm}/batch")
                .json(&crate::codec::object([(
                    "BatchItemRequest",
                    Json::Array(request_items),
                )]))
                .idempotent(!creates),
        )
        .await?;
    let answers: HashMap<String, Json> = body
        .get("BatchItemResponse")
        .and_then(Json::as_array)
        .ok_or_else(|| ConnectorError::unexpected("a batch answer without BatchItemResponse"))?
        .iter()
        .filter_map(|a| Some((a.get("bId").and_then(crate::codec::text_of)?, a.clone())))
        .collect();
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, item)| match answers.get(&i.to_string()) {
            Some(a) => item_result(spec, a, item.operation == "create"),
            None => Err(RecordError::new(
                "NO_RESULT",
                "QuickBooks returned no result for this item",
            )),
        })
        .collect())
}

/// The current `SyncToken` of each id (inactive records included).
async fn current_tokens(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    ids: &[String],
) -> Result<HashMap<String, String>, ConnectorError> {
    let mut tokens = HashMap::new();
    // Only digit strings go into the query (the rest are refused per record by `encode`),
    // so nothing in an id can end the quoted literal.
    let ids: Vec<&String> = ids
        .iter()
        .filter(|id| crate::record_ids::is_numeric_id(id))
        .collect();
    for chunk in ids.chunks(100) {
        let list: Vec<String> = chunk.iter().map(|id| format!("'{id}'")).collect();
        let active = if spec.field("Active").is_some() {
            " and Active IN (true, false)"
        } else {
            ""
        };
        let q = format!(
            "select * from {} where Id in ({}){active}",
            spec.name,
            list.join(", ")
        );
        for raw in read::query(qb, &q).await? {
            if let (Some(id), Some(token)) = (
                raw.get("Id").and_then(crate::codec::text_of),
                raw.get("SyncToken").and_then(crate::codec::text_of),
            ) {
                tokens.insert(id, token);
            }
        }
    }
    Ok(tokens)
}

pub async fn write(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    op: &WriteOp,
    rows: &[WriteRow<'_>],
) -> Result<Vec<WriteResult>, ConnectorError> {
    if !spec.writable {
        return Err(ConnectorError::Unsupported(format!(
            "Switchyard reads QuickBooks {} but does not write them",
            spec.name
        )));
    }
    let prepared: Vec<_> = rows.iter().map(|r| encode(spec, op, r)).collect();
    let out = in_batches(prepared, qb.batch_size, |items| async move {
        send_batch(qb, spec, &items).await
    })
    .await;
    qb.api.invalidate(&spec.name.to_lowercase());
    Ok(out)
}

/// Deactivates customers (`Active: false`), reading their current SyncTokens first.
pub async fn deactivate(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    ids: &[String],
) -> Result<Vec<WriteResult>, ConnectorError> {
    if spec.field("Active").is_none() || !spec.writable {
        return Err(ConnectorError::Unsupported(format!(
            "QuickBooks {} cannot be made inactive",
            spec.name
        )));
    }
    let tokens = current_tokens(qb, spec, ids).await?;
    let rows: Vec<WriteRow> = ids
        .iter()
        .map(|id| WriteRow {
            id: Some(id.clone()),
            version: tokens.get(id).cloned(),
            fields: std::borrow::Cow::Owned(
                [("Active".to_owned(), crate::value::Value::Bool(false))]
                    .into_iter()
                    .collect(),
            ),
        })
        .collect();
    write(qb, spec, &WriteOp::Update, &rows).await
}

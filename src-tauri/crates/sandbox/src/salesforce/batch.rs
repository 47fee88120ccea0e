//! The transaction behind sObject Collections: items run in order, each change is
//! journaled, and with `allOrNone` any failure rolls every change back and marks the
//! items that had succeeded with ALL_OR_NONE_OPERATION_ROLLED_BACK. Results come back
//! per item, in request order, as SaveResult / UpsertResult objects. Also the request
//! checks: at most 200 records in at most 10 chunks of one type, each naming its type.

use super::errors::ApiError;
use super::schema::{self, SObject};
use super::sobjects::json_object;
use super::store::{Record, Store};
use axum::body::Bytes;
use serde_json::{json, Map, Value};

pub const MAX_RECORDS: usize = 200;
const MAX_CHUNKS: usize = 10;

pub fn too_many() -> ApiError {
    ApiError::bad(
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call",
    )
}

/// `{"allOrNone": …, "records": […]}`.
pub fn parse(body: &Bytes) -> Result<(bool, Vec<Map<String, Value>>), ApiError> {
    let body = json_object(body)?;
    let all_or_none = match body.get("allOrNone") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    let Some(Value::Array(items)) = body.get("records") else {
        return Err(ApiError::json_parser(
            "records: a list of sObjects is required",
        ));
    };
    if items.len() > MAX_RECORDS {
        return Err(too_many());
    }
    let records: Vec<Map<String, Value>> = items
        .iter()
        .map(|v| v.as_object().cloned().unwrap_or_default())
        .collect();
    let types: Vec<Option<&str>> = records.iter().map(type_name).collect();
    let chunks = types.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!types.is_empty());
    if chunks > MAX_CHUNKS {
        return Err(ApiError::bad("EXCEEDED_MAX_TYPES_LIMIT", "Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking."));
    }
    Ok((all_or_none, records))
}

pub fn type_name(record: &Map<String, Value>) -> Option<&str> {
    record.get("attributes")?.get("type")?.as_str()
}

/// The object a record's `attributes.type` names.
pub fn record_type(record: &Map<String, Value>) -> Result<&'static SObject, ApiError> {
    let name = type_name(record)
        .ok_or_else(|| ApiError::bad("INVALID_TYPE", "Must send a concrete entity type."))?;
    schema::find(name).ok_or_else(|| {
        ApiError::bad(
            "INVALID_TYPE",
            format!("sObject type '{name}' is not supported."),
        )
    })
}

/// The outcome of one item.
#[derive(Debug, Clone)]
pub struct ItemResult {
    pub id: Option<String>,
    pub created: Option<bool>,
    pub error: Option<ApiError>,
}

impl ItemResult {
    pub fn ok(id: String, created: Option<bool>) -> Self {
        Self {
            id: Some(id),
            created,
            error: None,
        }
    }

    pub fn failed(id: Option<String>, error: ApiError) -> Self {
        Self {
            id,
            created: None,
            error: Some(error),
        }
    }

    pub fn json(&self) -> Value {
        let errors: Vec<Value> = self.error.iter().map(ApiError::save_error).collect();
        let mut v = json!({ "success": self.error.is_none(), "errors": errors });
        if let Some(map) = v.as_object_mut() {
            if let Some(id) = &self.id {
                map.insert("id".into(), Value::String(id.clone()));
            }
            if let (Some(created), None) = (self.created, &self.error) {
                map.insert("created".into(), Value::Bool(created));
            }
        }
        v
    }
}

/// Rows as they were before this batch touched them, oldest first.
#[derive(Debug, Default)]
pub struct Journal {
    before: Vec<(&'static SObject, String, Option<Record>)>,
}

impl Journal {
    /// Remembers a row before it changes (`None`: it is about to be created).
    pub fn note(&mut self, store: &Store, obj: &'static SObject, id: &str) {
        if !self
            .before
            .iter()
            .any(|(o, i, _)| o.name == obj.name && i == id)
        {
            self.before
                .push((obj, id.to_owned(), store.get(obj, id).cloned()));
        }
    }

    /// Remembers that a row did not exist before this batch created it.
    pub fn note_created(&mut self, obj: &'static SObject, id: &str) {
        self.before.push((obj, id.to_owned(), None));
    }

    /// Puts every noted row back as it was.
    pub fn rollback(self, store: &mut Store) {
        for (obj, id, record) in self.before.into_iter().rev() {
            store.put(obj, &id, record);
        }
    }
}

/// The error every item that succeeded gets when another item failed under allOrNone.
pub fn rolled_back() -> ApiError {
    ApiError::bad("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header")
}

/// Finishes a batch: with `all_or_none` and any failure, undo and rewrite the results.
pub fn settle(results: &mut [ItemResult], journal: Journal, store: &mut Store, all_or_none: bool) {
    if !all_or_none || results.iter().all(|r| r.error.is_none()) {
        return;
    }
    journal.rollback(store);
    for r in results.iter_mut().filter(|r| r.error.is_none()) {
        // Created rows are gone again, so their ids are not reported.
        if r.id.as_deref().is_some_and(|id| store.find(id).is_none()) {
            r.id = None;
        }
        r.error = Some(rolled_back());
    }
}

/// The realistic failure an injected PartialBatch fault gives an item.
pub fn lock_failure(id: Option<&str>) -> ApiError {
    let message = match id {
        Some(id) => format!("unable to obtain exclusive access to this record or 1 records: {id}"),
        None => "unable to obtain exclusive access to this record".to_owned(),
    };
    ApiError::bad("UNABLE_TO_LOCK_ROW", message)
}

/// Which items an injected PartialBatch fault fails: every second one (at least one).
pub fn fault_victims(len: usize) -> Vec<bool> {
    (0..len).map(|i| i % 2 == 1 || len == 1).collect()
}

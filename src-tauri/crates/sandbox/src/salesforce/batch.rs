//! The transaction behind sObject Collections: items run in order, each change is
//! journaled, and with `allOrNone` any failure rolls every change back and marks the
//! items that had succeeded with ALL_OR_NONE_OPERATION_ROLLED_BACK. Results come back
//! per item, in request order, as SaveResult / UpsertResult objects. Also the request
//! checks: at most 200 records in at most 10 chunks of one type, each naming its type.

use super::body::{Collection, RecordIn, Scalar};
use super::errors::ApiError;
use super::objects;
use super::schema::SObject;
use super::sobjects::json_object;
use super::store::{Record, Store};
use axum::body::Bytes;
use serde_json::Value;
use std::collections::HashSet;

pub const MAX_RECORDS: usize = 200;
const MAX_CHUNKS: usize = 10;

pub fn too_many() -> ApiError {
    ApiError::bad(
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call",
    )
}

/// `{"allOrNone": …, "records": […]}`, its records borrowing from `body`.
pub fn parse(body: &Bytes) -> Result<(bool, Vec<RecordIn<'_>>), ApiError> {
    let parsed = match serde_json::from_slice::<Collection<'_>>(body) {
        Ok(parsed) => parsed,
        // What the borrowing read refuses (not JSON, not an object), the `Value` read
        // words the error for, as it always did.
        Err(_) => {
            let mut map = json_object(body)?;
            Collection {
                all_or_none: map
                    .remove("allOrNone")
                    .map_or(Scalar::Null, Scalar::from_value),
                records: match map.remove("records") {
                    Some(Value::Array(items)) => Some(
                        items
                            .into_iter()
                            .map(|v| match v {
                                Value::Object(m) => RecordIn::from_map(m),
                                _ => RecordIn::default(),
                            })
                            .collect(),
                    ),
                    _ => None,
                },
            }
        }
    };
    let all_or_none = match &parsed.all_or_none {
        Scalar::Bool(b) => *b,
        Scalar::Str(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    let Some(records) = parsed.records else {
        return Err(ApiError::json_parser(
            "records: a list of sObjects is required",
        ));
    };
    if records.len() > MAX_RECORDS {
        return Err(too_many());
    }
    let types: Vec<Option<&str>> = records.iter().map(RecordIn::type_name).collect();
    let chunks = types.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!types.is_empty());
    if chunks > MAX_CHUNKS {
        return Err(ApiError::bad("EXCEEDED_MAX_TYPES_LIMIT", "Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking."));
    }
    Ok((all_or_none, records))
}

/// The object a record's `attributes.type` names.
pub fn record_type(record: &RecordIn<'_>) -> Result<&'static SObject, ApiError> {
    let name = record
        .type_name()
        .ok_or_else(|| ApiError::bad("INVALID_TYPE", "Must send a concrete entity type."))?;
    objects::find(name).ok_or_else(|| {
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

    #[cfg(test)]
    pub fn json(&self) -> Value {
        let errors: Vec<Value> = self.error.iter().map(ApiError::save_error).collect();
        let mut v = serde_json::json!({ "success": self.error.is_none(), "errors": errors });
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

    /// [`Self::json`] written to bytes (keys in sorted order, as a `Value` prints them).
    pub fn write(&self, out: &mut Vec<u8>) {
        use crate::json_out::{key, raw, str, value};
        raw(out, "{");
        if let (Some(created), None) = (self.created, &self.error) {
            key(out, "created");
            value(out, &created);
            raw(out, ",");
        }
        key(out, "errors");
        raw(out, "[");
        for (i, e) in self.error.iter().enumerate() {
            if i > 0 {
                raw(out, ",");
            }
            value(out, &e.save_error());
        }
        raw(out, "],");
        if let Some(id) = &self.id {
            key(out, "id");
            str(out, id);
            raw(out, ",");
        }
        key(out, "success");
        value(out, &self.error.is_none());
        raw(out, "}");
    }
}

/// Per-item results as the collections resources answer them: a JSON array, HTTP 200.
pub fn results_response(results: &[ItemResult]) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut out = Vec::with_capacity(16 + results.len() * 64);
    out.push(b'[');
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        r.write(&mut out);
    }
    out.push(b']');
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        out,
    )
        .into_response()
}

/// Rows as they were before this batch touched them, oldest first — kept only under
/// `allOrNone`, the one case that can roll them back.
#[derive(Debug, Default)]
pub struct Journal {
    keeping: bool,
    before: Vec<(&'static SObject, String, Option<Record>)>,
    /// The ids noted (an id's key prefix names its object, so ids alone are unique).
    noted: HashSet<String>,
}

impl Journal {
    /// A journal that keeps rows when `all_or_none`, and otherwise notes nothing.
    pub fn new(all_or_none: bool) -> Self {
        Self {
            keeping: all_or_none,
            ..Self::default()
        }
    }

    /// Remembers a row before it changes (`None`: it is about to be created).
    pub fn note(&mut self, store: &Store, obj: &'static SObject, id: &str) {
        if self.keeping && self.noted.insert(id.to_owned()) {
            self.before
                .push((obj, id.to_owned(), store.get(obj, id).cloned()));
        }
    }

    /// Remembers that a row did not exist before this batch created it.
    pub fn note_created(&mut self, obj: &'static SObject, id: &str) {
        if !self.keeping {
            return;
        }
        self.noted.insert(id.to_owned());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_results_are_what_their_values_print() {
        let results = [
            ItemResult::ok("00Q000000000001AAA".into(), None),
            ItemResult::ok("00Q000000000002AAA".into(), Some(true)),
            ItemResult::failed(None, rolled_back()),
            ItemResult::failed(Some("x\"y".into()), lock_failure(Some("a"))),
        ];
        for r in &results {
            let mut out = Vec::new();
            r.write(&mut out);
            assert_eq!(String::from_utf8_lossy(&out), r.json().to_string());
        }
    }
}

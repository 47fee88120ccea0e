//! Request parsing and record rendering shared by the object, batch and search handlers:
//! which object a path names (plural, singular or `0-1` type ids, under `/crm/v3/` or a
//! dated `/crm/objects/YYYY-MM/`), query parameters as the SDKs send them (`properties`
//! repeated or comma-separated, booleans as `true`/`True`), JSON bodies, and the record
//! shape `{id, properties, createdAt, updatedAt, archived[, archivedAt]}`.

use super::errors;
use super::schema::Kind;
use super::store::Record;
use crate::seed::iso_z;
use axum::body::Bytes;
use axum::response::Response;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The object a route's `{object}` names; a dated `{version}` must look like `2026-03`.
pub fn kind_of(params: &HashMap<String, String>) -> Result<Kind, Response> {
    if let Some(v) = params.get("version") {
        let b = v.as_bytes();
        let dated = b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !dated {
            return Err(errors::not_found());
        }
    }
    let name = params.get("object").map(String::as_str).unwrap_or_default();
    Kind::parse(name).ok_or_else(|| errors::unknown_object(name))
}

pub fn parse_bool(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("true")
}

/// Query parameters of reads.
#[derive(Debug, Default)]
pub struct ReadQuery {
    pub limit: Option<String>,
    pub after: Option<String>,
    /// `None` when no `properties` parameter was sent.
    pub properties: Option<Vec<String>>,
    pub archived: bool,
    pub id_property: Option<String>,
    /// Every pair as sent, for rebuilding paging links.
    pub pairs: Vec<(String, String)>,
}

pub fn read_query(raw: Option<&str>) -> ReadQuery {
    let pairs: Vec<(String, String)> = raw
        .map(|q| serde_urlencoded::from_str(q).unwrap_or_default())
        .unwrap_or_default();
    let mut q = ReadQuery::default();
    for (k, v) in &pairs {
        match k.as_str() {
            "limit" => q.limit = Some(v.clone()),
            "after" => q.after = Some(v.clone()),
            "archived" => q.archived = parse_bool(v),
            "idProperty" => q.id_property = Some(v.clone()).filter(|s| !s.is_empty()),
            "properties" => q
                .properties
                .get_or_insert_with(Vec::new)
                .extend(split_list(v)),
            _ => {}
        }
    }
    q.pairs = pairs;
    q
}

/// `a,b` or a single name, trimmed, empties dropped.
pub fn split_list(v: &str) -> impl Iterator<Item = String> + '_ {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Property names from a JSON body field (`["a","b"]`).
pub fn names_in(value: Option<&Value>) -> Option<Vec<String>> {
    let list = value?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_str)
            .flat_map(split_list)
            .collect(),
    )
}

/// A JSON object body; anything else is HubSpot's invalid-input 400.
pub fn body_json(body: &Bytes) -> Result<Map<String, Value>, Response> {
    if body.is_empty() {
        return Err(errors::bad_json("No content to map due to end-of-input"));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(errors::bad_json("expected a JSON object")),
        Err(e) => Err(errors::bad_json(&e.to_string())),
    }
}

/// Parses a page size: absent gives `default`, larger than `max` is capped.
pub fn page_size(raw: Option<&str>, default: u64, max: u64) -> Result<usize, Response> {
    let n = match raw {
        None => default,
        Some(s) => s
            .trim()
            .parse::<u64>()
            .map_err(|_| errors::validation(&format!("Invalid limit: {s}")))?,
    };
    Ok(n.clamp(1, max.max(1)) as usize)
}

fn put(map: &mut Map<String, Value>, kind: Kind, r: &Record, name: &str) {
    let value = r
        .value(kind, name)
        .map_or(Value::Null, |v| Value::String(v.into_owned()));
    map.insert(name.to_owned(), value);
}

/// A record with the requested properties (unknown names ignored, empty ones `null`);
/// without a request, the object's default properties.
pub fn render(kind: Kind, r: &Record, requested: Option<&[String]>) -> Value {
    let mut props = Map::new();
    match requested {
        None => kind
            .default_props()
            .iter()
            .for_each(|n| put(&mut props, kind, r, n)),
        Some(list) => {
            for name in ["createdate", "hs_object_id", kind.last_modified()] {
                put(&mut props, kind, r, name);
            }
            list.iter()
                .filter(|n| kind.prop(n).is_some())
                .for_each(|n| put(&mut props, kind, r, n));
        }
    }
    shape(r, Value::Object(props))
}

/// A record with every property it has a value for (dump, mutate).
pub fn render_full(kind: Kind, r: &Record) -> Value {
    let props: Map<String, Value> = kind
        .props()
        .iter()
        .filter_map(|d| {
            r.value(kind, d.name)
                .map(|v| (d.name.to_owned(), Value::String(v.into_owned())))
        })
        .collect();
    shape(r, Value::Object(props))
}

/// A written record: the defaults plus what was written.
pub fn render_written(kind: Kind, r: &Record, written: &[String]) -> Value {
    let mut names: Vec<String> = kind
        .default_props()
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    names.extend(written.iter().cloned());
    render(kind, r, Some(&names))
}

fn shape(r: &Record, properties: Value) -> Value {
    let mut v = json!({
        "id": r.id.to_string(),
        "properties": properties,
        "createdAt": iso_z(r.created_ms),
        "updatedAt": iso_z(r.updated_ms),
        "archived": r.archived_ms.is_some(),
    });
    if let Some(at) = r.archived_ms {
        v["archivedAt"] = json!(iso_z(at));
    }
    v
}

/// `{base}{path}?…&after=N` with the request's other parameters kept.
pub fn next_link(base: &str, path: &str, pairs: &[(String, String)], after: &str) -> String {
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, _)| k != "after")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    kept.push(("after", after));
    format!(
        "{base}{path}?{}",
        serde_urlencoded::to_string(kept).unwrap_or_default()
    )
}

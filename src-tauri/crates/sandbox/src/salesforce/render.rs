//! Records as the REST API shows them: an `attributes` object with the type and the
//! record's URL (under the API version of the request), then the fields.

use super::schema::SObject;
use super::store::Record;
use serde_json::{json, Map, Value};

pub fn record_url(version: &str, obj: &str, id: &str) -> String {
    format!("/services/data/v{version}/sobjects/{obj}/{id}")
}

pub fn attributes(version: &str, obj: &SObject, id: &str) -> Value {
    json!({ "type": obj.name, "url": record_url(version, obj.name, id) })
}

/// Every field of a record.
pub fn full(version: &str, obj: &SObject, record: &Record) -> Value {
    let positions: Vec<usize> = (0..obj.fields.len()).collect();
    fields(version, obj, record, &positions)
}

/// The chosen fields of a record (positions into the schema), in that order.
pub fn fields(version: &str, obj: &SObject, record: &Record, positions: &[usize]) -> Value {
    let mut map = Map::new();
    map.insert("attributes".into(), attributes(version, obj, record.id()));
    for &i in positions {
        map.insert(obj.fields[i].name.into(), record.value(i));
    }
    Value::Object(map)
}

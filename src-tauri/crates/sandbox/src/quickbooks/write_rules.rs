//! The rules every entity write follows, whichever entity it is: readonly fields are
//! dropped from input (and nulls and empty strings with them), updates need the current
//! SyncToken (5010 otherwise, or when the stale-SyncToken fault fires), `sparse:true`
//! merges only the sent fields while a full update replaces the rest, money keeps two
//! decimals, and invoices and payments move their customer's balance.

use super::errors::Fault;
use super::store::{Kind, Record, Store};
use crate::faults::FaultKind;
use serde_json::{json, Map, Value};

/// What a write may consult besides the store.
pub struct WriteCtx<'a> {
    pub now_ms: i64,
    /// Whether a handler-level fault of this kind fires for this request.
    pub fires: &'a dyn Fn(&FaultKind) -> bool,
}

/// Server-owned fields that input never sets.
const READONLY: &[&str] = &["Id", "SyncToken", "MetaData", "domain", "sparse", "status"];

/// Drops readonly fields, nulls and empty strings (the API shows only fields with values).
pub fn clean(input: &Map<String, Value>) -> Map<String, Value> {
    input
        .iter()
        .filter(|(k, _)| !READONLY.contains(&k.as_str()))
        .filter_map(|(k, v)| prune(v).map(|v| (k.clone(), v)))
        .collect()
}

fn prune(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Object(map) => {
            let inner: Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| prune(v).map(|v| (k.clone(), v)))
                .collect();
            (!inner.is_empty()).then_some(Value::Object(inner))
        }
        Value::Array(items) => Some(Value::Array(items.iter().filter_map(prune).collect())),
        other => Some(other.clone()),
    }
}

/// The numeric id of `"Id": "58"` (or 58).
pub fn parse_id(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// Checks the sent SyncToken against the record's.
pub fn check_sync(
    kind: Kind,
    record: &Record,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<(), Fault> {
    let sent = match input.get("SyncToken") {
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        _ => return Err(Fault::required("SyncToken")),
    };
    if sent != Some(record.sync) || (ctx.fires)(&FaultKind::StaleSyncToken) {
        return Err(Fault::stale(kind.name(), &record.id.to_string()));
    }
    Ok(())
}

/// The live record an update or delete names.
pub fn target(store: &Store, kind: Kind, input: &Map<String, Value>) -> Result<Record, Fault> {
    let raw = input.get("Id").ok_or_else(|| Fault::required("Id"))?;
    let id = parse_id(Some(raw)).ok_or_else(|| Fault::not_found(kind.name(), &raw.to_string()))?;
    store
        .get(kind, id)
        .cloned()
        .ok_or_else(|| Fault::not_found(kind.name(), &id.to_string()))
}

/// Merges (sparse) or replaces (full) a record's body with cleaned input, keeping the
/// fields listed in `keep` from the old body on a full replace.
pub fn merged(old: &Record, input: &Map<String, Value>, keep: &[&str]) -> Map<String, Value> {
    let sparse = input
        .get("sparse")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let sent = clean(input);
    let mut body = if sparse { old.body.clone() } else { Map::new() };
    if !sparse {
        for k in keep {
            if let Some(v) = old.body.get(*k) {
                body.insert((*k).to_owned(), v.clone());
            }
        }
    }
    body.extend(sent);
    body
}

/// The `{"Invoice":{"Id","status":"Deleted","domain"}}` answer to a delete.
pub fn deleted_body(id: u64) -> Value {
    serde_json::json!({ "domain": "QBO", "status": "Deleted", "Id": id.to_string() })
}

/// Money as QuickBooks keeps it: two decimals.
pub fn money(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `{"value":"5"}` → 5.
pub fn ref_id(body: &Map<String, Value>, field: &str) -> Option<u64> {
    parse_id(body.get(field).and_then(|r| r.get("value")))
}

/// Adds `delta` to a customer's Balance (invoices opened, paid or deleted).
pub fn adjust_balance(store: &mut Store, customer_id: u64, delta: f64) {
    if let Some(c) = store.get_mut(Kind::Customer, customer_id) {
        let balance = money(c.num_field("Balance") + delta);
        c.body.insert("Balance".into(), Value::from(balance));
        c.body
            .insert("BalanceWithJobs".into(), Value::from(balance));
    }
}

/// Checks `CustomerRef` names an active customer and fills in its name.
pub fn customer_ref(store: &Store, body: &mut Map<String, Value>) -> Result<u64, Fault> {
    let id = ref_id(body, "CustomerRef").ok_or_else(|| Fault::required("CustomerRef"))?;
    let customer = store
        .get(Kind::Customer, id)
        .filter(|c| c.active())
        .ok_or_else(|| Fault::not_found("Customer", &id.to_string()).with_element("CustomerRef"))?;
    let name = customer
        .str_field("DisplayName")
        .unwrap_or_default()
        .to_owned();
    body.insert(
        "CustomerRef".into(),
        json!({ "value": id.to_string(), "name": name }),
    );
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clean_drops_readonly_and_empty_values() {
        let input = json!({"Id":"1","SyncToken":0,"sparse":false,"Title":"","BillAddr":{"Line1":"","City":"Austin"},"Notes":null,"Active":true,"Empty":{"A":""}});
        let cleaned = clean(input.as_object().unwrap_or(&Map::new()));
        assert_eq!(
            Value::Object(cleaned),
            json!({"BillAddr":{"City":"Austin"},"Active":true})
        );
    }
}

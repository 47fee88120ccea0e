//! Customer rules: a create needs DisplayName or one of Title, GivenName, MiddleName,
//! FamilyName, Suffix (DisplayName is then built from them); DisplayName is unique among
//! active customers (6240, also when the duplicate-value fault fires); Balance is
//! readonly and follows the customer's invoices; customers are deactivated, not deleted.

use super::errors::Fault;
use super::store::{Kind, Store};
use super::write_rules::{check_sync, clean, merged, target, WriteCtx};
use crate::faults::FaultKind;
use serde_json::{Map, Value};

/// Fields the server owns: never taken from input.
const SERVER_OWNED: &[&str] = &["Balance", "BalanceWithJobs", "FullyQualifiedName"];

const NAME_PARTS: &[&str] = &["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"];

fn derived_name(body: &Map<String, Value>) -> Option<String> {
    let parts: Vec<&str> = NAME_PARTS
        .iter()
        .filter_map(|k| body.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Fills DisplayName and the fields derived from it; checks uniqueness.
fn settle_name(
    store: &Store,
    body: &mut Map<String, Value>,
    except: Option<u64>,
    ctx: &WriteCtx,
    check_fault: bool,
) -> Result<(), Fault> {
    let name = match body
        .get("DisplayName")
        .and_then(Value::as_str)
        .map(str::trim)
    {
        Some(n) if !n.is_empty() => n.to_owned(),
        _ => derived_name(body).ok_or_else(|| Fault::required("DisplayName"))?,
    };
    if name.chars().count() > 500 {
        return Err(Fault::invalid(
            "DisplayName",
            "DisplayName is longer than 500 characters",
        ));
    }
    let active = body.get("Active").and_then(Value::as_bool).unwrap_or(true);
    let clash = active && store.name_taken(&name, except);
    if clash || (check_fault && (ctx.fires)(&FaultKind::DuplicateValue)) {
        return Err(Fault::duplicate_name(&name));
    }
    body.insert("DisplayName".into(), Value::String(name.clone()));
    body.insert("FullyQualifiedName".into(), Value::String(name.clone()));
    body.entry("PrintOnCheckName")
        .or_insert(Value::String(name));
    Ok(())
}

pub fn create(
    store: &mut Store,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    let mut body = clean(input);
    for k in SERVER_OWNED {
        body.remove(*k);
    }
    body.entry("Active").or_insert(Value::Bool(true));
    settle_name(store, &mut body, None, ctx, true)?;
    body.insert("Balance".into(), Value::from(0.0));
    body.insert("BalanceWithJobs".into(), Value::from(0.0));
    Ok(store.insert_new(Kind::Customer, body, ctx.now_ms).1)
}

pub fn update(
    store: &mut Store,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    let old = target(store, Kind::Customer, input)?;
    check_sync(Kind::Customer, &old, input, ctx)?;
    let mut body = merged(&old, input, SERVER_OWNED);
    for k in SERVER_OWNED {
        match old.body.get(*k) {
            Some(v) => body.insert((*k).to_owned(), v.clone()),
            None => body.remove(*k),
        };
    }
    if body.get("DisplayName").and_then(Value::as_str).is_none() && derived_name(&body).is_none() {
        if let Some(name) = old.body.get("DisplayName") {
            body.insert("DisplayName".into(), name.clone());
        }
    }
    let renamed = body.get("DisplayName") != old.body.get("DisplayName");
    let reactivated = !old.active() && body.get("Active").and_then(Value::as_bool).unwrap_or(true);
    if renamed && body.get("PrintOnCheckName") == old.body.get("DisplayName") {
        body.remove("PrintOnCheckName");
    }
    settle_name(store, &mut body, Some(old.id), ctx, renamed || reactivated)?;
    Ok(store.replace(Kind::Customer, old, body, ctx.now_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> WriteCtx<'static> {
        WriteCtx {
            now_ms: 1_000,
            fires: &|_| false,
        }
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn create_derives_display_name_and_rejects_duplicates() {
        let mut s = Store::new("1".into());
        let c = create(
            &mut s,
            &obj(json!({"GivenName":"Ada","FamilyName":"Lovelace","Balance":99})),
            &ctx(),
        )
        .unwrap_or_default();
        assert_eq!(c["DisplayName"], "Ada Lovelace");
        assert_eq!(c["Balance"], 0.0);
        assert_eq!(c["SyncToken"], "0");
        let dup = create(&mut s, &obj(json!({"DisplayName":"Ada Lovelace"})), &ctx());
        assert_eq!(
            dup.err().map(|f| f.errors[0]["code"].clone()),
            Some(json!("6240"))
        );
        assert!(
            create(&mut s, &obj(json!({"Notes":"x"})), &ctx()).is_err(),
            "no name at all"
        );
    }

    #[test]
    fn sparse_and_full_updates() {
        let mut s = Store::new("1".into());
        let c = create(
            &mut s,
            &obj(json!({"DisplayName":"A","Notes":"n","CompanyName":"Co"})),
            &ctx(),
        )
        .unwrap_or_default();
        let id = c["Id"].clone();
        let sparse = update(
            &mut s,
            &obj(json!({"Id":id,"SyncToken":"0","sparse":true,"Notes":"m"})),
            &ctx(),
        )
        .unwrap_or_default();
        assert_eq!(
            (
                sparse["Notes"].clone(),
                sparse["CompanyName"].clone(),
                sparse["SyncToken"].clone()
            ),
            (json!("m"), json!("Co"), json!("1"))
        );
        let stale = update(
            &mut s,
            &obj(json!({"Id":id,"SyncToken":"0","Notes":"z"})),
            &ctx(),
        );
        assert_eq!(
            stale.err().map(|f| f.errors[0]["code"].clone()),
            Some(json!("5010"))
        );
        let full = update(
            &mut s,
            &obj(json!({"Id":id,"SyncToken":"1","DisplayName":"A"})),
            &ctx(),
        )
        .unwrap_or_default();
        assert!(
            full.get("CompanyName").is_none(),
            "a full update clears unsent fields"
        );
        assert_eq!(full["Balance"], 0.0, "readonly fields stay");
    }
}

//! Payment rules: `TotalAmt` and `CustomerRef` are required; each `Line` with a
//! `LinkedTxn` of type Invoice applies its Amount to that invoice (which must be the same
//! customer's and have that much open balance); what is not applied is `UnappliedAmt`.
//! Updating or deleting a payment first undoes its applications.

use super::errors::Fault;
use super::links::{self as invoice, linked_lines};
use super::store::{Kind, Store};
use super::time::{local_date, parse_instant};
use super::write_rules::{
    check_sync, clean, customer_ref, deleted_body, merged, money, ref_id, target, WriteCtx,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Checks the applications against the invoices; `previous` are this payment's own
/// applications (an update may re-apply them).
fn applications(
    store: &Store,
    body: &Map<String, Value>,
    customer: u64,
    total: f64,
    previous: &[(u64, f64)],
) -> Result<Vec<(u64, f64)>, Fault> {
    let apps = linked_lines(body);
    let mut per_invoice: BTreeMap<u64, f64> = BTreeMap::new();
    for (id, amount) in &apps {
        if *amount < 0.0 {
            return Err(Fault::invalid("Line.Amount", "Amount must not be negative"));
        }
        *per_invoice.entry(*id).or_default() += amount;
    }
    for (id, amount) in &per_invoice {
        let inv = store.get(Kind::Invoice, *id).ok_or_else(|| {
            Fault::not_found("Invoice", &id.to_string()).with_element("LinkedTxn")
        })?;
        if ref_id(&inv.body, "CustomerRef") != Some(customer) {
            return Err(Fault::business(&format!(
                "Invoice {id} belongs to another customer"
            )));
        }
        let again: f64 = previous
            .iter()
            .filter(|(i, _)| i == id)
            .map(|(_, a)| a)
            .sum();
        if *amount > inv.num_field("Balance") + again + 0.005 {
            return Err(Fault::business(&format!(
                "The payment amount exceeds the open balance of Invoice {id}"
            )));
        }
    }
    let applied: f64 = apps.iter().map(|(_, a)| a).sum();
    if applied > total + 0.005 {
        return Err(Fault::business(
            "The amount applied to invoices exceeds the payment total",
        ));
    }
    Ok(apps)
}

/// Validates TotalAmt, CustomerRef, TxnDate and the lines; fills derived fields.
fn settle(
    store: &Store,
    body: &mut Map<String, Value>,
    previous: &[(u64, f64)],
    now_ms: i64,
) -> Result<Vec<(u64, f64)>, Fault> {
    body.remove("UnappliedAmt");
    let customer = customer_ref(store, body)?;
    let total = body
        .get("TotalAmt")
        .and_then(Value::as_f64)
        .ok_or_else(|| Fault::required("TotalAmt"))?;
    if total < 0.0 {
        return Err(Fault::invalid("TotalAmt", "TotalAmt must not be negative"));
    }
    let total = money(total);
    let apps = applications(store, body, customer, total, previous)?;
    let txn = body
        .get("TxnDate")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| local_date(now_ms));
    if txn.len() != 10 || parse_instant(&txn).is_none() {
        return Err(Fault::invalid(
            "TxnDate",
            "TxnDate must be a date as YYYY-MM-DD",
        ));
    }
    body.insert("TxnDate".into(), Value::String(txn));
    body.insert("TotalAmt".into(), json!(total));
    let applied: f64 = apps.iter().map(|(_, a)| a).sum();
    body.insert("UnappliedAmt".into(), json!(money(total - applied)));
    Ok(apps)
}

pub fn create(
    store: &mut Store,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    let mut body = clean(input);
    let apps = settle(store, &mut body, &[], ctx.now_ms)?;
    let (id, out) = store.insert_new(Kind::Payment, body, ctx.now_ms);
    for (invoice, amount) in apps {
        invoice::apply(store, invoice, id, amount, ctx.now_ms);
    }
    Ok(out)
}

pub fn update(
    store: &mut Store,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    let old = target(store, Kind::Payment, input)?;
    check_sync(Kind::Payment, &old, input, ctx)?;
    let previous = linked_lines(&old.body);
    let mut body = merged(&old, input, &[]);
    let apps = settle(store, &mut body, &previous, ctx.now_ms)?;
    for (invoice, amount) in &previous {
        invoice::unapply(store, *invoice, old.id, *amount, ctx.now_ms);
    }
    for (invoice, amount) in apps {
        invoice::apply(store, invoice, old.id, amount, ctx.now_ms);
    }
    Ok(store.replace(Kind::Payment, old, body, ctx.now_ms))
}

pub fn delete(
    store: &mut Store,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    let old = target(store, Kind::Payment, input)?;
    check_sync(Kind::Payment, &old, input, ctx)?;
    for (invoice, amount) in linked_lines(&old.body) {
        invoice::unapply(store, invoice, old.id, amount, ctx.now_ms);
    }
    store.delete(Kind::Payment, old.id, ctx.now_ms);
    Ok(deleted_body(old.id))
}

//! How invoices and payments point at each other through `LinkedTxn`: the ids a record
//! links, the invoice lines of a payment, a payment's amount taken off (or given back to)
//! an invoice's balance and its customer's, and a deleted invoice's payments left
//! unapplied. Invoices and payments both use these; neither uses the other.

use super::store::{Kind, Record, Store};
use super::write_rules::{adjust_balance, money, parse_id, ref_id};
use crate::webhooks::ChangeKind;
use serde_json::{json, Map, Value};

/// (invoice id, amount) for every line that links an invoice.
pub fn linked_lines(body: &Map<String, Value>) -> Vec<(u64, f64)> {
    let lines = body
        .get("Line")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    lines
        .iter()
        .filter_map(|line| {
            let amount = line.get("Amount").and_then(Value::as_f64)?;
            let links = line.get("LinkedTxn").and_then(Value::as_array)?;
            let invoice = links.iter().find(|l| {
                l.get("TxnType")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("Invoice"))
            })?;
            Some((parse_id(invoice.get("TxnId")).unwrap_or(0), money(amount)))
        })
        .collect()
}

/// Ids in a record's `LinkedTxn` of one type.
pub fn linked(record: &Record, txn_type: &str) -> Vec<u64> {
    let items = record
        .body
        .get("LinkedTxn")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    items
        .iter()
        .filter(|l| l.get("TxnType").and_then(Value::as_str) == Some(txn_type))
        .filter_map(|l| parse_id(l.get("TxnId")))
        .collect()
}

/// A payment takes `amount` off an invoice (checked beforehand by the payment).
pub fn apply(store: &mut Store, invoice: u64, payment: u64, amount: f64, now_ms: i64) {
    shift(store, invoice, payment, -amount, now_ms, true);
}

/// Undoes `apply`.
pub fn unapply(store: &mut Store, invoice: u64, payment: u64, amount: f64, now_ms: i64) {
    shift(store, invoice, payment, amount, now_ms, false);
}

fn shift(store: &mut Store, invoice: u64, payment: u64, delta: f64, now_ms: i64, link: bool) {
    let Some(inv) = store.get_mut(Kind::Invoice, invoice) else {
        return;
    };
    let balance = money(inv.num_field("Balance") + delta);
    inv.body.insert("Balance".into(), json!(balance));
    let mut links: Vec<Value> = inv
        .body
        .get("LinkedTxn")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    links.retain(|l| {
        !(parse_id(l.get("TxnId")) == Some(payment)
            && l.get("TxnType").and_then(Value::as_str) == Some("Payment"))
    });
    if link {
        links.push(json!({ "TxnId": payment.to_string(), "TxnType": "Payment" }));
    }
    if links.is_empty() {
        inv.body.remove("LinkedTxn");
    } else {
        inv.body.insert("LinkedTxn".into(), Value::Array(links));
    }
    inv.touch(now_ms);
    let customer = ref_id(&inv.body, "CustomerRef");
    store.note(Kind::Invoice, invoice, ChangeKind::Updated, now_ms);
    if let Some(customer) = customer {
        adjust_balance(store, customer, delta);
    }
}

/// A deleted invoice leaves its payments unapplied.
pub fn unlink_invoice(store: &mut Store, payment: u64, invoice: u64, now_ms: i64) {
    let Some(p) = store.get_mut(Kind::Payment, payment) else {
        return;
    };
    let lines: Vec<Value> = p
        .body
        .get("Line")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let (gone, kept): (Vec<Value>, Vec<Value>) = lines.into_iter().partition(|line| {
        let single = Map::from_iter([("Line".to_owned(), Value::Array(vec![line.clone()]))]);
        linked_lines(&single)
            .first()
            .is_some_and(|(id, _)| *id == invoice)
    });
    let freed: f64 = gone
        .iter()
        .filter_map(|l| l.get("Amount").and_then(Value::as_f64))
        .sum();
    p.body.insert("Line".into(), Value::Array(kept));
    let unapplied = money(p.num_field("UnappliedAmt") + freed);
    p.body.insert("UnappliedAmt".into(), json!(unapplied));
    p.touch(now_ms);
    store.note(Kind::Payment, payment, ChangeKind::Updated, now_ms);
}

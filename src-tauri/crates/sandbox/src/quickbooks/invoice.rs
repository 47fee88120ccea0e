//! Invoice rules: `CustomerRef` (an active customer, else 610) and at least one `Line`
//! are required; line amounts default to Qty × UnitPrice; the server adds the
//! SubTotalLine, computes TotalAmt and Balance (TotalAmt less applied payments), assigns
//! DocNumber when absent (unique, ≤ 21 characters, 6210 on a clash) and defaults TxnDate
//! to today and DueDate to TxnDate. Payments change Balance through `apply`/`unapply`.

use super::errors::Fault;
use super::links::{linked, unlink_invoice};
use super::store::{Kind, Store};
use super::time::{local_date, parse_instant};
use super::write_rules::{
    adjust_balance, check_sync, clean, customer_ref, deleted_body, merged, money, ref_id, target,
    WriteCtx,
};
use serde_json::{json, Map, Value};

const SERVER_OWNED: &[&str] = &["TotalAmt", "Balance", "LinkedTxn"];

/// Numbers lines, fills amounts, appends the SubTotalLine; returns the total.
fn settle_lines(body: &mut Map<String, Value>) -> Result<f64, Fault> {
    let lines: Vec<Value> = body
        .get("Line")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let lines: Vec<Value> = lines
        .into_iter()
        .filter(|l| l.get("DetailType").and_then(Value::as_str) != Some("SubTotalLineDetail"))
        .collect();
    if lines.is_empty() {
        return Err(Fault::required("Line"));
    }
    let (mut total, mut subtotal) = (0.0, 0.0);
    let mut out = Vec::with_capacity(lines.len() + 1);
    for (i, line) in lines.into_iter().enumerate() {
        let Value::Object(mut line) = line else {
            return Err(Fault::invalid("Line", "each Line must be an object"));
        };
        let kind = line
            .get("DetailType")
            .and_then(Value::as_str)
            .ok_or_else(|| Fault::required("Line.DetailType"))?
            .to_owned();
        let detail = line
            .get(&kind)
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        let computed = detail
            .get("Qty")
            .and_then(Value::as_f64)
            .zip(detail.get("UnitPrice").and_then(Value::as_f64))
            .map(|(q, p)| q * p);
        let amount = money(
            line.get("Amount")
                .and_then(Value::as_f64)
                .or(computed)
                .unwrap_or(0.0),
        );
        if amount < 0.0 {
            return Err(Fault::invalid("Line.Amount", "Amount must not be negative"));
        }
        match kind.as_str() {
            "SalesItemLineDetail" => {
                total += amount;
                subtotal += amount;
            }
            "DiscountLineDetail" => total -= amount,
            _ => {}
        }
        line.insert("Id".into(), Value::String((i + 1).to_string()));
        line.insert("LineNum".into(), json!(i + 1));
        line.insert("Amount".into(), json!(amount));
        line.insert(kind.clone(), detail);
        out.push(Value::Object(line));
    }
    out.push(json!({ "Amount": money(subtotal), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {} }));
    body.insert("Line".into(), Value::Array(out));
    Ok(money(total.max(0.0)))
}

fn settle_dates(body: &mut Map<String, Value>, now_ms: i64) -> Result<(), Fault> {
    let txn = body
        .get("TxnDate")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| local_date(now_ms));
    for (field, value) in [
        ("TxnDate", Some(txn.clone())),
        (
            "DueDate",
            body.get("DueDate")
                .and_then(Value::as_str)
                .map(str::to_owned),
        ),
    ] {
        if let Some(v) = value {
            if v.len() != 10 || parse_instant(&v).is_none() {
                return Err(Fault::invalid(
                    field,
                    &format!("{field} must be a date as YYYY-MM-DD"),
                ));
            }
        }
    }
    body.insert("TxnDate".into(), Value::String(txn.clone()));
    body.entry("DueDate").or_insert(Value::String(txn));
    Ok(())
}

fn settle_doc_number(
    store: &mut Store,
    body: &mut Map<String, Value>,
    except: Option<u64>,
    old: Option<&Value>,
) -> Result<(), Fault> {
    match body.get("DocNumber").and_then(Value::as_str) {
        Some(doc) if doc.chars().count() > 21 => Err(Fault::invalid(
            "DocNumber",
            "DocNumber is longer than 21 characters",
        )),
        Some(doc) if store.doc_number_taken(doc, except) => Err(Fault::duplicate_doc_number()),
        Some(_) => Ok(()),
        None => {
            let doc = old
                .cloned()
                .unwrap_or_else(|| Value::String(store.next_doc_number()));
            body.insert("DocNumber".into(), doc);
            Ok(())
        }
    }
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
    let customer = customer_ref(store, &mut body)?;
    let total = settle_lines(&mut body)?;
    settle_dates(&mut body, ctx.now_ms)?;
    settle_doc_number(store, &mut body, None, None)?;
    body.insert("TotalAmt".into(), json!(total));
    body.insert("Balance".into(), json!(total));
    let (_, out) = store.insert_new(Kind::Invoice, body, ctx.now_ms);
    adjust_balance(store, customer, total);
    Ok(out)
}

pub fn update(
    store: &mut Store,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    let old = target(store, Kind::Invoice, input)?;
    check_sync(Kind::Invoice, &old, input, ctx)?;
    let mut body = merged(&old, input, &[]);
    for k in SERVER_OWNED {
        body.remove(*k);
    }
    if let Some(linked) = old.body.get("LinkedTxn") {
        body.insert("LinkedTxn".into(), linked.clone());
    }
    let paid = money(old.num_field("TotalAmt") - old.num_field("Balance"));
    let customer = customer_ref(store, &mut body)?;
    let total = settle_lines(&mut body)?;
    if total + 0.005 < paid {
        return Err(Fault::business(
            "The invoice total cannot be less than the payments already applied to it",
        ));
    }
    settle_dates(&mut body, ctx.now_ms)?;
    settle_doc_number(store, &mut body, Some(old.id), old.body.get("DocNumber"))?;
    let balance = money(total - paid);
    body.insert("TotalAmt".into(), json!(total));
    body.insert("Balance".into(), json!(balance));
    if let Some(previous) = ref_id(&old.body, "CustomerRef") {
        adjust_balance(store, previous, -old.num_field("Balance"));
    }
    adjust_balance(store, customer, balance);
    Ok(store.replace(Kind::Invoice, old, body, ctx.now_ms))
}

pub fn delete(
    store: &mut Store,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    let old = target(store, Kind::Invoice, input)?;
    check_sync(Kind::Invoice, &old, input, ctx)?;
    for payment in linked(&old, "Payment") {
        unlink_invoice(store, payment, old.id, ctx.now_ms);
    }
    if let Some(customer) = ref_id(&old.body, "CustomerRef") {
        adjust_balance(store, customer, -old.num_field("Balance"));
    }
    store.delete(Kind::Invoice, old.id, ctx.now_ms);
    Ok(deleted_body(old.id))
}

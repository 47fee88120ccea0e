//! `GET /query?query=…` and `POST /query` (`Content-Type: application/text`) — and batch
//! `Query` items: parses, evaluates and pages a select statement into
//! `{"QueryResponse":{"Customer":[…],"startPosition":1,"maxResults":N}}`, `{"totalCount":N}`
//! for `count(*)`, or `{}` when nothing matches. Entities QuickBooks has but this sandbox
//! does not simulate answer empty; names QuickBooks does not know are a query fault.

mod eval;
mod lexer;
mod parser;

pub use eval::select;
pub use parser::parse;

use super::errors::Fault;
use super::store::{Kind, Store};
use serde_json::{json, Map, Value};

/// QuickBooks Online entities (python-quickbooks' `_BUSINESS_OBJECTS`) besides ours.
const OTHER_ENTITIES: &[&str] = &[
    "Account",
    "Attachable",
    "Bill",
    "BillPayment",
    "Class",
    "CreditMemo",
    "CustomerType",
    "CompanyCurrency",
    "Department",
    "Deposit",
    "Employee",
    "Estimate",
    "ExchangeRate",
    "Item",
    "JournalEntry",
    "PaymentMethod",
    "Preferences",
    "Purchase",
    "PurchaseOrder",
    "RefundReceipt",
    "SalesReceipt",
    "TaxAgency",
    "TaxCode",
    "TaxRate",
    "Term",
    "TimeActivity",
    "Transfer",
    "Vendor",
    "VendorCredit",
    "CreditCardPayment",
    "RecurringTransaction",
];

/// Paging limits: the default page size and the largest `MAXRESULTS` honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub default_max: u64,
    pub cap: u64,
}

/// Why a query failed; `unknown_entity` marks the case QuickBooks answers inside HTTP 200.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryFault {
    pub fault: Fault,
    pub unknown_entity: bool,
}

impl From<Fault> for QueryFault {
    fn from(fault: Fault) -> Self {
        Self {
            fault,
            unknown_entity: false,
        }
    }
}

/// Runs one statement and returns the `QueryResponse` object.
pub fn run(store: &Store, text: &str, paging: Paging) -> Result<Value, QueryFault> {
    let q = parse(text).map_err(|e| Fault::parse_query(&e))?;
    let Some(kind) = Kind::from_name(&q.entity) else {
        if OTHER_ENTITIES
            .iter()
            .any(|e| e.eq_ignore_ascii_case(&q.entity))
        {
            return Ok(if q.count {
                json!({ "totalCount": 0 })
            } else {
                json!({})
            });
        }
        let fault = Fault::invalid_query(&format!(
            "Invalid context declaration: {}. The entity is not queryable.",
            q.entity
        ));
        return Err(QueryFault {
            fault,
            unknown_entity: true,
        });
    };
    let rows = select(store, kind, &q);
    if q.count {
        return Ok(json!({ "totalCount": rows.len() }));
    }
    let start = q.start.unwrap_or(1).max(1);
    let max = q.max.unwrap_or(paging.default_max).min(paging.cap);
    let skip = usize::try_from(start - 1).unwrap_or(usize::MAX);
    let take = usize::try_from(max).unwrap_or(usize::MAX);
    let page: Vec<Value> = rows
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|r| r.render())
        .collect();
    if page.is_empty() {
        return Ok(json!({}));
    }
    let mut out = Map::new();
    out.insert("startPosition".into(), json!(start));
    out.insert("maxResults".into(), json!(page.len()));
    out.insert(kind.name().into(), Value::Array(page));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quickbooks::store::Record;

    fn store() -> Store {
        let mut s = Store::new("1".into());
        for i in 1..=5u64 {
            let body = json!({"DisplayName": format!("C{i}"), "Active": i != 3, "Balance": i as f64 * 10.0});
            s.put(
                Kind::Customer,
                Record::new(
                    i,
                    body.as_object().cloned().unwrap_or_default(),
                    1_000 * i as i64,
                    1_000 * i as i64,
                ),
            );
        }
        s
    }

    fn names(v: &Value) -> Vec<String> {
        v["Customer"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| c["DisplayName"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    const PAGING: Paging = Paging {
        default_max: 100,
        cap: 1000,
    };

    #[test]
    fn paging_ordering_and_inactive_rows() {
        let s = store();
        let all = run(&s, "select * from Customer", PAGING).unwrap_or_default();
        assert_eq!(names(&all), ["C1", "C2", "C4", "C5"], "inactive hidden");
        let with = run(&s, "select * from customer where Active in (true, false) orderby Balance desc startposition 2 maxresults 2", PAGING).unwrap_or_default();
        assert_eq!(names(&with), ["C4", "C3"]);
        assert_eq!(
            (with["startPosition"].clone(), with["maxResults"].clone()),
            (json!(2), json!(2))
        );
        let count = run(
            &s,
            "SELECT COUNT(*) FROM Customer WHERE Balance >= '20'",
            PAGING,
        )
        .unwrap_or_default();
        assert_eq!(count, json!({"totalCount": 3}));
        let since = run(
            &s,
            "select * from Customer where Metadata.LastUpdatedTime > '1970-01-01T00:00:04Z'",
            PAGING,
        )
        .unwrap_or_default();
        assert_eq!(names(&since), ["C5"]);
        assert_eq!(
            run(
                &s,
                "select * from Customer where DisplayName = 'nobody'",
                PAGING
            )
            .unwrap_or_default(),
            json!({})
        );
        assert_eq!(
            names(
                &run(&s, "select * from Customer where Id in ('2', '5')", PAGING)
                    .unwrap_or_default()
            ),
            ["C2", "C5"]
        );
    }

    #[test]
    fn faults() {
        let s = store();
        let unknown = run(&s, "select * from Gadget", PAGING).err();
        assert_eq!(unknown.as_ref().map(|f| f.unknown_entity), Some(true));
        assert_eq!(
            run(&s, "select * from Vendor", PAGING).unwrap_or_default(),
            json!({})
        );
        let or = run(
            &s,
            "select * from Customer where Id = '1' or Id = '2'",
            PAGING,
        )
        .err();
        assert_eq!(
            or.map(|f| f.fault.errors[0]["code"].clone()),
            Some(json!("4000"))
        );
    }
}

//! The sandbox company built from a seed: the realmId, customers from the population's
//! companies plus a slice of its people (unique DisplayNames, every tenth inactive),
//! one invoice per customer record with one to three sales lines, and payments applied to
//! about half of them, so balances, LinkedTxn and partially paid invoices all occur.

use super::store::{Kind, Record, Store};
use super::time::local_date;
use super::write_rules::money;
use crate::config::SeedSpec;
use crate::seed::{slice, Population};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// 16 digits, like `9341453474484455`, fixed by the seed.
pub fn realm_id(seed: u64) -> String {
    let mixed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) ^ 0x5851_F42D_4C95_7F2D;
    format!("9341{:012}", mixed % 1_000_000_000_000)
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn unique(store: &Store, name: String) -> String {
    if store.customers_named(&name).is_empty() {
        return name;
    }
    (2..)
        .map(|n| format!("{name} ({n})"))
        .find(|n| store.customers_named(n).is_empty())
        .unwrap_or(name)
}

pub fn build(spec: SeedSpec) -> Store {
    let population = Population::generate(spec);
    let mut store = Store::new(realm_id(spec.seed));
    let records = spec.records;
    for (i, company) in population.companies.iter().take(records).enumerate() {
        let mut body = obj(json!({
            "DisplayName": unique(&store, company.name.clone()),
            "CompanyName": company.name,
            "PrimaryEmailAddr": { "Address": format!("billing@{}", company.domain) },
            "WebAddr": { "URI": format!("https://{}", company.domain) },
            "BillAddr": { "Line1": company.street, "City": company.city, "CountrySubDivisionCode": company.region, "PostalCode": company.postal_code, "Country": "USA" },
        }));
        if let Some(phone) = &company.phone {
            body.insert("PrimaryPhone".into(), json!({ "FreeFormNumber": phone }));
        }
        add_customer(&mut store, i, body, company.created_ms, company.modified_ms);
    }
    let people = slice(spec, 2);
    let wanted = records.saturating_sub(population.companies.len().min(records));
    let first = people.start;
    for (n, person) in population.people[people].iter().take(wanted).enumerate() {
        let company = &population.companies[person.company];
        let mut body = obj(json!({
            "DisplayName": unique(&store, format!("{} {}", person.first, person.last)),
            "GivenName": person.first,
            "FamilyName": person.last,
            "CompanyName": company.name,
            "BillAddr": { "Line1": company.street, "City": company.city, "CountrySubDivisionCode": company.region, "PostalCode": company.postal_code, "Country": "USA" },
        }));
        if let Some(email) = population.email(first + n) {
            body.insert("PrimaryEmailAddr".into(), json!({ "Address": email }));
        }
        if let Some(phone) = person.phone {
            body.insert(
                "PrimaryPhone".into(),
                json!({ "FreeFormNumber": phone.text() }),
            );
        }
        add_customer(
            &mut store,
            population.companies.len() + n,
            body,
            person.created_ms,
            person.modified_ms,
        );
    }
    transactions(&mut store, spec, records);
    company_info(&mut store, spec);
    store
}

/// The company itself (`GET /companyinfo/{realmId}`, `select * from CompanyInfo`).
fn company_info(store: &mut Store, spec: SeedSpec) {
    let name = format!("Sandbox Company_US_{}", spec.seed % 1000);
    let created = crate::seed::SEED_EPOCH_MS - 400 * DAY_MS;
    let body = obj(json!({
        "CompanyName": name, "LegalName": format!("{name} LLC"), "Country": "US", "SupportedLanguages": "en", "FiscalYearStartMonth": "January",
        "CompanyStartDate": local_date(created), "Email": { "Address": "owner@sandbox-company.example.com" },
        "CompanyAddr": { "Id": "1", "Line1": "2700 Coast Ave", "City": "Mountain View", "CountrySubDivisionCode": "CA", "PostalCode": "94043", "Country": "US" },
        "PrimaryPhone": { "FreeFormNumber": "(650) 944-6000" }, "NameValue": [],
    }));
    store.put(Kind::CompanyInfo, Record::new(1, body, created, created));
}

fn add_customer(
    store: &mut Store,
    index: usize,
    mut body: Map<String, Value>,
    created: i64,
    modified: i64,
) {
    let name = body.get("DisplayName").cloned().unwrap_or_default();
    body.insert("FullyQualifiedName".into(), name.clone());
    body.insert("PrintOnCheckName".into(), name);
    body.insert("Active".into(), json!(index % 10 != 7));
    body.insert("Balance".into(), json!(0.0));
    body.insert("BalanceWithJobs".into(), json!(0.0));
    let id = store.next_id(Kind::Customer);
    store.put(Kind::Customer, Record::new(id, body, created, modified));
}

/// Invoices for active customers and payments against about half of them.
fn transactions(store: &mut Store, spec: SeedSpec, count: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x0B0B);
    let customers: Vec<(u64, String, i64)> = store
        .live(Kind::Customer)
        .filter(|c| c.active())
        .map(|c| {
            (
                c.id,
                c.str_field("DisplayName").unwrap_or_default().to_owned(),
                c.created_ms,
            )
        })
        .collect();
    if customers.is_empty() {
        return;
    }
    let prices = [75.0, 120.0, 150.0, 199.99, 250.0, 480.0];
    for _ in 0..count {
        let (customer, name, since) = customers[rng.gen_range(0..customers.len())].clone();
        let created = since + rng.gen_range(0..30) * DAY_MS + rng.gen_range(0..DAY_MS);
        let lines: Vec<(f64, f64)> = (0..rng.gen_range(1..=3))
            .map(|_| {
                (
                    f64::from(rng.gen_range(1..=10)),
                    prices[rng.gen_range(0..prices.len())],
                )
            })
            .collect();
        let total = money(lines.iter().map(|(q, p)| q * p).sum());
        let mut line_json: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(i, (qty, price))| {
                json!({ "Id": (i + 1).to_string(), "LineNum": i + 1, "Amount": money(qty * price), "DetailType": "SalesItemLineDetail",
                        "SalesItemLineDetail": { "ItemRef": { "value": "1", "name": "Services" }, "Qty": qty, "UnitPrice": price } })
            })
            .collect();
        line_json.push(json!({ "Amount": total, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {} }));
        let doc = store.next_doc_number();
        let invoice_id = store.next_id(Kind::Invoice);
        let paid = match rng.gen_range(0..4) {
            0 | 1 => 0.0,
            2 => total,
            _ => money(total / 2.0),
        };
        let mut body = obj(json!({
            "CustomerRef": { "value": customer.to_string(), "name": name }, "Line": line_json, "DocNumber": doc,
            "TxnDate": local_date(created), "DueDate": local_date(created + 30 * DAY_MS), "TotalAmt": total, "Balance": money(total - paid),
        }));
        let mut updated = created;
        if paid > 0.0 {
            let payment_id = store.next_id(Kind::Payment);
            let paid_at = created + rng.gen_range(1..20) * DAY_MS;
            body.insert(
                "LinkedTxn".into(),
                json!([{ "TxnId": payment_id.to_string(), "TxnType": "Payment" }]),
            );
            let payment = obj(json!({
                "CustomerRef": { "value": customer.to_string(), "name": name }, "TotalAmt": paid, "UnappliedAmt": 0.0, "TxnDate": local_date(paid_at),
                "PaymentRefNum": format!("{}", 5000 + payment_id),
                "Line": [{ "Amount": paid, "LinkedTxn": [{ "TxnId": invoice_id.to_string(), "TxnType": "Invoice" }] }],
            }));
            store.put(
                Kind::Payment,
                Record::new(payment_id, payment, paid_at, paid_at),
            );
            updated = paid_at;
        }
        let balance = money(total - paid);
        store.put(
            Kind::Invoice,
            Record::new(invoice_id, body, created, updated),
        );
        super::write_rules::adjust_balance(store, customer, balance);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_company_is_deterministic_and_consistent() {
        let spec = SeedSpec {
            seed: 7,
            records: 120,
        };
        let (a, b) = (build(spec), build(spec));
        assert_eq!(a.realm, b.realm);
        assert_eq!(a.realm.len(), 16);
        assert_ne!(realm_id(7), realm_id(8));
        assert_eq!(a.live(Kind::Customer).count(), 120);
        assert!(a.live(Kind::Customer).any(|c| !c.active()));
        let names: std::collections::HashSet<_> = a
            .live(Kind::Customer)
            .filter_map(|c| c.str_field("DisplayName"))
            .collect();
        assert_eq!(names.len(), 120, "DisplayNames are unique");
        for c in a.live(Kind::Customer) {
            let open: f64 = a
                .live(Kind::Invoice)
                .filter(|i| super::super::write_rules::ref_id(&i.body, "CustomerRef") == Some(c.id))
                .map(|i| i.num_field("Balance"))
                .sum();
            assert!(
                (open - c.num_field("Balance")).abs() < 0.01,
                "customer {} balance",
                c.id
            );
        }
        assert!(a.live(Kind::Payment).count() > 20);
    }
}

//! The org's data from the shared population: Accounts from the companies, Leads and
//! Contacts from the Salesforce slice of people (alternately, so both overlap HubSpot's
//! slice by email), Contacts linked to their company's Account, and Opportunities on
//! every other Account. Values and timestamps come from the population, so a seed
//! always gives the same org. Objects outside the seed scope stay empty (Contacts then
//! have no AccountId); those inside hold what a full seed holds, ids aside.

use super::dml::Actor;
use super::objects;
use super::picklists;
use super::schema::{
    self, SObject, F_CREATED, F_CREATED_BY, F_ID, F_MODIFIED, F_MODIFIED_BY, F_MODSTAMP, F_OWNER,
};
use super::store::{Record, Store};
use super::{ids, Org};
use crate::config::{SeedScope, SeedSpec};
use crate::seed::{self as population, sf_datetime, Population};
use serde_json::Value;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Inserts a seeded row with the given field values and audit fields.
fn put(
    store: &mut Store,
    obj: &'static SObject,
    fields: &[(&str, Value)],
    created: i64,
    modified: i64,
    owner: &str,
) -> String {
    let mut values = vec![Value::Null; obj.fields.len()];
    for (i, f) in obj.fields.iter().enumerate() {
        if f.ty == schema::FType::Boolean {
            values[i] = Value::Bool(false);
        }
    }
    for (name, value) in fields {
        if let Some((i, _)) = obj.field(name) {
            values[i] = value.clone();
        }
    }
    let id = store.new_id(obj);
    values[F_ID] = Value::String(id.clone());
    values[F_OWNER] = Value::String(owner.to_owned());
    values[F_CREATED_BY] = Value::String(owner.to_owned());
    values[F_MODIFIED_BY] = Value::String(owner.to_owned());
    values[F_CREATED] = Value::String(sf_datetime(created));
    values[F_MODIFIED] = Value::String(sf_datetime(modified));
    values[F_MODSTAMP] = Value::String(sf_datetime(modified));
    if let (Some((first, _)), Some((last, _)), Some((name, _))) = (
        obj.field("FirstName"),
        obj.field("LastName"),
        obj.field("Name"),
    ) {
        let parts: Vec<&str> = [&values[first], &values[last]]
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        values[name] = Value::String(parts.join(" "));
    }
    store.put(obj, &id, Some(Record::new(&values, None)));
    id
}

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

fn opt(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

pub fn build(spec: SeedSpec, org: &Org, scope: &SeedScope) -> Store {
    let wanted =
        |obj: &Option<&'static SObject>| obj.is_some_and(|o| scope.seeds("salesforce", o.name));
    let (accounts, contacts, leads, opportunities) = (
        wanted(&objects::find("Account")),
        wanted(&objects::find("Contact")),
        wanted(&objects::find("Lead")),
        wanted(&objects::find("Opportunity")),
    );
    let pop = Population::generate(spec);
    let mut store = Store::new(ids::pod(spec.seed));
    let owners = org.user_ids();
    let owner = |i: usize| owners[usize::from(i % 5 == 0)].as_str();
    let (account, contact, lead, opportunity) = (
        objects::find("Account"),
        objects::find("Contact"),
        objects::find("Lead"),
        objects::find("Opportunity"),
    );
    let (Some(account), Some(contact), Some(lead), Some(opportunity)) =
        (account, contact, lead, opportunity)
    else {
        return store;
    };
    let mut account_ids = Vec::with_capacity(pop.companies.len());
    for (i, c) in pop.companies.iter().enumerate().filter(|_| accounts) {
        let fields = [
            ("Name", text(&c.name)),
            ("Type", text(picklists::ACCOUNT_TYPE[i % 3])),
            ("Industry", text(c.industry)),
            (
                "Website",
                Value::String(format!("https://www.{}", c.domain)),
            ),
            ("Phone", opt(&c.phone)),
            ("BillingStreet", text(&c.street)),
            ("BillingCity", text(c.city)),
            ("BillingState", text(c.region)),
            ("BillingPostalCode", text(&c.postal_code)),
            ("NumberOfEmployees", Value::from((i * 37 % 500 + 5) * 10)),
            ("ExtId__c", Value::String(format!("ACC-{i:06}"))),
        ];
        account_ids.push(put(
            &mut store,
            account,
            &fields,
            c.created_ms,
            c.modified_ms,
            owner(i),
        ));
    }
    let half = spec.records / 2 + 1;
    store.reserve(lead, if leads { half } else { 0 });
    store.reserve(contact, if contacts { half } else { 0 });
    for (n, i) in population::slice(spec, 0).enumerate() {
        let Some(p) = pop.people.get(i) else { break };
        let company = &pop.companies[p.company];
        let source = p.lead_source.map_or(Value::Null, text);
        let email = pop.email(i).map_or(Value::Null, Value::String);
        let phone = p.phone.map_or(Value::Null, |x| Value::String(x.text()));
        let title = p.title.map_or(Value::Null, text);
        if n % 2 == 0 && leads {
            let status = picklists::LEAD_STATUS[[0, 0, 0, 0, 1, 1, 3][n / 2 % 7]];
            let fields = [
                ("FirstName", text(p.first)),
                ("LastName", text(p.last)),
                ("Company", text(&company.name)),
                ("Title", title),
                ("Email", email),
                ("Phone", phone),
                ("LeadSource", source),
                ("Status", text(status)),
                ("Industry", text(company.industry)),
                ("City", text(company.city)),
                ("State", text(company.region)),
            ];
            put(
                &mut store,
                lead,
                &fields,
                p.created_ms,
                p.modified_ms,
                owner(n),
            );
        } else if n % 2 == 1 && contacts {
            let account = account_ids
                .get(p.company)
                .map_or(Value::Null, |id| text(id));
            let fields = [
                ("FirstName", text(p.first)),
                ("LastName", text(p.last)),
                ("AccountId", account),
                ("Title", title),
                ("Email", email),
                ("Phone", phone),
                ("LeadSource", source),
                ("MailingCity", text(company.city)),
                ("MailingState", text(company.region)),
                ("MailingPostalCode", text(&company.postal_code)),
                ("ExtId__c", Value::String(format!("CON-{i:06}"))),
            ];
            put(
                &mut store,
                contact,
                &fields,
                p.created_ms,
                p.modified_ms,
                owner(n),
            );
        }
    }
    for (i, c) in pop.companies.iter().enumerate().step_by(2) {
        let Some(account) = account_ids.get(i).filter(|_| opportunities) else {
            continue;
        };
        let (stage, probability, closed, won) = picklists::STAGES[i % picklists::STAGES.len()];
        let close = chrono::DateTime::from_timestamp_millis(
            c.created_ms + (30 + (i as i64 * 7) % 60) * DAY_MS,
        )
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
        let fields = [
            (
                "Name",
                Value::String(format!(
                    "{} — {}",
                    c.name,
                    ["Renewal", "Expansion", "New Business"][i % 3]
                )),
            ),
            ("AccountId", text(account)),
            ("StageName", text(stage)),
            ("CloseDate", Value::String(close)),
            ("Amount", Value::from(((i * 7919) % 200 + 5) as f64 * 500.0)),
            ("Probability", Value::from(probability)),
            ("Type", text(picklists::OPPORTUNITY_TYPE[i % 4])),
            ("IsClosed", Value::Bool(closed)),
            ("IsWon", Value::Bool(won)),
        ];
        put(
            &mut store,
            opportunity,
            &fields,
            c.created_ms,
            c.modified_ms,
            owner(i),
        );
    }
    store
}

/// The acting user for a seeded or mutated change: "another user" of the org.
pub fn other_user<'a>(org: &'a Org, users: &'a [String], now: i64) -> Actor<'a> {
    Actor::new(&org.users[1].id, users, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(store: &Store, name: &str) -> usize {
        objects::find(name).map_or(0, |obj| store.table(obj).rows.len())
    }

    #[test]
    fn a_scoped_seed_holds_only_its_objects() {
        let spec = SeedSpec {
            seed: 2,
            records: 200,
        };
        let org = Org::new(spec);
        let full = build(spec, &org, &SeedScope::default());
        let leads = build(spec, &org, &SeedScope::only(["salesforce/Lead"]));
        assert_eq!(count(&leads, "Lead"), count(&full, "Lead"));
        assert!(count(&full, "Lead") > 0 && count(&full, "Account") > 0);
        for other in ["Account", "Contact", "Opportunity"] {
            assert_eq!(count(&leads, other), 0, "{other}");
        }
        let lead = objects::find("Lead").unwrap_or_else(|| unreachable!());
        let values = |s: &Store| -> Vec<Vec<Value>> {
            s.table(lead)
                .rows
                .values()
                .map(|r| r.values(lead.fields.len()))
                .collect()
        };
        assert_eq!(values(&leads), values(&full), "the same Leads");
        let contacts = build(spec, &org, &SeedScope::only(["salesforce/Contact"]));
        assert_eq!(count(&contacts, "Contact"), count(&full, "Contact"));
        assert_eq!(count(&contacts, "Account"), 0);
        assert!(build(spec, &org, &SeedScope::only(["hubspot"]))
            .tables()
            .iter()
            .all(|t| t.rows.is_empty()));
    }
}

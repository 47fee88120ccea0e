//! Seeds the portal from the shared population: contacts are the HubSpot slice of the
//! people (half of them also exist in Salesforce, matched by email), companies are the
//! population's companies, deals and tickets are generated against those companies.
//! A person whose email an earlier contact already holds is not seeded: HubSpot keeps
//! one contact per email, so the duplicate would have been merged into it.
//! Objects outside the sandbox's seed scope stay empty. Companies make their random
//! draws either way, so contacts seeded alone are the records a full seed holds (deals
//! and tickets after a skipped object may differ from a full seed's).

use super::catalog::{DEAL_STAGES, LEAD_STATUS, LIFECYCLE, TICKET_PRIORITIES, TICKET_STAGES};
use super::schema::Kind;
use super::store::Data;
use crate::config::{SeedScope, SeedSpec};
use crate::seed::{iso_z, slice, Population, SEED_EPOCH_MS};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const DAY_MS: i64 = 24 * 3600 * 1000;
const SPREAD_MS: i64 = 180 * DAY_MS;
const PRODUCTS: &[&str] = &[
    "Annual licence",
    "Pilot",
    "Renewal",
    "Expansion",
    "Onboarding package",
    "Support plan",
];
const TICKET_TOPICS: &[&str] = &[
    "Cannot log in",
    "Invoice question",
    "Sync stopped",
    "Feature request",
    "Export fails",
    "Password reset",
];

/// The portal (hub) id a seed gives: 8 digits, stable per seed.
pub fn hub_id(seed: u64) -> u64 {
    20_000_000 + seed.wrapping_mul(7_919) % 9_000_000
}

fn stamps(rng: &mut ChaCha8Rng) -> (i64, i64) {
    let created = SEED_EPOCH_MS - SPREAD_MS + rng.gen_range(0..SPREAD_MS / 2);
    (created, created + rng.gen_range(0..SPREAD_MS / 2))
}

fn pick(rng: &mut ChaCha8Rng, options: &[(&'static str, &'static str)]) -> &'static str {
    options.choose(rng).map(|(v, _)| *v).unwrap_or_default()
}

/// The pairs that hold a value.
fn props<'a, const N: usize>(
    pairs: [(&'a str, Option<&'a str>); N],
) -> impl Iterator<Item = (&'a str, &'a str)> {
    pairs.into_iter().filter_map(|(k, v)| v.map(|v| (k, v)))
}

pub fn build(spec: SeedSpec, scope: &SeedScope) -> Data {
    let wanted = |kind: Kind| scope.seeds("hubspot", kind.plural());
    let population = Population::generate(spec);
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x4855_4253);
    let mut data = Data::default();

    let mut id = Kind::Companies.id_base();
    let companies = wanted(Kind::Companies);
    if companies {
        data.store_mut(Kind::Companies)
            .reserve(population.companies.len());
    }
    for c in &population.companies {
        if companies {
            let p = props([
                ("name", Some(c.name.as_str())),
                ("domain", Some(c.domain.as_str())),
                ("phone", c.phone.as_deref()),
                ("address", Some(c.street.as_str())),
                ("city", Some(c.city)),
                ("state", Some(c.region)),
                ("zip", Some(c.postal_code.as_str())),
            ]);
            data.store_mut(Kind::Companies)
                .insert_with_id(id, p, c.created_ms, c.modified_ms);
        }
        id += rng.gen_range(1..=3);
    }

    let mut id = Kind::Contacts.id_base();
    let people = match wanted(Kind::Contacts) {
        true => slice(spec, 1),
        false => 0..0,
    };
    let contacts = data.store_mut(Kind::Contacts);
    contacts.reserve(people.len());
    for i in people {
        let Some(person) = population.people.get(i) else {
            break;
        };
        let email = population.email(i);
        if email
            .as_deref()
            .is_some_and(|e| contacts.by_email(e).is_some())
        {
            continue;
        }
        let company = population
            .companies
            .get(person.company)
            .map(|c| c.name.as_str());
        let lead_status = rng.gen_bool(0.8).then(|| pick(&mut rng, LEAD_STATUS));
        let phone = person.phone.map(|p| p.text());
        let p = props([
            ("firstname", Some(person.first)),
            ("lastname", Some(person.last)),
            ("email", email.as_deref()),
            ("phone", phone.as_deref()),
            ("jobtitle", person.title),
            ("company", company),
            ("lifecyclestage", Some(pick(&mut rng, LIFECYCLE))),
            ("hs_lead_status", lead_status),
        ]);
        contacts.insert_with_id(id, p, person.created_ms, person.modified_ms);
        id += rng.gen_range(1..=3);
    }
    contacts.shrink();

    let mut id = Kind::Deals.id_base();
    let deals = if wanted(Kind::Deals) {
        spec.records / 2
    } else {
        0
    };
    for _ in 0..deals {
        let company = population
            .companies
            .choose(&mut rng)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let product = PRODUCTS.choose(&mut rng).copied().unwrap_or("Licence");
        let (created, modified) = stamps(&mut rng);
        let amount = format!(
            "{}.{:02}",
            rng.gen_range(5..2_000) * 50,
            if rng.gen_bool(0.2) {
                rng.gen_range(1..100)
            } else {
                0
            }
        );
        let close = iso_z(created + rng.gen_range(7..120) * DAY_MS);
        let name = format!("{company} – {product}");
        let amount = rng.gen_bool(0.9).then_some(amount);
        let p = props([
            ("dealname", Some(name.as_str())),
            ("amount", amount.as_deref()),
            ("dealstage", Some(pick(&mut rng, DEAL_STAGES))),
            ("pipeline", Some("default")),
            ("closedate", Some(close.as_str())),
        ]);
        data.store_mut(Kind::Deals)
            .insert_with_id(id, p, created, modified);
        id += rng.gen_range(1..=3);
    }

    let mut id = Kind::Tickets.id_base();
    let tickets = if wanted(Kind::Tickets) {
        spec.records / 4
    } else {
        0
    };
    for n in 0..tickets {
        let topic = TICKET_TOPICS
            .choose(&mut rng)
            .copied()
            .unwrap_or("Question");
        let (created, modified) = stamps(&mut rng);
        let subject = format!("{topic} (#{})", n + 1);
        let content = rng
            .gen_bool(0.85)
            .then(|| format!("Customer reports: {}.", topic.to_lowercase()));
        let stage = pick(&mut rng, TICKET_STAGES);
        let priority = rng.gen_bool(0.9).then(|| pick(&mut rng, TICKET_PRIORITIES));
        let p = props([
            ("subject", Some(subject.as_str())),
            ("content", content.as_deref()),
            ("hs_pipeline", Some("0")),
            ("hs_pipeline_stage", Some(stage)),
            ("hs_ticket_priority", priority),
        ]);
        data.store_mut(Kind::Tickets)
            .insert_with_id(id, p, created, modified);
        id += rng.gen_range(1..=3);
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_is_deterministic_and_emails_are_unique() {
        let spec = SeedSpec {
            seed: 3,
            records: 200,
        };
        let a = build(spec, &SeedScope::default());
        let b = build(spec, &SeedScope::default());
        let ids = |d: &Data| d.store(Kind::Contacts).records.keys().collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        let contacts = a.store(Kind::Contacts);
        assert!(
            contacts.records.len() > 180 && contacts.records.len() <= 200,
            "{}",
            contacts.records.len()
        );
        let with_email = contacts
            .records
            .values()
            .filter(|r| r.stored(Kind::Contacts, "email").is_some())
            .count();
        assert_eq!(with_email, contacts.emails.len(), "one contact per email");
        assert_eq!(a.store(Kind::Deals).records.len(), 100);
        assert_eq!(a.store(Kind::Tickets).records.len(), 50);
    }

    #[test]
    fn a_scoped_seed_holds_only_its_objects_and_the_same_records() {
        let spec = SeedSpec {
            seed: 4,
            records: 300,
        };
        let full = build(spec, &SeedScope::default());
        let scoped = build(spec, &SeedScope::only(["hubspot/contacts"]));
        for kind in [Kind::Companies, Kind::Deals, Kind::Tickets] {
            assert!(scoped.store(kind).records.is_empty(), "{kind:?}");
        }
        let (a, b) = (full.store(Kind::Contacts), scoped.store(Kind::Contacts));
        assert!(!b.records.is_empty());
        assert_eq!(a.records.len(), b.records.len());
        for (x, y) in a.records.values().zip(b.records.values()) {
            assert_eq!(x, y);
        }
        assert_eq!(a.emails, b.emails);
    }
}

//! Deterministic, realistic seed data shared by the simulators: one population of
//! people and companies per seed, from which each provider takes an overlapping slice
//! (so matching across systems matters), with non-ASCII names, missing optional
//! fields, duplicates by email, varied phone formats and timestamps spread over 180
//! days, some equal to the millisecond.

mod names;

use crate::config::SeedSpec;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Seeded records are dated from here back 180 days (fixed, so seeds reproduce).
pub const SEED_EPOCH_MS: i64 = 1_790_000_000_000; // 2026-09-21T11:33:20Z
const SPREAD_MS: i64 = 180 * 24 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub first: String,
    pub last: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    /// Index into the population's companies.
    pub company: usize,
    pub lead_source: Option<&'static str>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub name: String,
    pub domain: String,
    pub industry: &'static str,
    pub phone: Option<String>,
    pub street: String,
    pub city: &'static str,
    pub region: &'static str,
    pub postal_code: String,
    pub created_ms: i64,
    pub modified_ms: i64,
}

/// Everyone and every company a seed knows about.
#[derive(Debug, Clone)]
pub struct Population {
    pub people: Vec<Person>,
    pub companies: Vec<Company>,
}

/// Which slice of the population a provider holds: `offset` into it, `count` records.
/// Salesforce takes [0, n), HubSpot [n/2, 3n/2): half of each side exists on the other.
pub fn slice(spec: SeedSpec, provider_offset_halves: usize) -> std::ops::Range<usize> {
    let start = spec.records * provider_offset_halves / 2;
    start..start + spec.records
}

impl Population {
    /// Enough people for every provider's slice (2n), and n/4 + 5 companies.
    pub fn generate(spec: SeedSpec) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let company_count = spec.records / 4 + 5;
        let companies: Vec<Company> = (0..company_count).map(|i| company(&mut rng, i)).collect();
        let mut people: Vec<Person> = Vec::with_capacity(spec.records * 2);
        for i in 0..spec.records * 2 {
            let p = person(&mut rng, i, &companies, people.last());
            people.push(p);
        }
        // About 2% share an email with an earlier record (duplicates to resolve).
        for i in (50..people.len()).step_by(50) {
            let earlier = rng.gen_range(0..i);
            if let Some(email) = people[earlier].email.clone() {
                people[i].email = Some(email);
            }
        }
        Self { people, companies }
    }
}

fn timestamps(rng: &mut ChaCha8Rng, previous: Option<i64>, index: usize) -> (i64, i64) {
    let created = SEED_EPOCH_MS - SPREAD_MS + rng.gen_range(0..SPREAD_MS / 2);
    // Every 10th record is modified at exactly the previous record's millisecond.
    let modified = match previous {
        Some(prev) if index % 10 == 0 && prev >= created => prev,
        _ => created + rng.gen_range(0..SPREAD_MS / 2),
    };
    (created, modified)
}

fn person(
    rng: &mut ChaCha8Rng,
    index: usize,
    companies: &[Company],
    previous: Option<&Person>,
) -> Person {
    let first = (*names::FIRST.choose(rng).unwrap_or(&"Alex")).to_owned();
    let last = (*names::LAST.choose(rng).unwrap_or(&"Smith")).to_owned();
    let company = rng.gen_range(0..companies.len());
    let domain = &companies[company].domain;
    let email = (rng.gen_range(0..100) >= 3).then(|| {
        format!(
            "{}.{}{}@{}",
            ascii_slug(&first),
            ascii_slug(&last),
            index,
            domain
        )
    });
    let phone = (rng.gen_range(0..100) >= 12).then(|| phone(rng));
    let title = (rng.gen_range(0..100) >= 8)
        .then(|| (*names::TITLES.choose(rng).unwrap_or(&"Manager")).to_owned());
    let lead_source =
        (rng.gen_range(0..100) >= 20).then(|| *names::LEAD_SOURCES.choose(rng).unwrap_or(&"Web"));
    let (created_ms, modified_ms) = timestamps(rng, previous.map(|p| p.modified_ms), index);
    Person {
        first,
        last,
        email,
        phone,
        title,
        company,
        lead_source,
        created_ms,
        modified_ms,
    }
}

fn company(rng: &mut ChaCha8Rng, index: usize) -> Company {
    let stem = *names::COMPANY_STEMS.choose(rng).unwrap_or(&"Acme");
    let suffix = *names::COMPANY_SUFFIXES.choose(rng).unwrap_or(&"Inc.");
    let name = if index < names::COMPANY_STEMS.len() {
        format!("{stem} {suffix}")
    } else {
        format!("{stem} {suffix} {}", index)
    };
    let domain = format!("{}{}.example.com", ascii_slug(stem), index);
    let (city, region) = *names::CITIES.choose(rng).unwrap_or(&("Austin", "TX"));
    let (created_ms, modified_ms) = timestamps(rng, None, index + 1);
    Company {
        name,
        domain,
        industry: names::INDUSTRIES
            .choose(rng)
            .copied()
            .unwrap_or("Technology"),
        phone: (rng.gen_range(0..100) >= 10).then(|| phone(rng)),
        street: format!(
            "{} {}",
            rng.gen_range(1..9999),
            names::STREETS.choose(rng).copied().unwrap_or("Main St")
        ),
        city,
        region,
        postal_code: format!("{:05}", rng.gen_range(10000..99999)),
        created_ms,
        modified_ms,
    }
}

/// US and UK numbers in the formats people type them.
fn phone(rng: &mut ChaCha8Rng) -> String {
    let (a, b, c) = (
        rng.gen_range(201..989),
        rng.gen_range(200..999),
        rng.gen_range(0..9999),
    );
    match rng.gen_range(0..5) {
        0 => format!("({a}) {b}-{c:04}"),
        1 => format!("+1 {a} {b} {c:04}"),
        2 => format!("{a}.{b}.{c:04}"),
        3 => format!("+44 20 7946 {:04}", c),
        _ => format!("{a}-{b}-{c:04}"),
    }
}

/// Lowercase ASCII for email local parts: "Zoë O'Brien" → "zoeobrien".
pub fn ascii_slug(text: &str) -> String {
    let slug: String = text
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'ç' | 'ć' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ễ' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ł' => Some('l'),
            'ñ' | 'ń' => Some('n'),
            'ò' | 'ó' | 'ô' | 'ö' | 'ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ß' => Some('s'),
            'ż' | 'ź' => Some('z'),
            _ => None,
        })
        .take(20)
        .collect();
    if slug.is_empty() {
        "contact".to_owned()
    } else {
        slug
    }
}

/// ISO 8601 UTC with milliseconds and `Z` (HubSpot).
pub fn iso_z(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Salesforce's `2013-05-20T20:49:32.000+0000`.
pub fn sf_datetime(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3f+0000")
        .to_string()
}

/// QuickBooks' local time with an offset (the sandbox company is on US Pacific, -07:00).
pub fn qbo_datetime(ms: i64) -> String {
    let offset = chrono::FixedOffset::west_opt(7 * 3600)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&offset)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_population() {
        let spec = SeedSpec {
            seed: 9,
            records: 120,
        };
        let a = Population::generate(spec);
        let b = Population::generate(spec);
        assert_eq!(a.people, b.people);
        assert_eq!(a.companies, b.companies);
        assert_ne!(
            Population::generate(SeedSpec {
                seed: 10,
                records: 120
            })
            .people,
            a.people
        );
        assert_eq!(a.people.len(), 240);
    }

    #[test]
    fn the_data_has_the_awkward_cases() {
        let p = Population::generate(SeedSpec {
            seed: 1,
            records: 500,
        })
        .people;
        assert!(
            p.iter().any(|x| !x.first.is_ascii() || !x.last.is_ascii()),
            "non-ASCII names"
        );
        assert!(p.iter().any(|x| x.email.is_none()), "missing emails");
        assert!(p.iter().any(|x| x.phone.is_none()), "missing phones");
        let mut emails: Vec<_> = p.iter().filter_map(|x| x.email.clone()).collect();
        let total = emails.len();
        emails.sort();
        emails.dedup();
        assert!(emails.len() < total, "duplicates by email");
        let mut stamps: Vec<_> = p.iter().map(|x| x.modified_ms).collect();
        let n = stamps.len();
        stamps.sort();
        stamps.dedup();
        assert!(stamps.len() < n, "some timestamps equal to the millisecond");
        assert!(p
            .iter()
            .all(|x| x.modified_ms >= x.created_ms && x.modified_ms <= SEED_EPOCH_MS));
    }

    #[test]
    fn slices_overlap_by_half() {
        let spec = SeedSpec {
            seed: 1,
            records: 100,
        };
        assert_eq!(slice(spec, 0), 0..100);
        assert_eq!(slice(spec, 1), 50..150);
    }

    #[test]
    fn date_formats() {
        assert_eq!(iso_z(1_572_480_000_000), "2019-10-31T00:00:00.000Z");
        assert_eq!(
            sf_datetime(1_369_082_972_000),
            "2013-05-20T20:49:32.000+0000"
        );
        assert_eq!(qbo_datetime(1_437_759_219_000), "2015-07-24T10:33:39-07:00");
        assert_eq!(ascii_slug("Zoë O'Brien"), "zoeobrien");
    }
}

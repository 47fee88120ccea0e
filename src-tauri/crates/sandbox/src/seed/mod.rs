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

/// One person of the population. Names and titles are the word lists' own strings and
/// the email is derived when asked for ([`Population::email`]), so a population of
/// millions holds no string of its own per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub first: &'static str,
    pub last: &'static str,
    /// Whose address this person has: their own index, or an earlier person's for the
    /// duplicates by email; `None` for no email.
    email_of: Option<u32>,
    pub phone: Option<Phone>,
    pub title: Option<&'static str>,
    /// Index into the population's companies.
    pub company: usize,
    pub lead_source: Option<&'static str>,
    pub created_ms: i64,
    pub modified_ms: i64,
}

impl Person {
    pub fn has_email(&self) -> bool {
        self.email_of.is_some()
    }
}

/// A phone number in one of the formats people type them; shown by `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phone {
    area: u16,
    exchange: u16,
    line: u16,
    style: u8,
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (a, b, c) = (self.area, self.exchange, self.line);
        match self.style {
            0 => write!(f, "({a}) {b}-{c:04}"),
            1 => write!(f, "+1 {a} {b} {c:04}"),
            2 => write!(f, "{a}.{b}.{c:04}"),
            3 => write!(f, "+44 20 7946 {c:04}"),
            _ => write!(f, "{a}-{b}-{c:04}"),
        }
    }
}

impl Phone {
    pub fn text(self) -> String {
        self.to_string()
    }
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
            let p = person(&mut rng, i, companies.len(), people.last());
            people.push(p);
        }
        // About 2% share an email with an earlier record (duplicates to resolve).
        for i in (50..people.len()).step_by(50) {
            let earlier = rng.gen_range(0..i);
            if let Some(owner) = people[earlier].email_of {
                people[i].email_of = Some(owner);
            }
        }
        Self { people, companies }
    }

    /// Person `i`'s email address (`first.last<n>@<their company's domain>`, where `n`
    /// and the company are those of the person whose address it is).
    pub fn email(&self, i: usize) -> Option<String> {
        let owner = self.people.get(i)?.email_of? as usize;
        let p = self.people.get(owner)?;
        let domain = &self.companies.get(p.company)?.domain;
        Some(format!(
            "{}.{}{owner}@{domain}",
            ascii_slug(p.first),
            ascii_slug(p.last)
        ))
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
    companies: usize,
    previous: Option<&Person>,
) -> Person {
    let first = names::FIRST.choose(rng).copied().unwrap_or("Alex");
    let last = names::LAST.choose(rng).copied().unwrap_or("Smith");
    let company = rng.gen_range(0..companies);
    let email_of = (rng.gen_range(0..100) >= 3).then_some(index as u32);
    let phone = (rng.gen_range(0..100) >= 12).then(|| phone(rng));
    let title = (rng.gen_range(0..100) >= 8)
        .then(|| names::TITLES.choose(rng).copied().unwrap_or("Manager"));
    let lead_source =
        (rng.gen_range(0..100) >= 20).then(|| *names::LEAD_SOURCES.choose(rng).unwrap_or(&"Web"));
    let (created_ms, modified_ms) = timestamps(rng, previous.map(|p| p.modified_ms), index);
    Person {
        first,
        last,
        email_of,
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
        phone: (rng.gen_range(0..100) >= 10).then(|| phone(rng).text()),
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
fn phone(rng: &mut ChaCha8Rng) -> Phone {
    // Drawn as i32, as they always were, so seeds keep giving the same numbers.
    let (area, exchange, line): (i32, i32, i32) = (
        rng.gen_range(201..989),
        rng.gen_range(200..999),
        rng.gen_range(0..9999),
    );
    let style: i32 = rng.gen_range(0..5);
    Phone {
        area: area as u16,
        exchange: exchange as u16,
        line: line as u16,
        style: style as u8,
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

pub use crate::stamps::{iso_z, sf_datetime};

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
        let population = Population::generate(SeedSpec {
            seed: 1,
            records: 500,
        });
        let p = &population.people;
        assert!(
            p.iter().any(|x| !x.first.is_ascii() || !x.last.is_ascii()),
            "non-ASCII names"
        );
        let all: Vec<Option<String>> = (0..p.len()).map(|i| population.email(i)).collect();
        assert!(all.iter().any(Option::is_none), "missing emails");
        assert!(p.iter().any(|x| x.phone.is_none()), "missing phones");
        let mut emails: Vec<_> = all.into_iter().flatten().collect();
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

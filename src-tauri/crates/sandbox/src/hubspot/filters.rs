//! Search filters: parsing `filterGroups` (at most 5 groups, 10 filters in a group, 25 in
//! all) and evaluating HubSpot's operators against a record — numbers compared
//! numerically, dates as epoch milliseconds (created and modified dates read straight
//! from the record), text case-insensitively, `CONTAINS_TOKEN` by word or `*` wildcard.

use super::errors;
use super::schema::{Kind, PType};
use super::store::Record;
use super::validate::parse_ms;
use axum::response::Response;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::ops::RangeInclusive;

const MAX_GROUPS: usize = 5;
const MAX_PER_GROUP: usize = 10;
const MAX_FILTERS: usize = 25;

/// A comparable value: numbers (and dates as epoch ms) or lower-cased text.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Num(f64),
    Text(String),
}

impl Key {
    pub fn cmp(&self, other: &Key) -> Option<Ordering> {
        match (self, other) {
            (Key::Num(a), Key::Num(b)) => a.partial_cmp(b),
            (Key::Text(a), Key::Text(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

pub fn ptype(kind: Kind, prop: &str) -> PType {
    kind.prop(prop).map_or(PType::String, |d| d.ptype)
}

fn key(ptype: PType, raw: &str) -> Key {
    let parsed = match ptype {
        PType::Number => raw.trim().parse::<f64>().ok(),
        PType::Date | PType::DateTime => parse_ms(raw).map(|ms| ms as f64),
        _ => None,
    };
    parsed.map_or_else(|| Key::Text(raw.trim().to_lowercase()), Key::Num)
}

/// The record's value as a key; created and modified dates come straight from the record.
pub fn record_key(kind: Kind, r: &Record, prop: &str, t: PType) -> Option<Key> {
    match prop {
        "createdate" => Some(Key::Num(r.created_ms as f64)),
        p if p == kind.last_modified() => Some(Key::Num(r.updated_ms as f64)),
        _ => r
            .value(kind, prop)
            .filter(|v| !v.is_empty())
            .map(|v| key(t, &v)),
    }
}

#[derive(Debug)]
pub struct Filter {
    prop: String,
    op: String,
    ptype: PType,
    value: Option<Key>,
    high: Option<Key>,
    values: Vec<Key>,
    raw: String,
}

pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn parse_filter(kind: Kind, f: &Value) -> Result<Filter, Response> {
    let prop = text(f.get("propertyName"))
        .ok_or_else(|| errors::validation("Each filter needs a propertyName."))?;
    let op = text(f.get("operator"))
        .unwrap_or_else(|| "EQ".into())
        .to_uppercase();
    const OPS: &[&str] = &[
        "EQ",
        "NEQ",
        "LT",
        "LTE",
        "GT",
        "GTE",
        "BETWEEN",
        "IN",
        "NOT_IN",
        "HAS_PROPERTY",
        "NOT_HAS_PROPERTY",
        "CONTAINS_TOKEN",
        "NOT_CONTAINS_TOKEN",
    ];
    if !OPS.contains(&op.as_str()) {
        return Err(errors::validation(&format!(
            "Invalid operator {op}. Valid operators: {}",
            OPS.join(", ")
        )));
    }
    let t = ptype(kind, &prop);
    let raw = text(f.get("value")).unwrap_or_default();
    let values = f
        .get("values")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter_map(|v| text(Some(v)))
                .map(|v| key(t, &v))
                .collect()
        })
        .unwrap_or_default();
    Ok(Filter {
        value: text(f.get("value")).map(|v| key(t, &v)),
        high: text(f.get("highValue")).map(|v| key(t, &v)),
        ptype: t,
        values,
        prop,
        op,
        raw,
    })
}

impl Filter {
    /// The last-modified times (epoch ms, inclusive) this filter keeps, when it compares
    /// the object's last-modified date with a whole number of milliseconds; `None` for
    /// any other filter. Every record has a last-modified date, so the range is exact.
    pub fn modified_range(&self, kind: Kind) -> Option<RangeInclusive<i64>> {
        if self.prop != kind.last_modified() {
            return None;
        }
        let ms = |k: &Option<Key>| match k {
            Some(Key::Num(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            _ => None,
        };
        Some(match self.op.as_str() {
            "EQ" => ms(&self.value)?..=ms(&self.value)?,
            "GT" => ms(&self.value)?.saturating_add(1)..=i64::MAX,
            "GTE" => ms(&self.value)?..=i64::MAX,
            "LT" => i64::MIN..=ms(&self.value)?.saturating_sub(1),
            "LTE" => i64::MIN..=ms(&self.value)?,
            "BETWEEN" => ms(&self.value)?..=ms(&self.high)?,
            _ => return None,
        })
    }
}

impl Filter {
    /// The smallest `hs_object_id` this filter keeps, when it is a lower bound on it
    /// (`GT` / `GTE` a whole number); `None` for any other filter.
    pub fn id_floor(&self) -> Option<u64> {
        if self.prop != "hs_object_id" {
            return None;
        }
        let n = match &self.value {
            Some(Key::Num(n)) if n.fract() == 0.0 && *n >= 0.0 && *n < 9.0e15 => *n as u64,
            _ => return None,
        };
        match self.op.as_str() {
            "GT" => Some(n.saturating_add(1)),
            "GTE" => Some(n),
            _ => None,
        }
    }
}

/// `*` matches any run of characters.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        Some((c, rest)) => text
            .split_first()
            .is_some_and(|(t, tail)| t == c && glob(rest, tail)),
    }
}

fn contains_token(value: &str, wanted: &str) -> bool {
    let (value, wanted) = (value.to_lowercase(), wanted.trim().to_lowercase());
    if wanted.contains('*') {
        return glob(wanted.as_bytes(), value.as_bytes());
    }
    value == wanted
        || value
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| t == wanted)
}

pub fn matches(kind: Kind, r: &Record, f: &Filter) -> bool {
    let v = record_key(kind, r, &f.prop, f.ptype);
    let cmp = |k: &Option<Key>| -> Option<Ordering> { v.as_ref()?.cmp(k.as_ref()?) };
    let eq = |k: &Key| v.as_ref().and_then(|v| v.cmp(k)) == Some(Ordering::Equal);
    let token = || {
        r.value(kind, &f.prop)
            .is_some_and(|s| contains_token(&s, &f.raw))
    };
    match f.op.as_str() {
        "HAS_PROPERTY" => v.is_some(),
        "NOT_HAS_PROPERTY" => v.is_none(),
        "EQ" => f.value.as_ref().is_some_and(eq),
        "NEQ" => !f.value.as_ref().is_some_and(eq),
        "LT" => cmp(&f.value) == Some(Ordering::Less),
        "LTE" => matches!(cmp(&f.value), Some(Ordering::Less | Ordering::Equal)),
        "GT" => cmp(&f.value) == Some(Ordering::Greater),
        "GTE" => matches!(cmp(&f.value), Some(Ordering::Greater | Ordering::Equal)),
        "BETWEEN" => {
            matches!(cmp(&f.value), Some(Ordering::Greater | Ordering::Equal))
                && matches!(cmp(&f.high), Some(Ordering::Less | Ordering::Equal))
        }
        "IN" => f.values.iter().any(eq),
        "NOT_IN" => !f.values.iter().any(eq),
        "CONTAINS_TOKEN" => token(),
        _ => !token(),
    }
}

pub fn groups(kind: Kind, body: &Map<String, Value>) -> Result<Vec<Vec<Filter>>, Response> {
    let raw: Vec<&Value> = body
        .get("filterGroups")
        .and_then(Value::as_array)
        .map(|g| g.iter().collect())
        .unwrap_or_default();
    let filters_of = |g: &Value| {
        g.get("filters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let total: usize = raw.iter().map(|g| filters_of(g).len()).sum();
    if raw.len() > MAX_GROUPS
        || raw.iter().any(|g| filters_of(g).len() > MAX_PER_GROUP)
        || total > MAX_FILTERS
    {
        return Err(errors::validation(&format!(
            "Too many filters: at most {MAX_GROUPS} filterGroups, {MAX_PER_GROUP} filters in a group and {MAX_FILTERS} filters in all are allowed (got {} groups, {total} filters).",
            raw.len()
        )));
    }
    raw.iter()
        .map(|g| {
            filters_of(g)
                .iter()
                .map(|f| parse_filter(kind, f))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_wildcards() {
        assert!(contains_token("ada.lovelace@acme.example.com", "acme"));
        assert!(contains_token(
            "ada.lovelace@acme.example.com",
            "*@acme.example.com"
        ));
        assert!(!contains_token("ada.lovelace@acme.example.com", "acm"));
        assert!(contains_token("Big Deal", "big deal"));
    }
}

//! Parsing shared by the provider codecs: decimals from JSON numbers or strings,
//! dates, datetimes in the forms the providers write (RFC 3339, Salesforce's `+0000`,
//! epoch milliseconds), and JSON numbers written back without losing digits.

use crate::value::ValueError;
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::str::FromStr;

pub fn decimal(field: &str, text: &str) -> Result<Decimal, ValueError> {
    let t = text.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|_| ValueError::new(field, format!("{t:?} is not a number")))
}

pub fn json_decimal(field: &str, v: &Json) -> Result<Decimal, ValueError> {
    match v {
        Json::Number(n) => decimal(field, &n.to_string()),
        Json::String(s) => decimal(field, s),
        other => Err(ValueError::new(field, format!("{other} is not a number"))),
    }
}

/// A decimal as a JSON number (integers stay integers).
pub fn number_json(field: &str, d: &Decimal) -> Result<Json, ValueError> {
    let text = d.normalize().to_string();
    serde_json::from_str::<serde_json::Number>(&text)
        .map(Json::Number)
        .map_err(|_| ValueError::new(field, format!("{text} cannot be sent as a number")))
}

pub fn date(field: &str, text: &str) -> Result<NaiveDate, ValueError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ValueError::new(field, format!("{text:?} is not a date (YYYY-MM-DD)")))
}

/// RFC 3339, Salesforce's `2013-05-20T20:49:32.000+0000`, or epoch milliseconds.
pub fn datetime(field: &str, text: &str) -> Result<DateTime<FixedOffset>, ValueError> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d);
    }
    if let Ok(d) = DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Ok(d);
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(d) = t
            .parse::<i64>()
            .ok()
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
        {
            return Ok(d.fixed_offset());
        }
    }
    Err(ValueError::new(
        field,
        format!("{t:?} is not a date and time"),
    ))
}

pub fn utc_millis(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A JSON object of `pairs`, its values moved in. `json!` serializes what it
/// interpolates into a new value, so `json!({ "records": records })` copies every record
/// once more before the body is written.
pub fn object<const N: usize>(pairs: [(&str, Json); N]) -> Json {
    Json::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

pub fn text_of(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The value at a dotted path (`PrimaryEmailAddr.Address`) of a JSON object.
pub fn at_path<'a>(v: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(v, |v, key| v.get(key))
}

/// Sets a dotted path, creating the objects on the way.
pub fn set_path(target: &mut serde_json::Map<String, Json>, path: &str, value: Json) {
    match path.split_once('.') {
        None => {
            target.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let slot = target
                .entry(head.to_owned())
                .or_insert_with(|| Json::Object(Default::default()));
            if !slot.is_object() {
                *slot = Json::Object(Default::default());
            }
            if let Json::Object(inner) = slot {
                set_path(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_in_every_provider_form() {
        let sf = datetime("f", "2013-05-20T20:49:32.000+0000").ok();
        let iso = datetime("f", "2013-05-20T20:49:32Z").ok();
        let ms = datetime("f", "1369082972000").ok();
        let qb = datetime("f", "2013-05-20T13:49:32-07:00").ok();
        assert!(sf.is_some());
        assert_eq!(sf, iso);
        assert_eq!(sf, ms);
        assert_eq!(sf, qb, "same instant");
        assert_eq!(qb.map(|d| d.offset().local_minus_utc()), Some(-7 * 3600));
        assert!(datetime("f", "2013-02-30T00:00:00Z").is_err());
        assert!(datetime("f", "").is_err());
    }

    #[test]
    fn decimals_survive() {
        let d = json_decimal("f", &serde_json::json!(0.1)).ok();
        assert_eq!(d.map(|d| d.to_string()), Some("0.1".into()));
        let big = decimal("f", "12345678901234.56").ok();
        assert_eq!(
            big.and_then(|d| number_json("f", &d).ok())
                .map(|j| j.to_string()),
            Some("12345678901234.56".into())
        );
        assert!(decimal("f", "1,2").is_err());
    }

    #[test]
    fn nested_paths() {
        let mut m = serde_json::Map::new();
        set_path(&mut m, "PrimaryEmailAddr.Address", Json::from("a@b.c"));
        set_path(&mut m, "DisplayName", Json::from("A"));
        let v = Json::Object(m);
        assert_eq!(
            at_path(&v, "PrimaryEmailAddr.Address"),
            Some(&Json::from("a@b.c"))
        );
    }
}

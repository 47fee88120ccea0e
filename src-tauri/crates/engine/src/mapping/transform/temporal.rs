//! Reading dates and instants out of values, shared by `to_date`, `to_datetime`,
//! `format_date` and the final conversion. Providers write them several ways: ISO dates,
//! RFC 3339, Salesforce's `2024-05-01T10:00:00.000+0000`, HubSpot's epoch milliseconds
//! (as text or as a number). Impossible dates and times (`2024-02-30`, `25:00`) are
//! rejected, never rolled over.

use super::error::{code, quoted, TransformError};
use super::text::unsupported;
use chrono::Offset as _;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::prelude::ToPrimitive;
use switchyard_connectors::value::Value;

/// A calendar date or an instant with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Temporal {
    Date(NaiveDate),
    Instant(DateTime<FixedOffset>),
}

/// The date or instant `value` holds; `None` for Null and blank text.
pub(super) fn temporal(
    step: usize,
    op: &str,
    value: &Value,
) -> Result<Option<Temporal>, TransformError> {
    let malformed = |shown: &str| {
        TransformError::new(
            step,
            code::MALFORMED_DATE,
            format!(
                "{} is not a date or date and time (expected 2024-05-01, 2024-05-01T10:00:00Z or milliseconds since 1970)",
                quoted(shown)
            ),
        )
    };
    match value {
        Value::Null => Ok(None),
        Value::Date(d) => Ok(Some(Temporal::Date(*d))),
        Value::DateTime(t) => Ok(Some(Temporal::Instant(*t))),
        Value::Text(s) if s.trim().is_empty() => Ok(None),
        Value::Text(s) => parse_text(s.trim()).map(Some).ok_or_else(|| malformed(s)),
        Value::Number(n) => n
            .is_integer()
            .then(|| n.to_i64())
            .flatten()
            .and_then(from_millis)
            .map(|t| Some(Temporal::Instant(t)))
            .ok_or_else(|| malformed(&n.normalize().to_string())),
        Value::Bool(_) => Err(unsupported(step, op, value)),
    }
}

fn parse_text(s: &str) -> Option<Temporal> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .ok()
            .and_then(from_millis)
            .map(Temporal::Instant);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(Temporal::Date(d));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(Temporal::Instant(t));
    }
    // Salesforce: `2024-05-01T10:00:00.000+0000`.
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(Temporal::Instant(t));
    }
    // No offset at all: read as UTC, the only zone every provider agrees on.
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|naive| Temporal::Instant(naive.and_utc().fixed_offset()))
}

fn from_millis(ms: i64) -> Option<DateTime<FixedOffset>> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.fixed_offset())
}

pub(super) fn midnight_utc(d: NaiveDate) -> DateTime<FixedOffset> {
    d.and_time(chrono::NaiveTime::MIN).and_utc().fixed_offset()
}

/// `UTC`, `Z`, `GMT` or a fixed offset: `+02:00`, `-0530`, `+02`. Step 0 on error.
pub(super) fn parse_zone(zone: &str) -> Result<FixedOffset, TransformError> {
    let z = zone.trim();
    let invalid = || {
        TransformError::new(
            0,
            code::INVALID_ZONE,
            format!(
                "{} is not a time zone offset; use UTC or an offset such as +02:00 or -05:30",
                quoted(zone)
            ),
        )
    };
    if ["utc", "z", "gmt"]
        .iter()
        .any(|u| z.eq_ignore_ascii_case(u))
    {
        return Ok(Utc.fix());
    }
    let (sign, rest) = match z.as_bytes().first() {
        Some(b'+') => (1, &z[1..]),
        Some(b'-') => (-1, &z[1..]),
        _ => return Err(invalid()),
    };
    let compact = rest.replacen(':', "", 1);
    if !compact.bytes().all(|b| b.is_ascii_digit()) || !matches!(compact.len(), 2 | 4) {
        return Err(invalid());
    }
    let hours: i32 = compact[..2].parse().map_err(|_| invalid())?;
    let minutes: i32 = compact
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Ok(0), str::parse)
        .map_err(|_| invalid())?;
    if hours > 14 || minutes > 59 {
        return Err(invalid());
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).ok_or_else(invalid)
}

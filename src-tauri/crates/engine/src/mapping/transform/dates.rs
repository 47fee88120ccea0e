//! The date steps: `to_date`, `to_datetime` and `format_date`. A date-time becomes a
//! date only as seen from a stated offset, because the same instant is a different day
//! in Auckland and in Los Angeles; the default is UTC. Formats are chrono strftime
//! patterns, checked before use so a bad one is an error and never a panic.

use super::error::{code, quoted, TransformError};
use super::temporal::{midnight_utc, parse_zone, temporal, Temporal};
use chrono::format::{Item, StrftimeItems};
use chrono::Offset as _;
use std::fmt::Write as _;
use switchyard_connectors::value::Value;

pub(super) fn to_date(
    step: usize,
    value: Value,
    zone: Option<&str>,
) -> Result<Value, TransformError> {
    let offset = zone
        .map(parse_zone)
        .transpose()
        .map_err(|e| e.at_step(step))?;
    Ok(match temporal(step, "to_date", &value)? {
        None => Value::Null,
        Some(Temporal::Date(d)) => Value::Date(d),
        Some(Temporal::Instant(t)) => {
            let offset = offset.unwrap_or_else(|| chrono::Utc.fix());
            Value::Date(t.with_timezone(&offset).date_naive())
        }
    })
}

pub(super) fn to_datetime(step: usize, value: Value) -> Result<Value, TransformError> {
    Ok(match temporal(step, "to_datetime", &value)? {
        None => Value::Null,
        Some(Temporal::Date(d)) => Value::DateTime(midnight_utc(d)),
        Some(Temporal::Instant(t)) => Value::DateTime(t),
    })
}

pub(super) fn format_date(
    step: usize,
    value: Value,
    format: &str,
) -> Result<Value, TransformError> {
    let items = format_items(format).map_err(|e| e.at_step(step))?;
    let Some(when) = temporal(step, "format_date", &value)? else {
        return Ok(Value::Null);
    };
    let mut out = String::new();
    let written = match when {
        Temporal::Date(d) => write!(out, "{}", d.format_with_items(items.iter())),
        Temporal::Instant(t) => write!(out, "{}", t.format_with_items(items.iter())),
    };
    match written {
        Ok(()) => Ok(Value::Text(out)),
        Err(_) => Err(TransformError::new(
            step,
            code::INVALID_FORMAT,
            format!(
                "the format {} asks for a time or zone, but {} is a date; convert it with to_datetime first",
                quoted(format),
                quoted(&value.to_string())
            ),
        )),
    }
}

/// The parsed pattern, or an `invalid_format` error at step 0 (callers renumber).
pub(super) fn format_items(format: &str) -> Result<Vec<Item<'_>>, TransformError> {
    let invalid = |why: &str| {
        TransformError::new(
            0,
            code::INVALID_FORMAT,
            format!("{} is not a date format{why}", quoted(format)),
        )
    };
    if format.is_empty() {
        return Err(invalid(" (it is empty)"));
    }
    StrftimeItems::new(format)
        .parse()
        .map_err(|_| invalid(" (unknown % code; see chrono's strftime codes, e.g. %Y-%m-%d)"))
}

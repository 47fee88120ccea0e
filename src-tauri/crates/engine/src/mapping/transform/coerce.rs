//! The last conversion of a field row: the value the steps produced, made into what the
//! target field holds, and checked against the target's discovered limits (length,
//! picklist values, email syntax). Conversions that could lose information are refused
//! rather than done silently:
//! - a date and time becomes a date only when it is exactly midnight UTC (otherwise the
//!   day depends on a zone: add a `to_date` step that names one);
//! - a fraction never goes into a whole-number field (add `number` with `decimals: 0`);
//! - yes/no into a number, a number into yes/no, and numbers into dates need an explicit
//!   `to_number`, `to_bool` or `to_datetime` step.
//!
//! Blank text (empty or whitespace only) is written as Null whatever the target.

use super::error::{code, quoted, TransformError};
use super::kind::Kind;
use super::limits::check_text;
use super::numbers::{parse_bool, parse_number};
use super::temporal::{midnight_utc, temporal, Temporal};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use switchyard_connectors::schema::{FieldSpec, FieldType};
use switchyard_connectors::value::Value;

/// `value` as the target field holds it. Errors carry step 0; [`super::convert`]
/// renumbers them.
pub fn coerce(value: Value, target: &FieldSpec) -> Result<Value, TransformError> {
    if value.is_blank() {
        return Ok(Value::Null);
    }
    let want = Kind::of(target.ty);
    let value = match want {
        Kind::Text | Kind::Empty => Value::Text(value.to_string()),
        Kind::Number => to_number(value, target.ty)?,
        Kind::Bool => to_bool(value)?,
        Kind::Date => to_date(value)?,
        Kind::DateTime => to_datetime(value)?,
    };
    if let Value::Text(text) = &value {
        check_text(text, target)?;
    }
    Ok(value)
}

/// Whether a value of `kind` can ever go into `target` (text may still fail to parse at
/// run time). A date and time into a date field is refused here, because it only works
/// for values at midnight UTC.
pub fn check_target(kind: Kind, target: &FieldSpec) -> Result<(), TransformError> {
    let want = Kind::of(target.ty);
    let ok = match (kind, want) {
        (Kind::Empty | Kind::Text, _) | (_, Kind::Text) => true,
        (Kind::Date | Kind::DateTime, Kind::DateTime) => true,
        (have, want) => have == want,
    };
    if ok {
        return Ok(());
    }
    let hint = match (kind, want) {
        (Kind::DateTime, Kind::Date) => "; add a to_date step that names the time zone of the day",
        (Kind::Number, Kind::Bool) => "; add a to_bool step",
        (Kind::Bool, Kind::Number) => "; add a to_number step",
        (Kind::Number, Kind::Date | Kind::DateTime) => {
            "; add a to_datetime step (milliseconds since 1970)"
        }
        _ => "",
    };
    Err(incompatible(kind.name(), target, hint))
}

fn incompatible(have: &str, target: &FieldSpec, hint: &str) -> TransformError {
    TransformError::new(
        0,
        code::INCOMPATIBLE_TYPE,
        format!(
            "a {have} cannot go into {} (a {} field){hint}",
            quoted(&target.label),
            Kind::of(target.ty).name()
        ),
    )
}

fn to_number(value: Value, ty: FieldType) -> Result<Value, TransformError> {
    let n = match &value {
        Value::Number(n) => *n,
        Value::Text(s) => parse_number(s).ok_or_else(|| {
            TransformError::new(
                0,
                code::MALFORMED_NUMBER,
                format!("{} is not a number", quoted(s)),
            )
        })?,
        other => return Err(incompatible_value(other, ty)),
    };
    if ty == FieldType::Int && !n.is_integer() {
        return Err(TransformError::new(
            0,
            code::LOSSY_CONVERSION,
            format!(
                "{} is not a whole number; round it with a number step (decimals 0) first",
                quoted(&n.normalize().to_string())
            ),
        ));
    }
    Ok(Value::Number(n))
}

fn to_bool(value: Value) -> Result<Value, TransformError> {
    match &value {
        Value::Bool(_) => Ok(value),
        Value::Text(s) => parse_bool(s).map(Value::Bool).ok_or_else(|| {
            TransformError::new(
                0,
                code::MALFORMED_BOOL,
                format!(
                    "{} is not yes or no (expected true, false, yes, no, 1 or 0)",
                    quoted(s)
                ),
            )
        }),
        other => Err(incompatible_value(other, FieldType::Bool)),
    }
}

fn to_date(value: Value) -> Result<Value, TransformError> {
    let when = match &value {
        Value::Text(_) | Value::Date(_) | Value::DateTime(_) => temporal(0, "coerce", &value)?,
        other => return Err(incompatible_value(other, FieldType::Date)),
    };
    match when {
        None => Ok(Value::Null),
        Some(Temporal::Date(d)) => Ok(Value::Date(d)),
        Some(Temporal::Instant(t)) => exact_date(t).map(Value::Date).ok_or_else(|| {
            TransformError::new(
                0,
                code::LOSSY_CONVERSION,
                format!(
                    "{} has a time of day; add a to_date step that names the time zone of the day",
                    quoted(&Value::DateTime(t).to_string())
                ),
            )
        }),
    }
}

/// The date of an instant that is exactly midnight UTC.
fn exact_date(t: DateTime<FixedOffset>) -> Option<NaiveDate> {
    let utc = t.naive_utc();
    (utc.time() == NaiveTime::MIN).then(|| utc.date())
}

fn to_datetime(value: Value) -> Result<Value, TransformError> {
    let when = match &value {
        Value::Text(_) | Value::Date(_) | Value::DateTime(_) => temporal(0, "coerce", &value)?,
        other => return Err(incompatible_value(other, FieldType::DateTime)),
    };
    Ok(match when {
        None => Value::Null,
        Some(Temporal::Date(d)) => Value::DateTime(midnight_utc(d)),
        Some(Temporal::Instant(t)) => Value::DateTime(t),
    })
}

fn incompatible_value(value: &Value, ty: FieldType) -> TransformError {
    TransformError::new(
        0,
        code::INCOMPATIBLE_TYPE,
        format!(
            "the {} {} cannot go into a {} field",
            value.kind(),
            quoted(&value.to_string()),
            Kind::of(ty).name()
        ),
    )
}

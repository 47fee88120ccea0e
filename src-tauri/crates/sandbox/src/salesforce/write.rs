//! Turning a request body into field changes the way Salesforce validates them: unknown
//! fields are INVALID_FIELD, read-only ones INVALID_FIELD_FOR_INSERT_UPDATE, and each
//! value is checked and normalised for its field type (too long, bad email, malformed
//! id, unparsable date). Empty strings become null, as Salesforce stores them.

use super::body::{RecordIn, Scalar};
use super::errors::ApiError;
use super::ids;
use super::schema::{FType, Field, SObject};
use crate::seed::sf_datetime;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Update,
}

/// The validated changes of a create or update body, as (field position, value).
pub fn parse_fields(
    obj: &SObject,
    body: RecordIn<'_>,
    op: Op,
) -> Result<Vec<(usize, Value)>, ApiError> {
    let mut changes = Vec::with_capacity(body.len());
    let mut read_only = Vec::new();
    for (key, value) in body {
        if key == "attributes" {
            continue;
        }
        let Some((i, field)) = obj.field(&key) else {
            return Err(ApiError::bad(
                "INVALID_FIELD",
                format!("No such column '{key}' on sobject of type {}", obj.name),
            ));
        };
        if op == Op::Create && field.ty == FType::Id {
            return Err(
                ApiError::bad("INVALID_FIELD", "cannot specify Id in an insert call")
                    .with_fields(["Id"]),
            );
        }
        let writable = match op {
            Op::Create => field.createable,
            Op::Update => field.updateable,
        };
        if !writable {
            read_only.push(field.name);
            continue;
        }
        changes.push((i, coerce(field, value)?));
    }
    if !read_only.is_empty() {
        let message = format!(
            "Unable to create/update fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
            read_only.join(", ")
        );
        return Err(
            ApiError::bad("INVALID_FIELD_FOR_INSERT_UPDATE", message).with_fields(read_only)
        );
    }
    Ok(changes)
}

fn parser_error(kind: &str, value: &Value) -> ApiError {
    let shown = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    ApiError::json_parser(format!("Cannot deserialize instance of {kind} from VALUE_STRING value {shown} or request may be missing a required field"))
}

/// One value checked and normalised for its field.
pub fn coerce(field: &Field, value: Scalar<'_>) -> Result<Value, ApiError> {
    let plain_text = field.ty.is_text() && !matches!(field.ty, FType::Id | FType::Reference);
    let value = match value {
        // Text of text fields is stored as it came.
        Scalar::Str(s) if plain_text => return checked_text(field, s.into_owned()),
        other => other.into_value(),
    };
    let value = &value;
    if value.is_null() {
        return Ok(if field.ty == FType::Boolean {
            Value::Bool(false)
        } else {
            Value::Null
        });
    }
    match field.ty {
        FType::Boolean => match value {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::String(s)
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                Ok(Value::Bool(s.eq_ignore_ascii_case("true")))
            }
            other => Err(parser_error("boolean", other)),
        },
        FType::Date => {
            let text = value.as_str().ok_or_else(|| parser_error("date", value))?;
            parse_date(text)
                .map(Value::String)
                .ok_or_else(|| parser_error("date", value))
        }
        FType::DateTime => {
            let text = value
                .as_str()
                .ok_or_else(|| parser_error("datetime", value))?;
            parse_datetime(text)
                .map(|ms| Value::String(sf_datetime(ms)))
                .ok_or_else(|| parser_error("datetime", value))
        }
        FType::Double | FType::Currency | FType::Percent | FType::Int => number(field, value),
        FType::Id | FType::Reference => {
            let text = text_of(value).ok_or_else(|| parser_error("id", value))?;
            if text.is_empty() {
                return Ok(Value::Null);
            }
            ids::normalize(&text).map(Value::String).ok_or_else(|| {
                ApiError::bad(
                    "MALFORMED_ID",
                    format!("{}: id value of incorrect type: {text}", field.label),
                )
                .with_fields([field.name])
            })
        }
        _ => text(field, value),
    }
}

/// A text field's value: strings are moved, not copied; numbers and booleans become text.
fn text(field: &Field, value: &Value) -> Result<Value, ApiError> {
    let text = text_of(value).ok_or_else(|| parser_error("string", value))?;
    checked_text(field, text)
}

fn checked_text(field: &Field, text: String) -> Result<Value, ApiError> {
    if text.is_empty() {
        return Ok(Value::Null);
    }
    if text.chars().count() > field.length as usize {
        let message = format!(
            "{}: data value too large: {text} (max length={})",
            field.label, field.length
        );
        return Err(ApiError::bad("STRING_TOO_LONG", message).with_fields([field.name]));
    }
    if field.ty == FType::Email && !valid_email(&text) {
        return Err(ApiError::bad(
            "INVALID_EMAIL_ADDRESS",
            format!("{}: invalid email address: {text}", field.label),
        )
        .with_fields([field.name]));
    }
    Ok(Value::String(text))
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(field: &Field, value: &Value) -> Result<Value, ApiError> {
    let n = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.trim().is_empty() => return Ok(Value::Null),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let kind = if field.ty == FType::Int {
        "int"
    } else {
        "double"
    };
    let n = n
        .filter(|n| n.is_finite())
        .ok_or_else(|| parser_error(kind, value))?;
    if field.ty == FType::Int {
        if n.fract() != 0.0 {
            return Err(parser_error(kind, value));
        }
        return Ok(Value::from(n as i64));
    }
    Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
}

fn valid_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
}

/// `YYYY-MM-DD` (a full datetime is accepted and cut to its date).
pub fn parse_date(text: &str) -> Option<String> {
    let day = text.get(..10)?;
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    (text.len() == 10 || text.as_bytes()[10] == b'T').then(|| day.to_owned())
}

/// ISO 8601 with `Z`, `±hh:mm` or `±hhmm` (Salesforce's own output form), to epoch ms.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp_millis());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z"] {
        if let Ok(dt) = chrono::DateTime::parse_from_str(text, format) {
            return Some(dt.timestamp_millis());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_in_every_documented_form_parse_to_the_same_instant() {
        let z = parse_datetime("2024-01-01T00:00:00Z");
        assert_eq!(z, Some(1_704_067_200_000));
        assert_eq!(parse_datetime("2024-01-01T01:00:00+01:00"), z);
        assert_eq!(parse_datetime("2024-01-01T00:00:00.000+0000"), z);
        assert_eq!(parse_datetime("2024-01-01"), None);
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(
            parse_date("2024-02-03T10:00:00Z").as_deref(),
            Some("2024-02-03")
        );
    }

    #[test]
    fn emails_are_checked() {
        assert!(valid_email("a.b@example.com"));
        assert!(!valid_email("not an email"));
        assert!(!valid_email("a@b"));
    }
}

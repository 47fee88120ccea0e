//! Salesforce values: JSON numbers and booleans, `YYYY-MM-DD` dates, datetimes written
//! `2013-05-20T20:49:32.000+0000` in UTC, multi-select picklists as `a;b`.

use crate::codec;
use crate::schema::{FieldSpec, FieldType};
use crate::value::{Value, ValueError};
use serde_json::Value as Json;

pub fn decode(field: &FieldSpec, v: &Json) -> Result<Value, ValueError> {
    let name = field.name.as_str();
    if v.is_null() {
        return Ok(Value::Null);
    }
    Ok(match field.ty {
        FieldType::Bool => match v {
            Json::Bool(b) => Value::Bool(*b),
            other => {
                return Err(ValueError::new(
                    name,
                    format!("{other} is not true or false"),
                ))
            }
        },
        t if t.is_number() => Value::Number(codec::json_decimal(name, v)?),
        FieldType::Date => Value::Date(codec::date(name, &text(name, v)?)?),
        FieldType::DateTime => Value::DateTime(codec::datetime(name, &text(name, v)?)?),
        _ => Value::Text(text(name, v)?),
    })
}

fn text(name: &str, v: &Json) -> Result<String, ValueError> {
    codec::text_of(v).ok_or_else(|| ValueError::new(name, format!("{v} is not text")))
}

/// A value as it is sent: text borrowed from the record, not copied into a JSON tree.
#[derive(Debug, PartialEq)]
pub enum Encoded<'a> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Text(&'a str),
    Formatted(String),
}

impl serde::Serialize for Encoded<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Encoded::Null => s.serialize_unit(),
            Encoded::Bool(b) => s.serialize_bool(*b),
            Encoded::Number(n) => n.serialize(s),
            Encoded::Text(t) => s.serialize_str(t),
            Encoded::Formatted(t) => s.serialize_str(t),
        }
    }
}

pub fn encode<'a>(field: &FieldSpec, v: &'a Value) -> Result<Encoded<'a>, ValueError> {
    let name = field.name.as_str();
    Ok(match (field.ty, v) {
        (_, Value::Null) => Encoded::Null,
        (FieldType::Bool, Value::Bool(b)) => Encoded::Bool(*b),
        (t, Value::Number(n)) if t.is_number() => match codec::number_json(name, n)? {
            Json::Number(n) => Encoded::Number(n),
            other => Encoded::Formatted(other.to_string()),
        },
        (FieldType::Date, Value::Date(d)) => Encoded::Formatted(d.format("%Y-%m-%d").to_string()),
        (FieldType::DateTime, Value::DateTime(t)) => Encoded::Formatted(
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%S%.3f+0000")
                .to_string(),
        ),
        (t, Value::Text(s)) if t.is_text() => Encoded::Text(s),
        (t, other) => {
            return Err(ValueError::new(
                name,
                format!("a {} cannot be written to a {t:?} field", other.kind()),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        let dt = FieldSpec::new("SystemModstamp", "", FieldType::DateTime);
        let raw = Json::from("2013-05-20T20:49:32.000+0000");
        let v = decode(&dt, &raw).ok();
        assert_eq!(
            v.as_ref()
                .and_then(|v| encode(&dt, v).ok())
                .map(|e| serde_json::json!(e)),
            Some(raw)
        );
        let amount = FieldSpec::new("Amount", "", FieldType::Currency);
        let raw = serde_json::json!(1250.75);
        let v = decode(&amount, &raw).ok();
        assert_eq!(
            v.as_ref()
                .and_then(|v| encode(&amount, v).ok())
                .map(|e| serde_json::json!(e)),
            Some(raw)
        );
        let name = FieldSpec::new("LastName", "", FieldType::Text);
        assert_eq!(
            decode(&name, &Json::from("Ñúñez 李")).ok(),
            Some(Value::text("Ñúñez 李"))
        );
        assert!(encode(&amount, &Value::text("12")).is_err());
        assert!(decode(&dt, &Json::from("yesterday")).is_err());
    }
}

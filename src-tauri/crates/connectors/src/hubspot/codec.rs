//! HubSpot values: every property travels as a string. Numbers are decimal strings,
//! booleans `"true"`/`"false"`, dates `YYYY-MM-DD` or epoch milliseconds at midnight UTC,
//! datetimes ISO 8601 with milliseconds and `Z` (or epoch milliseconds), multi-select
//! values `a;b`. An empty string is no value.

use crate::codec;
use crate::schema::{FieldSpec, FieldType};
use crate::value::{Value, ValueError};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value as Json;

/// A property's value; a string moves into the result (a page's records are taken
/// apart as they are decoded, not copied).
pub fn decode(field: &FieldSpec, v: Json) -> Result<Value, ValueError> {
    let name = field.name.as_str();
    let text = match v {
        Json::Null => return Ok(Value::Null),
        Json::String(s) => s,
        other => codec::text_of(&other)
            .ok_or_else(|| ValueError::new(name, format!("{other} is not a property value")))?,
    };
    if text.is_empty() {
        return Ok(Value::Null);
    }
    Ok(match field.ty {
        FieldType::Bool => match text.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => {
                return Err(ValueError::new(
                    name,
                    format!("{other:?} is not true or false"),
                ))
            }
        },
        t if t.is_number() => Value::Number(codec::decimal(name, &text)?),
        FieldType::Date => Value::Date(date(name, &text)?),
        FieldType::DateTime => Value::DateTime(codec::datetime(name, &text)?),
        _ => Value::Text(text),
    })
}

/// `YYYY-MM-DD`, or epoch milliseconds (HubSpot stores dates at midnight UTC).
fn date(name: &str, text: &str) -> Result<NaiveDate, ValueError> {
    if let Ok(d) = codec::date(name, text) {
        return Ok(d);
    }
    text.parse::<i64>()
        .ok()
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
        .map(|t| t.date_naive())
        .ok_or_else(|| ValueError::new(name, format!("{text:?} is not a date")))
}

pub fn encode(field: &FieldSpec, v: &Value) -> Result<String, ValueError> {
    let name = field.name.as_str();
    Ok(match (field.ty, v) {
        (_, Value::Null) => String::new(),
        (FieldType::Bool, Value::Bool(b)) => b.to_string(),
        (t, Value::Number(n)) if t.is_number() => n.normalize().to_string(),
        (FieldType::Date, Value::Date(d)) => d.format("%Y-%m-%d").to_string(),
        (FieldType::DateTime, Value::DateTime(t)) => codec::utc_millis(t),
        (t, Value::Text(s)) if t.is_text() => s.clone(),
        (t, other) => {
            return Err(ValueError::new(
                name,
                format!("a {} cannot be written to a {t:?} property", other.kind()),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_all_the_way() {
        let created = FieldSpec::new("createdate", "", FieldType::DateTime);
        let v = decode(&created, Json::from("2019-10-30T03:30:17.883Z")).ok();
        assert_eq!(
            v.as_ref().and_then(|v| encode(&created, v).ok()).as_deref(),
            Some("2019-10-30T03:30:17.883Z")
        );
        assert_eq!(
            decode(&created, Json::from("1572406217883")).ok(),
            v,
            "epoch ms is the same instant"
        );
        let close = FieldSpec::new("closedate", "", FieldType::Date);
        assert_eq!(
            decode(&close, Json::from("1572480000000"))
                .ok()
                .map(|v| v.to_string())
                .as_deref(),
            Some("2019-10-31")
        );
        let amount = FieldSpec::new("amount", "", FieldType::Number);
        assert_eq!(
            decode(&amount, Json::from("1500.50"))
                .ok()
                .and_then(|v| encode(&amount, &v).ok())
                .as_deref(),
            Some("1500.5")
        );
        assert_eq!(decode(&amount, Json::from("")).ok(), Some(Value::Null));
        assert!(decode(&amount, Json::from("12 EUR")).is_err());
        let flag = FieldSpec::new("hs_is_x", "", FieldType::Bool);
        assert_eq!(
            decode(&flag, Json::from("false")).ok(),
            Some(Value::Bool(false))
        );
    }
}

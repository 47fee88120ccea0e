//! QuickBooks values: nested objects addressed by dotted paths, amounts as JSON numbers,
//! `YYYY-MM-DD` dates, `MetaData` times local with their offset (kept as written), ids
//! and `SyncToken`s as strings.

use crate::codec;
use crate::schema::{FieldSpec, FieldType};
use crate::value::{Value, ValueError};
use serde_json::Value as Json;

pub fn decode(field: &FieldSpec, entity: &Json) -> Result<Value, ValueError> {
    let name = field.name.as_str();
    let Some(v) = codec::at_path(entity, name).filter(|v| !v.is_null()) else {
        return Ok(Value::Null);
    };
    let text =
        || codec::text_of(v).ok_or_else(|| ValueError::new(name, format!("{v} is not text")));
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
        FieldType::Date => Value::Date(codec::date(name, &text()?)?),
        FieldType::DateTime => Value::DateTime(codec::datetime(name, &text()?)?),
        _ => Value::Text(text()?),
    })
}

pub fn encode(field: &FieldSpec, v: &Value) -> Result<Json, ValueError> {
    let name = field.name.as_str();
    Ok(match (field.ty, v) {
        (_, Value::Null) => Json::Null,
        (FieldType::Bool, Value::Bool(b)) => Json::Bool(*b),
        (t, Value::Number(n)) if t.is_number() => codec::number_json(name, n)?,
        (FieldType::Date, Value::Date(d)) => Json::from(d.format("%Y-%m-%d").to_string()),
        (FieldType::DateTime, Value::DateTime(t)) => Json::from(t.to_rfc3339()),
        (t, Value::Text(s)) if t.is_text() => Json::from(s.clone()),
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
    use serde_json::json;

    #[test]
    fn nested_fields_and_local_offsets() {
        let entity = json!({ "PrimaryEmailAddr": { "Address": "zoë@example.com" }, "MetaData": { "LastUpdatedTime": "2015-07-24T10:33:39-07:00" }, "Balance": 1050.5 });
        let email = FieldSpec::new("PrimaryEmailAddr.Address", "", FieldType::Email);
        assert_eq!(
            decode(&email, &entity).ok(),
            Some(Value::text("zoë@example.com"))
        );
        let updated = FieldSpec::new("MetaData.LastUpdatedTime", "", FieldType::DateTime);
        let v = decode(&updated, &entity).ok();
        assert_eq!(
            v.as_ref().and_then(|v| encode(&updated, v).ok()),
            Some(json!("2015-07-24T10:33:39-07:00")),
            "offset kept"
        );
        let balance = FieldSpec::new("Balance", "", FieldType::Currency);
        assert_eq!(
            decode(&balance, &entity)
                .ok()
                .map(|v| v.to_string())
                .as_deref(),
            Some("1050.5")
        );
        let phone = FieldSpec::new("PrimaryPhone.FreeFormNumber", "", FieldType::Phone);
        assert_eq!(decode(&phone, &entity).ok(), Some(Value::Null));
    }
}

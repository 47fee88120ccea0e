//! The checks HubSpot applies to written property values: every value becomes a string,
//! unknown properties, values outside an enumeration's options and malformed emails are
//! refused with HubSpot's "Property values were not valid" list, dates are accepted as
//! epoch ms, ISO 8601 or `YYYY-MM-DD`, and computed properties are ignored.

use super::schema::{Kind, PType};
use crate::seed::iso_z;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A JSON property value as HubSpot stores it: always a string (`null` clears).
pub fn stringify(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Epoch milliseconds from what HubSpot accepts for dates: epoch-ms digits, ISO 8601
/// (an offset is converted to UTC) or a `YYYY-MM-DD` date.
pub fn parse_ms(value: &str) -> Option<i64> {
    let v = value.trim();
    if let Ok(ms) = v.parse::<i64>() {
        return Some(ms);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(v) {
        return Some(dt.timestamp_millis());
    }
    let date = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

fn looks_like_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !v.contains(char::is_whitespace)
        && !domain.contains('@')
}

fn invalid(name: &str, code: &str, message: String, portal: u64) -> Value {
    json!({ "isValid": false, "message": message, "error": code, "name": name, "localizedErrorMessage": message, "portalId": portal })
}

/// Checks and normalises written values. Unknown properties, values outside an
/// enumeration's options and malformed emails are errors (HubSpot's
/// "Property values were not valid" list); computed properties are ignored.
pub fn check_props(
    kind: Kind,
    input: &Map<String, Value>,
    portal: u64,
) -> Result<BTreeMap<String, String>, Vec<Value>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, raw) in input {
        let value = stringify(raw);
        let Some(def) = kind.prop(name) else {
            errors.push(invalid(
                name,
                "PROPERTY_DOESNT_EXIST",
                format!("Property \"{name}\" does not exist"),
                portal,
            ));
            continue;
        };
        if def.read_only {
            continue;
        }
        let value = match def.ptype {
            _ if value.is_empty() => value,
            PType::Enumeration if !def.options.iter().any(|(v, _)| *v == value) => {
                let allowed: Vec<&str> = def.options.iter().map(|(v, _)| *v).collect();
                errors.push(invalid(
                    name,
                    "INVALID_OPTION",
                    format!(
                        "{value} was not one of the allowed options: [{}]",
                        allowed.join(", ")
                    ),
                    portal,
                ));
                continue;
            }
            PType::DateTime => parse_ms(&value).map_or(value, iso_z),
            PType::Date => parse_ms(&value).map_or(value, |ms| iso_z(ms)[..10].to_owned()),
            _ if name == "email" && !looks_like_email(&value) => {
                errors.push(invalid(
                    name,
                    "INVALID_EMAIL",
                    format!("Email address {value} is invalid"),
                    portal,
                ));
                continue;
            }
            _ => value,
        };
        out.insert(name.clone(), value);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_every_accepted_form() {
        assert_eq!(parse_ms("1572480000000"), Some(1_572_480_000_000));
        assert_eq!(parse_ms("2019-10-31"), Some(1_572_480_000_000));
        assert_eq!(
            parse_ms("2019-10-31T02:00:00+02:00"),
            Some(1_572_480_000_000)
        );
        assert_eq!(parse_ms("yesterday"), None);
    }

    #[test]
    fn written_values_are_checked_and_normalised() {
        let input: Map<String, Value> = serde_json::from_str(
            r#"{"email":"a@b.co","lifecyclestage":"lead","hs_object_id":"9","firstname":12}"#,
        )
        .unwrap_or_default();
        let ok = check_props(Kind::Contacts, &input, 1).unwrap_or_default();
        assert_eq!(ok.get("firstname").map(String::as_str), Some("12"));
        assert!(
            !ok.contains_key("hs_object_id"),
            "computed properties are ignored"
        );
        let bad: Map<String, Value> =
            serde_json::from_str(r#"{"nope":"x","lifecyclestage":"king","email":"not-an-email"}"#)
                .unwrap_or_default();
        let errors = check_props(Kind::Contacts, &bad, 1)
            .err()
            .unwrap_or_default();
        let codes: Vec<&str> = errors.iter().filter_map(|e| e["error"].as_str()).collect();
        assert_eq!(
            codes,
            ["INVALID_EMAIL", "INVALID_OPTION", "PROPERTY_DOESNT_EXIST"]
        );
    }
}

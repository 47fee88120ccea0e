//! A HubSpot answer that holds records (`results` of a search, a list page or a batch
//! read), decoded straight from its bytes. Property names and values stay borrowed from
//! the body until a wanted value moves into its record, so a page is never built as a
//! `serde_json::Value` tree first (at 200 records a page, that tree was most of what
//! reading cost per record).

use super::codec;
use crate::api::invalid_json;
use crate::connector::ConnectorError;
use crate::schema::ObjectSpec;
use crate::value::{Record, Value, ValueError};
use chrono::Utc;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value as Json;
use std::borrow::{Borrow, Cow};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::marker::PhantomData;

/// Records of one answer, and the `paging.next.after` token when there is one.
pub struct Decoded {
    pub records: Vec<Record>,
    pub after: Option<String>,
}

/// Decodes `results` (required) and `paging.next.after` of an answer from `endpoint`,
/// keeping the fields `wanted` of each record.
pub fn decode(
    spec: &ObjectSpec,
    endpoint: &str,
    body: &[u8],
    wanted: &[String],
) -> Result<Decoded, ConnectorError> {
    let answer: Answer<'_> =
        serde_json::from_slice(body).map_err(|e| invalid_json(endpoint, &e))?;
    let rows = answer
        .results
        .ok_or_else(|| ConnectorError::unexpected("an answer without results"))?;
    let records = rows
        .into_iter()
        .map(|row| record(spec, row, wanted))
        .collect::<Result<_, _>>()?;
    let after = answer
        .paging
        .and_then(|p| p.next)
        .and_then(|n| n.after)
        .and_then(Prop::into_text);
    Ok(Decoded { records, after })
}

fn record(spec: &ObjectSpec, row: Row<'_>, wanted: &[String]) -> Result<Record, ConnectorError> {
    let id = row
        .id
        .into_text()
        .ok_or_else(|| ConnectorError::unexpected("a record without id"))?;
    let mut props = row.properties;
    let stamp = match props.get(spec.modified_field.as_str()) {
        Some(Prop::Text(t)) if !t.is_empty() => Some(t.as_ref()),
        _ => row.updated_at.as_ref().map(|t| t.0.as_ref()),
    };
    let modified = stamp
        .and_then(|t| crate::codec::datetime(&spec.modified_field, t).ok())
        .map(|t| t.with_timezone(&Utc));
    let mut fields = BTreeMap::new();
    for name in wanted {
        let Some(field) = spec.field(name) else {
            continue;
        };
        let value = if *name == spec.id_field {
            Value::Text(id.clone())
        } else {
            match props.remove(name.as_str()) {
                Some(Prop::Nested) => {
                    let e = ValueError::new(name, "a list or an object is not a property value");
                    return Err(ConnectorError::unexpected(e));
                }
                Some(p) => {
                    codec::decode(field, p.into_json()).map_err(ConnectorError::unexpected)?
                }
                None => Value::Null,
            }
        };
        fields.insert(name.clone(), value);
    }
    Ok(Record {
        id,
        modified,
        archived: row.archived.unwrap_or(false),
        version: None,
        fields,
    })
}

#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(borrow, default)]
    results: Option<Vec<Row<'a>>>,
    #[serde(borrow, default)]
    paging: Option<Paging<'a>>,
}

#[derive(Deserialize)]
struct Paging<'a> {
    #[serde(borrow, default)]
    next: Option<NextPage<'a>>,
}

#[derive(Deserialize)]
struct NextPage<'a> {
    #[serde(borrow, default)]
    after: Option<Prop<'a>>,
}

#[derive(Deserialize)]
struct Row<'a> {
    #[serde(borrow)]
    id: Prop<'a>,
    #[serde(borrow, default)]
    properties: HashMap<Text<'a>, Prop<'a>>,
    #[serde(rename = "updatedAt", borrow, default)]
    updated_at: Option<Text<'a>>,
    #[serde(default)]
    archived: Option<bool>,
}

/// A string borrowed from the body when it holds no escapes, owned when it does.
#[derive(PartialEq, Eq, Hash)]
struct Text<'a>(Cow<'a, str>);

impl Borrow<str> for Text<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

/// A property value as HubSpot sends it: a string (every property travels as one), or
/// null; numbers and booleans are taken as their text, and a list or an object is kept
/// only as "not a property value" (an error if the field is wanted).
enum Prop<'a> {
    Null,
    Text(Cow<'a, str>),
    Scalar(Json),
    Nested,
}

impl Prop<'_> {
    fn into_text(self) -> Option<String> {
        match self {
            Prop::Text(t) => Some(t.into_owned()),
            Prop::Scalar(v) => crate::codec::text_of(&v),
            Prop::Null | Prop::Nested => None,
        }
    }

    fn into_json(self) -> Json {
        match self {
            Prop::Text(t) => Json::String(t.into_owned()),
            Prop::Scalar(v) => v,
            Prop::Null | Prop::Nested => Json::Null,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Prop<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Prop<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a property value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Prop::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Prop::Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Prop::Text(Cow::Owned(v)))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Prop::Null)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Prop::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Prop::Scalar(Json::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Prop::Scalar(Json::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Prop::Scalar(Json::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Prop::Scalar(Json::from(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Prop::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Prop::Nested)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{FieldSpec, FieldType};

    fn spec() -> ObjectSpec {
        ObjectSpec {
            name: "contacts".into(),
            label: "Contact".into(),
            id_field: "hs_object_id".into(),
            modified_field: "lastmodifieddate".into(),
            writable: true,
            fields: vec![
                FieldSpec::new("hs_object_id", "", FieldType::Id),
                FieldSpec::new("email", "", FieldType::Email),
                FieldSpec::new("firstname", "", FieldType::Text),
                FieldSpec::new("lastmodifieddate", "", FieldType::DateTime),
                FieldSpec::new("tags", "", FieldType::Text),
            ],
        }
    }

    fn wanted(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn a_page_decodes_its_records_with_escapes_nulls_and_paging() {
        let body = br#"{"results":[
            {"id":"7","properties":{"email":"ann@example.com","firstname":"Zo\u00eb \"Z\"",
             "lastmodifieddate":"2026-01-02T03:04:05.006Z","hs_object_id":"7","tags":{"a":[1]}},
             "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T03:04:05.006Z","archived":false},
            {"id":8,"properties":{"email":null,"firstname":""},"updatedAt":"2026-02-01T00:00:00.000Z"}],
            "paging":{"next":{"after":"8","link":"x"}}}"#;
        let page = decode(
            &spec(),
            "/search",
            body,
            &wanted(&["hs_object_id", "email", "firstname"]),
        )
        .ok()
        .unwrap();
        assert_eq!(page.after.as_deref(), Some("8"));
        let [ann, other] = page.records.as_slice() else {
            panic!("two records");
        };
        assert_eq!(ann.id, "7");
        assert_eq!(ann.get("email"), &Value::text("ann@example.com"));
        assert_eq!(ann.get("firstname"), &Value::text("Zoë \"Z\""));
        assert_eq!(ann.get("hs_object_id"), &Value::text("7"));
        assert_eq!(
            ann.modified.map(|t| t.timestamp_millis()),
            Some(1_767_323_045_006)
        );
        assert_eq!(other.id, "8", "a numeric id is taken as its text");
        assert_eq!(other.get("email"), &Value::Null);
        assert_eq!(
            other.get("firstname"),
            &Value::Null,
            "an empty string is no value"
        );
        assert!(
            other.modified.is_some(),
            "updatedAt when the property is missing"
        );
    }

    #[test]
    fn a_wanted_nested_value_a_missing_id_or_no_results_is_an_error() {
        let nested = br#"{"results":[{"id":"1","properties":{"tags":["a"]}}]}"#;
        assert!(
            decode(&spec(), "/s", nested, &wanted(&["email"])).is_ok(),
            "not wanted"
        );
        assert!(decode(&spec(), "/s", nested, &wanted(&["tags"])).is_err());
        let no_id = br#"{"results":[{"id":null,"properties":{}}]}"#;
        assert!(decode(&spec(), "/s", no_id, &wanted(&["email"])).is_err());
        assert!(decode(&spec(), "/s", br#"{"total":0}"#, &wanted(&[])).is_err());
        assert!(decode(&spec(), "/s", b"not json", &wanted(&[])).is_err());
    }
}

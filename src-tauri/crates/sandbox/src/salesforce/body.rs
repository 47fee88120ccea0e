//! Record bodies as the write paths read them: field name → value pairs that borrow
//! their text from the request where they can. Parsing a collection of 200 records into
//! `serde_json::Value` maps cost an owned key and value string per field and a tree node
//! per record, all freed again once the values were validated; here a field costs
//! nothing until its value is stored. Pairs keep the order and the last-one-wins rule of
//! the `Value` map they replace (sorted by name), so validation reads them as before.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::fmt;

/// One field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    /// An object or array.
    Nested(Value),
    /// A record's `attributes` object, of which only `type` is read.
    Attributes(Option<Cow<'a, str>>),
}

impl<'a> Scalar<'a> {
    /// An external-id value as text (`None` for null, empty text or structures),
    /// borrowed from the body where the value is.
    pub fn id_text(&self) -> Option<Cow<'a, str>> {
        match self {
            Scalar::Str(s) if !s.is_empty() => Some(s.clone()),
            Scalar::Num(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a `Value` (owning its text).
    pub fn into_value(self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Num(n) => Value::Number(n),
            Scalar::Str(s) => Value::String(s.into_owned()),
            Scalar::Nested(v) => v,
            Scalar::Attributes(t) => {
                let mut map = Map::new();
                if let Some(t) = t {
                    map.insert("type".to_owned(), Value::String(t.into_owned()));
                }
                Value::Object(map)
            }
        }
    }

    pub fn from_value(v: Value) -> Self {
        match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(b),
            Value::Number(n) => Scalar::Num(n),
            Value::String(s) => Scalar::Str(Cow::Owned(s)),
            other => Scalar::Nested(other),
        }
    }
}

/// A record of a request body: its fields by name, sorted, each name once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordIn<'a>(Vec<(Cow<'a, str>, Scalar<'a>)>);

impl<'a> RecordIn<'a> {
    fn sorted(mut pairs: Vec<(Cow<'a, str>, Scalar<'a>)>) -> Self {
        // Stable, so of two equal names the later one comes last and is the one kept.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Cow<'a, str>, Scalar<'a>)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match out.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => out.push(pair),
            }
        }
        Self(out)
    }

    /// A single-record body (`/sobjects/…`, mutations).
    pub fn from_map(map: Map<String, Value>) -> Self {
        // A `Value` map is sorted with unique names already.
        Self(
            map.into_iter()
                .map(|(k, v)| (Cow::Owned(k), Scalar::from_value(v)))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&Scalar<'a>> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// The first field whose name is `name` ignoring case.
    pub fn find_ci(&self, name: &str) -> Option<&Scalar<'a>> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// Drops the fields whose name is `name` ignoring case.
    pub fn remove_ci(&mut self, name: &str) {
        self.0.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    }

    /// `attributes.type`.
    pub fn type_name(&self) -> Option<&str> {
        match self.get("attributes")? {
            Scalar::Nested(v) => v.get("type")?.as_str(),
            Scalar::Attributes(t) => t.as_deref(),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<'a> IntoIterator for RecordIn<'a> {
    type Item = (Cow<'a, str>, Scalar<'a>);
    type IntoIter = std::vec::IntoIter<(Cow<'a, str>, Scalar<'a>)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A field name, borrowed from the body unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Number::from_f64(n).map_or(Scalar::Null, Scalar::Num))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(s)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Scalar::Nested)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Scalar::Nested)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// `attributes`: an object's `type` is kept (borrowed), its other keys skipped; any
/// other value is kept as it is.
struct AttributesIn<'a>(Scalar<'a>);

impl<'de> Deserialize<'de> for AttributesIn<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AttributesIn<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut kind = None;
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    if k == "type" {
                        // A `type` that is not text names no type, as before.
                        kind = match map.next_value::<Scalar<'de>>()? {
                            Scalar::Str(s) => Some(s),
                            _ => None,
                        };
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(AttributesIn(Scalar::Attributes(kind)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                ScalarVisitor.visit_seq(seq).map(AttributesIn)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
                Ok(AttributesIn(Scalar::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
                Ok(AttributesIn(Scalar::Num(n.into())))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
                Ok(AttributesIn(Scalar::Num(n.into())))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
                Ok(AttributesIn(
                    Number::from_f64(n).map_or(Scalar::Null, Scalar::Num),
                ))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(AttributesIn(Scalar::Str(Cow::Borrowed(s))))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(AttributesIn(Scalar::Str(Cow::Owned(s.to_owned()))))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(AttributesIn(Scalar::Null))
            }
        }
        d.deserialize_any(V)
    }
}

/// Any JSON value as a record: an object's fields, anything else no fields.
struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = RecordIn<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
            let v = if k == "attributes" {
                map.next_value::<AttributesIn<'de>>()?.0
            } else {
                map.next_value::<Scalar<'de>>()?
            };
            pairs.push((k, v));
        }
        Ok(RecordIn::sorted(pairs))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RecordIn::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(RecordIn::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(RecordIn::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(RecordIn::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(RecordIn::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(RecordIn::default())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(RecordIn::default())
    }
}

impl<'de> Deserialize<'de> for RecordIn<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RecordVisitor)
    }
}

/// `records`: a list of records, or `None` for anything else.
struct Records<'a>(Option<Vec<RecordIn<'a>>>);

impl<'de> Deserialize<'de> for Records<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Records<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
                while let Some(r) = seq.next_element::<RecordIn<'de>>()? {
                    items.push(r);
                }
                Ok(Records(Some(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Records(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Records(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Records(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Records(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Records(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Records(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Records(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A collection body: `allOrNone` (as given) and `records` (`None`: missing or not a list).
pub struct Collection<'a> {
    pub all_or_none: Scalar<'a>,
    pub records: Option<Vec<RecordIn<'a>>>,
}

impl<'de> Deserialize<'de> for Collection<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Collection<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut body = Collection {
                    all_or_none: Scalar::Null,
                    records: None,
                };
                // A repeated key: the last one counts, as in a `Value` map.
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    match key.as_ref() {
                        "allOrNone" => body.all_or_none = map.next_value()?,
                        "records" => body.records = map.next_value::<Records<'de>>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(body)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_as_their_value_maps_do() {
        let text = r#"{"records":[{"b":1,"a":"x\"y","A":null,"b":2.5,"attributes":{"type":"Lead"}},7,{}],"allOrNone":"true","extra":[1]}"#;
        let body: Collection<'_> = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(body.all_or_none, Scalar::Str("true".into()));
        let records = body.records.unwrap_or_default();
        assert_eq!(records.len(), 3);
        let value: Value = serde_json::from_str(text).unwrap_or_default();
        let map = value["records"][0].as_object().cloned().unwrap_or_default();
        let values = |r: RecordIn<'_>| -> Vec<(String, Value)> {
            r.into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_value()))
                .collect()
        };
        assert_eq!(values(records[0].clone()), values(RecordIn::from_map(map)));
        assert_eq!(records[0].type_name(), Some("Lead"));
        assert_eq!(
            records[0].get("b"),
            Some(&Scalar::Num(
                Number::from_f64(2.5).unwrap_or_else(|| 0.into())
            ))
        );
        assert_eq!(records[1], RecordIn::default());
        let no_list: Collection<'_> =
            serde_json::from_str(r#"{"records":{"a":1}}"#).unwrap_or_else(|e| panic!("{e}"));
        assert!(no_list.records.is_none());
    }
}

//! Record bodies as the write paths read them: field name → value pairs that borrow
//! their text from the request where they can. Parsing a collection of 200 records into
//! `serde_json::Value` maps cost an owned key and value string per field and a tree node
//! per record, all freed again once the values were validated; here a field costs
//! nothing until its value is stored. Pairs keep the order and the last-one-wins rule of
//! the `Value` map they replace (sorted by name), so validation reads them as before.
//! The serde side of reading them is `body_de.rs`.

use serde_json::{Map, Number, Value};
use std::borrow::Cow;

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
    pub(super) fn sorted(mut pairs: Vec<(Cow<'a, str>, Scalar<'a>)>) -> Self {
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

/// A collection body: `allOrNone` (as given) and `records` (`None`: missing or not a list).
pub struct Collection<'a> {
    pub all_or_none: Scalar<'a>,
    pub records: Option<Vec<RecordIn<'a>>>,
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

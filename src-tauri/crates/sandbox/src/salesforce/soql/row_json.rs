//! Query result rows written straight to bytes, byte for byte what `eval::render` then
//! `Value::to_string` print: keys in sorted order (`attributes` among the field names),
//! parent fields nested under their relationship name, `null` for a missing parent.
//! The key order is worked out once per page ([`Layout`]), not per row.

use super::plan::{Col, Plan};
use crate::json_out::{key, raw, str, value};
use crate::salesforce::record::Cell;
use crate::salesforce::render::record_url;
use crate::salesforce::schema::SObject;
use crate::salesforce::store::{Record, Store};
use std::collections::BTreeMap;

#[derive(Debug)]
enum Entry {
    Attributes,
    Local(usize),
    /// A relationship: the reference field, the parent object and its fields by name.
    Parent {
        via: usize,
        target: &'static SObject,
        fields: BTreeMap<&'static str, usize>,
    },
}

/// The top-level keys of a plan's rows, in the order they print.
#[derive(Debug)]
pub struct Layout(Vec<(&'static str, Entry)>);

impl Layout {
    pub fn new(plan: &Plan) -> Self {
        let mut keys: BTreeMap<&'static str, Entry> = BTreeMap::new();
        keys.insert("attributes", Entry::Attributes);
        for col in &plan.select {
            match col {
                Col::Local(i) => {
                    keys.insert(plan.obj.fields[*i].name, Entry::Local(*i));
                }
                Col::Parent {
                    via,
                    rel,
                    target,
                    field,
                } => {
                    let entry = keys.entry(rel).or_insert_with(|| Entry::Parent {
                        via: *via,
                        target,
                        fields: BTreeMap::new(),
                    });
                    if let Entry::Parent { fields, .. } = entry {
                        fields.insert(target.fields[*field].name, *field);
                    }
                }
            }
        }
        Self(keys.into_iter().collect())
    }
}

fn attributes(out: &mut Vec<u8>, version: &str, obj: &SObject, id: &str) {
    raw(out, "{");
    key(out, "type");
    str(out, obj.name);
    raw(out, ",");
    key(out, "url");
    str(out, &record_url(version, obj.name, id));
    raw(out, "}");
}

pub fn cell(out: &mut Vec<u8>, c: Cell<'_>) {
    match c {
        Cell::Null => raw(out, "null"),
        Cell::Bool(b) => value(out, &b),
        Cell::Int(n) => value(out, &n),
        Cell::Float(_) => value(out, &c.to_value()),
        Cell::Text(s) => str(out, s),
    }
}

/// One result row.
pub fn row(
    out: &mut Vec<u8>,
    layout: &Layout,
    plan: &Plan,
    version: &str,
    store: &Store,
    r: &Record,
) {
    raw(out, "{");
    for (i, (name, entry)) in layout.0.iter().enumerate() {
        if i > 0 {
            raw(out, ",");
        }
        key(out, name);
        match entry {
            Entry::Attributes => attributes(out, version, plan.obj, r.id()),
            Entry::Local(f) => cell(out, r.get(*f)),
            Entry::Parent {
                via,
                target,
                fields,
            } => {
                let parent = r.get(*via).as_str().and_then(|id| store.get(target, id));
                let Some(parent) = parent else {
                    raw(out, "null");
                    continue;
                };
                raw(out, "{");
                // "attributes" sorts among the parent's field names too.
                let mut names: Vec<(&str, Option<usize>)> =
                    fields.iter().map(|(n, f)| (*n, Some(*f))).collect();
                names.push(("attributes", None));
                names.sort_by(|a, b| a.0.cmp(b.0));
                for (j, (n, f)) in names.into_iter().enumerate() {
                    if j > 0 {
                        raw(out, ",");
                    }
                    key(out, n);
                    match f {
                        Some(f) => cell(out, parent.get(f)),
                        None => attributes(out, version, target, parent.id()),
                    }
                }
                raw(out, "}");
            }
        }
    }
    raw(out, "}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{SeedScope, SeedSpec};
    use crate::salesforce::render::attributes;
    use crate::salesforce::{seed, soql, Org};
    use serde_json::{Map, Value};

    /// One result row as a `Value`, as rows were rendered before `row`: the reference
    /// it is tested against.
    fn render(plan: &Plan, version: &str, store: &Store, record: &Record) -> Value {
        let mut map = Map::new();
        map.insert(
            "attributes".into(),
            attributes(version, plan.obj, record.id()),
        );
        for col in &plan.select {
            match col {
                Col::Local(i) => {
                    map.insert(plan.obj.fields[*i].name.into(), record.value(*i));
                }
                Col::Parent {
                    via,
                    rel,
                    target,
                    field,
                } => {
                    let parent = record
                        .get(*via)
                        .as_str()
                        .and_then(|id| store.get(target, id));
                    let entry = map.entry(rel.to_string()).or_insert(Value::Null);
                    if let Some(parent) = parent {
                        if entry.is_null() {
                            let mut nested = Map::new();
                            nested.insert(
                                "attributes".into(),
                                attributes(version, target, parent.id()),
                            );
                            *entry = Value::Object(nested);
                        }
                        if let Value::Object(nested) = entry {
                            nested.insert(target.fields[*field].name.into(), parent.value(*field));
                        }
                    }
                }
            }
        }
        Value::Object(map)
    }

    #[test]
    fn written_rows_are_what_rendered_values_print() {
        let spec = SeedSpec {
            seed: 3,
            records: 60,
        };
        let org = Org::new(spec);
        let store = seed::build(spec, &org, &SeedScope::default());
        for q in [
            "SELECT Id, Name, Account.Name, Account.Industry, Email, AccountId FROM Contact",
            "SELECT Name, Amount, Probability, IsClosed, CloseDate, Account.Name FROM Opportunity",
            "SELECT Id, Name, Name, IsDeleted, NumberOfEmployees, AnnualRevenue FROM Account",
        ] {
            let plan = soql::compile(q).unwrap_or_else(|e| panic!("{q}: {e:?}"));
            let layout = Layout::new(&plan);
            let table = store.table(plan.obj);
            assert!(table.rows.len() > 3, "{q}");
            for r in table.rows.values() {
                let mut out = Vec::new();
                row(&mut out, &layout, &plan, "66.0", &store, r);
                let expected = render(&plan, "66.0", &store, r).to_string();
                assert_eq!(String::from_utf8_lossy(&out), expected, "{q}");
            }
        }
    }
}

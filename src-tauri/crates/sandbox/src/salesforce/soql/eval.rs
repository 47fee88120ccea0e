//! Running a resolved query over the store: filter, sort (case-insensitive text, nulls
//! first unless NULLS LAST), OFFSET / LIMIT, and rendering the selected columns with
//! parent fields nested under their relationship name.

use super::plan::{Col, PCond, Plan};
use super::typing::Typed;
use super::{CmpOp, Pat};
use crate::salesforce::render::attributes;
use crate::salesforce::schema::FType;
use crate::salesforce::store::{Record, Store};
use serde_json::{Map, Value};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Count(usize),
    /// Matching ids, in result order.
    Ids(Vec<String>),
}

fn value<'s>(col: &Col, record: &'s Record, store: &'s Store) -> &'s Value {
    match col {
        Col::Local(i) => &record.values[*i],
        Col::Parent {
            via, target, field, ..
        } => record.values[*via]
            .as_str()
            .and_then(|id| store.get(target, id))
            .map_or(&Value::Null, |p| &p.values[*field]),
    }
}

fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

/// A record value against a typed literal; `None` when the value is null.
fn compare(v: &Value, lit: &Typed) -> Option<Ordering> {
    match lit {
        Typed::Text(l) => Some(lower(v.as_str()?).cmp(l.chars())),
        Typed::Id(l) | Typed::Stamp(l) => Some(v.as_str()?.cmp(l.as_str())),
        Typed::Num(n) => v.as_f64()?.partial_cmp(n),
        Typed::Bool(b) => Some(v.as_bool()?.cmp(b)),
        Typed::Null | Typed::Pattern(_) => None,
    }
}

/// SQL LIKE with `%` and `_`, case-insensitive.
fn like(pattern: &[Pat], text: &str) -> bool {
    let text: Vec<char> = lower(text).collect();
    let pattern: Vec<Pat> = pattern
        .iter()
        .map(|p| {
            if let Pat::Char(c) = p {
                Pat::Char(c.to_lowercase().next().unwrap_or(*c))
            } else {
                p.clone()
            }
        })
        .collect();
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Pat::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Pat::One) => {
                t += 1;
                p += 1;
            }
            Some(Pat::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|x| *x == Pat::Any)
}

fn matches(cond: &PCond, record: &Record, store: &Store) -> bool {
    match cond {
        PCond::All(parts) => parts.iter().all(|c| matches(c, record, store)),
        PCond::Any(parts) => parts.iter().any(|c| matches(c, record, store)),
        PCond::Not(inner) => !matches(inner, record, store),
        PCond::Cmp(col, _, op, lit) => {
            let v = value(col, record, store);
            if let Typed::Pattern(p) = lit {
                return v.as_str().is_some_and(|s| like(p, s));
            }
            if *lit == Typed::Null {
                return (*op == CmpOp::Eq) == v.is_null();
            }
            match (op, compare(v, lit)) {
                (CmpOp::Ne, None) => true,
                (_, None) => false,
                (CmpOp::Eq, Some(o)) => o == Ordering::Equal,
                (CmpOp::Ne, Some(o)) => o != Ordering::Equal,
                (CmpOp::Lt, Some(o)) => o == Ordering::Less,
                (CmpOp::Le, Some(o)) => o != Ordering::Greater,
                (CmpOp::Gt, Some(o)) => o == Ordering::Greater,
                (CmpOp::Ge, Some(o)) => o != Ordering::Less,
                (CmpOp::Like, Some(_)) => false,
            }
        }
        PCond::In(col, _, negated, lits) => {
            let v = value(col, record, store);
            let found = lits.iter().any(|l| {
                if *l == Typed::Null {
                    v.is_null()
                } else {
                    compare(v, l) == Some(Ordering::Equal)
                }
            });
            found != *negated
        }
    }
}

/// Two record values of one column, by the column's type.
fn order_values(ty: FType, a: &Value, b: &Value) -> Ordering {
    match ty {
        FType::Id | FType::Reference | FType::Date | FType::DateTime => a.as_str().cmp(&b.as_str()),
        t if t.is_text() => {
            lower(a.as_str().unwrap_or_default()).cmp(lower(b.as_str().unwrap_or_default()))
        }
        FType::Boolean => a.as_bool().cmp(&b.as_bool()),
        _ => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
    }
}

/// The ids (or the count) a plan selects; deleted rows only for queryAll.
pub fn run(plan: &Plan, store: &Store, include_deleted: bool) -> Outcome {
    let mut rows: Vec<&Record> = store
        .table(plan.obj)
        .rows
        .values()
        .filter(|r| include_deleted || !r.is_deleted())
        .filter(|r| plan.filter.as_ref().is_none_or(|c| matches(c, r, store)))
        .collect();
    if !plan.order.is_empty() {
        rows.sort_by(|a, b| {
            for (col, ty, desc, nulls_last) in &plan.order {
                let (va, vb) = (value(col, a, store), value(col, b, store));
                let o = match (va.is_null(), vb.is_null()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => {
                        if *nulls_last {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        }
                    }
                    (false, true) => {
                        if *nulls_last {
                            Ordering::Less
                        } else {
                            Ordering::Greater
                        }
                    }
                    (false, false) => {
                        let o = order_values(*ty, va, vb);
                        if *desc {
                            o.reverse()
                        } else {
                            o
                        }
                    }
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
    }
    let skip = plan.offset.unwrap_or(0);
    let take = plan.limit.unwrap_or(usize::MAX);
    let selected = rows.into_iter().skip(skip).take(take);
    if plan.count {
        return Outcome::Count(selected.count());
    }
    Outcome::Ids(selected.map(|r| r.id().to_owned()).collect())
}

/// One result row: attributes, then the selected columns.
pub fn render(plan: &Plan, version: &str, store: &Store, record: &Record) -> Value {
    let mut map = Map::new();
    map.insert(
        "attributes".into(),
        attributes(version, plan.obj, record.id()),
    );
    for col in &plan.select {
        match col {
            Col::Local(i) => {
                map.insert(plan.obj.fields[*i].name.into(), record.values[*i].clone());
            }
            Col::Parent {
                via,
                rel,
                target,
                field,
            } => {
                let parent = record.values[*via]
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
                        nested.insert(
                            target.fields[*field].name.into(),
                            parent.values[*field].clone(),
                        );
                    }
                }
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Vec<Pat> {
        s.chars()
            .map(|c| match c {
                '%' => Pat::Any,
                '_' => Pat::One,
                c => Pat::Char(c),
            })
            .collect()
    }

    #[test]
    fn like_is_case_insensitive_with_both_wildcards() {
        assert!(like(&pat("acme%"), "ACME Inc."));
        assert!(like(&pat("%inc_"), "Acme Inc."));
        assert!(like(&pat("%o%n%"), "Zoë O'Brien"));
        assert!(!like(&pat("acme_"), "Acme"));
        assert!(like(&pat("%"), ""));
    }
}

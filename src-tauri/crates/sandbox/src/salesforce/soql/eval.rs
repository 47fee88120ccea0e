//! Running a resolved query over the store: filter, sort (case-insensitive text, nulls
//! first unless NULLS LAST), OFFSET / LIMIT, and rendering the selected columns with
//! parent fields nested under their relationship name. A filter that pins an indexed
//! field (an email or external id `=` / `IN` text, or `Id =` / `IN`) reads its candidate
//! rows from the store's index and checks only those; otherwise every row is checked.

use super::plan::{Col, PCond, Plan};
use super::typing::Typed;
use super::{CmpOp, Pat};
use crate::salesforce::record::Cell;
use crate::salesforce::schema::{FType, SObject, F_ID};
use crate::salesforce::store::{is_indexed, Record, Store};
use std::cmp::Ordering;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Count(usize),
    /// Matching ids, in result order.
    Ids(Vec<String>),
}

fn value<'s>(col: &Col, record: &'s Record, store: &'s Store) -> Cell<'s> {
    match col {
        Col::Local(i) => record.get(*i),
        Col::Parent {
            via, target, field, ..
        } => record
            .get(*via)
            .as_str()
            .and_then(|id| store.get(target, id))
            .map_or(Cell::Null, |p| p.get(*field)),
    }
}

fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

/// A record value against a typed literal; `None` when the value is null.
fn compare(v: Cell<'_>, lit: &Typed) -> Option<Ordering> {
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
fn order_values(ty: FType, a: Cell<'_>, b: Cell<'_>) -> Ordering {
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

/// The ids of the live rows a condition can only be true for, in id order, when it
/// pins an indexed column to text values (or `Id` to ids); `None` when it does not.
fn candidates<'s>(obj: &SObject, cond: &PCond, store: &'s Store) -> Option<Vec<&'s Record>> {
    let lits = match cond {
        PCond::All(parts) => return parts.iter().find_map(|c| candidates(obj, c, store)),
        PCond::Cmp(Col::Local(i), _, CmpOp::Eq, lit) => (*i, std::slice::from_ref(lit)),
        PCond::In(Col::Local(i), _, false, lits) => (*i, lits.as_slice()),
        _ => return None,
    };
    let (field, lits) = lits;
    // By id, so each row comes once and in id order.
    let mut rows = BTreeMap::new();
    for lit in lits {
        match lit {
            Typed::Id(id) if field == F_ID => {
                if let Some(r) = store.get(obj, id) {
                    rows.insert(r.id(), r);
                }
            }
            Typed::Text(key) if is_indexed(obj, field) => {
                rows.extend(
                    store
                        .indexed(obj, field, key)
                        .into_iter()
                        .map(|r| (r.id(), r)),
                );
            }
            _ => return None,
        }
    }
    Some(rows.into_values().collect())
}

/// The ids (or the count) a plan selects; deleted rows only for queryAll.
pub fn run(plan: &Plan, store: &Store, include_deleted: bool) -> Outcome {
    let table = &store.table(plan.obj).rows;
    // The index holds live rows only: queryAll reads every row.
    let narrowed = plan
        .filter
        .as_ref()
        .filter(|_| !include_deleted)
        .and_then(|c| candidates(plan.obj, c, store));
    let all: Box<dyn Iterator<Item = &Record>> = match narrowed {
        Some(rows) => Box::new(rows.into_iter()),
        None => Box::new(table.values()),
    };
    let mut rows: Vec<&Record> = all
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

#[cfg(test)]
mod index_tests {
    use super::*;
    use crate::config::{SeedScope, SeedSpec};
    use crate::salesforce::soql::compile;
    use crate::salesforce::{objects, seed, Org};

    #[test]
    fn indexed_lookups_select_what_a_full_scan_selects() {
        let spec = SeedSpec {
            seed: 3,
            records: 400,
        };
        let mut store = seed::build(spec, &Org::new(spec), &SeedScope::default());
        let lead = objects::find("Lead").unwrap_or_else(|| unreachable!());
        let (email, _) = lead.field("Email").unwrap_or_else(|| unreachable!());
        let rows: Vec<Record> = store.table(lead).rows.values().take(6).cloned().collect();
        let emails: Vec<String> = rows
            .iter()
            .filter_map(|r| r.get(email).as_str().map(str::to_owned))
            .collect();
        // One of them deleted: a query no longer finds it, queryAll still does.
        let mut gone = rows[0].clone();
        gone.deleted_ms = Some(1);
        store.put(lead, rows[0].id(), Some(gone));
        let list = |xs: &[String]| {
            xs.iter()
                .map(|x| format!("'{x}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let shouting = emails[1].to_uppercase();
        let queries = [
            format!(
                "SELECT Id FROM Lead WHERE Email IN ({}, 'nobody@example.com')",
                list(&emails)
            ),
            format!("SELECT Id FROM Lead WHERE Email = '{shouting}'"),
            format!(
                "SELECT Id FROM Lead WHERE Email IN ({}) AND Status != 'Open' ORDER BY LastName",
                list(&emails)
            ),
            format!(
                "SELECT Id FROM Lead WHERE Id IN ('{}', '{}')",
                rows[0].id(),
                rows[2].id()
            ),
            format!(
                "SELECT COUNT() FROM Lead WHERE Email IN ({})",
                list(&emails)
            ),
        ];
        for q in &queries {
            // The same condition negated twice is checked against every row.
            let (head, cond) = q.split_once(" WHERE ").unwrap_or_else(|| unreachable!());
            let (cond, tail) = cond
                .split_once(" ORDER BY ")
                .map_or((cond, String::new()), |(c, t)| {
                    (c, format!(" ORDER BY {t}"))
                });
            let scan = format!("{head} WHERE NOT (NOT ({cond})){tail}");
            for all in [false, true] {
                let fast = run(
                    &compile(q).unwrap_or_else(|e| panic!("{q}: {e:?}")),
                    &store,
                    all,
                );
                let slow = run(
                    &compile(&scan).unwrap_or_else(|e| panic!("{scan}: {e:?}")),
                    &store,
                    all,
                );
                assert_eq!(fast, slow, "{q} (queryAll: {all})");
            }
        }
        let Outcome::Ids(found) = run(
            &compile(&queries[0]).unwrap_or_else(|_| unreachable!()),
            &store,
            false,
        ) else {
            unreachable!()
        };
        assert!(found.len() >= emails.len() - 1 && !found.iter().any(|id| id == rows[0].id()));
        let Outcome::Ids(shouted) = run(
            &compile(&queries[1]).unwrap_or_else(|_| unreachable!()),
            &store,
            false,
        ) else {
            unreachable!()
        };
        assert!(
            shouted.iter().any(|id| id == rows[1].id()),
            "case-insensitive"
        );
    }
}

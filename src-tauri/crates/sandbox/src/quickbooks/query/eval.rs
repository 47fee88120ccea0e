//! Evaluates a parsed query against the store. Field paths are matched without case
//! (`Metadata.LastUpdatedTime` works as in the reference's example); `MetaData` times are
//! compared as instants whatever offset the literal carries; numbers numerically; refs
//! (`CustomerRef`) by their `value`; `LIKE` without case. Inactive name-list rows are
//! left out unless a condition names `Active`. `Id` and Customer `DisplayName`
//! equality use the store's indexes instead of a scan.

use super::parser::{CmpOp, Cond, Literal, Query};
use crate::quickbooks::store::{Kind, Record, Store};
use crate::quickbooks::time::parse_instant;
use serde_json::{Map, Value};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Str(String),
    Num(f64),
    Bool(bool),
    Time(i64),
}

fn get_ci<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// MetaData times are shown to the second, so they compare at that precision.
pub fn whole_seconds(ms: i64) -> i64 {
    ms.div_euclid(1000) * 1000
}

/// The value of a (dotted) field of a record.
pub fn field(record: &Record, path: &str) -> Scalar {
    let mut parts = path.split('.');
    let first = parts.next().unwrap_or_default();
    if first.eq_ignore_ascii_case("Id") {
        return Scalar::Num(record.id as f64);
    }
    if first.eq_ignore_ascii_case("SyncToken") {
        return Scalar::Num(record.sync as f64);
    }
    if first.eq_ignore_ascii_case("MetaData") {
        return match parts.next() {
            Some(p) if p.eq_ignore_ascii_case("CreateTime") => {
                Scalar::Time(whole_seconds(record.created_ms))
            }
            Some(p) if p.eq_ignore_ascii_case("LastUpdatedTime") => {
                Scalar::Time(whole_seconds(record.updated_ms))
            }
            _ => Scalar::Null,
        };
    }
    let mut current = get_ci(&record.body, first);
    for part in parts {
        current = current
            .and_then(Value::as_object)
            .and_then(|m| get_ci(m, part));
    }
    match current {
        Some(Value::String(s)) => Scalar::Str(s.clone()),
        Some(Value::Number(n)) => n.as_f64().map_or(Scalar::Null, Scalar::Num),
        Some(Value::Bool(b)) => Scalar::Bool(*b),
        Some(Value::Object(m)) => m
            .get("value")
            .and_then(Value::as_str)
            .map_or(Scalar::Null, |v| Scalar::Str(v.to_owned())),
        _ => Scalar::Null,
    }
}

/// The literal read as the field's type, so the two can be compared.
fn coerce(field: &Scalar, lit: &Literal) -> Scalar {
    match (field, lit) {
        (Scalar::Time(_), Literal::Str(s)) => parse_instant(s).map_or(Scalar::Null, Scalar::Time),
        (Scalar::Num(_), Literal::Str(s)) => s.trim().parse().map_or(Scalar::Null, Scalar::Num),
        (Scalar::Bool(_), Literal::Str(s)) => s.parse().map_or(Scalar::Null, Scalar::Bool),
        (_, Literal::Str(s)) => Scalar::Str(s.clone()),
        (Scalar::Str(_), Literal::Num(n)) => Scalar::Str(trim_number(*n)),
        (_, Literal::Num(n)) => Scalar::Num(*n),
        (_, Literal::Bool(b)) => Scalar::Bool(*b),
    }
}

fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

pub fn compare(a: &Scalar, b: &Scalar) -> Option<Ordering> {
    match (a, b) {
        (Scalar::Num(x), Scalar::Num(y)) => x.partial_cmp(y),
        (Scalar::Time(x), Scalar::Time(y)) => Some(x.cmp(y)),
        (Scalar::Bool(x), Scalar::Bool(y)) => Some(x.cmp(y)),
        (Scalar::Str(x), Scalar::Str(y)) => match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(p), Ok(q)) => Some(p.cmp(&q)),
            _ => Some(x.cmp(y)),
        },
        _ => None,
    }
}

fn like(value: &str, pattern: &str) -> bool {
    let value = value.to_lowercase();
    let parts: Vec<String> = pattern
        .to_lowercase()
        .split('%')
        .map(str::to_owned)
        .collect();
    let (first, last) = (&parts[0], &parts[parts.len() - 1]);
    if parts.len() == 1 {
        return value == *first;
    }
    if !value.starts_with(first.as_str())
        || !value.ends_with(last.as_str())
        || value.len() < first.len() + last.len()
    {
        return false;
    }
    let mut rest = &value[first.len()..value.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle.as_str()) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

pub fn matches(record: &Record, cond: &Cond) -> bool {
    let value = field(record, &cond.field);
    if value == Scalar::Null {
        return false;
    }
    let ord = |lit: &Literal| compare(&value, &coerce(&value, lit));
    match cond.op {
        CmpOp::Eq | CmpOp::In => cond.values.iter().any(|l| ord(l) == Some(Ordering::Equal)),
        CmpOp::Lt => cond
            .values
            .first()
            .is_some_and(|l| ord(l) == Some(Ordering::Less)),
        CmpOp::Gt => cond
            .values
            .first()
            .is_some_and(|l| ord(l) == Some(Ordering::Greater)),
        CmpOp::Le => cond
            .values
            .first()
            .is_some_and(|l| matches!(ord(l), Some(Ordering::Less | Ordering::Equal))),
        CmpOp::Ge => cond
            .values
            .first()
            .is_some_and(|l| matches!(ord(l), Some(Ordering::Greater | Ordering::Equal))),
        CmpOp::Like => match (&value, cond.values.first()) {
            (Scalar::Str(v), Some(Literal::Str(p))) => like(v, p),
            _ => false,
        },
    }
}

/// Records the conditions could match, from an index when one applies.
fn candidates<'a>(store: &'a Store, kind: Kind, q: &Query) -> Vec<&'a Record> {
    let eq = |name: &str| {
        q.conds
            .iter()
            .find(|c| c.field.eq_ignore_ascii_case(name) && matches!(c.op, CmpOp::Eq | CmpOp::In))
    };
    if let Some(c) = eq("Id") {
        let ids = c.values.iter().filter_map(|l| match l {
            Literal::Str(s) => s.trim().parse::<u64>().ok(),
            Literal::Num(n) if *n >= 0.0 => Some(*n as u64),
            _ => None,
        });
        let mut found: Vec<&Record> = ids.filter_map(|id| store.get(kind, id)).collect();
        found.sort_by_key(|r| r.id);
        found.dedup_by_key(|r| r.id);
        return found;
    }
    if kind == Kind::Customer {
        if let Some(Cond {
            op: CmpOp::Eq,
            values,
            ..
        }) = eq("DisplayName")
        {
            if let Some(Literal::Str(name)) = values.first() {
                return store
                    .customers_named(name)
                    .into_iter()
                    .filter_map(|id| store.get(kind, id))
                    .collect();
            }
        }
    }
    store.live(kind).collect()
}

/// Every record matching the query, in its order.
pub fn select<'a>(store: &'a Store, kind: Kind, q: &Query) -> Vec<&'a Record> {
    let names_active = q
        .conds
        .iter()
        .any(|c| c.field.eq_ignore_ascii_case("Active"));
    let hide_inactive = kind.is_name_list() && !names_active;
    let mut rows: Vec<&Record> = candidates(store, kind, q)
        .into_iter()
        .filter(|r| !hide_inactive || r.active())
        .filter(|r| q.conds.iter().all(|c| matches(r, c)))
        .collect();
    if !q.order.is_empty() {
        let mut keyed: Vec<(Vec<Scalar>, &Record)> = rows
            .into_iter()
            .map(|r| (q.order.iter().map(|(f, _)| field(r, f)).collect(), r))
            .collect();
        keyed.sort_by(|(a, ra), (b, rb)| {
            for (i, (_, desc)) in q.order.iter().enumerate() {
                let o = match (&a[i], &b[i]) {
                    (Scalar::Null, Scalar::Null) => Ordering::Equal,
                    (Scalar::Null, _) => Ordering::Less,
                    (_, Scalar::Null) => Ordering::Greater,
                    (x, y) => compare(x, y).unwrap_or(Ordering::Equal),
                };
                let o = if *desc { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            ra.id.cmp(&rb.id)
        });
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_supports_percent_anywhere() {
        assert!(like("Acme Inc.", "acme%"));
        assert!(like("Acme Inc.", "%inc."));
        assert!(like("Acme Inc.", "%me I%"));
        assert!(like("Acme", "Acme"));
        assert!(!like("Acme", "%x%"));
        assert!(!like("ab", "ab%b"));
    }

    #[test]
    fn numeric_strings_compare_as_numbers() {
        assert_eq!(
            compare(&Scalar::Str("9".into()), &Scalar::Str("10".into())),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Scalar::Str("b".into()), &Scalar::Str("a".into())),
            Some(Ordering::Greater)
        );
        assert_eq!(
            coerce(
                &Scalar::Time(0),
                &Literal::Str("1970-01-01T00:00:00Z".into())
            ),
            Scalar::Time(0)
        );
    }
}

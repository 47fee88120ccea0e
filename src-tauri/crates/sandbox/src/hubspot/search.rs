//! `POST …/{object}/search`: filter groups (OR of groups, AND within a group, see
//! `filters.rs`), a free-text `query`, `sorts`, `limit` (capped at 200) and an offset
//! `after`, with `total`. Archived records never match; paging past 10,000 results is a
//! 400. One sort rule per search, as HubSpot's request schema allows. A search that only
//! bounds the last-modified date and sorts by it ascending (a sync engine's incremental
//! read), or reads one millisecond by `hs_object_id` (its tie read), pages straight from
//! the store's last-modified index; any other search filters and sorts every record.
//! Search is eventually consistent like HubSpot's: with `search_index_delay_ms` set, a
//! record changed less than that long ago is not found until the index catches up.

use super::auth::Caller;
use super::errors;
use super::filters::{groups, matches, ptype, record_key, text, Filter};
use super::modified_index::Key;
use super::page_json::{self, Shown};
use super::render::{body_json, kind_of, names_in, page_size};
use super::schema::{Kind, PType};
use super::store::Record;
use super::Hubspot;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

/// `[{"propertyName":"x","direction":"DESCENDING"}]`, or the SDK's plain strings
/// (`"x"`, `"-x"` for descending).
fn parse_sorts(v: Option<&Value>) -> Vec<(String, bool)> {
    let Some(list) = v.and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|s| match s {
            Value::String(name) => Some(
                name.strip_prefix('-')
                    .map_or((name.clone(), false), |n| (n.to_owned(), true)),
            ),
            Value::Object(o) => {
                let name = o.get("propertyName")?.as_str()?.to_owned();
                Some((
                    name,
                    o.get("direction")
                        .and_then(Value::as_str)
                        .is_some_and(|d| d.eq_ignore_ascii_case("DESCENDING")),
                ))
            }
            _ => None,
        })
        .collect()
}

fn offset(v: Option<&Value>) -> Result<u64, Response> {
    match text(v) {
        None => Ok(0),
        Some(s) if s.is_empty() => Ok(0),
        Some(s) => s
            .trim()
            .parse()
            .map_err(|_| errors::validation(&format!("Invalid after: {s}"))),
    }
}

pub async fn search(
    State(hs): State<Arc<Hubspot>>,
    Path(p): Path<HashMap<String, String>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let run = || -> Result<Response, Response> {
        let kind = kind_of(&p)?;
        caller.allows(kind, false)?;
        let body = if body.is_empty() {
            Map::new()
        } else {
            body_json(&body)?
        };
        let cfg = hs.limits.config();
        let groups = groups(kind, &body)?;
        let limit = page_size(text(body.get("limit")).as_deref(), 10, cfg.search_max_limit)?;
        let after = offset(body.get("after"))?;
        if after >= cfg.search_max_results {
            return Err(errors::validation(errors::GENERIC_400));
        }
        let query = text(body.get("query"))
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
        let sorts = parse_sorts(body.get("sorts"));
        if sorts.len() as u64 > cfg.search_max_sorts {
            return Err(errors::validation(&format!(
                "At most {} sort may be used per search; {} were given.",
                cfg.search_max_sorts,
                sorts.len()
            )));
        }
        let shown = Shown::new(kind, names_in(body.get("properties")).as_deref());
        // What search has indexed: changes younger than the index delay are not found.
        let visible_until = match cfg.search_index_delay_ms {
            0 => i64::MAX,
            delay => crate::oauth::now_ms().saturating_sub(delay as i64),
        };
        let mut data = hs.data();
        if let Some((lo, hi)) = indexed(kind, &groups, &sorts, query.is_some()) {
            let hi = hi.min((visible_until, u64::MAX));
            let store = data.store_mut(kind);
            let total = store.by_modified.count(lo, hi);
            let store = &*store;
            let results: Vec<&Record> = store
                .by_modified
                .ids(lo, hi)
                .skip(after as usize)
                .take(limit)
                .filter_map(|id| store.records.get(&id))
                .collect();
            return Ok(page(kind, total, after as usize, &results, &shown));
        }
        let mut hits: Vec<&Record> = data
            .store(kind)
            .records
            .values()
            .filter(|r| r.is_live() && r.updated_ms <= visible_until)
            .filter(|r| {
                query.as_ref().is_none_or(|q| {
                    kind.text_props().iter().any(|n| {
                        r.value(kind, n)
                            .is_some_and(|v| v.to_lowercase().contains(q.as_str()))
                    })
                })
            })
            .filter(|r| {
                groups.is_empty() || groups.iter().any(|g| g.iter().all(|f| matches(kind, r, f)))
            })
            .collect();
        if !sorts.is_empty() {
            let keyed: Vec<(String, PType, bool)> = sorts
                .into_iter()
                .map(|(n, d)| (n.clone(), ptype(kind, &n), d))
                .collect();
            hits.sort_by(|a, b| {
                for (name, t, desc) in &keyed {
                    let (ka, kb) = (record_key(kind, a, name, *t), record_key(kind, b, name, *t));
                    let o = match (ka, kb) {
                        (Some(x), Some(y)) => x.cmp(&y).unwrap_or(Ordering::Equal),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => Ordering::Equal,
                    };
                    let o = if *desc { o.reverse() } else { o };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.id.cmp(&b.id)
            });
        }
        let total = hits.len();
        let start = (after as usize).min(total);
        let end = (start + limit).min(total);
        Ok(page(kind, total, start, &hits[start..end], &shown))
    };
    run().unwrap_or_else(|e| e)
}

/// The index entries to read, `(ms, id)` to `(ms, id)`, when the search is one the index
/// answers exactly: no free text, at most one filter group, and either every filter a
/// range of the last-modified date sorted by it ascending, or (a tie read by id) one
/// last-modified millisecond and a lower bound on `hs_object_id`, sorted by that.
fn indexed(
    kind: Kind,
    groups: &[Vec<Filter>],
    sorts: &[(String, bool)],
    has_query: bool,
) -> Option<(Key, Key)> {
    let by_modified = matches!(sorts, [(name, false)] if name == kind.last_modified());
    let by_id = matches!(sorts, [(name, false)] if name == "hs_object_id");
    if has_query || !(by_modified || by_id) || groups.len() > 1 {
        return None;
    }
    let mut range = i64::MIN..=i64::MAX;
    let mut first_id = 0u64;
    for f in groups.first().into_iter().flatten() {
        if by_id && f.id_floor().is_some() {
            first_id = first_id.max(f.id_floor().unwrap_or_default());
            continue;
        }
        let r = f.modified_range(kind)?;
        range = *range.start().max(r.start())..=*range.end().min(r.end());
    }
    // By id only within one millisecond: there the index is in id order.
    if by_id && range.start() != range.end() {
        return None;
    }
    Some(((*range.start(), first_id), (*range.end(), u64::MAX)))
}

/// `{paging.next.after, results, total}` for the `results` starting at `start`.
fn page(kind: Kind, total: usize, start: usize, results: &[&Record], shown: &Shown) -> Response {
    let end = start + results.len();
    let mut out = Vec::with_capacity(256 + results.len() * 400);
    out.push(b'{');
    if end < total {
        out.extend_from_slice(br#""paging":{"next":{"after":""#);
        crate::json_out::value(&mut out, &end);
        out.extend_from_slice(br#""}},"#);
    }
    out.extend_from_slice(br#""results":"#);
    page_json::records(&mut out, kind, results.iter().copied(), shown);
    out.extend_from_slice(br#","total":"#);
    crate::json_out::value(&mut out, &total);
    out.push(b'}');
    errors::json_bytes(StatusCode::OK, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_accept_objects_and_sdk_strings() {
        let v = json!([{"propertyName": "a", "direction": "DESCENDING"}, "b", "-c"]);
        assert_eq!(
            parse_sorts(Some(&v)),
            vec![("a".into(), true), ("b".into(), false), ("c".into(), true)]
        );
    }
}

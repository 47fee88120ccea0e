//! QuickBooks reads: `select * from {Entity}` ordered by `MetaData.LastUpdatedTime, Id`,
//! `MAXRESULTS` ≤ 1000 a page, each page a fresh query anchored on the cursor (keyset
//! paging, `keyset.rs`); a page shorter than asked for is the last. Inactive customers are hidden unless the query names `Active`, so reads that want
//! them say `Active IN (true, false)`. Look-ups are `where {field} IN (…)` queries.

use super::{codec, Quickbooks};
use crate::api::Request;
use crate::connector::{ConnectorError, Next, Page, ReadRequest};
use crate::keyset::{self, Position, Step};
use crate::schema::ObjectSpec;
use crate::value::Record;
use chrono::{SecondsFormat, Utc};
use serde_json::Value as Json;

pub const MAX_RESULTS: usize = 1000;
const LOOKUP_CHUNK: usize = 100;

/// A QuickBooks query string literal.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

pub fn record(spec: &ObjectSpec, raw: &Json, wanted: &[String]) -> Result<Record, ConnectorError> {
    let id = raw
        .get("Id")
        .and_then(crate::codec::text_of)
        .ok_or_else(|| ConnectorError::unexpected("an entity without Id"))?;
    let modified = crate::codec::at_path(raw, &spec.modified_field)
        .and_then(Json::as_str)
        .and_then(|t| crate::codec::datetime(&spec.modified_field, t).ok())
        .map(|t| t.with_timezone(&Utc));
    let mut fields = std::collections::BTreeMap::new();
    for name in wanted {
        if let Some(field) = spec.field(name) {
            fields.insert(
                name.clone(),
                codec::decode(field, raw).map_err(ConnectorError::unexpected)?,
            );
        }
    }
    Ok(Record {
        id,
        modified,
        archived: raw.get("Active").and_then(Json::as_bool) == Some(false),
        version: raw.get("SyncToken").and_then(crate::codec::text_of),
        fields,
    })
}

/// Runs one query; the entities of `spec.name` in its answer.
pub async fn query(qb: &Quickbooks, q: &str) -> Result<Vec<Json>, ConnectorError> {
    let encoded =
        serde_urlencoded::to_string([("query", q), ("minorversion", super::MINOR_VERSION_TEXT)])
            .map_err(ConnectorError::unexpected)?;
    let url = format!("{}/query?{encoded}", qb.company_url());
    let body = qb
        .send(Request::get(url, "/v3/company/{realm}/query"))
        .await?;
    let response = body
        .get("QueryResponse")
        .ok_or_else(|| ConnectorError::unexpected("a query answer without QueryResponse"))?;
    // `{"QueryResponse":{}}` when nothing matched.
    Ok(response
        .as_object()
        .and_then(|m| m.values().find_map(Json::as_array))
        .cloned()
        .unwrap_or_default())
}

fn active_clause(spec: &ObjectSpec) -> Option<&'static str> {
    (spec.field("Active").is_some()).then_some("Active IN (true, false)")
}

/// A `MetaData.LastUpdatedTime` literal (QuickBooks keeps whole seconds).
fn time_literal(at: chrono::DateTime<Utc>) -> String {
    quote(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// One page by keyset (see `keyset.rs`): anchored on the cursor in
/// `LastUpdatedTime, Id` order, by `Id` through a second shared by more records than a
/// page holds, or strictly after that second. Never `STARTPOSITION`, so edits made while
/// a run reads cannot push records past a page boundary.
pub async fn read(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    request: &ReadRequest,
) -> Result<Page, ConnectorError> {
    let size = request.page_size(qb.page_size).min(MAX_RESULTS);
    let position = Position::parse(request.page.as_deref())?;
    let raw = page_query(qb, spec, request, &position, size).await?;
    let next = match position {
        Position::Tie { at, .. } => keyset::after_tie_page(&raw, size, at),
        Position::Anchored | Position::After { .. } => {
            match keyset::after_ordered_page(&raw, size) {
                Step::Done => Next::Done,
                Step::Next(next) => next,
                Step::Tie(at) => {
                    // More records share this second than a page holds: read them by Id.
                    let tie = Position::Tie {
                        at,
                        after_id: "0".into(),
                    };
                    let raw = page_query(qb, spec, request, &tie, size).await?;
                    let next = keyset::after_tie_page(&raw, size, at);
                    return finish(request, raw, next);
                }
            }
        }
    };
    finish(request, raw, next)
}

fn finish(request: &ReadRequest, raw: Vec<Record>, next: Next) -> Result<Page, ConnectorError> {
    let records = match &request.since {
        Some(cursor) => cursor.filter(raw),
        None => raw,
    };
    Ok(Page { records, next })
}

async fn page_query(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    request: &ReadRequest,
    position: &Position,
    size: usize,
) -> Result<Vec<Record>, ConnectorError> {
    let mut conditions = Vec::new();
    let mut order = "Metadata.LastUpdatedTime, Id";
    match position {
        Position::Anchored => {
            if let Some(at) = request.since.as_ref().and_then(|c| c.at) {
                conditions.push(format!("Metadata.LastUpdatedTime >= {}", time_literal(at)));
            }
        }
        Position::After { at } => {
            conditions.push(format!("Metadata.LastUpdatedTime > {}", time_literal(*at)));
        }
        Position::Tie { at, after_id } => {
            let id: u64 = after_id
                .parse()
                .map_err(|_| ConnectorError::unexpected(format!("a page token id {after_id:?}")))?;
            conditions.push(format!("Metadata.LastUpdatedTime = {}", time_literal(*at)));
            conditions.push(format!("Id > '{id}'"));
            order = "Id";
        }
    }
    if request.include_archived {
        conditions.extend(active_clause(spec).map(str::to_owned));
    }
    let mut q = format!("select * from {}", spec.name);
    if !conditions.is_empty() {
        q.push_str(&format!(" where {}", conditions.join(" and ")));
    }
    q.push_str(&format!(" orderby {order} maxresults {size}"));
    query(qb, &q)
        .await?
        .iter()
        .map(|r| record(spec, r, &request.fields))
        .collect()
}

async fn fetch_lookup(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    field: &str,
    values: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    if spec.field(field).is_none() {
        return Err(ConnectorError::UnknownObject(format!(
            "{}.{field}",
            spec.name
        )));
    }
    let mut wanted = fields.to_vec();
    if !wanted.iter().any(|f| f == field) {
        wanted.push(field.to_owned());
    }
    let mut found = Vec::new();
    for chunk in values.chunks(LOOKUP_CHUNK) {
        let list: Vec<String> = chunk.iter().map(|v| quote(v)).collect();
        let q = format!(
            "select * from {} where {field} in ({}) maxresults {MAX_RESULTS}",
            spec.name,
            list.join(", ")
        );
        for raw in query(qb, &q).await? {
            found.push(record(spec, &raw, &wanted)?);
        }
    }
    Ok(found)
}

/// Look-ups through the read cache (found records only; e-mails compared without case).
pub async fn lookup(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    field: &str,
    values: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let fold_case = spec
        .field(field)
        .is_some_and(|f| f.ty == crate::schema::FieldType::Email);
    qb.api
        .cached_lookup(
            &spec.name,
            field,
            fold_case,
            values,
            fields,
            |missing| async move { fetch_lookup(qb, spec, field, &missing, fields).await },
        )
        .await
}

/// Ids of customers made inactive since `since` (QuickBooks never deletes name-list
/// entities). Transactions are not tracked here.
pub async fn deleted_since(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    since: Option<chrono::DateTime<Utc>>,
) -> Result<Vec<String>, ConnectorError> {
    if spec.field("Active").is_none() {
        return deleted_transactions(qb, spec, since).await;
    }
    let mut ids: Vec<String> = Vec::new();
    // Keyset by Id, not STARTPOSITION: a customer made active again while this reads
    // must not push another one past a page boundary.
    let mut after: u64 = 0;
    loop {
        let mut q = format!(
            "select * from {} where Active = false and Id > '{after}'",
            spec.name
        );
        if let Some(at) = since {
            q.push_str(&format!(
                " and Metadata.LastUpdatedTime >= {}",
                time_literal(at)
            ));
        }
        q.push_str(&format!(" orderby Id maxresults {MAX_RESULTS}"));
        let rows = query(qb, &q).await?;
        let n = rows.len();
        let page: Vec<String> = rows
            .iter()
            .filter_map(|r| r.get("Id").and_then(crate::codec::text_of))
            .collect();
        let last = page.iter().filter_map(|id| id.parse::<u64>().ok()).max();
        ids.extend(page);
        match last {
            Some(last) if n >= MAX_RESULTS && last > after => after = last,
            _ => break,
        }
    }
    Ok(ids)
}

/// QuickBooks keeps change data for 30 days.
pub const CDC_HISTORY_DAYS: i64 = 30;

/// Deleted transactions (invoices, payments) through change data capture:
/// `GET /cdc?entities=Invoice&changedSince=…`, deleted ones marked `"status":"Deleted"`.
/// A response holds at most 1,000 objects, so a full one is followed by a later window.
/// When `since` is older than CDC reaches (or unknown), or more than 1,000 changes share
/// one second, CDC cannot tell every delete: `ChangesUnavailable`, and the engine compares
/// every record with the identity map instead of dropping deletes silently.
async fn deleted_transactions(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    since: Option<chrono::DateTime<Utc>>,
) -> Result<Vec<String>, ConnectorError> {
    // A minute's margin: a window right at the edge may already be cut when it arrives.
    let reach =
        Utc::now() - chrono::Duration::days(CDC_HISTORY_DAYS) + chrono::Duration::minutes(1);
    let mut from = match since {
        Some(s) if s >= reach => s,
        Some(s) => {
            return Err(ConnectorError::ChangesUnavailable(format!(
                "QuickBooks keeps changes for {CDC_HISTORY_DAYS} days and the last delete check of {} was on {}",
                spec.name,
                s.format("%Y-%m-%d %H:%M UTC")
            )))
        }
        None => {
            return Err(ConnectorError::ChangesUnavailable(format!(
                "deletes of {} were never checked before",
                spec.name
            )))
        }
    };
    let mut ids = Vec::new();
    loop {
        let changed_since = from.to_rfc3339_opts(SecondsFormat::Secs, true);
        let query = serde_urlencoded::to_string([
            ("entities", spec.name.as_str()),
            ("changedSince", changed_since.as_str()),
            ("minorversion", super::MINOR_VERSION_TEXT),
        ])
        .map_err(ConnectorError::unexpected)?;
        let url = format!("{}/cdc?{query}", qb.company_url());
        let body = qb
            .send(Request::get(url, "/v3/company/{realm}/cdc"))
            .await?;
        let entities: Vec<Json> = body
            .pointer("/CDCResponse/0/QueryResponse")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get(&spec.name).and_then(Json::as_array))
            .flatten()
            .cloned()
            .collect();
        let latest = entities
            .iter()
            .filter_map(|e| {
                crate::codec::at_path(e, "MetaData.LastUpdatedTime").and_then(Json::as_str)
            })
            .filter_map(|t| crate::codec::datetime("MetaData.LastUpdatedTime", t).ok())
            .map(|t| t.with_timezone(&Utc))
            .max();
        ids.extend(
            entities
                .iter()
                .filter(|e| e.get("status").and_then(Json::as_str) == Some("Deleted"))
                .filter_map(|e| e.get("Id").and_then(crate::codec::text_of)),
        );
        match latest {
            _ if entities.len() < CDC_MAX => break,
            Some(t) if t > from => from = t,
            _ => {
                return Err(ConnectorError::ChangesUnavailable(format!(
                    "more than {CDC_MAX} changes of {} share one second",
                    spec.name
                )))
            }
        }
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The most objects one CDC response holds.
pub const CDC_MAX: usize = 1000;

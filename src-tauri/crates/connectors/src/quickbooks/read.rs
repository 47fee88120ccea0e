//! QuickBooks reads: `select * from {Entity}` ordered by `MetaData.LastUpdatedTime, Id`,
//! paged with `STARTPOSITION`/`MAXRESULTS` (≤ 1000); a page shorter than asked for is the
//! last. Inactive customers are hidden unless the query names `Active`, so reads that want
//! them say `Active IN (true, false)`. Look-ups are `where {field} IN (…)` queries.

use super::{codec, Quickbooks};
use crate::api::Request;
use crate::connector::{ConnectorError, Next, Page, ReadRequest};
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

pub async fn read(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    request: &ReadRequest,
) -> Result<Page, ConnectorError> {
    let start: usize = request
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let size = request.page_size(qb.page_size).min(MAX_RESULTS);
    let mut conditions = Vec::new();
    if let Some(at) = request.since.as_ref().and_then(|c| c.at) {
        conditions.push(format!(
            "Metadata.LastUpdatedTime >= {}",
            quote(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
        ));
    }
    if request.include_archived {
        conditions.extend(active_clause(spec).map(str::to_owned));
    }
    let mut q = format!("select * from {}", spec.name);
    if !conditions.is_empty() {
        q.push_str(&format!(" where {}", conditions.join(" and ")));
    }
    q.push_str(&format!(
        " orderby Metadata.LastUpdatedTime, Id startposition {start} maxresults {size}"
    ));
    let raw = query(qb, &q).await?;
    let full = raw.len() >= size;
    let mut records = raw
        .iter()
        .map(|r| record(spec, r, &request.fields))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(cursor) = &request.since {
        records = cursor.filter(records);
    }
    let next = if full {
        Next::Page((start + size).to_string())
    } else {
        Next::Done
    };
    Ok(Page { records, next })
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
    let mut ids = Vec::new();
    let mut start = 1;
    loop {
        let mut q = format!("select * from {} where Active = false", spec.name);
        if let Some(at) = since {
            q.push_str(&format!(
                " and Metadata.LastUpdatedTime >= {}",
                quote(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
            ));
        }
        q.push_str(&format!(
            " orderby Id startposition {start} maxresults {MAX_RESULTS}"
        ));
        let rows = query(qb, &q).await?;
        let n = rows.len();
        ids.extend(
            rows.iter()
                .filter_map(|r| r.get("Id").and_then(crate::codec::text_of)),
        );
        if n < MAX_RESULTS {
            break;
        }
        start += MAX_RESULTS;
    }
    Ok(ids)
}

/// QuickBooks keeps change data for 30 days; older marks start from there.
const CDC_LOOKBACK_DAYS: i64 = 29;

/// Deleted transactions (invoices, payments) through change data capture:
/// `GET /cdc?entities=Invoice&changedSince=…`, deleted ones marked `"status":"Deleted"`.
/// A response holds at most 1,000 objects, so a full one is followed by a later window.
async fn deleted_transactions(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    since: Option<chrono::DateTime<Utc>>,
) -> Result<Vec<String>, ConnectorError> {
    let floor = Utc::now() - chrono::Duration::days(CDC_LOOKBACK_DAYS);
    let mut from = since.map_or(floor, |s| s.max(floor));
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
            Some(t) if entities.len() >= CDC_MAX && t > from => from = t,
            _ => break,
        }
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The most objects one CDC response holds.
pub const CDC_MAX: usize = 1000;

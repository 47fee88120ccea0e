//! Salesforce reads: SOQL ordered by `SystemModstamp, Id`, from the cursor's second
//! (SOQL datetime literals carry no milliseconds, so the cursor drops what it has seen),
//! following `nextRecordsUrl` page by page; `queryAll` when deleted rows are wanted.
//! Look-ups are `WHERE field IN (…)` queries of up to 200 values.

use super::{codec, Salesforce};
use crate::api::Request;
use crate::connector::{ConnectorError, Next, Page, ReadRequest};
use crate::schema::ObjectSpec;
use crate::value::{Record, Value};
use chrono::{DateTime, Utc};
use serde_json::Value as Json;

/// Values per `IN (…)` look-up query.
pub const LOOKUP_CHUNK: usize = 200;

/// A SOQL string literal: backslashes and quotes escaped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn select_list(spec: &ObjectSpec, fields: &[String], deleted: bool) -> Vec<String> {
    let mut names = vec![spec.id_field.clone(), spec.modified_field.clone()];
    if deleted {
        names.push("IsDeleted".into());
    }
    for f in fields {
        if !names.contains(f) && spec.field(f).is_some() {
            names.push(f.clone());
        }
    }
    names
}

/// Second-precision SOQL literal at or before `at`.
fn literal(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn soql(spec: &ObjectSpec, request: &ReadRequest) -> String {
    let names = select_list(spec, &request.fields, request.include_archived);
    let mut q = format!("SELECT {} FROM {}", names.join(", "), spec.name);
    if let Some(at) = request.since.as_ref().and_then(|c| c.at) {
        q.push_str(&format!(
            " WHERE {} >= {}",
            spec.modified_field,
            literal(at)
        ));
    }
    q.push_str(&format!(
        " ORDER BY {}, {}",
        spec.modified_field, spec.id_field
    ));
    q
}

pub fn record(spec: &ObjectSpec, raw: &Json, wanted: &[String]) -> Result<Record, ConnectorError> {
    let id = raw
        .get(&spec.id_field)
        .and_then(Json::as_str)
        .ok_or_else(|| ConnectorError::unexpected("a record without Id"))?
        .to_owned();
    let modified = raw
        .get(&spec.modified_field)
        .and_then(Json::as_str)
        .and_then(|t| crate::codec::datetime(&spec.modified_field, t).ok())
        .map(|t| t.with_timezone(&Utc));
    let mut fields = std::collections::BTreeMap::new();
    for name in wanted {
        let Some(field) = spec.field(name) else {
            continue;
        };
        let value = match raw.get(name) {
            Some(v) => codec::decode(field, v).map_err(ConnectorError::unexpected)?,
            None => Value::Null,
        };
        fields.insert(name.clone(), value);
    }
    Ok(Record {
        id,
        modified,
        archived: raw
            .get("IsDeleted")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        version: None,
        fields,
    })
}

/// The request for the page after `locator` (a `nextRecordsUrl`).
fn more(sf: &Salesforce, locator: &str) -> Request {
    Request::get(
        format!("{}{locator}", sf.instance_url),
        "/services/data/{version}/query/{locator}",
    )
}

fn query(sf: &Salesforce, resource: &str, q: &str) -> Result<Request, ConnectorError> {
    let query = serde_urlencoded::to_string([("q", q)]).map_err(ConnectorError::unexpected)?;
    Ok(Request::get(
        format!("{}/{resource}?{query}", sf.data_url()),
        format!("/services/data/{{version}}/{resource}"),
    ))
}

pub async fn read(
    sf: &Salesforce,
    spec: &ObjectSpec,
    request: &ReadRequest,
) -> Result<Page, ConnectorError> {
    let call = match &request.page {
        Some(locator) => more(sf, locator),
        None => {
            let resource = if request.include_archived {
                "queryAll"
            } else {
                "query"
            };
            query(sf, resource, &soql(spec, request))?
        }
    };
    let mut page = fetch(
        sf,
        spec,
        call,
        &request.fields,
        request.page_size(sf.page_size),
    )
    .await?;
    if let Some(cursor) = &request.since {
        page.records = cursor.filter(page.records);
    }
    Ok(page)
}

async fn fetch_lookup(
    sf: &Salesforce,
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
    let names = select_list(spec, &wanted, false).join(", ");
    let mut found = Vec::new();
    for chunk in values.chunks(LOOKUP_CHUNK) {
        let list: Vec<String> = chunk.iter().map(|v| quote(v)).collect();
        let q = format!(
            "SELECT {names} FROM {} WHERE {field} IN ({})",
            spec.name,
            list.join(", ")
        );
        let mut call = query(sf, "query", &q)?;
        loop {
            let page = fetch(sf, spec, call, &wanted, sf.page_size).await?;
            found.extend(page.records);
            match page.next {
                Next::Page(locator) => call = more(sf, &locator),
                _ => break,
            }
        }
    }
    Ok(found)
}

/// Sends one query request and decodes its records.
async fn fetch(
    sf: &Salesforce,
    spec: &ObjectSpec,
    call: Request,
    fields: &[String],
    page_size: usize,
) -> Result<Page, ConnectorError> {
    // Salesforce accepts batch sizes of 200 to 2000.
    let call = call.header(
        "sforce-query-options",
        &format!("batchSize={}", page_size.clamp(200, 2000)),
    );
    let body = sf.api.send(call).await?.body;
    let records = body
        .get("records")
        .and_then(Json::as_array)
        .ok_or_else(|| ConnectorError::unexpected("a query answer without records"))?
        .iter()
        .map(|r| record(spec, r, fields))
        .collect::<Result<Vec<_>, _>>()?;
    let done = body.get("done").and_then(Json::as_bool).unwrap_or(true);
    let next = match body.get("nextRecordsUrl").and_then(Json::as_str) {
        Some(url) if !done => Next::Page(url.to_owned()),
        _ => Next::Done,
    };
    Ok(Page { records, next })
}

/// Look-ups through the read cache (found records only; e-mails compared without case).
pub async fn lookup(
    sf: &Salesforce,
    spec: &ObjectSpec,
    field: &str,
    values: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let fold_case = spec
        .field(field)
        .is_some_and(|f| f.ty == crate::schema::FieldType::Email);
    sf.api
        .cached_lookup(
            &spec.name,
            field,
            fold_case,
            values,
            fields,
            |missing| async move { fetch_lookup(sf, spec, field, &missing, fields).await },
        )
        .await
}

/// Records by id, read now (not through the cache): the engine's check before a write.
pub async fn reread(
    sf: &Salesforce,
    spec: &ObjectSpec,
    ids: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    fetch_lookup(sf, spec, &spec.id_field, ids, fields).await
}

/// Ids deleted since `since` (to the second): `queryAll` on `IsDeleted = true`.
pub async fn deleted_since(
    sf: &Salesforce,
    spec: &ObjectSpec,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<String>, ConnectorError> {
    let mut q = format!(
        "SELECT {}, {}, IsDeleted FROM {} WHERE IsDeleted = true",
        spec.id_field, spec.modified_field, spec.name
    );
    if let Some(at) = since {
        q.push_str(&format!(" AND {} >= {}", spec.modified_field, literal(at)));
    }
    let mut call = query(sf, "queryAll", &q)?;
    let mut ids = Vec::new();
    loop {
        let page = fetch(sf, spec, call, &[], sf.page_size).await?;
        ids.extend(
            page.records
                .into_iter()
                .filter(|r| r.archived)
                .map(|r| r.id),
        );
        match page.next {
            Next::Page(locator) => call = more(sf, &locator),
            _ => break,
        }
    }
    Ok(ids)
}

//! HubSpot reads. Reads search `modified ≥ cursor` (from the beginning of time for a full
//! read) sorted ascending, ≤ 200 a page, and every page is a fresh query anchored on the
//! cursor advanced over the last one (keyset paging, `keyset.rs`): no offsets, so edits
//! made while a run reads cannot skip records, and no query nears search's
//! 10,000-result window. Reads that want archived records walk the list API instead
//! (`GET /crm/v3/objects/{o}`, ≤ 100 a page, then the archived list). Look-ups use batch
//! read by a unique property, else search with `IN`.

use super::{page, Hubspot};
use crate::api::Request;
use crate::connector::{ConnectorError, Next, Page, ReadRequest};
use crate::keyset::{self, Position, Step};
use crate::schema::ObjectSpec;
use crate::value::Record;
use chrono::Utc;
use serde_json::{json, Value as Json};

/// Search refuses to page past this many results.
pub const SEARCH_WINDOW: usize = 10_000;
pub const LIST_MAX: usize = 100;
pub const SEARCH_MAX: usize = 200;
pub const BATCH_READ_MAX: usize = 100;

fn properties(spec: &ObjectSpec, fields: &[String]) -> Vec<String> {
    let mut names = vec![spec.modified_field.clone()];
    for f in fields {
        if !names.contains(f) && f != &spec.id_field && spec.field(f).is_some() {
            names.push(f.clone());
        }
    }
    names
}

pub async fn read(
    hs: &Hubspot,
    spec: &ObjectSpec,
    request: &ReadRequest,
) -> Result<Page, ConnectorError> {
    // Reads that want archived records walk the lists (search never returns them).
    // Every other read, full ones included, searches in modification order, so the
    // cursor after any page is a valid place to resume from.
    if request.include_archived {
        return list(hs, spec, request).await;
    }
    let mut page = search(hs, spec, request).await?;
    if let Some(cursor) = &request.since {
        page.records = cursor.filter(page.records);
    }
    Ok(page)
}

/// Page tokens of a full read: `live:<after>` then `archived:<after>`.
async fn list(
    hs: &Hubspot,
    spec: &ObjectSpec,
    request: &ReadRequest,
) -> Result<Page, ConnectorError> {
    let token = request.page.as_deref().unwrap_or("live:");
    let (archived, after_token) = match token.split_once(':') {
        Some(("archived", a)) => (true, a),
        Some((_, a)) => (false, a),
        None => (false, token),
    };
    let mut query = vec![
        (
            "limit".to_owned(),
            request.page_size(hs.page_size).min(LIST_MAX).to_string(),
        ),
        (
            "properties".to_owned(),
            properties(spec, &request.fields).join(","),
        ),
        ("archived".to_owned(), archived.to_string()),
    ];
    if !after_token.is_empty() {
        query.push(("after".to_owned(), after_token.to_owned()));
    }
    let query = serde_urlencoded::to_string(&query).map_err(ConnectorError::unexpected)?;
    let url = format!("{}/crm/v3/objects/{}?{query}", hs.base, spec.name);
    let endpoint = "/crm/v3/objects/{object}";
    let body = hs.api.send_raw(Request::get(url, endpoint)).await?.body;
    let page::Decoded { records, after } = page::decode(spec, endpoint, &body, &request.fields)?;
    let next = match after {
        Some(a) if archived => Next::Page(format!("archived:{a}")),
        Some(a) => Next::Page(format!("live:{a}")),
        None if !archived && request.include_archived => Next::Page("archived:".into()),
        None => Next::Done,
    };
    Ok(Page { records, next })
}

/// One search read, by keyset (see `keyset.rs`): anchored on the cursor, by id through a
/// tie wider than a page, or strictly after a tie. Never an `after` offset, so records
/// edited while the read goes on cannot push others past a page boundary, and the
/// 10,000-result window of one query is never reached.
async fn search(
    hs: &Hubspot,
    spec: &ObjectSpec,
    request: &ReadRequest,
) -> Result<Page, ConnectorError> {
    let limit = request.page_size(hs.page_size).min(SEARCH_MAX);
    let ordered = |filter: Json| {
        json!({
            "filterGroups": [{ "filters": [filter] }],
            "sorts": [{ "propertyName": spec.modified_field, "direction": "ASCENDING" }],
            "properties": properties(spec, &request.fields),
            "limit": limit,
        })
    };
    let body = match Position::parse(request.page.as_deref())? {
        Position::Tie { at, after_id } => {
            return tie_page(hs, spec, request, at, &after_id, limit).await;
        }
        Position::Anchored => {
            let since = request
                .since
                .as_ref()
                .and_then(|c| c.at)
                .map(|t| t.timestamp_millis())
                .unwrap_or_default();
            ordered(
                json!({ "propertyName": spec.modified_field, "operator": "GTE", "value": since.to_string() }),
            )
        }
        Position::After { at } => ordered(
            json!({ "propertyName": spec.modified_field, "operator": "GT", "value": at.timestamp_millis().to_string() }),
        ),
    };
    let raw = search_call(hs, spec, &body, &request.fields).await?;
    let next = match keyset::after_ordered_page(&raw, limit) {
        Step::Done => Next::Done,
        Step::Next(next) => next,
        // More records share this millisecond than a page holds: read them by id.
        Step::Tie(at) => return tie_page(hs, spec, request, at, "0", limit).await,
    };
    Ok(Page { records: raw, next })
}

/// Records modified at exactly `at` with an id above `after_id`, in id order.
async fn tie_page(
    hs: &Hubspot,
    spec: &ObjectSpec,
    request: &ReadRequest,
    at: chrono::DateTime<Utc>,
    after_id: &str,
    limit: usize,
) -> Result<Page, ConnectorError> {
    let body = json!({
        "filterGroups": [{ "filters": [
            { "propertyName": spec.modified_field, "operator": "EQ", "value": at.timestamp_millis().to_string() },
            { "propertyName": "hs_object_id", "operator": "GT", "value": after_id },
        ] }],
        "sorts": [{ "propertyName": "hs_object_id", "direction": "ASCENDING" }],
        "properties": properties(spec, &request.fields),
        "limit": limit,
    });
    let raw = search_call(hs, spec, &body, &request.fields).await?;
    let next = keyset::after_tie_page(&raw, limit, at);
    Ok(Page { records: raw, next })
}

async fn search_call(
    hs: &Hubspot,
    spec: &ObjectSpec,
    body: &Json,
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let url = format!("{}/crm/v3/objects/{}/search", hs.base, spec.name);
    let endpoint = "/crm/v3/objects/{object}/search";
    let answer = hs
        .search(
            Request::new(reqwest::Method::POST, url, endpoint)
                .json(body)
                .idempotent(true),
        )
        .await?;
    Ok(page::decode(spec, endpoint, &answer, fields)?.records)
}

/// Records by id (or by the unique property `by`), `POST …/batch/read` ≤ 100 a call,
/// never through the read cache. 207: values nobody has come back as OBJECT_NOT_FOUND
/// errors, and the found records are the answer.
pub(super) async fn batch_read(
    hs: &Hubspot,
    spec: &ObjectSpec,
    by: Option<&str>,
    values: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let mut found = Vec::new();
    for chunk in values.chunks(BATCH_READ_MAX) {
        let mut body = json!({
            "properties": properties(spec, fields),
            "inputs": chunk.iter().map(|v| json!({ "id": v })).collect::<Vec<_>>(),
        });
        if let Some(by) = by {
            body["idProperty"] = Json::from(by);
        }
        let url = format!("{}/crm/v3/objects/{}/batch/read", hs.base, spec.name);
        let endpoint = "/crm/v3/objects/{object}/batch/read";
        let answer = hs
            .api
            .send_raw(
                Request::new(reqwest::Method::POST, url, endpoint)
                    .json(&body)
                    .idempotent(true),
            )
            .await?;
        found.extend(page::decode(spec, endpoint, &answer.body, fields)?.records);
    }
    Ok(found)
}

async fn fetch_lookup(
    hs: &Hubspot,
    spec: &ObjectSpec,
    field: &str,
    values: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let target = spec
        .field(field)
        .ok_or_else(|| ConnectorError::UnknownObject(format!("{}.{field}", spec.name)))?;
    let mut wanted = fields.to_vec();
    if !wanted.iter().any(|f| f == field) {
        wanted.push(field.to_owned());
    }
    if target.unique {
        let by = (field != spec.id_field).then_some(field);
        return batch_read(hs, spec, by, values, &wanted).await;
    }
    let mut found = Vec::new();
    for chunk in values.chunks(BATCH_READ_MAX) {
        let mut offset = 0usize;
        loop {
            let mut body = json!({
                "filterGroups": [{ "filters": [{ "propertyName": field, "operator": "IN", "values": chunk }] }],
                "properties": properties(spec, &wanted),
                "limit": SEARCH_MAX,
            });
            if offset > 0 {
                body["after"] = Json::from(offset.to_string());
            }
            let url = format!("{}/crm/v3/objects/{}/search", hs.base, spec.name);
            let endpoint = "/crm/v3/objects/{object}/search";
            let answer = hs
                .search(
                    Request::new(reqwest::Method::POST, url, endpoint)
                        .json(&body)
                        .idempotent(true),
                )
                .await?;
            let page::Decoded { records, after } = page::decode(spec, endpoint, &answer, &wanted)?;
            found.extend(records);
            match after.and_then(|a| a.parse::<usize>().ok()) {
                Some(a) if a < SEARCH_WINDOW => offset = a,
                _ => break,
            }
        }
    }
    Ok(found)
}

/// Look-ups through the read cache (found records only; e-mails compared without case).
pub async fn lookup(
    hs: &Hubspot,
    spec: &ObjectSpec,
    field: &str,
    values: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let fold_case = spec
        .field(field)
        .is_some_and(|f| f.ty == crate::schema::FieldType::Email);
    hs.api
        .cached_lookup(
            &spec.name,
            field,
            fold_case,
            values,
            fields,
            |missing| async move { fetch_lookup(hs, spec, field, &missing, fields).await },
        )
        .await
}

/// Ids archived since `since`: the archived list (which has no filter), read in full and
/// kept by `archivedAt`.
pub async fn deleted_since(
    hs: &Hubspot,
    spec: &ObjectSpec,
    since: Option<chrono::DateTime<Utc>>,
) -> Result<Vec<String>, ConnectorError> {
    let mut ids = Vec::new();
    let mut next = String::new();
    loop {
        let mut query = vec![
            ("limit", LIST_MAX.to_string()),
            ("archived", "true".to_owned()),
        ];
        if !next.is_empty() {
            query.push(("after", next.clone()));
        }
        let query = serde_urlencoded::to_string(&query).map_err(ConnectorError::unexpected)?;
        let url = format!("{}/crm/v3/objects/{}?{query}", hs.base, spec.name);
        let body = hs
            .api
            .send(Request::get(url, "/crm/v3/objects/{object}"))
            .await?
            .body;
        for r in body
            .get("results")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let at = r
                .get("archivedAt")
                .and_then(Json::as_str)
                .and_then(|t| crate::codec::datetime("archivedAt", t).ok())
                .map(|t| t.with_timezone(&Utc));
            let recent = match (since, at) {
                (Some(since), Some(at)) => at >= since,
                _ => true,
            };
            if let (true, Some(id)) = (recent, r.get("id").and_then(crate::codec::text_of)) {
                ids.push(id);
            }
        }
        match body
            .pointer("/paging/next/after")
            .and_then(crate::codec::text_of)
        {
            Some(a) => next = a,
            None => break,
        }
    }
    Ok(ids)
}

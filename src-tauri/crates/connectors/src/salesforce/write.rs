//! Salesforce writes through sObject Collections (≤ 200 records a call, `allOrNone`
//! false so one bad record does not sink the others): create (`POST`), update by id
//! (`PATCH`), upsert by an external-id field (`PATCH …/{Obj}/{Field}`) and delete
//! (`DELETE ?ids=`). Each answer is an array of `{id, success, errors}` in input order.
//! Updates and deletes name only ids of the mapping's own object (its key prefix).

use super::{codec, Salesforce};
use crate::api::Request;
use crate::batch::in_batches;
use crate::connector::{ConnectorError, RecordError, WriteOp, WriteResult, WriteRow, Written};
use crate::schema::ObjectSpec;
use reqwest::Method;

pub const MAX_BATCH: usize = 200;

/// One record of a collection, checked and ready to be written out as
/// `{"attributes": {"type": …}, "id"?: …, field: value, …}`.
struct Prepared<'a> {
    object: &'a str,
    id: Option<String>,
    fields: Vec<(&'a str, codec::Encoded<'a>)>,
}

impl serde::Serialize for Prepared<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.fields.len() + 2))?;
        map.serialize_entry("attributes", &Attributes { kind: self.object })?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        for (name, value) in &self.fields {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[derive(serde::Serialize)]
struct Attributes<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
}

/// A collection call's body.
#[derive(serde::Serialize)]
struct Collection<'r, 'a> {
    #[serde(rename = "allOrNone")]
    all_or_none: bool,
    records: &'r [Prepared<'a>],
}

fn encode<'a>(
    spec: &'a ObjectSpec,
    op: &WriteOp,
    row: &'a WriteRow,
) -> Result<Prepared<'a>, RecordError> {
    let id = if *op == WriteOp::Update {
        let id = row
            .id
            .as_ref()
            .ok_or_else(|| RecordError::new("MISSING_ID", "an update needs the record's id"))?;
        Some(own_id(spec, id)?)
    } else {
        None
    };
    let mut fields = Vec::with_capacity(row.fields.len());
    for (name, value) in row.fields.iter() {
        let field = spec.field(name).ok_or_else(|| {
            let mut e = RecordError::new(
                "INVALID_FIELD",
                format!("No such column '{name}' on {}", spec.name),
            );
            e.fields = vec![name.clone()];
            e
        })?;
        let encoded = codec::encode(field, value).map_err(|e| {
            let mut r = RecordError::new("INVALID_TYPE", e.to_string());
            r.fields = vec![name.clone()];
            r
        })?;
        fields.push((name.as_str(), encoded));
    }
    Ok(Prepared {
        object: &spec.name,
        id,
        fields,
    })
}

/// One item of a collections answer, in input order.
#[derive(serde::Deserialize)]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    success: bool,
    #[serde(default)]
    created: bool,
    #[serde(default)]
    errors: Vec<ItemError>,
}

#[derive(serde::Deserialize)]
struct ItemError {
    #[serde(rename = "statusCode", default)]
    status_code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    fields: Vec<String>,
}

/// One `{id, success, errors}` item as a result.
fn result(item: Item) -> WriteResult {
    if item.success {
        return Ok(Written {
            id: item.id.unwrap_or_default(),
            created: item.created,
            version: None,
        });
    }
    let first = item.errors.into_iter().next();
    let (code, message, fields) = first
        .map(|e| (e.status_code, e.message, e.fields))
        .unwrap_or_default();
    let mut e = RecordError::new(code, message);
    e.fields = fields;
    e.retryable = matches!(
        e.code.as_str(),
        "UNABLE_TO_LOCK_ROW" | "REQUEST_RUNNING_TOO_LONG"
    );
    Err(e)
}

/// A collections answer, decoded straight from its bytes.
fn results(endpoint: &str, body: &[u8]) -> Result<Vec<WriteResult>, ConnectorError> {
    // serde names what was wrong (an object where the array of items belongs, …).
    let items: Vec<Item> =
        serde_json::from_slice(body).map_err(|e| crate::api::invalid_json(endpoint, &e))?;
    Ok(items.into_iter().map(result).collect())
}

pub async fn write(
    sf: &Salesforce,
    spec: &ObjectSpec,
    op: &WriteOp,
    rows: &[WriteRow<'_>],
) -> Result<Vec<WriteResult>, ConnectorError> {
    let (method, url, endpoint, created) = match op {
        WriteOp::Create => (
            Method::POST,
            format!("{}/composite/sobjects", sf.data_url()),
            "/services/data/{version}/composite/sobjects".to_owned(),
            true,
        ),
        WriteOp::Update => (
            Method::PATCH,
            format!("{}/composite/sobjects", sf.data_url()),
            "/services/data/{version}/composite/sobjects".to_owned(),
            false,
        ),
        WriteOp::Upsert { key_field } => {
            let key = spec.field(key_field).filter(|f| f.upsert_key || f.name == spec.id_field).ok_or_else(|| {
                ConnectorError::Unsupported(format!("{}.{key_field} is neither an external-id nor an idLookup field; Salesforce upserts only by one", spec.name))
            })?;
            (
                Method::PATCH,
                format!(
                    "{}/composite/sobjects/{}/{}",
                    sf.data_url(),
                    spec.name,
                    key.name
                ),
                "/services/data/{version}/composite/sobjects/{object}/{field}".to_owned(),
                false,
            )
        }
    };
    let prepared: Vec<_> = rows.iter().map(|r| encode(spec, op, r)).collect();
    let out = in_batches(prepared, sf.batch_size, |records| {
        let (method, url, endpoint) = (method.clone(), url.clone(), endpoint.clone());
        async move {
            let body = serde_json::to_vec(&Collection {
                all_or_none: false,
                records: &records,
            })
            .map_err(ConnectorError::unexpected)?;
            let request = Request::new(method, url, endpoint.clone())
                .json_bytes(body)
                .idempotent(!created);
            results(&endpoint, &sf.api.send_raw(request).await?.body)
        }
    })
    .await;
    sf.api.invalidate(&spec.name.to_lowercase());
    Ok(created_flags(op, out))
}

/// Collections create answers carry no `created` flag: every success there is a create.
fn created_flags(op: &WriteOp, results: Vec<WriteResult>) -> Vec<WriteResult> {
    if *op != WriteOp::Create {
        return results;
    }
    results
        .into_iter()
        .map(|r| r.map(|w| Written { created: true, ..w }))
        .collect()
}

/// `id` when it is a record of `spec`'s object. `DELETE /composite/sobjects?ids=` takes
/// ids of any object, so an id of another object (or not an id at all) is refused here,
/// per record, and never sent.
fn own_id(spec: &ObjectSpec, id: &str) -> Result<String, RecordError> {
    crate::record_ids::check(crate::ProviderId::Salesforce, &spec.name, id)
        .map(|()| id.to_owned())
        .map_err(|why| RecordError::new("INVALID_ID", why))
}

pub async fn delete(
    sf: &Salesforce,
    spec: &ObjectSpec,
    ids: &[String],
) -> Result<Vec<WriteResult>, ConnectorError> {
    let prepared: Vec<Result<String, RecordError>> = ids.iter().map(|i| own_id(spec, i)).collect();
    let out = in_batches(prepared, sf.batch_size, |chunk| {
        let query = serde_urlencoded::to_string([
            ("ids", chunk.join(",").as_str()),
            ("allOrNone", "false"),
        ]);
        async move {
            let query = query.map_err(ConnectorError::unexpected)?;
            let endpoint = "/services/data/{version}/composite/sobjects";
            let request = Request::new(
                Method::DELETE,
                format!("{}/composite/sobjects?{query}", sf.data_url()),
                endpoint,
            )
            .idempotent(true);
            results(endpoint, &sf.api.send_raw(request).await?.body)
        }
    })
    .await;
    sf.api.invalidate(&spec.name.to_lowercase());
    Ok(out)
}

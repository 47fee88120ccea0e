//! HubSpot writes through the batch API (≤ 100 inputs a call): create, update by id,
//! upsert by a unique property, archive. Each input carries an `objectWriteTraceId` (its
//! position) so a 207 multi-status answer says which inputs failed; successes are matched
//! by id (update), by key (upsert) or in order (create). When HubSpot refuses a whole
//! batch because of one input (a duplicate e-mail answers 409 for all), the batch is
//! split in halves until the culprit stands alone and gets the error as its own.

use super::{codec, Hubspot};
use crate::api::Request;
use crate::batch::in_batches;
use crate::connector::{ConnectorError, RecordError, WriteOp, WriteResult, WriteRow, Written};
use crate::schema::ObjectSpec;
use serde_json::{json, Map, Value as Json};
use std::future::Future;
use std::pin::Pin;

pub const MAX_BATCH: usize = 100;

/// One encoded input and what identifies its result.
#[derive(Debug, Clone)]
struct Input {
    body: Json,
    /// The id (update) or key value (upsert) a result will carry.
    key: Option<String>,
}

fn encode(spec: &ObjectSpec, op: &WriteOp, row: &WriteRow) -> Result<Input, RecordError> {
    let mut props = Map::new();
    for (name, value) in row.fields.iter() {
        let field = spec.field(name).ok_or_else(|| {
            let mut e = RecordError::new(
                "PROPERTY_DOESNT_EXIST",
                format!("Property \"{name}\" does not exist"),
            );
            e.fields = vec![name.clone()];
            e
        })?;
        let text = codec::encode(field, value).map_err(|e| {
            let mut r = RecordError::new("INVALID_TYPE", e.to_string());
            r.fields = vec![name.clone()];
            r
        })?;
        props.insert(name.clone(), Json::from(text));
    }
    let (body, key) = match op {
        WriteOp::Create => (json!({ "properties": props }), None),
        WriteOp::Update => {
            let id = row
                .id
                .clone()
                .ok_or_else(|| RecordError::new("MISSING_ID", "an update needs the record's id"))?;
            (json!({ "id": id, "properties": props }), Some(id))
        }
        WriteOp::Upsert { key_field } => {
            let key = row
                .fields
                .get(key_field)
                .map(|v| v.to_string())
                .filter(|k| !k.is_empty())
                .ok_or_else(|| {
                    RecordError::new(
                        "MISSING_KEY",
                        format!("an upsert needs a value for {key_field}"),
                    )
                })?;
            (
                json!({ "idProperty": key_field, "id": key, "properties": props }),
                Some(key),
            )
        }
    };
    Ok(Input { body, key })
}

fn trace_ids(error: &Json) -> Vec<usize> {
    error
        .pointer("/context/objectWriteTraceId")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(|t| t.as_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

fn context_ids(error: &Json) -> Vec<String> {
    error
        .pointer("/context/ids")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(crate::codec::text_of).collect())
        .unwrap_or_default()
}

fn record_error(error: &Json) -> RecordError {
    let s = |k: &str| {
        error
            .get(k)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut e = RecordError::new(s("category"), s("message"));
    e.retryable = matches!(e.code.as_str(), "RATE_LIMITS" | "LOCKED");
    e
}

fn same_key(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Reads a batch answer (201/200/207) into one result per input.
fn results(op: &WriteOp, inputs: &[Input], body: &Json) -> Vec<WriteResult> {
    let mut out: Vec<Option<WriteResult>> = vec![None; inputs.len()];
    for error in body
        .get("errors")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let mut hit = trace_ids(error);
        for id in context_ids(error) {
            hit.extend(
                inputs
                    .iter()
                    .position(|i| i.key.as_deref().is_some_and(|k| same_key(k, &id))),
            );
        }
        for i in hit.into_iter().filter(|i| *i < inputs.len()) {
            out[i] = Some(Err(record_error(error)));
        }
    }
    let mut successes = body
        .get("results")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter();
    let written = |r: &Json| Written {
        id: r
            .get("id")
            .and_then(crate::codec::text_of)
            .unwrap_or_default(),
        created: r
            .get("new")
            .and_then(Json::as_bool)
            .unwrap_or(*op == WriteOp::Create),
        version: None,
    };
    let key_field = match op {
        WriteOp::Create => None,
        WriteOp::Update => Some("hs_object_id"),
        WriteOp::Upsert { key_field } => Some(key_field.as_str()),
    };
    // Results matched by the id or key they carry; the rest (creates, and upserts whose
    // answer omits the key) fill the remaining inputs in order.
    let mut unmatched = Vec::new();
    for r in successes.by_ref() {
        let key = match key_field {
            Some("hs_object_id") => r.get("id").and_then(crate::codec::text_of),
            Some(k) => r
                .pointer(&format!("/properties/{k}"))
                .and_then(crate::codec::text_of),
            None => None,
        };
        let slot = key.and_then(|k| {
            (0..inputs.len()).find(|i| {
                out[*i].is_none() && inputs[*i].key.as_deref().is_some_and(|x| same_key(x, &k))
            })
        });
        match slot {
            Some(i) => out[i] = Some(Ok(written(&r))),
            None => unmatched.push(r),
        }
    }
    let mut rest = unmatched.into_iter();
    for slot in out.iter_mut().filter(|s| s.is_none()) {
        match rest.next() {
            Some(r) => *slot = Some(Ok(written(&r))),
            None => break,
        }
    }
    out.into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(RecordError::new(
                    "NO_RESULT",
                    "HubSpot returned no result for this record",
                ))
            })
        })
        .collect()
}

fn send<'a>(
    hs: &'a Hubspot,
    spec: &'a ObjectSpec,
    op: &'a WriteOp,
    inputs: Vec<Input>,
) -> Pin<Box<dyn Future<Output = Result<Vec<WriteResult>, ConnectorError>> + Send + 'a>> {
    Box::pin(async move {
        let action = match op {
            WriteOp::Create => "create",
            WriteOp::Update => "update",
            WriteOp::Upsert { .. } => "upsert",
        };
        let body: Vec<Json> = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let mut b = input.body.clone();
                b["objectWriteTraceId"] = Json::from(i.to_string());
                b
            })
            .collect();
        let url = format!("{}/crm/v3/objects/{}/batch/{action}", hs.base, spec.name);
        let request = Request::new(
            reqwest::Method::POST,
            url,
            format!("/crm/v3/objects/{{object}}/batch/{action}"),
        )
        .json(&crate::codec::object([("inputs", Json::Array(body))]))
        .idempotent(*op != WriteOp::Create);
        match hs.api.send(request).await {
            Ok(answer) => Ok(results(op, &inputs, &answer.body)),
            // One bad input refuses the whole batch: find it by halves.
            Err(ConnectorError::Rejected {
                status,
                provider_code,
                message,
            }) if (400..500).contains(&status) && status != 401 && status != 403 => {
                if inputs.len() == 1 {
                    return Ok(vec![Err(RecordError::new(provider_code, message))]);
                }
                let right = inputs[inputs.len() / 2..].to_vec();
                let left = inputs[..inputs.len() / 2].to_vec();
                let mut out = send(hs, spec, op, left).await?;
                out.extend(send(hs, spec, op, right).await?);
                Ok(out)
            }
            Err(e) => Err(e),
        }
    })
}

pub async fn write(
    hs: &Hubspot,
    spec: &ObjectSpec,
    op: &WriteOp,
    rows: &[WriteRow<'_>],
) -> Result<Vec<WriteResult>, ConnectorError> {
    let prepared: Vec<_> = rows.iter().map(|r| encode(spec, op, r)).collect();
    let out = in_batches(prepared, hs.batch_size, |inputs| send(hs, spec, op, inputs)).await;
    hs.api.invalidate(&spec.name);
    Ok(out)
}

pub async fn archive(
    hs: &Hubspot,
    spec: &ObjectSpec,
    ids: &[String],
) -> Result<Vec<WriteResult>, ConnectorError> {
    let prepared: Vec<Result<String, RecordError>> = ids.iter().map(|i| Ok(i.clone())).collect();
    let out = in_batches(prepared, hs.batch_size, |chunk| async move {
        let url = format!("{}/crm/v3/objects/{}/batch/archive", hs.base, spec.name);
        let inputs: Vec<Json> = chunk.iter().map(|id| json!({ "id": id })).collect();
        let answer = hs
            .api
            .send(
                Request::new(
                    reqwest::Method::POST,
                    url,
                    "/crm/v3/objects/{object}/batch/archive",
                )
                .json(&json!({ "inputs": inputs }))
                .idempotent(true),
            )
            .await?;
        // 204 with no body when every input was archived.
        let failed: Vec<(Vec<String>, RecordError)> = answer
            .body
            .get("errors")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .map(|e| (context_ids(e), record_error(e)))
            .collect();
        Ok(chunk
            .into_iter()
            .map(
                |id| match failed.iter().find(|(ids, _)| ids.contains(&id)) {
                    Some((_, e)) => Err(e.clone()),
                    None => Ok(Written {
                        id,
                        created: false,
                        version: None,
                    }),
                },
            )
            .collect())
    })
    .await;
    hs.api.invalidate(&spec.name);
    Ok(out)
}

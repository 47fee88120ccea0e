//! Reading records again by id just before a write lands on them (the engine's race
//! check): `POST /crm/v3/objects/{o}/batch/read`, ≤ 100 ids a call, never through the read
//! cache, with the last-modified property so a change since the decision shows.

use super::{read, Hubspot};
use crate::api::Request;
use crate::connector::ConnectorError;
use crate::schema::ObjectSpec;
use crate::value::Record;
use serde_json::{json, Value as Json};

pub async fn reread(
    hs: &Hubspot,
    spec: &ObjectSpec,
    ids: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let mut properties = vec![spec.modified_field.clone()];
    properties.extend(
        fields
            .iter()
            .filter(|f| **f != spec.id_field && spec.field(f).is_some())
            .cloned(),
    );
    properties.dedup();
    let mut found = Vec::new();
    for chunk in ids.chunks(read::BATCH_READ_MAX) {
        let body = json!({
            "properties": properties,
            "inputs": chunk.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>(),
        });
        let url = format!("{}/crm/v3/objects/{}/batch/read", hs.base, spec.name);
        let answer = hs
            .api
            .send(
                Request::new(
                    reqwest::Method::POST,
                    url,
                    "/crm/v3/objects/{object}/batch/read",
                )
                .json(&body)
                .idempotent(true),
            )
            .await?;
        // 207: ids nobody has any more come back as errors; the rest are the answer.
        for raw in answer
            .body
            .get("results")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            found.push(read::record(spec, raw, fields)?);
        }
    }
    Ok(found)
}

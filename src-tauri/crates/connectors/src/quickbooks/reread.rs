//! Reading entities again by id just before (or right after a 5010 on) a write to them:
//! `select * from {Entity} where Id in (…)`, ≤ 100 ids a query, inactive ones included,
//! never through the read cache; each comes back with its current `SyncToken`.

use super::{read, Quickbooks};
use crate::connector::ConnectorError;
use crate::schema::ObjectSpec;
use crate::value::Record;

const CHUNK: usize = 100;

pub async fn reread(
    qb: &Quickbooks,
    spec: &ObjectSpec,
    ids: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    let active = if spec.field("Active").is_some() {
        " and Active IN (true, false)"
    } else {
        ""
    };
    let mut found = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        // QuickBooks ids are digits; anything else cannot name an entity.
        let list: Vec<String> = chunk
            .iter()
            .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
            .map(|id| format!("'{id}'"))
            .collect();
        if list.is_empty() {
            continue;
        }
        let q = format!(
            "select * from {} where Id in ({}){active}",
            spec.name,
            list.join(", ")
        );
        for raw in read::query(qb, &q).await? {
            found.push(read::record(spec, &raw, fields)?);
        }
    }
    Ok(found)
}

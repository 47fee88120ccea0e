//! Reading records again by id just before a write lands on them (the engine's race
//! check): `POST /crm/v3/objects/{o}/batch/read`, ≤ 100 ids a call, never through the read
//! cache, with the last-modified property so a change since the decision shows.

use super::{read, Hubspot};
use crate::connector::ConnectorError;
use crate::schema::ObjectSpec;
use crate::value::Record;

pub async fn reread(
    hs: &Hubspot,
    spec: &ObjectSpec,
    ids: &[String],
    fields: &[String],
) -> Result<Vec<Record>, ConnectorError> {
    read::batch_read(hs, spec, None, ids, fields).await
}

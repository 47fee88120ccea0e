//! Data replication: `GET /sobjects/{Obj}/updated/?start=&end=` (ids whose
//! SystemModstamp falls in the window, looking back at most 30 days) and
//! `GET /sobjects/{Obj}/deleted/?start=&end=` (deleted ids with their deletion time,
//! looking back at most 15 days). Seconds are truncated from both ends.

use super::errors::ApiError;
use super::schema::F_MODSTAMP;
use super::sobjects::object;
use super::write::parse_datetime;
use super::Salesforce;
use crate::oauth::now_ms;
use crate::seed::sf_datetime;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;
const MAX_IDS: usize = 600_000;

fn replication_error(message: &str) -> ApiError {
    ApiError::bad("INVALID_REPLICATION_DATE", message)
}

/// `start` and `end` as epoch ms truncated to the minute.
fn window(query: &HashMap<String, String>, look_back_days: i64) -> Result<(i64, i64), ApiError> {
    let read = |name: &str| -> Result<i64, ApiError> {
        let raw = query.get(name).ok_or_else(|| {
            ApiError::bad(
                "MISSING_ARGUMENT",
                format!("Missing required parameter: {name}"),
            )
        })?;
        // A literal `+` in the offset arrives as a space when the client did not encode it.
        let ms = parse_datetime(&raw.replace(' ', "+"))
            .ok_or_else(|| replication_error(&format!("{name}: invalid date/time: {raw}")))?;
        Ok(ms - ms.rem_euclid(MINUTE))
    };
    let (start, end) = (read("start")?, read("end")?);
    if end < start {
        return Err(replication_error(
            "endDate must chronologically follow the startDate",
        ));
    }
    if start < now_ms() - look_back_days * DAY {
        return Err(replication_error(&format!(
            "startDate cannot be more than {look_back_days} days ago"
        )));
    }
    Ok((start, end))
}

fn latest_covered(end: i64) -> String {
    let now = now_ms();
    sf_datetime(end.min(now - now.rem_euclid(MINUTE)))
}

pub async fn updated(
    State(sf): State<Arc<Salesforce>>,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        let obj = object(&params)?;
        let (start, end) = window(&query, 30)?;
        let (from, to) = (sf_datetime(start), sf_datetime(end));
        let store = sf.store();
        let ids: Vec<Value> = store
            .table(obj)
            .rows
            .values()
            .filter(|r| !r.is_deleted())
            .filter(|r| {
                r.get(F_MODSTAMP)
                    .as_str()
                    .is_some_and(|s| s >= from.as_str() && s < to.as_str())
            })
            .map(|r| Value::String(r.id().to_owned()))
            .collect();
        if ids.len() > MAX_IDS {
            return Err(ApiError::bad(
                "EXCEEDED_ID_LIMIT",
                "More than 600,000 ids; choose start and end dates closer together",
            ));
        }
        Ok(json!({ "ids": ids, "latestDateCovered": latest_covered(end) }))
    })();
    result.map_or_else(IntoResponse::into_response, |v| Json(v).into_response())
}

pub async fn deleted(
    State(sf): State<Arc<Salesforce>>,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        let obj = object(&params)?;
        let (start, end) = window(&query, 15)?;
        let store = sf.store();
        let deleted: Vec<Value> = store
            .table(obj)
            .rows
            .values()
            .filter_map(|r| {
                r.deleted_ms
                    .filter(|at| *at >= start && *at < end)
                    .map(|at| json!({ "id": r.id(), "deletedDate": sf_datetime(at) }))
            })
            .collect();
        let now = now_ms();
        let earliest = now - 15 * DAY;
        Ok::<_, ApiError>(json!({
            "deletedRecords": deleted,
            "earliestDateAvailable": sf_datetime(earliest - earliest.rem_euclid(MINUTE)),
            "latestDateCovered": latest_covered(end),
        }))
    })();
    result.map_or_else(IntoResponse::into_response, |v| Json(v).into_response())
}

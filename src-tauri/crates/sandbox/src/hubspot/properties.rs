//! The properties API: `GET /crm/v3/properties/{object}` lists an object's property
//! definitions and `…/{object}/{name}` reads one — name, label, type, fieldType, group,
//! enumeration options and modification metadata.

use super::auth::Caller;
use super::errors;
use super::render::kind_of;
use super::schema::PropDef;
use super::Hubspot;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Property definitions were "created" with the portal, long before any record.
const DEFINED_AT: &str = "2019-08-06T02:43:14.491Z";

fn definition(d: &PropDef, order: usize) -> Value {
    let options: Vec<Value> = d.options.iter().enumerate().map(|(i, (value, label))| json!({ "label": label, "value": value, "displayOrder": i, "hidden": false })).collect();
    json!({
        "name": d.name,
        "label": d.label,
        "type": d.ptype.as_str(),
        "fieldType": d.field_type,
        "description": "",
        "groupName": d.group,
        "options": options,
        "displayOrder": order,
        "calculated": d.read_only && d.name != "createdate",
        "externalOptions": false,
        "hasUniqueValue": false,
        "hidden": false,
        "hubspotDefined": true,
        "formField": !d.read_only,
        "archived": false,
        "createdAt": DEFINED_AT,
        "updatedAt": DEFINED_AT,
        "modificationMetadata": { "archivable": false, "readOnlyDefinition": true, "readOnlyValue": d.read_only },
    })
}

pub async fn list(
    State(_hs): State<Arc<Hubspot>>,
    Path(p): Path<HashMap<String, String>>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let run = || -> Result<Response, Response> {
        let kind = kind_of(&p)?;
        caller.allows_schema(kind)?;
        let results: Vec<Value> = kind
            .props()
            .iter()
            .enumerate()
            .map(|(i, d)| definition(d, i))
            .collect();
        Ok(errors::json_response(
            StatusCode::OK,
            &json!({ "results": results }),
        ))
    };
    run().unwrap_or_else(|e| e)
}

pub async fn one(
    State(_hs): State<Arc<Hubspot>>,
    Path(p): Path<HashMap<String, String>>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let run = || -> Result<Response, Response> {
        let kind = kind_of(&p)?;
        caller.allows_schema(kind)?;
        let name = p.get("name").map(String::as_str).unwrap_or_default();
        let (i, d) = kind
            .props()
            .iter()
            .enumerate()
            .find(|(_, d)| d.name == name)
            .ok_or_else(errors::not_found)?;
        Ok(errors::json_response(StatusCode::OK, &definition(d, i)))
    };
    run().unwrap_or_else(|e| e)
}

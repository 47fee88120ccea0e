//! Metadata resources: `GET /sobjects` (global describe), `GET /sobjects/{Obj}` (basic
//! information) and `GET /sobjects/{Obj}/describe` (every field with its type, length,
//! nillable / createable / updateable, unique, externalId, picklist values and
//! references, plus child relationships).

use super::api_version::Api;
use super::errors::ApiError;
use super::objects;
use super::schema::{FType, Field, SObject};
use super::sobjects::object;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};
use std::collections::HashMap;

fn urls(version: &str, obj: &SObject) -> Value {
    let base = format!("/services/data/v{version}/sobjects/{}", obj.name);
    json!({ "sobject": base, "describe": format!("{base}/describe"), "rowTemplate": format!("{base}/{{ID}}") })
}

/// The object-level entry global describe lists.
fn summary(version: &str, obj: &SObject) -> Value {
    json!({
        "name": obj.name, "label": obj.label, "labelPlural": obj.plural, "keyPrefix": obj.prefix,
        "custom": false, "createable": true, "updateable": true, "deletable": true, "undeletable": true,
        "queryable": true, "retrieveable": true, "searchable": true, "layoutable": true, "replicateable": true,
        "triggerable": true, "mergeable": obj.name != "Opportunity", "feedEnabled": true, "urls": urls(version, obj),
    })
}

fn picklist(field: &Field) -> Vec<Value> {
    let default = match (field.name, field.picklist.first()) {
        ("Status", Some(first)) => Some(*first),
        _ => None,
    };
    field.picklist.iter().map(|v| json!({ "active": true, "defaultValue": default == Some(*v), "label": v, "value": v, "validFor": null })).collect()
}

fn field(f: &Field) -> Value {
    let (precision, scale, digits) = match f.ty {
        FType::Currency => (18, 2, 0),
        FType::Double => (18, 0, 0),
        FType::Percent => (3, 0, 0),
        FType::Int => (0, 0, 9),
        _ => (0, 0, 0),
    };
    let length = if f.ty.is_text() { f.length } else { 0 };
    json!({
        "name": f.name, "label": f.label, "type": f.ty.api_name(), "soapType": f.ty.soap_type(),
        "length": length, "byteLength": length * 3, "precision": precision, "scale": scale, "digits": digits,
        "nillable": f.nillable, "createable": f.createable, "updateable": f.updateable, "defaultedOnCreate": f.defaulted,
        "unique": f.unique, "externalId": f.external_id, "idLookup": f.id_lookup(),
        "caseSensitive": false, "calculated": f.calculated, "custom": f.custom(), "nameField": f.name == "Name",
        "autoNumber": false, "filterable": f.ty != FType::Textarea || f.length <= 255, "sortable": f.ty != FType::Textarea || f.length <= 255,
        "groupable": !matches!(f.ty, FType::Textarea | FType::DateTime | FType::Double | FType::Currency | FType::Percent),
        "picklistValues": picklist(f), "restrictedPicklist": false, "dependentPicklist": false,
        "referenceTo": f.reference_to, "relationshipName": f.relationship, "cascadeDelete": false,
        "defaultValue": null, "htmlFormatted": false, "deprecatedAndHidden": false, "inlineHelpText": null,
    })
}

/// Other objects' references to `obj`, as child relationships.
fn children(obj: &SObject) -> Vec<Value> {
    objects::all()
        .iter()
        .flat_map(|child| child.fields.iter().filter(|f| f.reference_to.contains(&obj.name)).map(move |f| (child, f)))
        .map(|(child, f)| {
            let relationship = if f.name == "AccountId" { Value::String(child.plural.to_owned()) } else { Value::Null };
            json!({ "childSObject": child.name, "field": f.name, "relationshipName": relationship, "cascadeDelete": false })
        })
        .collect()
}

pub async fn global(Extension(api): Extension<Api>) -> Json<Value> {
    let sobjects: Vec<Value> = objects::all()
        .iter()
        .map(|o| summary(&api.version, o))
        .collect();
    Json(json!({ "encoding": "UTF-8", "maxBatchSize": 200, "sobjects": sobjects }))
}

pub async fn basic(
    Extension(api): Extension<Api>,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    match object(&params) {
        Ok(obj) => Json(json!({ "objectDescribe": summary(&api.version, obj), "recentItems": [] }))
            .into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn describe(
    Extension(api): Extension<Api>,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let Ok(obj) = object(&params) else {
        return ApiError::not_found().into_response();
    };
    let mut body = summary(&api.version, obj);
    if let Some(map) = body.as_object_mut() {
        map.insert(
            "fields".into(),
            Value::Array(obj.fields.iter().map(field).collect()),
        );
        map.insert("childRelationships".into(), Value::Array(children(obj)));
        map.insert("recordTypeInfos".into(), json!([]));
    }
    Json(body).into_response()
}

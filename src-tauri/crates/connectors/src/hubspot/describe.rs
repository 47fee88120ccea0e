//! HubSpot schema discovery: the properties API (`GET /crm/v3/properties/{object}`),
//! read through the cache, turned into field specs. Contacts' `email` is unique (HubSpot
//! de-duplicates by it); tickets need a pipeline and a stage.

use super::Hubspot;
use crate::api::Request;
use crate::connector::ConnectorError;
use crate::schema::{FieldSpec, FieldType, ObjectSpec, ObjectSummary, PicklistOption};
use serde_json::Value as Json;

pub const OBJECTS: &[(&str, &str)] = &[
    ("contacts", "Contacts"),
    ("companies", "Companies"),
    ("deals", "Deals"),
    ("tickets", "Tickets"),
];

pub fn objects() -> Vec<ObjectSummary> {
    OBJECTS
        .iter()
        .map(|(name, label)| ObjectSummary {
            name: (*name).to_owned(),
            label: (*label).to_owned(),
            writable: true,
        })
        .collect()
}

/// Contacts keep `lastmodifieddate`; the other objects `hs_lastmodifieddate`.
pub fn modified_field(object: &str) -> &'static str {
    if object == "contacts" {
        "lastmodifieddate"
    } else {
        "hs_lastmodifieddate"
    }
}

pub async fn describe(hs: &Hubspot, object: &str) -> Result<ObjectSpec, ConnectorError> {
    let Some((_, label)) = OBJECTS.iter().find(|(name, _)| *name == object) else {
        return Err(ConnectorError::UnknownObject(object.to_owned()));
    };
    let url = format!("{}/crm/v3/properties/{object}", hs.base);
    let body = hs
        .api
        .cached(
            "describe",
            object,
            Request::get(url, "/crm/v3/properties/{object}"),
        )
        .await?;
    let fields = body
        .get("results")
        .and_then(Json::as_array)
        .ok_or_else(|| ConnectorError::unexpected("properties without results"))?
        .iter()
        .filter(|p| !p.get("archived").and_then(Json::as_bool).unwrap_or(false))
        .filter_map(|p| field(object, p))
        .collect();
    Ok(ObjectSpec {
        name: object.to_owned(),
        label: (*label).to_owned(),
        id_field: "hs_object_id".into(),
        modified_field: modified_field(object).into(),
        writable: true,
        fields,
    })
}

fn field_type(name: &str, ty: &str, field_type: &str) -> FieldType {
    match (ty, field_type) {
        _ if name == "hs_object_id" => FieldType::Id,
        _ if name == "email" => FieldType::Email,
        ("bool", _) | (_, "booleancheckbox") => FieldType::Bool,
        ("number", _) => FieldType::Number,
        ("date", _) => FieldType::Date,
        ("datetime", _) => FieldType::DateTime,
        ("enumeration", "checkbox") => FieldType::MultiPicklist,
        ("enumeration", _) => FieldType::Picklist,
        (_, "textarea") => FieldType::LongText,
        (_, "phonenumber") => FieldType::Phone,
        _ => FieldType::Text,
    }
}

fn field(object: &str, p: &Json) -> Option<FieldSpec> {
    let name = p.get("name")?.as_str()?;
    let s = |k: &str| p.get(k).and_then(Json::as_str).unwrap_or_default();
    let ty = field_type(name, s("type"), s("fieldType"));
    let mut spec = FieldSpec::new(
        name,
        p.get("label").and_then(Json::as_str).unwrap_or(name),
        ty,
    );
    let read_only = p
        .pointer("/modificationMetadata/readOnlyValue")
        .and_then(Json::as_bool)
        .unwrap_or(false)
        || p.get("calculated").and_then(Json::as_bool).unwrap_or(false);
    spec.createable = !read_only;
    spec.updateable = !read_only;
    spec.unique = p
        .get("hasUniqueValue")
        .and_then(Json::as_bool)
        .unwrap_or(false)
        || ty == FieldType::Id
        || (object == "contacts" && name == "email");
    // `idProperty` of a batch upsert: a unique-value property (the record id is not one).
    spec.upsert_key = spec.unique && ty != FieldType::Id;
    spec.custom = !p
        .get("hubspotDefined")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    spec.required = object == "tickets" && matches!(name, "hs_pipeline" | "hs_pipeline_stage");
    spec.nillable = !spec.required;
    spec.picklist = p
        .get("options")
        .and_then(Json::as_array)
        .map(|options| {
            options
                .iter()
                .filter(|o| !o.get("hidden").and_then(Json::as_bool).unwrap_or(false))
                .filter_map(|o| {
                    let value = o.get("value")?.as_str()?.to_owned();
                    let label = o
                        .get("label")
                        .and_then(Json::as_str)
                        .unwrap_or(&value)
                        .to_owned();
                    Some(PicklistOption { value, label })
                })
                .collect()
        })
        .unwrap_or_default();
    if ty == FieldType::Bool {
        spec.picklist.clear();
    }
    Some(spec)
}

//! Salesforce schema discovery: `GET /sobjects/{Obj}/describe`, read through the cache
//! (one call per object per hour), turned into Switchyard's field specs.

use super::Salesforce;
use crate::api::Request;
use crate::connector::ConnectorError;
use crate::schema::{FieldSpec, FieldType, ObjectSpec, ObjectSummary, PicklistOption};
use serde_json::Value as Json;

/// The objects Switchyard syncs on Salesforce.
pub const OBJECTS: &[(&str, &str)] = &[
    ("Lead", "Leads"),
    ("Contact", "Contacts"),
    ("Account", "Accounts"),
    ("Opportunity", "Opportunities"),
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

pub async fn describe(sf: &Salesforce, object: &str) -> Result<ObjectSpec, ConnectorError> {
    if !OBJECTS.iter().any(|(name, _)| *name == object) {
        return Err(ConnectorError::UnknownObject(object.to_owned()));
    }
    let url = format!("{}/sobjects/{object}/describe", sf.data_url());
    let body = sf
        .api
        .cached(
            "describe",
            object,
            Request::get(url, "/services/data/{version}/sobjects/{object}/describe"),
        )
        .await?;
    parse(object, &body)
}

fn field_type(t: &str) -> FieldType {
    match t {
        "id" => FieldType::Id,
        "reference" => FieldType::Reference,
        "textarea" => FieldType::LongText,
        "email" => FieldType::Email,
        "phone" => FieldType::Phone,
        "url" => FieldType::Url,
        "picklist" | "combobox" => FieldType::Picklist,
        "multipicklist" => FieldType::MultiPicklist,
        "boolean" => FieldType::Bool,
        "int" => FieldType::Int,
        "double" | "long" => FieldType::Number,
        "currency" => FieldType::Currency,
        "percent" => FieldType::Percent,
        "date" => FieldType::Date,
        "datetime" => FieldType::DateTime,
        _ => FieldType::Text,
    }
}

fn flag(f: &Json, key: &str) -> bool {
    f.get(key).and_then(Json::as_bool).unwrap_or(false)
}

fn field(f: &Json) -> Option<FieldSpec> {
    let name = f.get("name")?.as_str()?;
    let ty = field_type(f.get("type").and_then(Json::as_str).unwrap_or("string"));
    let mut spec = FieldSpec::new(
        name,
        f.get("label").and_then(Json::as_str).unwrap_or(name),
        ty,
    );
    spec.createable = flag(f, "createable");
    spec.updateable = flag(f, "updateable");
    spec.nillable = flag(f, "nillable");
    spec.required = spec.createable && !spec.nillable && !flag(f, "defaultedOnCreate");
    spec.unique = flag(f, "unique") || ty == FieldType::Id;
    spec.external_id = flag(f, "externalId");
    // Upsert keys: external-id fields, and on standard objects any field with idLookup
    // (the Id itself only forces a create, so it is not one).
    spec.upsert_key = ty != FieldType::Id && (spec.external_id || flag(f, "idLookup"));
    spec.custom = flag(f, "custom");
    spec.length = f
        .get("length")
        .and_then(Json::as_u64)
        .filter(|l| *l > 0)
        .and_then(|l| u32::try_from(l).ok());
    spec.picklist = f
        .get("picklistValues")
        .and_then(Json::as_array)
        .map(|values| {
            values
                .iter()
                .filter(|v| v.get("active").and_then(Json::as_bool).unwrap_or(true))
                .filter_map(|v| {
                    let value = v.get("value")?.as_str()?.to_owned();
                    let label = v
                        .get("label")
                        .and_then(Json::as_str)
                        .unwrap_or(&value)
                        .to_owned();
                    Some(PicklistOption { value, label })
                })
                .collect()
        })
        .unwrap_or_default();
    // A picklist's default is the active value marked `defaultValue`; other fields may
    // carry a literal `defaultValue`.
    spec.default_value = f
        .get("picklistValues")
        .and_then(Json::as_array)
        .and_then(|values| {
            values.iter().find(|v| {
                flag(v, "defaultValue") && v.get("active").and_then(Json::as_bool).unwrap_or(true)
            })
        })
        .and_then(|v| v.get("value")?.as_str().map(str::to_owned))
        .or_else(|| match f.get("defaultValue")? {
            Json::String(s) => Some(s.clone()),
            Json::Bool(b) => Some(b.to_string()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        });
    spec.reference_to = f
        .get("referenceTo")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Some(spec)
}

pub fn parse(object: &str, body: &Json) -> Result<ObjectSpec, ConnectorError> {
    let fields: Vec<FieldSpec> = body
        .get("fields")
        .and_then(Json::as_array)
        .ok_or_else(|| ConnectorError::unexpected("describe without fields"))?
        .iter()
        .filter_map(field)
        .collect();
    Ok(ObjectSpec {
        name: object.to_owned(),
        label: body
            .get("label")
            .and_then(Json::as_str)
            .unwrap_or(object)
            .to_owned(),
        id_field: "Id".into(),
        modified_field: "SystemModstamp".into(),
        writable: flag(body, "createable") || flag(body, "updateable"),
        fields,
    })
}

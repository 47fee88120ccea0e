//! What a connected account holds, as discovered from the provider (Salesforce describe,
//! HubSpot properties, QuickBooks' documented entity fields): objects, their fields,
//! each field's canonical type and the facts a mapping is validated against (required on
//! create, read-only, unique, external id, picklist values).

use serde::{Deserialize, Serialize};

/// A field's type in Switchyard's one value model; each provider's own type names map here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// The record's own id.
    Id,
    /// The id of another record.
    Reference,
    Text,
    LongText,
    Email,
    Phone,
    Url,
    Picklist,
    MultiPicklist,
    Bool,
    Int,
    Number,
    Currency,
    Percent,
    Date,
    DateTime,
}

impl FieldType {
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Self::Id
                | Self::Reference
                | Self::Text
                | Self::LongText
                | Self::Email
                | Self::Phone
                | Self::Url
                | Self::Picklist
                | Self::MultiPicklist
        )
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            Self::Int | Self::Number | Self::Currency | Self::Percent
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PicklistOption {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpec {
    /// The API name; nested QuickBooks fields use a dotted path (`PrimaryEmailAddr.Address`).
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Must be given on create (not nillable and not defaulted by the provider).
    pub required: bool,
    /// May be emptied. A defaulted field can be required to hold a value yet not be
    /// required on create (Salesforce Lead `Status`).
    pub nillable: bool,
    pub createable: bool,
    pub updateable: bool,
    /// Unique across the object (usable as a match key).
    pub unique: bool,
    /// An external-id field (Salesforce upserts by it).
    pub external_id: bool,
    /// Records can be written by upsert on this field: created or updated in one call,
    /// with no look-up first (Salesforce external-id fields, HubSpot unique-value
    /// properties and contacts' `email`; QuickBooks has no upsert).
    #[serde(default)]
    pub upsert_key: bool,
    /// Maximum length of text values, when the provider says.
    pub length: Option<u32>,
    /// The allowed values of a picklist; empty for other types.
    pub picklist: Vec<PicklistOption>,
    /// Objects a reference field points at.
    pub reference_to: Vec<String>,
    /// Defined by the account (Salesforce `__c`, HubSpot non-HubSpot-defined).
    pub custom: bool,
    /// What the provider fills in on create when no value is given (a picklist's default
    /// value, such as Salesforce Lead `Status`), when it says.
    #[serde(default)]
    pub default_value: Option<String>,
}

impl FieldSpec {
    /// A plain, writable, optional field of `ty`.
    pub fn new(name: &str, label: &str, ty: FieldType) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            ty,
            required: false,
            nillable: true,
            createable: true,
            updateable: true,
            unique: false,
            external_id: false,
            upsert_key: false,
            length: None,
            picklist: Vec::new(),
            reference_to: Vec::new(),
            custom: false,
            default_value: None,
        }
    }

    /// Neither createable nor updateable (ids, system timestamps, calculated fields).
    pub fn read_only(&self) -> bool {
        !self.createable && !self.updateable
    }

    pub fn allows(&self, picklist_value: &str) -> bool {
        self.picklist.is_empty() || self.picklist.iter().any(|o| o.value == picklist_value)
    }
}

/// An object a connector can read (and maybe write), as listed before it is described.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ObjectSummary {
    pub name: String,
    pub label: String,
    pub writable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ObjectSpec {
    pub name: String,
    pub label: String,
    /// The id field (`Id`, `hs_object_id`).
    pub id_field: String,
    /// The field incremental reads order and filter by (`SystemModstamp`,
    /// `lastmodifieddate` / `hs_lastmodifieddate`, `MetaData.LastUpdatedTime`).
    pub modified_field: String,
    pub writable: bool,
    pub fields: Vec<FieldSpec>,
}

impl ObjectSpec {
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

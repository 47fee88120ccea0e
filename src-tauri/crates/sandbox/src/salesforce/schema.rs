//! The sandbox org's metadata: the four objects it serves (Lead, Contact, Account,
//! Opportunity) and their fields with the attributes describe reports (type, length,
//! nillable, createable, updateable, unique, externalId, picklist values, references).
//! Validation, SOQL and describe all read this one table. Every object starts with the
//! same eight system fields, so their positions are constants.

use std::collections::HashMap;
use std::sync::LazyLock;

pub const F_ID: usize = 0;
pub const F_IS_DELETED: usize = 1;
pub const F_OWNER: usize = 2;
pub const F_CREATED: usize = 3;
pub const F_CREATED_BY: usize = 4;
pub const F_MODIFIED: usize = 5;
pub const F_MODIFIED_BY: usize = 6;
pub const F_MODSTAMP: usize = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FType {
    Id,
    Reference,
    String,
    Textarea,
    Email,
    Phone,
    Url,
    Picklist,
    Boolean,
    Date,
    DateTime,
    Double,
    Currency,
    Percent,
    Int,
}

impl FType {
    /// The `type` describe reports.
    pub fn api_name(self) -> &'static str {
        match self {
            FType::Id => "id",
            FType::Reference => "reference",
            FType::String => "string",
            FType::Textarea => "textarea",
            FType::Email => "email",
            FType::Phone => "phone",
            FType::Url => "url",
            FType::Picklist => "picklist",
            FType::Boolean => "boolean",
            FType::Date => "date",
            FType::DateTime => "datetime",
            FType::Double => "double",
            FType::Currency => "currency",
            FType::Percent => "percent",
            FType::Int => "int",
        }
    }

    pub fn soap_type(self) -> &'static str {
        match self {
            FType::Id | FType::Reference => "tns:ID",
            FType::Boolean => "xsd:boolean",
            FType::Date => "xsd:date",
            FType::DateTime => "xsd:dateTime",
            FType::Double | FType::Currency | FType::Percent => "xsd:double",
            FType::Int => "xsd:int",
            _ => "xsd:string",
        }
    }

    /// Values held and compared as text (case-insensitively in SOQL).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FType::Id
                | FType::Reference
                | FType::String
                | FType::Textarea
                | FType::Email
                | FType::Phone
                | FType::Url
                | FType::Picklist
        )
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            FType::Double | FType::Currency | FType::Percent | FType::Int
        )
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub ty: FType,
    pub length: u32,
    pub nillable: bool,
    pub createable: bool,
    pub updateable: bool,
    pub unique: bool,
    pub external_id: bool,
    /// Filled in on create when the request leaves it out.
    pub defaulted: bool,
    pub calculated: bool,
    pub picklist: &'static [&'static str],
    pub reference_to: &'static [&'static str],
    pub relationship: Option<&'static str>,
}

impl Field {
    pub(super) fn new(name: &'static str, label: &'static str, ty: FType) -> Self {
        let length = match ty {
            FType::Id | FType::Reference => 18,
            FType::Email => 80,
            FType::Phone => 40,
            FType::Url | FType::String | FType::Picklist => 255,
            FType::Textarea => 32_000,
            _ => 0,
        };
        let boolean = ty == FType::Boolean;
        Self {
            name,
            label,
            ty,
            length,
            nillable: !boolean,
            createable: true,
            updateable: true,
            unique: false,
            external_id: false,
            defaulted: boolean,
            calculated: false,
            picklist: &[],
            reference_to: &[],
            relationship: None,
        }
    }
    pub(super) fn len(mut self, length: u32) -> Self {
        self.length = length;
        self
    }
    /// Required on create: not nillable and not defaulted.
    pub(super) fn required(mut self) -> Self {
        self.nillable = false;
        self
    }
    pub(super) fn read_only(mut self) -> Self {
        self.createable = false;
        self.updateable = false;
        self
    }
    pub(super) fn calc(self) -> Self {
        Self {
            calculated: true,
            ..self.read_only()
        }
    }
    pub(super) fn defaulted(mut self) -> Self {
        self.defaulted = true;
        self.nillable = false;
        self
    }
    pub(super) fn external(mut self, unique: bool) -> Self {
        self.external_id = true;
        self.unique = unique;
        self
    }
    pub(super) fn values(mut self, values: &'static [&'static str]) -> Self {
        self.picklist = values;
        self
    }
    pub(super) fn refs(mut self, to: &'static [&'static str], relationship: &'static str) -> Self {
        self.reference_to = to;
        self.relationship = Some(relationship);
        self
    }
    pub fn custom(&self) -> bool {
        self.name.ends_with("__c")
    }
}

#[derive(Debug)]
pub struct SObject {
    pub name: &'static str,
    pub label: &'static str,
    pub plural: &'static str,
    pub prefix: &'static str,
    pub fields: Vec<Field>,
    by_name: HashMap<String, usize>,
}

impl PartialEq for SObject {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl SObject {
    pub(super) fn new(
        name: &'static str,
        label: &'static str,
        plural: &'static str,
        prefix: &'static str,
        own: Vec<Field>,
    ) -> Self {
        let mut fields = super::objects::system_fields(label);
        fields.extend(own);
        let by_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.to_ascii_lowercase(), i))
            .collect();
        Self {
            name,
            label,
            plural,
            prefix,
            fields,
            by_name,
        }
    }

    /// A field by name, case-insensitively, with its position in every record.
    pub fn field(&self, name: &str) -> Option<(usize, &Field)> {
        let i = *self.by_name.get(&name.to_ascii_lowercase())?;
        Some((i, &self.fields[i]))
    }

    /// The reference field whose relationship name is `rel` (`Account` → `AccountId`).
    pub fn relationship(&self, rel: &str) -> Option<(usize, &Field)> {
        self.fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.relationship.is_some_and(|r| r.eq_ignore_ascii_case(rel)))
    }
}

static OBJECTS: LazyLock<Vec<SObject>> = LazyLock::new(|| {
    use super::objects::{account, contact, lead, opportunity};
    vec![account(), contact(), lead(), opportunity()]
});

/// Every object, in the order global describe lists them.
pub fn all() -> &'static [SObject] {
    &OBJECTS
}

/// An object by API name, case-insensitively.
pub fn find(name: &str) -> Option<&'static SObject> {
    OBJECTS.iter().find(|o| o.name.eq_ignore_ascii_case(name))
}

/// The object an id belongs to, by its key prefix.
pub fn by_prefix(id: &str) -> Option<&'static SObject> {
    OBJECTS.iter().find(|o| id.starts_with(o.prefix))
}

/// Position of an object in [`all`] (and in the store's tables).
pub fn position(obj: &SObject) -> usize {
    OBJECTS.iter().position(|o| o.name == obj.name).unwrap_or(0)
}

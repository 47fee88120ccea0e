//! The sandbox org's metadata: the four objects it serves (Lead, Contact, Account,
//! Opportunity) and their fields with the attributes describe reports (type, length,
//! nillable, createable, updateable, unique, externalId, picklist values, references).
//! Validation, SOQL and describe all read this one table. Every object starts with the
//! same eight system fields, so their positions are constants.

use std::collections::HashMap;

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
    /// Can name the record in an upsert (describe's `idLookup`): the id, external ids
    /// and emails.
    pub fn id_lookup(&self) -> bool {
        self.ty == FType::Id || self.external_id || self.ty == FType::Email
    }
}

/// The eight fields every object starts with, at the positions `F_*` name.
fn system_fields(label: &'static str) -> Vec<Field> {
    use FType::*;
    let id_label: &'static str = match label {
        "Lead" => "Lead ID",
        "Contact" => "Contact ID",
        "Account" => "Account ID",
        _ => "Opportunity ID",
    };
    vec![
        Field::new("Id", id_label, Id).read_only().defaulted(),
        Field::new("IsDeleted", "Deleted", Boolean).read_only(),
        Field::new("OwnerId", "Owner ID", Reference)
            .defaulted()
            .refs(&["User"], "Owner"),
        Field::new("CreatedDate", "Created Date", DateTime)
            .read_only()
            .defaulted(),
        Field::new("CreatedById", "Created By ID", Reference)
            .read_only()
            .defaulted()
            .refs(&["User"], "CreatedBy"),
        Field::new("LastModifiedDate", "Last Modified Date", DateTime)
            .read_only()
            .defaulted(),
        Field::new("LastModifiedById", "Last Modified By ID", Reference)
            .read_only()
            .defaulted()
            .refs(&["User"], "LastModifiedBy"),
        Field::new("SystemModstamp", "System Modstamp", DateTime)
            .read_only()
            .defaulted(),
    ]
}

#[derive(Debug)]
pub struct SObject {
    pub name: &'static str,
    pub label: &'static str,
    pub plural: &'static str,
    pub prefix: &'static str,
    pub fields: Vec<Field>,
    by_name: HashMap<String, usize>,
    /// The same by exact API name (sorted), which is how nearly every request spells
    /// them: a binary search, no lower-cased copy.
    exact: Vec<(&'static str, usize)>,
    /// (FirstName, LastName, Name) where the full name is derived from the parts.
    pub full_name: Option<(usize, usize, usize)>,
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
        let mut fields = system_fields(label);
        fields.extend(own);
        let by_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.to_ascii_lowercase(), i))
            .collect();
        let mut exact: Vec<(&'static str, usize)> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name, i))
            .collect();
        exact.sort_unstable();
        let at = |n: &str| fields.iter().position(|f| f.name == n);
        let full_name = match (at("FirstName"), at("LastName"), at("Name")) {
            (Some(first), Some(last), Some(full)) => Some((first, last, full)),
            _ => None,
        };
        Self {
            name,
            label,
            plural,
            prefix,
            fields,
            by_name,
            exact,
            full_name,
        }
    }

    /// A field by name, case-insensitively, with its position in every record: exact
    /// names by binary search, other spellings through the lower-cased map.
    pub fn field(&self, name: &str) -> Option<(usize, &Field)> {
        let i = match self.exact.binary_search_by(|(n, _)| (*n).cmp(name)) {
            Ok(at) => self.exact[at].1,
            Err(_) => *self.by_name.get(&name.to_ascii_lowercase())?,
        };
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

#[cfg(test)]
mod tests {
    use super::super::objects;

    #[test]
    fn fields_are_found_by_exact_and_by_other_spellings() {
        for obj in objects::all() {
            for (i, f) in obj.fields.iter().enumerate() {
                assert_eq!(obj.field(f.name).map(|(p, _)| p), Some(i), "{}", f.name);
                let upper = f.name.to_ascii_uppercase();
                assert_eq!(obj.field(&upper).map(|(p, _)| p), Some(i), "{upper}");
            }
            assert!(obj.field("Nope__c").is_none());
        }
    }
}

//! The four objects the sandbox org serves and their fields, as describe reports them,
//! and finding one by name or by the key prefix of its ids. Every object starts with the
//! same eight system fields (`schema::F_*`).

use super::picklists::{
    ACCOUNT_TYPE, INDUSTRY, LEAD_SOURCE, LEAD_STATUS, OPPORTUNITY_TYPE, STAGE_NAMES,
};
use super::schema::{FType, Field, SObject};
use std::sync::LazyLock;

pub fn lead() -> SObject {
    use FType::*;
    SObject::new(
        "Lead",
        "Lead",
        "Leads",
        "00Q",
        vec![
            Field::new("FirstName", "First Name", String).len(40),
            Field::new("LastName", "Last Name", String)
                .len(80)
                .required(),
            Field::new("Name", "Full Name", String).len(121).calc(),
            Field::new("Company", "Company", String).required(),
            Field::new("Title", "Title", String).len(128),
            Field::new("Email", "Email", Email),
            Field::new("Phone", "Phone", Phone),
            Field::new("LeadSource", "Lead Source", Picklist).values(LEAD_SOURCE),
            Field::new("Status", "Status", Picklist)
                .values(LEAD_STATUS)
                .defaulted(),
            Field::new("Industry", "Industry", Picklist).values(INDUSTRY),
            Field::new("Street", "Street", Textarea).len(255),
            Field::new("City", "City", String).len(40),
            Field::new("State", "State/Province", String).len(80),
            Field::new("PostalCode", "Zip/Postal Code", String).len(20),
            Field::new("Description", "Description", Textarea),
            Field::new("IsConverted", "Converted", Boolean).read_only(),
            Field::new("ConvertedDate", "Converted Date", Date).read_only(),
            Field::new("ConvertedAccountId", "Converted Account ID", Reference)
                .read_only()
                .refs(&["Account"], "ConvertedAccount"),
            Field::new("ConvertedContactId", "Converted Contact ID", Reference)
                .read_only()
                .refs(&["Contact"], "ConvertedContact"),
        ],
    )
}

pub fn contact() -> SObject {
    use FType::*;
    SObject::new(
        "Contact",
        "Contact",
        "Contacts",
        "003",
        vec![
            Field::new("FirstName", "First Name", String).len(40),
            Field::new("LastName", "Last Name", String)
                .len(80)
                .required(),
            Field::new("Name", "Full Name", String).len(121).calc(),
            Field::new("AccountId", "Account ID", Reference).refs(&["Account"], "Account"),
            Field::new("Title", "Title", String).len(128),
            Field::new("Email", "Email", Email),
            Field::new("Phone", "Business Phone", Phone),
            Field::new("LeadSource", "Lead Source", Picklist).values(LEAD_SOURCE),
            Field::new("MailingStreet", "Mailing Street", Textarea).len(255),
            Field::new("MailingCity", "Mailing City", String).len(40),
            Field::new("MailingState", "Mailing State/Province", String).len(80),
            Field::new("MailingPostalCode", "Mailing Zip/Postal Code", String).len(20),
            Field::new("Description", "Contact Description", Textarea),
            Field::new("ExtId__c", "External ID", String).external(true),
            Field::new("LegacyId__c", "Legacy ID", String)
                .len(80)
                .external(false),
        ],
    )
}

pub fn account() -> SObject {
    use FType::*;
    SObject::new(
        "Account",
        "Account",
        "Accounts",
        "001",
        vec![
            Field::new("Name", "Account Name", String).required(),
            Field::new("Type", "Account Type", Picklist).values(ACCOUNT_TYPE),
            Field::new("Industry", "Industry", Picklist).values(INDUSTRY),
            Field::new("Website", "Website", Url),
            Field::new("Phone", "Account Phone", Phone),
            Field::new("BillingStreet", "Billing Street", Textarea).len(255),
            Field::new("BillingCity", "Billing City", String).len(40),
            Field::new("BillingState", "Billing State/Province", String).len(80),
            Field::new("BillingPostalCode", "Billing Zip/Postal Code", String).len(20),
            Field::new("NumberOfEmployees", "Employees", Int),
            Field::new("AnnualRevenue", "Annual Revenue", Currency),
            Field::new("Description", "Account Description", Textarea),
            Field::new("ExtId__c", "External ID", String).external(true),
            Field::new("LegacyId__c", "Legacy ID", String)
                .len(80)
                .external(false),
        ],
    )
}

pub fn opportunity() -> SObject {
    use FType::*;
    SObject::new(
        "Opportunity",
        "Opportunity",
        "Opportunities",
        "006",
        vec![
            Field::new("Name", "Name", String).len(120).required(),
            Field::new("AccountId", "Account ID", Reference).refs(&["Account"], "Account"),
            Field::new("StageName", "Stage", Picklist)
                .values(STAGE_NAMES)
                .required(),
            Field::new("CloseDate", "Close Date", Date).required(),
            Field::new("Amount", "Amount", Currency),
            Field::new("Probability", "Probability (%)", Percent),
            Field::new("TotalOpportunityQuantity", "Quantity", Double),
            Field::new("Type", "Opportunity Type", Picklist).values(OPPORTUNITY_TYPE),
            Field::new("LeadSource", "Lead Source", Picklist).values(LEAD_SOURCE),
            Field::new("NextStep", "Next Step", String),
            Field::new("Description", "Description", Textarea),
            Field::new("IsClosed", "Closed", Boolean).calc(),
            Field::new("IsWon", "Won", Boolean).calc(),
        ],
    )
}

static OBJECTS: LazyLock<Vec<SObject>> =
    LazyLock::new(|| vec![account(), contact(), lead(), opportunity()]);

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

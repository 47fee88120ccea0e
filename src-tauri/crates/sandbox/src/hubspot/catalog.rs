//! The standard properties of each object and their definitions: name, label, type,
//! field type, group and enumeration options (lifecycle stages, lead statuses, deal and
//! ticket pipelines and stages, ticket priorities), as the properties API reports them.

/// A HubSpot property type as the properties API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PType {
    String,
    Number,
    /// Date-only values (midnight UTC); none of the standard properties served here has
    /// this type, but custom properties do and values are parsed accordingly.
    #[allow(dead_code)]
    Date,
    DateTime,
    Enumeration,
    Bool,
}

impl PType {
    pub fn as_str(self) -> &'static str {
        match self {
            PType::String => "string",
            PType::Number => "number",
            PType::Date => "date",
            PType::DateTime => "datetime",
            PType::Enumeration => "enumeration",
            PType::Bool => "bool",
        }
    }
}

#[derive(Debug)]
pub struct PropDef {
    pub name: &'static str,
    pub label: &'static str,
    pub ptype: PType,
    pub field_type: &'static str,
    pub group: &'static str,
    /// `(value, label)` for enumerations.
    pub options: &'static [(&'static str, &'static str)],
    /// Computed by HubSpot; writes to it are ignored.
    pub read_only: bool,
}

const fn p(
    name: &'static str,
    label: &'static str,
    ptype: PType,
    field_type: &'static str,
    group: &'static str,
) -> PropDef {
    PropDef {
        name,
        label,
        ptype,
        field_type,
        group,
        options: &[],
        read_only: false,
    }
}

const fn e(
    name: &'static str,
    label: &'static str,
    field_type: &'static str,
    group: &'static str,
    options: &'static [(&'static str, &'static str)],
) -> PropDef {
    PropDef {
        name,
        label,
        ptype: PType::Enumeration,
        field_type,
        group,
        options,
        read_only: false,
    }
}

const fn ro(
    name: &'static str,
    label: &'static str,
    ptype: PType,
    field_type: &'static str,
    group: &'static str,
) -> PropDef {
    PropDef {
        name,
        label,
        ptype,
        field_type,
        group,
        options: &[],
        read_only: true,
    }
}

pub const LIFECYCLE: &[(&str, &str)] = &[
    ("subscriber", "Subscriber"),
    ("lead", "Lead"),
    ("marketingqualifiedlead", "Marketing Qualified Lead"),
    ("salesqualifiedlead", "Sales Qualified Lead"),
    ("opportunity", "Opportunity"),
    ("customer", "Customer"),
    ("evangelist", "Evangelist"),
    ("other", "Other"),
];

/// `[UNCONFIRMED]` in the reference: the option list of `hs_lead_status`.
pub const LEAD_STATUS: &[(&str, &str)] = &[
    ("NEW", "New"),
    ("OPEN", "Open"),
    ("IN_PROGRESS", "In Progress"),
    ("OPEN_DEAL", "Open Deal"),
    ("UNQUALIFIED", "Unqualified"),
    ("ATTEMPTED_TO_CONTACT", "Attempted to Contact"),
    ("CONNECTED", "Connected"),
    ("BAD_TIMING", "Bad Timing"),
];

pub const DEAL_STAGES: &[(&str, &str)] = &[
    ("appointmentscheduled", "Appointment Scheduled"),
    ("qualifiedtobuy", "Qualified To Buy"),
    ("presentationscheduled", "Presentation Scheduled"),
    ("decisionmakerboughtin", "Decision Maker Bought-In"),
    ("contractsent", "Contract Sent"),
    ("closedwon", "Closed Won"),
    ("closedlost", "Closed Lost"),
];

pub const DEAL_PIPELINES: &[(&str, &str)] = &[("default", "Sales Pipeline")];
pub const TICKET_PIPELINES: &[(&str, &str)] = &[("0", "Support Pipeline")];
pub const TICKET_STAGES: &[(&str, &str)] = &[
    ("1", "New"),
    ("2", "Waiting on contact"),
    ("3", "Waiting on us"),
    ("4", "Closed"),
];
pub const TICKET_PRIORITIES: &[(&str, &str)] =
    &[("LOW", "Low"), ("MEDIUM", "Medium"), ("HIGH", "High")];

#[rustfmt::skip]
pub const CONTACT_PROPS: &[PropDef] = &[
    p("firstname", "First Name", PType::String, "text", "contactinformation"),
    p("lastname", "Last Name", PType::String, "text", "contactinformation"),
    p("email", "Email", PType::String, "text", "contactinformation"),
    p("phone", "Phone Number", PType::String, "phonenumber", "contactinformation"),
    p("company", "Company Name", PType::String, "text", "contactinformation"),
    p("jobtitle", "Job Title", PType::String, "text", "contactinformation"),
    e("hs_lead_status", "Lead Status", "radio", "sales_properties", LEAD_STATUS),
    e("lifecyclestage", "Lifecycle Stage", "radio", "contactinformation", LIFECYCLE),
    ro("createdate", "Create Date", PType::DateTime, "date", "contactinformation"),
    ro("lastmodifieddate", "Last Modified Date", PType::DateTime, "date", "contactinformation"),
    ro("hs_object_id", "Record ID", PType::Number, "number", "contactinformation"),
];

#[rustfmt::skip]
pub const COMPANY_PROPS: &[PropDef] = &[
    p("name", "Company name", PType::String, "text", "companyinformation"),
    p("domain", "Company Domain Name", PType::String, "text", "companyinformation"),
    p("phone", "Phone Number", PType::String, "phonenumber", "companyinformation"),
    p("address", "Street Address", PType::String, "text", "companyinformation"),
    p("city", "City", PType::String, "text", "companyinformation"),
    p("state", "State/Region", PType::String, "text", "companyinformation"),
    p("zip", "Postal Code", PType::String, "text", "companyinformation"),
    ro("createdate", "Create Date", PType::DateTime, "date", "companyinformation"),
    ro("hs_lastmodifieddate", "Last Modified Date", PType::DateTime, "date", "companyinformation"),
    ro("hs_object_id", "Record ID", PType::Number, "number", "companyinformation"),
];

#[rustfmt::skip]
pub const DEAL_PROPS: &[PropDef] = &[
    p("dealname", "Deal Name", PType::String, "text", "dealinformation"),
    p("amount", "Amount", PType::Number, "number", "dealinformation"),
    e("dealstage", "Deal Stage", "radio", "dealinformation", DEAL_STAGES),
    e("pipeline", "Pipeline", "select", "dealinformation", DEAL_PIPELINES),
    p("closedate", "Close Date", PType::DateTime, "date", "dealinformation"),
    ro("hs_is_closed", "Is Deal Closed?", PType::Bool, "booleancheckbox", "dealinformation"),
    ro("createdate", "Create Date", PType::DateTime, "date", "dealinformation"),
    ro("hs_lastmodifieddate", "Last Modified Date", PType::DateTime, "date", "dealinformation"),
    ro("hs_object_id", "Record ID", PType::Number, "number", "dealinformation"),
];

#[rustfmt::skip]
pub const TICKET_PROPS: &[PropDef] = &[
    p("subject", "Ticket name", PType::String, "text", "ticketinformation"),
    p("content", "Ticket description", PType::String, "textarea", "ticketinformation"),
    e("hs_pipeline", "Pipeline", "select", "ticketinformation", TICKET_PIPELINES),
    e("hs_pipeline_stage", "Ticket status", "select", "ticketinformation", TICKET_STAGES),
    e("hs_ticket_priority", "Priority", "select", "ticketinformation", TICKET_PRIORITIES),
    ro("createdate", "Create date", PType::DateTime, "date", "ticketinformation"),
    ro("hs_lastmodifieddate", "Last Modified Date", PType::DateTime, "date", "ticketinformation"),
    ro("hs_object_id", "Record ID", PType::Number, "number", "ticketinformation"),
];

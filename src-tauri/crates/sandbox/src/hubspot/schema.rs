//! The CRM objects this simulator serves: how paths name them (plural, singular or
//! object type id `0-1` …), their default properties, the last-modified property
//! (contacts `lastmodifieddate`, others `hs_lastmodifieddate`), the properties a free-text
//! search looks in, and the OAuth scopes each object needs.

pub use super::catalog::{PType, PropDef};
use super::catalog::{COMPANY_PROPS, CONTACT_PROPS, DEAL_PROPS, TICKET_PROPS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Contacts,
    Companies,
    Deals,
    Tickets,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Contacts, Kind::Companies, Kind::Deals, Kind::Tickets];

    /// The object named in a path: plural name, singular name or object type id.
    pub fn parse(name: &str) -> Option<Kind> {
        match name.to_ascii_lowercase().as_str() {
            "contacts" | "contact" | "0-1" => Some(Kind::Contacts),
            "companies" | "company" | "0-2" => Some(Kind::Companies),
            "deals" | "deal" | "0-3" => Some(Kind::Deals),
            "tickets" | "ticket" | "0-5" => Some(Kind::Tickets),
            _ => None,
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Kind::Contacts => "contacts",
            Kind::Companies => "companies",
            Kind::Deals => "deals",
            Kind::Tickets => "tickets",
        }
    }

    /// As HubSpot words it in messages: "Contact already exists".
    pub fn singular_title(self) -> &'static str {
        match self {
            Kind::Contacts => "Contact",
            Kind::Companies => "Company",
            Kind::Deals => "Deal",
            Kind::Tickets => "Ticket",
        }
    }

    pub fn props(self) -> &'static [PropDef] {
        match self {
            Kind::Contacts => CONTACT_PROPS,
            Kind::Companies => COMPANY_PROPS,
            Kind::Deals => DEAL_PROPS,
            Kind::Tickets => TICKET_PROPS,
        }
    }

    pub fn prop(self, name: &str) -> Option<&'static PropDef> {
        self.props().iter().find(|d| d.name == name)
    }

    pub fn last_modified(self) -> &'static str {
        match self {
            Kind::Contacts => "lastmodifieddate",
            _ => "hs_lastmodifieddate",
        }
    }

    /// Returned when a read names no properties.
    pub fn default_props(self) -> &'static [&'static str] {
        match self {
            Kind::Contacts => &[
                "createdate",
                "email",
                "firstname",
                "hs_object_id",
                "lastmodifieddate",
                "lastname",
            ],
            Kind::Companies => &[
                "createdate",
                "domain",
                "hs_lastmodifieddate",
                "hs_object_id",
                "name",
            ],
            Kind::Deals => &[
                "amount",
                "closedate",
                "createdate",
                "dealname",
                "dealstage",
                "hs_lastmodifieddate",
                "hs_object_id",
                "pipeline",
            ],
            Kind::Tickets => &[
                "content",
                "createdate",
                "hs_lastmodifieddate",
                "hs_object_id",
                "hs_pipeline",
                "hs_pipeline_stage",
                "hs_ticket_priority",
                "subject",
            ],
        }
    }

    /// Searched by a free-text `query`.
    pub fn text_props(self) -> &'static [&'static str] {
        match self {
            Kind::Contacts => &["firstname", "lastname", "email", "phone", "company"],
            Kind::Companies => &["name", "domain", "phone"],
            Kind::Deals => &["dealname"],
            Kind::Tickets => &["subject", "content"],
        }
    }

    /// Scopes any one of which allows reading / writing this object.
    pub fn scopes(self, write: bool) -> Vec<String> {
        let o = self.plural();
        let mut s = if write {
            vec![format!("crm.objects.{o}.write")]
        } else {
            vec![
                format!("crm.objects.{o}.read"),
                format!("crm.objects.{o}.write"),
            ]
        };
        if self == Kind::Tickets {
            s.push("tickets".into());
        }
        s
    }

    /// First id handed out when seeding; each object has its own range.
    pub fn id_base(self) -> u64 {
        match self {
            Kind::Contacts => 1_001,
            Kind::Companies => 2_000_001,
            Kind::Deals => 3_000_001,
            Kind::Tickets => 4_000_001,
        }
    }
}

/// Every CRM scope the sandbox knows (static tokens have them all).
pub fn all_scopes() -> Vec<String> {
    let mut s = vec!["oauth".to_owned()];
    for k in Kind::ALL {
        s.push(format!("crm.objects.{}.read", k.plural()));
        s.push(format!("crm.objects.{}.write", k.plural()));
        s.push(format!("crm.schemas.{}.read", k.plural()));
    }
    s.push("tickets".into());
    s
}

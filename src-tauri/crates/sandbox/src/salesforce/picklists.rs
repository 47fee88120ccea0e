//! The org's picklist values: the standard Salesforce values for Lead Status and
//! Source, Industry, Account and Opportunity Type, and the Opportunity stages with their
//! default probabilities. Describe lists them; seeding and Opportunity rules use them.

#[rustfmt::skip]
pub const LEAD_STATUS: &[&str] = &[
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
];
#[rustfmt::skip]
pub const LEAD_SOURCE: &[&str] = &[
    "Web",
    "Phone Inquiry",
    "Partner Referral",
    "Purchased List",
    "Other",
];
#[rustfmt::skip]
pub const INDUSTRY: &[&str] = &[
    "Agriculture",
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Environmental",
    "Finance",
    "Food & Beverage",
    "Government",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Machinery",
    "Manufacturing",
    "Media",
    "Not For Profit",
    "Recreation",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
    "Other",
];
#[rustfmt::skip]
pub const ACCOUNT_TYPE: &[&str] = &[
    "Prospect",
    "Customer - Direct",
    "Customer - Channel",
    "Channel Partner / Reseller",
    "Installation Partner",
    "Technology Partner",
    "Other",
];
#[rustfmt::skip]
pub const OPPORTUNITY_TYPE: &[&str] = &[
    "Existing Customer - Upgrade",
    "Existing Customer - Replacement",
    "Existing Customer - Downgrade",
    "New Customer",
];
/// Opportunity stages with their default probability, and whether they are closed / won.
#[rustfmt::skip]
pub const STAGES: &[(&str, u32, bool, bool)] = &[
    ("Prospecting", 10, false, false),
    ("Qualification", 10, false, false),
    ("Needs Analysis", 20, false, false),
    ("Value Proposition", 50, false, false),
    ("Id. Decision Makers", 60, false, false),
    ("Perception Analysis", 70, false, false),
    ("Proposal/Price Quote", 75, false, false),
    ("Negotiation/Review", 90, false, false),
    ("Closed Won", 100, true, true),
    ("Closed Lost", 0, true, false),
];
#[rustfmt::skip]
pub const STAGE_NAMES: &[&str] = &[
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
];

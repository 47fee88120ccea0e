//! Default mappings: the field sets users of such a tool start from (HubSpot contacts ↔
//! Salesforce Leads, QuickBooks Customers → Salesforce Accounts and Contacts, HubSpot
//! companies ↔ Accounts, deals ↔ Opportunities), oriented whichever way the user picks
//! the two objects, checked against the discovered schemas so only fields that exist are
//! mapped — and a note saying why each expected field was left out. Other pairs get rows
//! for the fields whose names or labels agree.

use super::model::{FieldRule, MappingDraft, MatchKind, MatchRule};
use super::transform::{Otherwise, Step};
use serde::Serialize;
use std::collections::BTreeMap;
use switchyard_connectors::schema::{FieldType, ObjectSpec};
use switchyard_store::kinds::{ConflictPolicy, DeletePolicy, ProviderId, SyncDirection, SyncRule};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedMapping {
    pub draft: MappingDraft,
    /// Why expected fields were not mapped, in words.
    pub notes: Vec<String>,
}

/// One side of a pair: provider and object.
type End = (ProviderId, &'static str);

/// A row of a known pair: field on side A, field on side B, steps A→B, steps B→A.
struct Pair {
    a: &'static str,
    b: &'static str,
    a_to_b: Vec<Step>,
    b_to_a: Vec<Step>,
}

fn pair(a: &'static str, b: &'static str) -> Pair {
    Pair {
        a,
        b,
        a_to_b: Vec::new(),
        b_to_a: Vec::new(),
    }
}

impl Pair {
    fn there(mut self, step: Step) -> Self {
        self.a_to_b.push(step);
        self
    }
    fn back(mut self, step: Step) -> Self {
        self.b_to_a.push(step);
        self
    }
}

fn map(entries: &[(&str, &str)], otherwise: Otherwise) -> Step {
    Step::MapValues {
        map: entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        otherwise,
    }
}

const NOT_PROVIDED: &str = "[not provided]";

fn default(value: &str) -> Step {
    Step::Default {
        value: value.to_owned(),
    }
}

/// HubSpot `hs_lead_status` → Salesforce Lead `Status`, and back.
pub fn lead_status_maps() -> (Step, Step) {
    (
        map(
            &[
                ("NEW", "Open - Not Contacted"),
                ("OPEN", "Open - Not Contacted"),
                ("IN_PROGRESS", "Working - Contacted"),
                ("ATTEMPTED_TO_CONTACT", "Working - Contacted"),
                ("CONNECTED", "Working - Contacted"),
                ("OPEN_DEAL", "Closed - Converted"),
                ("UNQUALIFIED", "Closed - Not Converted"),
                ("BAD_TIMING", "Closed - Not Converted"),
            ],
            Otherwise::Blank,
        ),
        map(
            &[
                ("Open - Not Contacted", "NEW"),
                ("Working - Contacted", "IN_PROGRESS"),
                ("Closed - Converted", "OPEN_DEAL"),
                ("Closed - Not Converted", "UNQUALIFIED"),
            ],
            Otherwise::Blank,
        ),
    )
}

fn deal_stage_maps() -> (Step, Step) {
    (
        map(
            &[
                ("appointmentscheduled", "Prospecting"),
                ("qualifiedtobuy", "Qualification"),
                ("presentationscheduled", "Value Proposition"),
                ("decisionmakerboughtin", "Id. Decision Makers"),
                ("contractsent", "Proposal/Price Quote"),
                ("closedwon", "Closed Won"),
                ("closedlost", "Closed Lost"),
            ],
            Otherwise::Error,
        ),
        map(
            &[
                ("Prospecting", "appointmentscheduled"),
                ("Qualification", "qualifiedtobuy"),
                ("Needs Analysis", "qualifiedtobuy"),
                ("Value Proposition", "presentationscheduled"),
                ("Id. Decision Makers", "decisionmakerboughtin"),
                ("Perception Analysis", "decisionmakerboughtin"),
                ("Proposal/Price Quote", "contractsent"),
                ("Negotiation/Review", "contractsent"),
                ("Closed Won", "closedwon"),
                ("Closed Lost", "closedlost"),
            ],
            Otherwise::Error,
        ),
    )
}

/// A known pair: its two ends, rows, match fields (A, B, kind), direction, notes.
struct Known {
    a: End,
    b: End,
    rows: Vec<Pair>,
    matching: (&'static str, &'static str, MatchKind),
    direction: SyncDirection,
    notes: Vec<&'static str>,
}

fn known() -> Vec<Known> {
    use ProviderId::{Hubspot, Quickbooks, Salesforce};
    let (status_there, status_back) = lead_status_maps();
    let (stage_there, stage_back) = deal_stage_maps();
    vec![
        Known {
            a: (Hubspot, "contacts"),
            b: (Salesforce, "Lead"),
            rows: vec![
                pair("firstname", "FirstName"),
                pair("lastname", "LastName").there(default(NOT_PROVIDED)),
                pair("email", "Email").there(Step::Email).back(Step::Email),
                pair("phone", "Phone").there(Step::Trim).back(Step::Trim),
                pair("company", "Company").there(default(NOT_PROVIDED)),
                pair("jobtitle", "Title"),
                pair("hs_lead_status", "Status").there(status_there).back(status_back),
            ],
            matching: ("email", "Email", MatchKind::Email),
            direction: SyncDirection::TwoWay,
            notes: vec![
                "Record ids (id / Id) are kept in Switchyard's identity map, not copied into fields.",
                "Create and last-modified dates are read-only on both sides; Switchyard reads changes by them instead of copying them.",
            ],
        },
        Known {
            a: (Quickbooks, "Customer"),
            b: (Salesforce, "Account"),
            rows: vec![
                pair("DisplayName", "Name"),
                pair("PrimaryPhone.FreeFormNumber", "Phone").there(Step::Trim),
                pair("WebAddr.URI", "Website"),
                pair("BillAddr.Line1", "BillingStreet"),
                pair("BillAddr.City", "BillingCity"),
                pair("BillAddr.CountrySubDivisionCode", "BillingState"),
                pair("BillAddr.PostalCode", "BillingPostalCode"),
                pair("Id", "ExtId__c"),
            ],
            matching: ("Id", "ExtId__c", MatchKind::ExternalId),
            direction: SyncDirection::OneWay,
            notes: vec![],
        },
        Known {
            a: (Quickbooks, "Customer"),
            b: (Salesforce, "Contact"),
            rows: vec![
                pair("GivenName", "FirstName"),
                pair("FamilyName", "LastName").there(default(NOT_PROVIDED)),
                pair("PrimaryEmailAddr.Address", "Email").there(Step::Email),
                pair("PrimaryPhone.FreeFormNumber", "Phone").there(Step::Trim),
            ],
            matching: ("PrimaryEmailAddr.Address", "Email", MatchKind::Email),
            direction: SyncDirection::OneWay,
            notes: vec![],
        },
        Known {
            a: (Hubspot, "companies"),
            b: (Salesforce, "Account"),
            rows: vec![
                pair("name", "Name"),
                pair("domain", "Website"),
                pair("phone", "Phone").there(Step::Trim).back(Step::Trim),
                pair("address", "BillingStreet"),
                pair("city", "BillingCity"),
                pair("state", "BillingState"),
                pair("zip", "BillingPostalCode"),
                pair("hs_object_id", "ExtId__c"),
            ],
            matching: ("hs_object_id", "ExtId__c", MatchKind::ExternalId),
            direction: SyncDirection::TwoWay,
            notes: vec![],
        },
        Known {
            a: (Hubspot, "deals"),
            b: (Salesforce, "Opportunity"),
            rows: vec![
                pair("dealname", "Name"),
                pair("amount", "Amount").there(Step::ToNumber).back(Step::ToNumber),
                pair("closedate", "CloseDate").there(Step::ToDate { zone: None }).back(Step::ToDatetime),
                pair("dealstage", "StageName").there(stage_there).back(stage_back),
            ],
            matching: ("dealname", "Name", MatchKind::Field),
            direction: SyncDirection::TwoWay,
            notes: vec!["Salesforce Opportunities have no external-id field by default, so deals are matched by name, which is not unique: add an External ID field (for example HubSpot_Deal_Id__c) and match on it."],
        },
    ]
}

/// Custom fields a seed maps that do not exist by default: (end, source field, target
/// field name hint, what to say when the target has no such custom field).
fn optional_customs(
    source: (ProviderId, &str),
    target: (ProviderId, &str),
) -> Vec<(&'static str, &'static str, &'static str)> {
    use ProviderId::{Hubspot, Quickbooks, Salesforce};
    match (source, target) {
        ((Quickbooks, "Customer"), (Salesforce, "Account")) => vec![(
            "Balance",
            "balance",
            "QuickBooks' open Balance has no Salesforce Account field by default: add a custom currency field (for example Balance__c) and suggest again.",
        )],
        ((Hubspot, "companies"), (Salesforce, "Account")) => vec![(
            "total_revenue",
            "revenue",
            "HubSpot companies have no total revenue property in this account; Salesforce's AnnualRevenue stays unmapped.",
        )],
        ((Hubspot, "contacts"), (Salesforce, "Lead")) | ((Salesforce, "Lead"), (Hubspot, "contacts")) => vec![(
            "LeadSource",
            "source",
            "HubSpot contacts have no lead-source property by default, so Salesforce's LeadSource is not mapped: add a custom contact property and map it.",
        )],
        _ => vec![],
    }
}

fn writable(spec: &ObjectSpec, name: &str) -> bool {
    spec.field(name)
        .is_some_and(|f| f.createable || f.updateable)
}

/// The suggestion for `source` → `target` (ids and names filled in by the caller).
pub fn suggest(
    source_end: (ProviderId, &str),
    source: &ObjectSpec,
    target_end: (ProviderId, &str),
    target: &ObjectSpec,
) -> SuggestedMapping {
    let mut notes = Vec::new();
    let known = known().into_iter().find_map(|k| {
        if (k.a.0, k.a.1) == source_end && (k.b.0, k.b.1) == target_end {
            Some((k, false))
        } else if (k.b.0, k.b.1) == source_end && (k.a.0, k.a.1) == target_end {
            Some((k, true))
        } else {
            None
        }
    });
    let (mut fields, matching, direction) = match known {
        Some((k, reversed)) => {
            notes.extend(k.notes.iter().map(|n| (*n).to_owned()));
            let mut rows = Vec::new();
            for p in k.rows {
                let (from, to, steps, back) = if reversed {
                    (p.b, p.a, p.b_to_a, p.a_to_b)
                } else {
                    (p.a, p.b, p.a_to_b, p.b_to_a)
                };
                if source.field(from).is_none() || !writable(target, to) {
                    let why = if source.field(from).is_none() {
                        format!("{} has no field {from}", source.label)
                    } else {
                        format!("{to} cannot be written in {}", target.label)
                    };
                    notes.push(format!("{from} → {to} left out: {why}."));
                    continue;
                }
                let both_ways = k.direction == SyncDirection::TwoWay && writable(source, from);
                let rule = if both_ways {
                    SyncRule::TwoWay
                } else {
                    SyncRule::AlwaysSource
                };
                rows.push(FieldRule {
                    source_field: Some(from.to_owned()),
                    target_field: to.to_owned(),
                    transform: steps,
                    sync_rule: rule,
                    reverse: if both_ways { back } else { Vec::new() },
                });
            }
            let (ma, mb, kind) = k.matching;
            let matching = if reversed {
                (mb, ma, kind)
            } else {
                (ma, mb, kind)
            };
            (rows, Some(matching), k.direction)
        }
        None => (by_name(source, target), None, SyncDirection::OneWay),
    };
    for (hint_source, hint, why) in optional_customs(source_end, target_end) {
        let target_custom = target.fields.iter().find(|f| {
            f.custom && f.name.to_lowercase().contains(hint) && (f.createable || f.updateable)
        });
        match (source.field(hint_source), target_custom) {
            (Some(_), Some(t)) => fields.push(FieldRule::copy(hint_source, &t.name)),
            _ => notes.push(why.to_owned()),
        }
    }
    let match_rule = match matching {
        Some((s, t, kind)) => MatchRule {
            kind,
            source_field: s.to_owned(),
            target_field: t.to_owned(),
        },
        None => guess_match(source, target),
    };
    SuggestedMapping {
        draft: MappingDraft {
            name: format!("{} → {}", source.label, target.label),
            source_connection_id: String::new(),
            source_object: source.name.clone(),
            target_connection_id: String::new(),
            target_object: target.name.clone(),
            direction,
            match_rule,
            conflict_policy: if direction == SyncDirection::TwoWay {
                ConflictPolicy::NewestWins
            } else {
                ConflictPolicy::SourceWins
            },
            delete_policy: DeletePolicy::Ignore,
            fields,
        },
        notes,
    }
}

/// Rows for writable target fields whose name or label matches a source field's.
fn by_name(source: &ObjectSpec, target: &ObjectSpec) -> Vec<FieldRule> {
    let norm = |s: &str| s.to_lowercase().replace(['_', ' ', '.'], "");
    target
        .fields
        .iter()
        .filter(|t| (t.createable || t.updateable) && t.ty != FieldType::Id)
        .filter_map(|t| {
            let s = source
                .fields
                .iter()
                .find(|s| norm(&s.name) == norm(&t.name) || norm(&s.label) == norm(&t.label))?;
            let mut row = FieldRule::copy(&s.name, &t.name);
            if t.ty == FieldType::Email {
                row.transform.push(Step::Email);
            }
            Some(row)
        })
        .collect()
}

fn guess_match(source: &ObjectSpec, target: &ObjectSpec) -> MatchRule {
    let email = |spec: &ObjectSpec| {
        spec.fields
            .iter()
            .find(|f| f.ty == FieldType::Email)
            .map(|f| f.name.clone())
    };
    if let (Some(s), Some(t)) = (email(source), email(target)) {
        return MatchRule {
            kind: MatchKind::Email,
            source_field: s,
            target_field: t,
        };
    }
    let external = target
        .fields
        .iter()
        .find(|f| f.external_id)
        .map(|f| f.name.clone());
    MatchRule {
        kind: MatchKind::ExternalId,
        source_field: source.id_field.clone(),
        target_field: external.unwrap_or_else(|| target.id_field.clone()),
    }
}

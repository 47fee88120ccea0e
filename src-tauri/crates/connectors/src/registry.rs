//! What Switchyard knows about each provider, in one place: display name, category,
//! the ways a user can authorize it (first is preferred) and the objects it syncs.
//! Auth kinds follow shared/reference/provider-apis.md: loopback OAuth works in
//! production for Salesforce and HubSpot; QuickBooks production keys and Slack bot
//! installs need a pasted redirect or token; Zapier is a hook URL.

use switchyard_store::kinds::{AuthKind, ProviderId};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    pub id: ProviderId,
    pub name: &'static str,
    pub category: &'static str,
    pub description: &'static str,
    pub auth_kinds: &'static [AuthKind],
    pub objects: &'static [&'static str],
}

static PROVIDERS: [ProviderInfo; 5] = [
    ProviderInfo {
        id: ProviderId::Salesforce,
        name: "Salesforce",
        category: "CRM",
        description: "Leads, contacts, accounts and opportunities from Sales Cloud.",
        auth_kinds: &[AuthKind::OauthLoopback, AuthKind::OauthPasteRedirect],
        objects: &["Lead", "Contact", "Account", "Opportunity"],
    },
    ProviderInfo {
        id: ProviderId::Hubspot,
        name: "HubSpot",
        category: "CRM",
        description: "Contacts, companies, deals and tickets from HubSpot CRM.",
        auth_kinds: &[AuthKind::OauthLoopback, AuthKind::PastedToken],
        objects: &["contacts", "companies", "deals", "tickets"],
    },
    ProviderInfo {
        id: ProviderId::Quickbooks,
        name: "QuickBooks Online",
        category: "Accounting",
        description: "Customers, invoices and payments from QuickBooks Online.",
        auth_kinds: &[AuthKind::OauthLoopback, AuthKind::OauthPasteRedirect],
        objects: &["Customer", "Invoice", "Payment"],
    },
    ProviderInfo {
        id: ProviderId::Slack,
        name: "Slack",
        category: "Messaging",
        description: "Posts run summaries and alerts to a Slack channel.",
        auth_kinds: &[AuthKind::PastedToken, AuthKind::OauthPasteRedirect],
        objects: &["message"],
    },
    ProviderInfo {
        id: ProviderId::Zapier,
        name: "Zapier",
        category: "Automation",
        description: "Sends records and run summaries to a Zapier catch hook.",
        auth_kinds: &[AuthKind::HookUrl],
        objects: &["hook"],
    },
];

/// The documented short-window rate and concurrency cap a connection starts from
/// (corrected later by the provider's own headers; shared/reference/provider-apis.md).
pub fn default_rate(id: ProviderId) -> crate::http::RateSpec {
    use std::time::Duration;
    let (limit, per, concurrency) = match id {
        // Salesforce limits daily totals and concurrent long requests (25), not a short window.
        ProviderId::Salesforce => (100, Duration::from_secs(1), 25),
        ProviderId::Hubspot => (100, Duration::from_secs(10), 10),
        ProviderId::Quickbooks => (500, Duration::from_secs(60), 10),
        ProviderId::Slack => (50, Duration::from_secs(60), 4),
        ProviderId::Zapier => (30, Duration::from_secs(1), 8),
    };
    crate::http::RateSpec {
        limit,
        per,
        concurrency,
    }
}

/// All providers, in display order.
pub fn providers() -> &'static [ProviderInfo] {
    &PROVIDERS
}

pub fn provider(id: ProviderId) -> &'static ProviderInfo {
    // The array holds every ProviderId exactly once (checked by a test).
    PROVIDERS
        .iter()
        .find(|p| p.id == id)
        .unwrap_or(&PROVIDERS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_is_listed_once_with_a_way_to_connect() {
        for id in ProviderId::ALL {
            let matching: Vec<_> = providers().iter().filter(|p| p.id == *id).collect();
            assert_eq!(matching.len(), 1, "{id}");
            assert_eq!(provider(*id).id, *id);
            assert!(!matching[0].auth_kinds.is_empty());
            assert!(!matching[0].objects.is_empty());
        }
    }

    #[test]
    fn serializes_for_the_ui_in_camel_case() {
        let json = serde_json::to_value(provider(ProviderId::Zapier)).unwrap_or_default();
        assert_eq!(json["authKinds"][0], "hook_url");
        assert_eq!(json["id"], "zapier");
    }
}

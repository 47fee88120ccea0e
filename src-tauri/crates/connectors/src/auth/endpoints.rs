//! Each provider's OAuth endpoints and default scopes, for the real service or for a
//! sandbox base URL — the one place host names live (shared/reference/provider-apis.md §0),
//! including which API hosts a token response may name ([`InstanceHosts`]).

use super::instance_url::{InstanceHosts, SALESFORCE_DOMAINS};
use switchyard_store::kinds::ProviderId;

/// Which server a connection talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Production,
    /// A sandbox simulator (or any stand-in) at this base URL.
    Sandbox {
        base_url: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthEndpoints {
    pub authorize: String,
    pub token: String,
    pub revoke: Option<String>,
    pub scopes: Vec<&'static str>,
    /// Slack joins scopes with commas; everyone else with spaces.
    pub comma_scopes: bool,
    /// Client id and secret go in the form body (Salesforce, HubSpot) rather than HTTP Basic.
    pub credentials_in_body: bool,
    /// The API hosts the token response may name (Salesforce's `instance_url`).
    pub instance_hosts: InstanceHosts,
}

/// `None` for providers without OAuth (Zapier hooks are the credential themselves).
pub fn oauth_endpoints(provider: ProviderId, target: &Target) -> Option<OAuthEndpoints> {
    let (auth_host, token_host, paths): (String, String, [&str; 3]) = match (provider, target) {
        (ProviderId::Zapier, _) => return None,
        (ProviderId::Salesforce, Target::Production) => (
            "https://login.salesforce.com".into(),
            "https://login.salesforce.com".into(),
            SALESFORCE,
        ),
        (ProviderId::Hubspot, Target::Production) => (
            "https://app.hubspot.com".into(),
            "https://api.hubapi.com".into(),
            HUBSPOT,
        ),
        (ProviderId::Quickbooks, Target::Production) => (
            "https://appcenter.intuit.com".into(),
            "https://oauth.platform.intuit.com".into(),
            QUICKBOOKS,
        ),
        (ProviderId::Slack, Target::Production) => (
            "https://slack.com".into(),
            "https://slack.com".into(),
            SLACK,
        ),
        (p, Target::Sandbox { base_url }) => {
            let base = base_url.trim_end_matches('/').to_owned();
            let paths = match p {
                ProviderId::Salesforce => SALESFORCE,
                ProviderId::Hubspot => HUBSPOT,
                ProviderId::Quickbooks => QUICKBOOKS,
                _ => SLACK,
            };
            (base.clone(), base, paths)
        }
    };
    let revoke_host = match (provider, target) {
        (ProviderId::Quickbooks, Target::Production) => {
            "https://developer.api.intuit.com".to_owned()
        }
        _ => token_host.clone(),
    };
    let instance_hosts = match (provider, target) {
        (ProviderId::Salesforce, Target::Production) => InstanceHosts::Domains(SALESFORCE_DOMAINS),
        (ProviderId::Salesforce, Target::Sandbox { base_url }) => {
            // The simulator names its own listener (by its other loopback spelling).
            let port = oauth2::url::Url::parse(base_url)
                .ok()
                .and_then(|u| u.port_or_known_default());
            match port {
                Some(port) => InstanceHosts::Loopback { port },
                None => InstanceHosts::Domains(&[]),
            }
        }
        _ => InstanceHosts::Ignored,
    };
    Some(OAuthEndpoints {
        authorize: format!("{auth_host}{}", paths[0]),
        token: format!("{token_host}{}", paths[1]),
        revoke: Some(format!("{revoke_host}{}", paths[2])),
        scopes: scopes(provider),
        comma_scopes: provider == ProviderId::Slack,
        credentials_in_body: matches!(provider, ProviderId::Salesforce | ProviderId::Hubspot),
        instance_hosts,
    })
}

/// The provider's production API host (a sandbox's is its listener). Salesforce's real
/// API host is the org's `instance_url` from the token response; this is its login host.
pub fn production_api_base(provider: ProviderId) -> &'static str {
    match provider {
        ProviderId::Salesforce => "https://login.salesforce.com",
        ProviderId::Hubspot => "https://api.hubapi.com",
        ProviderId::Quickbooks => "https://quickbooks.api.intuit.com",
        ProviderId::Slack => "https://slack.com",
        ProviderId::Zapier => "https://hooks.zapier.com",
    }
}

// authorize, token, revoke paths per provider.
const SALESFORCE: [&str; 3] = [
    "/services/oauth2/authorize",
    "/services/oauth2/token",
    "/services/oauth2/revoke",
];
// HubSpot: the 2026-03 token endpoint answers errors in RFC 6749 form (v1 is deprecated 2027-02-16).
const HUBSPOT: [&str; 3] = [
    "/oauth/authorize",
    "/oauth/2026-03/token",
    "/oauth/2026-03/token/revoke",
];
const QUICKBOOKS: [&str; 3] = [
    "/connect/oauth2",
    "/oauth2/v1/tokens/bearer",
    "/v2/oauth2/tokens/revoke",
];
const SLACK: [&str; 3] = [
    "/oauth/v2/authorize",
    "/api/oauth.v2.access",
    "/api/auth.revoke",
];

fn scopes(provider: ProviderId) -> Vec<&'static str> {
    match provider {
        ProviderId::Salesforce => vec!["api", "refresh_token"],
        ProviderId::Hubspot => vec![
            "oauth",
            "crm.objects.contacts.read",
            "crm.objects.contacts.write",
            "crm.objects.companies.read",
            "crm.objects.companies.write",
            "crm.objects.deals.read",
            "crm.objects.deals.write",
            "tickets",
        ],
        ProviderId::Quickbooks => vec!["com.intuit.quickbooks.accounting"],
        ProviderId::Slack => vec!["chat:write", "chat:write.public", "channels:read"],
        ProviderId::Zapier => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_and_sandbox_endpoints() {
        let sf = oauth_endpoints(ProviderId::Salesforce, &Target::Production)
            .unwrap_or_else(|| unreachable!());
        assert_eq!(
            sf.authorize,
            "https://login.salesforce.com/services/oauth2/authorize"
        );
        let qb = oauth_endpoints(ProviderId::Quickbooks, &Target::Production)
            .unwrap_or_else(|| unreachable!());
        assert_eq!(
            qb.token,
            "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
        );
        assert_eq!(
            qb.revoke.as_deref(),
            Some("https://developer.api.intuit.com/v2/oauth2/tokens/revoke")
        );
        let hs = oauth_endpoints(
            ProviderId::Hubspot,
            &Target::Sandbox {
                base_url: "http://127.0.0.1:9/".into(),
            },
        )
        .unwrap_or_else(|| unreachable!());
        assert_eq!(
            (hs.authorize.as_str(), hs.token.as_str()),
            (
                "http://127.0.0.1:9/oauth/authorize",
                "http://127.0.0.1:9/oauth/2026-03/token"
            )
        );
        assert_eq!(hs.instance_hosts, InstanceHosts::Ignored);
        assert_eq!(
            sf.instance_hosts,
            InstanceHosts::Domains(SALESFORCE_DOMAINS)
        );
        let sf_sandbox = oauth_endpoints(
            ProviderId::Salesforce,
            &Target::Sandbox {
                base_url: "http://127.0.0.1:47311".into(),
            },
        )
        .unwrap_or_else(|| unreachable!());
        assert_eq!(
            sf_sandbox.instance_hosts,
            InstanceHosts::Loopback { port: 47311 }
        );
        assert!(oauth_endpoints(ProviderId::Zapier, &Target::Production).is_none());
        assert!(
            oauth_endpoints(ProviderId::Slack, &Target::Production).is_some_and(|s| s.comma_scopes)
        );
    }
}

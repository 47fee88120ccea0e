//! Which API host a token response may send Switchyard to. Salesforce answers a token
//! request with the org's `instance_url`, and every later call — each carrying the access
//! token — goes there. A token endpoint that answers with another host (a proxy that
//! rewrites answers, a look-alike login page) would receive the token with the first
//! call, so the host is checked before a grant is handed out.
//!
//! For the real service the host must be https under a Salesforce domain. The list is the
//! Salesforce CLI's (`@salesforce/core` `SfdcUrl.isSalesforceDomain`, taken from
//! Salesforce help article 000003652) plus the domains of Government Cloud Plus
//! (`salesforce.mil`), setup pages (`salesforce-setup.com`) and Salesforce on Alibaba
//! Cloud (`sfcrmapps.cn`, `sfcrmproducts.cn`). A sandbox simulator names a loopback
//! address at its own port (the other spelling of 127.0.0.1/localhost). The rule comes
//! with the endpoints ([`super::endpoints::oauth_endpoints`]), so it follows whatever
//! points the app at the real service or at the sandbox.

/// The API hosts a provider's token response may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceHosts {
    /// The provider names no API host (everyone but Salesforce): one it sends is ignored.
    Ignored,
    /// https, on a host that is one of these domains or under one.
    Domains(&'static [&'static str]),
    /// A local stand-in: http or https on 127.0.0.1, localhost or [::1], at this port.
    Loopback { port: u16 },
}

/// Salesforce's own domains, for the real service.
pub const SALESFORCE_DOMAINS: &[&str] = &[
    "salesforce.com",
    "force.com",
    "cloudforce.com",
    "salesforceliveagent.com",
    "salesforce.mil",
    "crmforce.mil",
    "salesforce-setup.com",
    "sfcrmapps.cn",
    "sfcrmproducts.cn",
];

/// Why an `instance_url` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the sign-in named {url} as the account's API address, which is not {expected}")]
pub struct UntrustedInstance {
    pub url: String,
    pub expected: String,
}

impl InstanceHosts {
    /// The instance URL to use: `Ok(None)` when there is none (or it is ignored), the URL
    /// when it is allowed, `Err` when it is not.
    pub fn check(&self, url: Option<&str>) -> Result<Option<String>, UntrustedInstance> {
        let Some(raw) = url else { return Ok(None) };
        if *self == Self::Ignored {
            return Ok(None);
        }
        let refuse = |expected: String| UntrustedInstance {
            url: raw.chars().take(200).collect(),
            expected,
        };
        let parsed = oauth2::url::Url::parse(raw);
        let clean = parsed.as_ref().ok().filter(|u| {
            u.username().is_empty()
                && u.password().is_none()
                && u.query().is_none()
                && u.fragment().is_none()
        });
        match self {
            Self::Ignored => Ok(None),
            Self::Domains(domains) => {
                let expected = format!(
                    "an https address under {}",
                    domains
                        .iter()
                        .map(|d| format!(".{d}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let host = clean
                    .filter(|u| u.scheme() == "https" && u.port().is_none())
                    .and_then(|u| match u.host() {
                        Some(oauth2::url::Host::Domain(d)) => Some(d.to_ascii_lowercase()),
                        _ => None,
                    })
                    .ok_or_else(|| refuse(expected.clone()))?;
                let under = |d: &&str| {
                    host.strip_suffix(*d)
                        .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
                };
                if domains.iter().any(under) {
                    Ok(Some(raw.trim_end_matches('/').to_owned()))
                } else {
                    Err(refuse(expected))
                }
            }
            Self::Loopback { port } => {
                let expected = format!("this computer's sandbox at port {port}");
                let ok = clean.is_some_and(|u| {
                    matches!(u.scheme(), "http" | "https")
                        && u.port_or_known_default() == Some(*port)
                        && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
                });
                if ok {
                    Ok(Some(raw.trim_end_matches('/').to_owned()))
                } else {
                    Err(refuse(expected))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_service_takes_https_salesforce_hosts_only() {
        let real = InstanceHosts::Domains(SALESFORCE_DOMAINS);
        for good in [
            "https://acme.my.salesforce.com",
            "https://acme--uat.sandbox.my.salesforce.com/",
            "https://na139.salesforce.com",
            "https://acme.lightning.force.com",
            "https://acme.my.salesforce.mil",
            "https://acme.my.salesforce-setup.com",
            "https://ACME.MY.SALESFORCE.COM",
        ] {
            assert!(real.check(Some(good)).unwrap().is_some(), "{good}");
        }
        for bad in [
            "http://acme.my.salesforce.com",
            "https://attacker.example",
            "https://salesforce.com.attacker.example",
            "https://evilsalesforce.com",
            "https://salesforce.com",
            "https://acme.my.salesforce.com@attacker.example",
            "https://user@acme.my.salesforce.com",
            "https://acme.my.salesforce.com:8443",
            "https://acme.my.salesforce.com/?next=x",
            "https://1.2.3.4",
            "not a url",
        ] {
            assert!(real.check(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(real.check(None), Ok(None));
    }

    #[test]
    fn a_sandbox_takes_its_own_loopback_port_and_others_ignore_the_field() {
        let sandbox = InstanceHosts::Loopback { port: 47311 };
        assert!(sandbox.check(Some("http://localhost:47311")).is_ok());
        assert!(sandbox.check(Some("http://127.0.0.1:47311/")).is_ok());
        for bad in [
            "http://127.0.0.1:47312",
            "http://127.0.0.1",
            "http://attacker.example:47311",
            "http://127.0.0.1.attacker.example:47311",
        ] {
            assert!(sandbox.check(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(
            InstanceHosts::Ignored.check(Some("https://attacker.example")),
            Ok(None)
        );
    }
}

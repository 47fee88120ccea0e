//! What a record id looks like at each provider, checked before an id goes into a query,
//! a URL or a hand-made link. Ids reach Switchyard from provider answers, webhooks and
//! the user (pinned links), so none is trusted to be well formed:
//! - Salesforce: 15 case-sensitive letters and digits, or 18 with the 3-character
//!   checksum of the 15 (one character per 5, a bit per upper-case letter); the first 3
//!   are the object's key prefix (Lead `00Q`, Contact `003`, Account `001`,
//!   Opportunity `006`), so an id names its object.
//! - HubSpot and QuickBooks: decimal digits.

use switchyard_store::kinds::ProviderId;

/// The key prefix of the Salesforce objects Switchyard syncs.
pub fn salesforce_key_prefix(object: &str) -> Option<&'static str> {
    match object {
        "Lead" => Some("00Q"),
        "Contact" => Some("003"),
        "Account" => Some("001"),
        "Opportunity" => Some("006"),
        _ => None,
    }
}

const CHECKSUM: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// A well-formed 15- or 18-character Salesforce id (the 18's checksum included).
pub fn is_salesforce_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    if !(bytes.len() == 15 || bytes.len() == 18) || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    bytes.len() == 15
        || bytes[..15].chunks(5).zip(&bytes[15..]).all(|(chunk, sum)| {
            let flags = chunk
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            CHECKSUM[flags] == sum.to_ascii_uppercase()
        })
}

/// Decimal digits only (HubSpot and QuickBooks ids), at most 30 of them.
pub fn is_numeric_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 30 && id.bytes().all(|b| b.is_ascii_digit())
}

/// Why `id` cannot be a record of `object` at `provider`, in a sentence; `Ok` when it can.
pub fn check(provider: ProviderId, object: &str, id: &str) -> Result<(), String> {
    let name = crate::registry::provider(provider).name;
    match provider {
        ProviderId::Salesforce => {
            if !is_salesforce_id(id) {
                return Err(format!(
                    "\"{id}\" is not a Salesforce record id (15 or 18 letters and digits)."
                ));
            }
            match salesforce_key_prefix(object) {
                Some(prefix) if !id.starts_with(prefix) => Err(format!(
                    "\"{id}\" is not a Salesforce {object} id ({object} ids start with {prefix})."
                )),
                _ => Ok(()),
            }
        }
        ProviderId::Hubspot | ProviderId::Quickbooks if !is_numeric_id(id) => Err(format!(
            "\"{id}\" is not a {name} record id ({name} ids are digits)."
        )),
        ProviderId::Hubspot | ProviderId::Quickbooks => Ok(()),
        ProviderId::Slack | ProviderId::Zapier => {
            Err(format!("{name} has no records Switchyard syncs."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_ids_have_their_form_checksum_and_object_prefix() {
        // 001D000000K0fXO is printed by Salesforce as 001D000000K0fXOIAZ.
        assert!(is_salesforce_id("001D000000K0fXO"));
        assert!(is_salesforce_id("001D000000K0fXOIAZ"));
        assert!(
            is_salesforce_id("001D000000K0fXOiaz"),
            "the suffix is case-insensitive"
        );
        assert!(!is_salesforce_id("001D000000K0fXOIAA"), "wrong checksum");
        assert!(!is_salesforce_id("001D000000K0fX'"), "quote");
        assert!(!is_salesforce_id("001D000000K0fXO,003D000000K0fX"));
        assert!(check(ProviderId::Salesforce, "Account", "001D000000K0fXOIAZ").is_ok());
        let wrong = check(ProviderId::Salesforce, "Lead", "001D000000K0fXOIAZ").unwrap_err();
        assert!(wrong.contains("start with 00Q"), "{wrong}");
    }

    #[test]
    fn hubspot_and_quickbooks_ids_are_digits() {
        assert!(check(ProviderId::Quickbooks, "Customer", "58").is_ok());
        assert!(check(ProviderId::Hubspot, "contacts", "12345678901").is_ok());
        for bad in ["", "58' or Id > '0", " 58", "-1", "5e3", &"9".repeat(31)] {
            assert!(
                check(ProviderId::Quickbooks, "Customer", bad).is_err(),
                "{bad}"
            );
            assert!(
                check(ProviderId::Hubspot, "contacts", bad).is_err(),
                "{bad}"
            );
        }
    }
}

//! The `intuit-signature` header of QuickBooks webhooks:
//! `base64(HMAC_SHA256(key = verifier token, msg = raw body))`. Verification decodes the
//! header and compares raw digests in constant time, as python-quickbooks'
//! `validate_webhook_signature` compares the decoded digests.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const HEADER: &str = "intuit-signature";

fn mac(verifier_token: &str, body: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(verifier_token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(body);
    mac
}

/// The header value for a body.
pub fn sign(verifier_token: &str, body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(mac(verifier_token, body).finalize().into_bytes())
}

/// Whether a received header value matches the body.
pub fn verify(verifier_token: &str, body: &[u8], header_value: &str) -> bool {
    match base64::engine::general_purpose::STANDARD.decode(header_value.trim()) {
        Ok(digest) => mac(verifier_token, body).verify_slice(&digest).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_python_hmac_and_verifies() {
        // python3: base64.b64encode(hmac.new(b'verifier-token-123', body, hashlib.sha256).digest())
        let body = br#"{"eventNotifications":[]}"#;
        assert_eq!(
            sign("verifier-token-123", body),
            "DUxQL+x+Gvqoih2aEVrLlrcV6Nvge2gmSCp/XcQbhN4="
        );
        assert!(verify(
            "verifier-token-123",
            body,
            "DUxQL+x+Gvqoih2aEVrLlrcV6Nvge2gmSCp/XcQbhN4="
        ));
        assert!(!verify(
            "other-token",
            body,
            &sign("verifier-token-123", body)
        ));
        assert!(!verify(
            "verifier-token-123",
            b"{}",
            &sign("verifier-token-123", body)
        ));
        assert!(!verify("verifier-token-123", body, "not base64!"));
    }
}

//! Verifying the signatures providers put on webhooks, exactly as each documents it, with
//! constant-time comparison and a five-minute replay window where the scheme carries a
//! timestamp:
//! - HubSpot v3: `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(client secret,
//!   method + URI + body + timestamp)), `X-HubSpot-Request-Timestamp` in milliseconds;
//!   v2: hex(SHA-256(secret + method + URI + body)); v1: hex(SHA-256(secret + body)).
//! - Slack: `X-Slack-Signature` = `v0=` + hex(HMAC-SHA256(signing secret,
//!   `v0:{timestamp}:{body}`)), `X-Slack-Request-Timestamp` in seconds.
//! - QuickBooks: `intuit-signature` = base64(HMAC-SHA256(verifier token, body)).
//! - Switchyard's own endpoint (Zapier and other senders): `X-Switchyard-Signature` =
//!   `sha256=` + hex(HMAC-SHA256(the mapping's secret, `{timestamp}.{body}`)),
//!   `X-Switchyard-Timestamp` in seconds.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// How far a signed timestamp may be from now.
pub const REPLAY_WINDOW_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the signature header is missing or unreadable")]
    Missing,
    #[error("the signature does not match")]
    Mismatch,
    #[error(
        "the request is {0} s away from now, outside the 300 s window (a replay, or a wrong clock)"
    )]
    Stale(i64),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[allow(clippy::expect_used)]
fn hmac(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    for p in parts {
        mac.update(p);
    }
    mac
}

fn check_hmac(mac: HmacSha256, expected: &[u8]) -> Result<(), Rejected> {
    mac.verify_slice(expected).map_err(|_| Rejected::Mismatch)
}

fn fresh(timestamp_secs: i64, now_secs: i64) -> Result<(), Rejected> {
    let skew = (now_secs - timestamp_secs).abs();
    if skew > REPLAY_WINDOW_SECS {
        return Err(Rejected::Stale(skew));
    }
    Ok(())
}

/// HubSpot v3. `uri` is the full URL as HubSpot called it (decoded).
pub fn hubspot_v3(
    secret: &str,
    method: &str,
    uri: &str,
    body: &[u8],
    timestamp_ms: &str,
    signature: &str,
    now_secs: i64,
) -> Result<(), Rejected> {
    let ts: i64 = timestamp_ms.trim().parse().map_err(|_| Rejected::Missing)?;
    fresh(ts / 1000, now_secs)?;
    let expected = STANDARD
        .decode(signature.trim())
        .map_err(|_| Rejected::Missing)?;
    check_hmac(
        hmac(
            secret.as_bytes(),
            &[
                method.as_bytes(),
                uri.as_bytes(),
                body,
                timestamp_ms.trim().as_bytes(),
            ],
        ),
        &expected,
    )
}

fn sha256_matches(parts: &[&[u8]], signature: &str) -> Result<(), Rejected> {
    let expected = unhex(signature.trim()).ok_or(Rejected::Missing)?;
    let mut digest = Sha256::new();
    for p in parts {
        digest.update(p);
    }
    if bool::from(digest.finalize().as_slice().ct_eq(&expected)) {
        Ok(())
    } else {
        Err(Rejected::Mismatch)
    }
}

/// HubSpot v2: hex(SHA-256(secret + method + URI + body)).
pub fn hubspot_v2(
    secret: &str,
    method: &str,
    uri: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), Rejected> {
    sha256_matches(
        &[secret.as_bytes(), method.as_bytes(), uri.as_bytes(), body],
        signature,
    )
}

/// HubSpot v1: hex(SHA-256(secret + body)).
pub fn hubspot_v1(secret: &str, body: &[u8], signature: &str) -> Result<(), Rejected> {
    sha256_matches(&[secret.as_bytes(), body], signature)
}

/// Slack v0 signing: `v0=` + hex(HMAC(secret, "v0:{ts}:{body}")).
pub fn slack(
    signing_secret: &str,
    timestamp_secs: &str,
    body: &[u8],
    signature: &str,
    now_secs: i64,
) -> Result<(), Rejected> {
    let scheme = Timestamped {
        prefix: "v0=",
        head: b"v0:",
        separator: b":",
    };
    scheme.verify(signing_secret, timestamp_secs, body, signature, now_secs)
}

/// QuickBooks `intuit-signature`.
pub fn intuit(verifier_token: &str, body: &[u8], signature: &str) -> Result<(), Rejected> {
    let expected = STANDARD
        .decode(signature.trim())
        .map_err(|_| Rejected::Missing)?;
    check_hmac(hmac(verifier_token.as_bytes(), &[body]), &expected)
}

/// Switchyard's own signature, as senders such as Zapier are told to compute it:
/// `sha256=` + hex(HMAC(secret, "{ts}.{body}")).
pub fn switchyard(
    secret: &str,
    timestamp_secs: &str,
    body: &[u8],
    signature: &str,
    now_secs: i64,
) -> Result<(), Rejected> {
    let scheme = Timestamped {
        prefix: "sha256=",
        head: b"",
        separator: b".",
    };
    scheme.verify(secret, timestamp_secs, body, signature, now_secs)
}

/// A timestamped hex HMAC scheme (Slack's and Switchyard's): the signature is `prefix` +
/// hex(HMAC(secret, head + timestamp + separator + body)), and the timestamp (epoch
/// seconds) must be inside the replay window.
struct Timestamped {
    prefix: &'static str,
    head: &'static [u8],
    separator: &'static [u8],
}

impl Timestamped {
    fn verify(
        &self,
        secret: &str,
        timestamp_secs: &str,
        body: &[u8],
        signature: &str,
        now_secs: i64,
    ) -> Result<(), Rejected> {
        let ts = timestamp_secs.trim();
        fresh(ts.parse().map_err(|_| Rejected::Missing)?, now_secs)?;
        let hex_part = signature
            .trim()
            .strip_prefix(self.prefix)
            .ok_or(Rejected::Missing)?;
        let expected = unhex(hex_part).ok_or(Rejected::Missing)?;
        check_hmac(
            hmac(
                secret.as_bytes(),
                &[self.head, ts.as_bytes(), self.separator, body],
            ),
            &expected,
        )
    }
}

/// The header value Switchyard's scheme expects (for documentation and for the sandbox).
pub fn switchyard_sign(secret: &str, timestamp_secs: i64, body: &[u8]) -> String {
    let ts = timestamp_secs.to_string();
    format!(
        "sha256={}",
        hex(&hmac(secret.as_bytes(), &[ts.as_bytes(), b".", body])
            .finalize()
            .into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HS_SECRET: &str = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    const HS_BODY: &str = r#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]"#;
    const URI: &str = "https://example.com/webhooks/hubspot?x=1";

    // Expected values below were computed independently with Python's hmac/hashlib.

    #[test]
    fn hubspot_v1_matches_the_published_example() {
        let published = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de";
        assert_eq!(hubspot_v1(HS_SECRET, HS_BODY.as_bytes(), published), Ok(()));
        let tampered = HS_BODY.replace("12345", "12346");
        assert_eq!(
            hubspot_v1(HS_SECRET, tampered.as_bytes(), published),
            Err(Rejected::Mismatch)
        );
        assert_eq!(
            hubspot_v1(HS_SECRET, HS_BODY.as_bytes(), "zz"),
            Err(Rejected::Missing)
        );
    }

    #[test]
    fn hubspot_v2_and_v3() {
        let v2 = "e740bfbb08d4c59c8775170b8d9e4758c125402a82b25ec6b205b2b7ece34229";
        assert_eq!(
            hubspot_v2(HS_SECRET, "POST", URI, HS_BODY.as_bytes(), v2),
            Ok(())
        );
        assert_eq!(
            hubspot_v2(HS_SECRET, "GET", URI, HS_BODY.as_bytes(), v2),
            Err(Rejected::Mismatch)
        );
        let v3 = "pBZINap2JobONVSrulylTLuOMa0jvpZF2F+eNeIM2aY=";
        let now = 1_700_000_100;
        assert_eq!(
            hubspot_v3(
                HS_SECRET,
                "POST",
                URI,
                HS_BODY.as_bytes(),
                "1700000000000",
                v3,
                now
            ),
            Ok(())
        );
        assert_eq!(
            hubspot_v3(
                HS_SECRET,
                "POST",
                "https://example.com/other",
                HS_BODY.as_bytes(),
                "1700000000000",
                v3,
                now
            ),
            Err(Rejected::Mismatch)
        );
        assert_eq!(
            hubspot_v3(
                HS_SECRET,
                "POST",
                URI,
                HS_BODY.as_bytes(),
                "1700000000000",
                v3,
                now + 600
            ),
            Err(Rejected::Stale(700)),
            "replayed ten minutes later"
        );
    }

    #[test]
    fn slack_v0() {
        let secret = "8f742231b10e8888abcd99yyyzzz85a5";
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather";
        let signature = "v0=6b8b0b4cff7baf56906b6a54056df891b9cc8292bc01770e0e1d6dd9bc623977";
        assert_eq!(
            slack(
                secret,
                "1531420618",
                body.as_bytes(),
                signature,
                1_531_420_700
            ),
            Ok(())
        );
        assert_eq!(
            slack(
                secret,
                "1531420619",
                body.as_bytes(),
                signature,
                1_531_420_700
            ),
            Err(Rejected::Mismatch)
        );
        assert_eq!(
            slack(
                secret,
                "1531420618",
                body.as_bytes(),
                signature,
                1_531_430_000
            ),
            Err(Rejected::Stale(9382))
        );
        assert_eq!(
            slack(secret, "1531420618", body.as_bytes(), "6b8b", 1_531_420_700),
            Err(Rejected::Missing)
        );
    }

    #[test]
    fn intuit_signature() {
        let body = r#"{"eventNotifications":[{"realmId":"9341453474484455","dataChangeEvent":{"entities":[{"name":"Customer","id":"58","operation":"Create","lastUpdated":"2024-06-01T10:00:00.000Z"}]}}]}"#;
        let signature = "jZsI+cYUJUgsh0y4JDhxcejdJc3U2lHAUQhWZ7ZrIEA=";
        assert_eq!(
            intuit("verifier-token-123", body.as_bytes(), signature),
            Ok(())
        );
        assert_eq!(
            intuit("verifier-token-124", body.as_bytes(), signature),
            Err(Rejected::Mismatch)
        );
    }

    #[test]
    fn switchyard_scheme_round_trips() {
        let body = br#"{"mapping":"x"}"#;
        let expected = "sha256=7f9a54a19eb85f302739f981a7bba6307733ce6dc80fd62bfd9791e4272564c1";
        assert_eq!(switchyard_sign("whsec_test", 1_700_000_000, body), expected);
        assert_eq!(
            switchyard("whsec_test", "1700000000", body, expected, 1_700_000_010),
            Ok(())
        );
        assert_eq!(
            switchyard("whsec_other", "1700000000", body, expected, 1_700_000_010),
            Err(Rejected::Mismatch)
        );
        assert_eq!(
            switchyard("whsec_test", "1700000000", body, expected, 1_700_001_000),
            Err(Rejected::Stale(1000))
        );
    }
}

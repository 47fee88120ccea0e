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
//!
//! Only the canonical encoding of a signature is accepted: lower-case hex (as every one of
//! these providers sends it) and padded standard base64, with nothing around it. A
//! signature that can be re-spelled (upper case, a sign, spaces) would otherwise verify
//! under many spellings of one signed request.

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

/// Lower-case hex only: `u8::from_str_radix` alone would also take `AB` and `+a`.
fn unhex(text: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

/// Padded standard base64, as HubSpot v3 and Intuit send it (the `base64` crate refuses
/// missing padding and non-zero trailing bits, so each digest has one spelling).
fn unbase64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
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
    let ts: i64 = timestamp_ms.parse().map_err(|_| Rejected::Missing)?;
    fresh(ts / 1000, now_secs)?;
    let expected = unbase64(signature).ok_or(Rejected::Missing)?;
    check_hmac(
        hmac(
            secret.as_bytes(),
            &[
                method.as_bytes(),
                uri.as_bytes(),
                body,
                timestamp_ms.as_bytes(),
            ],
        ),
        &expected,
    )
}

fn sha256_matches(parts: &[&[u8]], signature: &str) -> Result<(), Rejected> {
    let expected = unhex(signature).ok_or(Rejected::Missing)?;
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
    let expected = unbase64(signature).ok_or(Rejected::Missing)?;
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
        let ts = timestamp_secs;
        fresh(ts.parse().map_err(|_| Rejected::Missing)?, now_secs)?;
        let hex_part = signature
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

/// What a delivery to a mapping's endpoint is recognised by when it comes again: the
/// SHA-256 of exactly what its signature covers (`{timestamp}.{body}`). Nothing a
/// replayer can change without breaking the signature (an unsigned header, the spelling
/// of the signature) goes into it.
pub fn switchyard_replay_key(timestamp_secs: &str, body: &[u8]) -> String {
    let mut digest = Sha256::new();
    digest.update(timestamp_secs.as_bytes());
    digest.update(b".");
    digest.update(body);
    format!("sha256:{}", hex(&digest.finalize()))
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
    fn only_the_canonical_spelling_of_a_signature_verifies() {
        let body = br#"{"mapping":"x"}"#;
        let good = switchyard_sign("whsec_test", 1_700_000_000, body);
        let now = 1_700_000_010;
        assert_eq!(
            switchyard("whsec_test", "1700000000", body, &good, now),
            Ok(())
        );
        let upper = format!("sha256={}", good["sha256=".len()..].to_uppercase());
        let padded = format!(" {good} ");
        for respelled in [upper.as_str(), padded.as_str()] {
            assert_eq!(
                switchyard("whsec_test", "1700000000", body, respelled, now),
                Err(Rejected::Missing),
                "{respelled}"
            );
        }
        // `from_str_radix` takes a leading sign: "+7" would have read as 0x07.
        assert_eq!(unhex("+7"), None);
        assert_eq!(unhex("0a"), Some(vec![10]));
        assert_eq!(
            switchyard("whsec_test", " 1700000000", body, &good, now),
            Err(Rejected::Missing),
            "the timestamp is signed as sent"
        );
        let v1 = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de";
        assert_eq!(
            hubspot_v1(HS_SECRET, HS_BODY.as_bytes(), &v1.to_uppercase()),
            Err(Rejected::Missing)
        );
    }

    #[test]
    fn the_replay_key_is_what_the_signature_covers() {
        let key = switchyard_replay_key("1700000000", b"{}");
        assert_eq!(key, switchyard_replay_key("1700000000", b"{}"));
        assert_ne!(key, switchyard_replay_key("1700000001", b"{}"));
        assert_ne!(key, switchyard_replay_key("1700000000", b"{ }"));
        assert!(key.starts_with("sha256:") && key.len() == 7 + 64, "{key}");
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

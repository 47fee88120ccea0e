//! Slack's request signing (v0), used for the events and interactions the sandbox sends
//! to an app: `X-Slack-Signature: v0=hex(HMAC-SHA256(signing_secret, "v0:" + ts + ":" +
//! body))` with `X-Slack-Request-Timestamp: ts`. Receivers refuse a timestamp more than
//! five minutes from now and compare in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "X-Slack-Signature";
pub const TIMESTAMP_HEADER: &str = "X-Slack-Request-Timestamp";
/// How far (either way) a request's timestamp may be from the receiver's clock.
pub const MAX_SKEW_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// The timestamp header is missing or not a whole number of seconds.
    BadTimestamp,
    /// More than [`MAX_SKEW_SECS`] from now: a possible replay.
    Stale,
    /// Missing, malformed, or not the signature of this body.
    Mismatch,
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    mac
}

/// The `X-Slack-Signature` value for `body` sent at `timestamp` (Unix seconds as text).
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("v0={hex}")
}

/// Both headers for a request sent now.
pub fn headers(secret: &str, body: &[u8], now_secs: i64) -> [(&'static str, String); 2] {
    let timestamp = now_secs.to_string();
    let signature = sign(secret, &timestamp, body);
    [(TIMESTAMP_HEADER, timestamp), (SIGNATURE_HEADER, signature)]
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Checks a request as a receiving app must: timestamp within five minutes of
/// `now_secs`, then the signature, compared in constant time.
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now_secs: i64,
) -> Result<(), SignatureError> {
    let timestamp = timestamp
        .map(str::trim)
        .ok_or(SignatureError::BadTimestamp)?;
    let sent: i64 = timestamp
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    if (now_secs - sent).abs() > MAX_SKEW_SECS {
        return Err(SignatureError::Stale);
    }
    let expected = signature
        .and_then(|s| s.trim().strip_prefix("v0="))
        .and_then(decode_hex)
        .ok_or(SignatureError::Mismatch)?;
    mac(secret, timestamp, body)
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The worked example of Slack's "Verifying requests from Slack" page.
    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const TS: &str = "1531420618";
    const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    #[test]
    fn signs_slacks_documented_example() {
        assert_eq!(sign(SECRET, TS, BODY.as_bytes()), SIG);
    }

    #[test]
    fn verifies_within_five_minutes_either_way() {
        let sent = 1_531_420_618;
        for now in [sent, sent + 300, sent - 300] {
            assert_eq!(
                verify(SECRET, Some(TS), Some(SIG), BODY.as_bytes(), now),
                Ok(()),
                "now = {now}"
            );
        }
        assert_eq!(
            verify(SECRET, Some(TS), Some(SIG), BODY.as_bytes(), sent + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(SECRET, Some(TS), Some(SIG), BODY.as_bytes(), sent - 301),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn refuses_tampering_and_malformed_headers() {
        let now = 1_531_420_618;
        let body = BODY.as_bytes();
        assert_eq!(
            verify(SECRET, Some(TS), Some(SIG), b"token=changed", now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("other-secret", Some(TS), Some(SIG), body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                SECRET,
                Some(TS),
                Some(&SIG.replace("v0=", "v1=")),
                body,
                now
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, Some(TS), Some("v0=zz"), body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, Some(TS), Some(&SIG[..20]), body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, Some(TS), None, body, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, None, Some(SIG), body, now),
            Err(SignatureError::BadTimestamp)
        );
        assert_eq!(
            verify(SECRET, Some("soon"), Some(SIG), body, now),
            Err(SignatureError::BadTimestamp)
        );
    }

    #[test]
    fn headers_round_trip() {
        let [(ts_name, ts), (sig_name, sig)] =
            headers("s3cret", br#"{"type":"event_callback"}"#, 1_800_000_000);
        assert_eq!((ts_name, sig_name), (TIMESTAMP_HEADER, SIGNATURE_HEADER));
        assert_eq!(
            verify(
                "s3cret",
                Some(&ts),
                Some(&sig),
                br#"{"type":"event_callback"}"#,
                1_800_000_010
            ),
            Ok(())
        );
    }
}

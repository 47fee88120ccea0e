//! HubSpot webhook request signatures, for the webhooks the sandbox sends:
//! v1 `hex(SHA256(secret + body))`; v2 `hex(SHA256(secret + method + uri + body))`
//! (`X-HubSpot-Signature-Version: v2`); v3 `base64(HMAC-SHA256(secret, method + uri +
//! body + timestamp))` in `X-HubSpot-Signature-v3` with `X-HubSpot-Request-Timestamp` in
//! epoch ms, where the URI is URL-decoded and requests older than 300 s are refused.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Oldest v3 timestamp a receiver accepts.
pub const MAX_AGE_MS: i64 = 300_000;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn v1(client_secret: &str, body: &str) -> String {
    hex(&Sha256::digest(format!("{client_secret}{body}").as_bytes()))
}

pub fn v2(client_secret: &str, method: &str, uri: &str, body: &str) -> String {
    hex(&Sha256::digest(
        format!("{client_secret}{method}{uri}{body}").as_bytes(),
    ))
}

pub fn v3(client_secret: &str, method: &str, uri: &str, body: &str, timestamp_ms: i64) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{method}{}{body}{timestamp_ms}", decode_uri(uri)).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Percent-decodes a URI (`%3A` → `:`); malformed escapes stay as they are.
pub fn decode_uri(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hexval = |c: u8| (c as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hexval(bytes[i + 1]), hexval(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The v3 check a receiver makes: fresh timestamp and matching signature.
pub fn verify_v3(
    client_secret: &str,
    method: &str,
    uri: &str,
    body: &str,
    timestamp_ms: i64,
    signature: &str,
    now_ms: i64,
) -> bool {
    if now_ms - timestamp_ms > MAX_AGE_MS {
        return false;
    }
    let expected = v3(client_secret, method, uri, body, timestamp_ms);
    expected.len() == signature.len()
        && expected
            .bytes()
            .zip(signature.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The headers to send with a webhook request: `(name, value)` pairs for v1 and v3.
pub fn headers(
    client_secret: &str,
    method: &str,
    uri: &str,
    body: &str,
    timestamp_ms: i64,
) -> Vec<(&'static str, String)> {
    vec![
        ("X-HubSpot-Signature", v1(client_secret, body)),
        ("X-HubSpot-Signature-Version", "v1".to_owned()),
        (
            "X-HubSpot-Signature-v3",
            v3(client_secret, method, uri, body, timestamp_ms),
        ),
        ("X-HubSpot-Request-Timestamp", timestamp_ms.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    const BODY: &str = r#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]"#;

    #[test]
    fn v1_matches_the_documented_example() {
        assert_eq!(
            v1(SECRET, BODY),
            "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"
        );
    }

    #[test]
    fn v2_hashes_secret_method_uri_and_body() {
        let uri = "https://www.example.com/webhook_uri";
        let expected = hex(&Sha256::digest(
            format!("{SECRET}POST{uri}{BODY}").as_bytes(),
        ));
        assert_eq!(v2(SECRET, "POST", uri, BODY), expected);
        assert_ne!(
            v2(SECRET, "GET", uri, BODY),
            expected,
            "the method is signed"
        );
        assert_eq!(expected.len(), 64);
    }

    #[test]
    fn v3_is_an_hmac_over_the_decoded_uri_and_expires() {
        let ts = 1_700_000_000_000;
        let encoded = "https://example.com/hook?a=b%3Ac";
        let sig = v3(SECRET, "POST", encoded, BODY, ts);
        assert_eq!(
            sig,
            v3(SECRET, "POST", "https://example.com/hook?a=b:c", BODY, ts),
            "URI is URL-decoded"
        );
        let mut mac =
            Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap_or_else(|_| unreachable!());
        mac.update(format!("POSThttps://example.com/hook?a=b:c{BODY}{ts}").as_bytes());
        assert_eq!(
            sig,
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        );
        assert!(verify_v3(
            SECRET,
            "POST",
            encoded,
            BODY,
            ts,
            &sig,
            ts + 299_000
        ));
        assert!(
            !verify_v3(SECRET, "POST", encoded, BODY, ts, &sig, ts + 301_000),
            "older than 300 s"
        );
        assert!(
            !verify_v3("other", "POST", encoded, BODY, ts, &sig, ts),
            "wrong secret"
        );
    }

    #[test]
    fn malformed_escapes_survive_decoding() {
        assert_eq!(decode_uri("a%2"), "a%2");
        assert_eq!(decode_uri("%zz%41"), "%zzA");
    }
}

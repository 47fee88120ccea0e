//! Switchyard's own endpoint, `/webhooks/generic/{mapping_id}`, for senders such as Zapier:
//! any JSON object (or nothing). Its delivery id is the `X-Switchyard-Delivery` header, else
//! the body's `id`, else the signature itself (a replay of the same signed request is then
//! recognised). `recordId` (or `record_id`) names the record that changed, when known.

use super::{malformed, text, Incoming, Malformed};
use serde_json::Value;

pub fn parse(
    body: &[u8],
    delivery_header: Option<&str>,
    signature: &str,
    object: &str,
) -> Result<Incoming, Malformed> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(body).map_err(|_| malformed("the body must be a JSON object"))?
    };
    if !value.is_object() {
        return Err(malformed("the body must be a JSON object"));
    }
    let delivery = delivery_header
        .map(str::trim)
        .filter(|d| !d.is_empty() && d.len() <= 200)
        .map(str::to_owned)
        .or_else(|| text(&value["id"]))
        .unwrap_or_else(|| format!("sig:{}", signature.trim()));
    Ok(Incoming {
        delivery_id: delivery,
        account_id: None,
        event_type: value["event"]
            .as_str()
            .unwrap_or("generic")
            .chars()
            .take(100)
            .collect(),
        object: Some(object.to_owned()),
        record_id: text(&value["recordId"]).or_else(|| text(&value["record_id"])),
        payload: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_id_from_header_then_body_then_signature() {
        let body = br#"{"id":"zap-1","recordId":42,"event":"contact.updated"}"#;
        let from_header = parse(body, Some("d-9"), "sha256=ab", "contacts").unwrap();
        assert_eq!(from_header.delivery_id, "d-9");
        assert_eq!(from_header.record_id.as_deref(), Some("42"));
        assert_eq!(from_header.event_type, "contact.updated");
        assert_eq!(
            parse(body, None, "sha256=ab", "contacts")
                .unwrap()
                .delivery_id,
            "zap-1"
        );
        let bare = parse(b"", None, "sha256=ab", "contacts").unwrap();
        assert_eq!(
            (bare.delivery_id.as_str(), bare.event_type.as_str()),
            ("sig:sha256=ab", "generic")
        );
        assert_eq!(bare.object.as_deref(), Some("contacts"));
        assert!(parse(b"[1]", None, "s", "contacts").is_err());
        assert!(parse(b"name=x", None, "s", "contacts").is_err());
    }
}

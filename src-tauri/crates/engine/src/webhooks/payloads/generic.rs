//! Switchyard's own endpoint, `/webhooks/generic/{mapping_id}`, for senders such as Zapier:
//! any JSON object (or nothing). Its delivery id comes only from what the signature covers:
//! the body's `id`, else the hash of the signed timestamp and body
//! ([`super::super::signatures::switchyard_replay_key`]), so a replay is recognised however
//! its unsigned parts (an `X-Switchyard-Delivery` header, the signature's spelling) were
//! changed. `recordId` (or `record_id`) names the record that changed, when known.

use super::{malformed, text, Incoming, Malformed};
use serde_json::Value;

pub fn parse(body: &[u8], replay_key: &str, object: &str) -> Result<Incoming, Malformed> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(body).map_err(|_| malformed("the body must be a JSON object"))?
    };
    if !value.is_object() {
        return Err(malformed("the body must be a JSON object"));
    }
    let delivery = text(&value["id"])
        .filter(|id| !id.is_empty() && id.len() <= 200)
        .map(|id| format!("id:{id}"))
        .unwrap_or_else(|| replay_key.to_owned());
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
    fn delivery_id_from_the_signed_body_then_the_signed_content() {
        let body = br#"{"id":"zap-1","recordId":42,"event":"contact.updated"}"#;
        let with_id = parse(body, "sha256:k", "contacts").unwrap();
        assert_eq!(with_id.delivery_id, "id:zap-1");
        assert_eq!(with_id.record_id.as_deref(), Some("42"));
        assert_eq!(with_id.event_type, "contact.updated");
        let bare = parse(b"", "sha256:k", "contacts").unwrap();
        assert_eq!(
            (bare.delivery_id.as_str(), bare.event_type.as_str()),
            ("sha256:k", "generic")
        );
        assert_eq!(bare.object.as_deref(), Some("contacts"));
        assert!(parse(b"[1]", "k", "contacts").is_err());
        assert!(parse(b"name=x", "k", "contacts").is_err());
    }
}

//! QuickBooks: CloudEvents — a JSON array of `{id, type: "qbo.customer.updated.v1",
//! intuitentityid, intuitaccountid, time, …}`, de-duplicated by `id` — or the legacy
//! `{"eventNotifications":[{realmId, dataChangeEvent:{entities:[{name,id,operation,
//! lastUpdated}]}}]}`, which has no event id: realmId + entity + id + lastUpdated is one.

use super::{malformed, text, Incoming, Malformed};
use serde_json::Value;

/// `customer` → `Customer`, as the connector names entities.
fn entity(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn cloud_event(e: &Value) -> Result<Incoming, Malformed> {
    let id = text(&e["id"]).ok_or_else(|| malformed("a CloudEvent has no id"))?;
    let kind = e["type"]
        .as_str()
        .ok_or_else(|| malformed("a CloudEvent has no type"))?;
    // qbo.<entity>.<operation>.v1
    let name = kind
        .strip_prefix("qbo.")
        .and_then(|rest| rest.split('.').next())
        .filter(|n| !n.is_empty());
    Ok(Incoming {
        delivery_id: format!("ce:{id}"),
        account_id: text(&e["intuitaccountid"]),
        event_type: kind.to_owned(),
        object: name.map(entity),
        record_id: text(&e["intuitentityid"]),
        payload: e.to_string(),
    })
}

fn legacy(body: &Value) -> Result<Vec<Incoming>, Malformed> {
    let notes = body["eventNotifications"]
        .as_array()
        .ok_or_else(|| malformed("no eventNotifications"))?;
    let mut out = Vec::new();
    for note in notes {
        let realm =
            text(&note["realmId"]).ok_or_else(|| malformed("a notification has no realmId"))?;
        let entities = note["dataChangeEvent"]["entities"]
            .as_array()
            .ok_or_else(|| malformed("a notification has no dataChangeEvent.entities"))?;
        for e in entities {
            let name = e["name"]
                .as_str()
                .ok_or_else(|| malformed("an entity has no name"))?;
            let id = text(&e["id"]).ok_or_else(|| malformed("an entity has no id"))?;
            let updated = e["lastUpdated"].as_str().unwrap_or_default();
            let operation = e["operation"].as_str().unwrap_or("Update");
            out.push(Incoming {
                delivery_id: format!("legacy:{realm}:{name}:{id}:{updated}"),
                account_id: Some(realm.clone()),
                event_type: format!("{name}.{operation}"),
                object: Some(entity(name)),
                record_id: Some(id),
                payload: e.to_string(),
            });
        }
    }
    Ok(out)
}

pub fn parse(body: &[u8]) -> Result<Vec<Incoming>, Malformed> {
    let value: Value = serde_json::from_slice(body).map_err(|_| malformed("not JSON"))?;
    let events = match &value {
        Value::Array(events) => events
            .iter()
            .map(cloud_event)
            .collect::<Result<Vec<_>, _>>()?,
        Value::Object(_) => legacy(&value)?,
        _ => return Err(malformed("neither CloudEvents nor eventNotifications")),
    };
    if events.is_empty() {
        return Err(malformed("no events"));
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cloudevents() {
        let body = br#"[{"specversion":"1.0","id":"88c3f5b4","source":"intuit.x","type":"qbo.customer.created.v1","datacontenttype":"application/json","time":"2025-11-20T10:00:00Z","intuitentityid":"58","intuitaccountid":"9341453474484455","data":{}}]"#;
        let e = &parse(body).unwrap()[0];
        assert_eq!(e.delivery_id, "ce:88c3f5b4");
        assert_eq!(e.account_id.as_deref(), Some("9341453474484455"));
        assert_eq!(e.object.as_deref(), Some("Customer"));
        assert_eq!(e.record_id.as_deref(), Some("58"));
        assert_eq!(e.event_type, "qbo.customer.created.v1");
    }

    #[test]
    fn reads_legacy_notifications_with_a_composite_id() {
        let body = br#"{"eventNotifications":[{"realmId":"123","dataChangeEvent":{"entities":[
            {"name":"Customer","id":"58","operation":"Create","lastUpdated":"2024-06-01T10:00:00.000Z"},
            {"name":"Invoice","id":"7","operation":"Delete","lastUpdated":"2024-06-01T10:00:01.000Z"}]}}]}"#;
        let events = parse(body).unwrap();
        assert_eq!(
            events[0].delivery_id,
            "legacy:123:Customer:58:2024-06-01T10:00:00.000Z"
        );
        assert_eq!(events[1].object.as_deref(), Some("Invoice"));
        assert_eq!(events[1].event_type, "Invoice.Delete");
        assert_eq!(events[1].account_id.as_deref(), Some("123"));
    }

    #[test]
    fn refuses_other_shapes() {
        for body in [
            &b"[]"[..],
            b"[{\"type\":\"qbo.customer.created.v1\"}]",
            b"{\"x\":1}",
            b"\"s\"",
            b"<xml/>",
        ] {
            assert!(parse(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}

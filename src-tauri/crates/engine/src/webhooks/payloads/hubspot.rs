//! HubSpot: a JSON array of events, `{eventId, portalId, subscriptionType:
//! "contact.propertyChange", objectId, occurredAt, attemptNumber, …}`. The delivery id is
//! `portalId:eventId` (event ids are per app, portals are not). Newer generic
//! subscriptions (`object.propertyChange`) name the object by `objectTypeId`.

use super::{malformed, text, Incoming, Malformed};
use serde_json::Value;

/// The connector's object for a subscription type's prefix or an object type id.
fn object(prefix: &str, type_id: Option<&str>) -> Option<&'static str> {
    match (prefix, type_id) {
        ("contact", _) | ("object", Some("0-1")) => Some("contacts"),
        ("company", _) | ("object", Some("0-2")) => Some("companies"),
        ("deal", _) | ("object", Some("0-3")) => Some("deals"),
        ("ticket", _) | ("object", Some("0-5")) => Some("tickets"),
        _ => None,
    }
}

pub fn parse(body: &[u8]) -> Result<Vec<Incoming>, Malformed> {
    let events: Vec<Value> =
        serde_json::from_slice(body).map_err(|_| malformed("not a JSON array of events"))?;
    if events.is_empty() {
        return Err(malformed("no events"));
    }
    events
        .iter()
        .map(|e| {
            let event_id =
                text(&e["eventId"]).ok_or_else(|| malformed("an event has no eventId"))?;
            let portal =
                text(&e["portalId"]).ok_or_else(|| malformed("an event has no portalId"))?;
            let kind = e["subscriptionType"]
                .as_str()
                .ok_or_else(|| malformed("an event has no subscriptionType"))?;
            let prefix = kind.split('.').next().unwrap_or_default();
            let type_id = e["objectTypeId"].as_str();
            Ok(Incoming {
                delivery_id: format!("{portal}:{event_id}"),
                account_id: Some(portal),
                event_type: kind.to_owned(),
                object: object(prefix, type_id).map(str::to_owned),
                record_id: text(&e["objectId"]),
                payload: e.to_string(),
            })
        })
        .collect()
}

/// When the oldest event of a delivery occurred (epoch ms); `None` when one does not say
/// or the body is not an event array.
pub fn oldest_occurrence(body: &[u8]) -> Option<i64> {
    let events: Vec<Value> = serde_json::from_slice(body).ok()?;
    events
        .iter()
        .map(|e| e["occurredAt"].as_i64())
        .try_fold(i64::MAX, |oldest, at| Some(oldest.min(at?)))
        .filter(|_| !events.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example_and_generic_subscriptions() {
        let body = br#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321},
            {"eventId":"2","portalId":62515,"subscriptionType":"object.propertyChange","objectTypeId":"0-3","objectId":9,"propertyName":"amount","propertyValue":"10"},
            {"eventId":3,"portalId":62515,"subscriptionType":"conversation.creation","objectId":4}]"#;
        let events = parse(body).unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(events[0].delivery_id, "62515:1");
        assert_eq!(events[0].account_id.as_deref(), Some("62515"));
        assert_eq!(events[0].object.as_deref(), Some("contacts"));
        assert_eq!(events[0].record_id.as_deref(), Some("123"));
        assert_eq!(events[1].object.as_deref(), Some("deals"));
        assert_eq!(events[1].event_type, "object.propertyChange");
        assert_eq!(events[2].object, None, "not an object Switchyard syncs");
    }

    #[test]
    fn the_oldest_occurrence_of_a_delivery() {
        let body = br#"[{"occurredAt":5},{"occurredAt":3},{"occurredAt":9}]"#;
        assert_eq!(oldest_occurrence(body), Some(3));
        assert_eq!(oldest_occurrence(br#"[{"occurredAt":5},{}]"#), None);
        assert_eq!(oldest_occurrence(b"[]"), None);
        assert_eq!(oldest_occurrence(b"{}"), None);
    }

    #[test]
    fn refuses_what_hubspot_does_not_send() {
        for body in [
            &b"{}"[..],
            b"[]",
            b"[{\"portalId\":1,\"subscriptionType\":\"contact.creation\"}]",
            b"nope",
        ] {
            assert!(parse(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }
}

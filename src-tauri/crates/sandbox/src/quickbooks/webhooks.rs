//! QuickBooks' webhook requests, signed with `intuit-signature` = base64(HMAC-SHA256(
//! verifier token, body)). Two payload shapes, as Intuit moves from one to the other:
//! CloudEvents (the default) — a JSON array of `{specversion, id, source, type:
//! "qbo.customer.updated.v1", datacontenttype, time, intuitentityid, intuitaccountid,
//! data}` — and the legacy `{"eventNotifications":[{"realmId","dataChangeEvent":
//! {"entities":[{"name","id","operation","lastUpdated"}]}}]}`. Payloads carry ids only.

use super::signature;
use crate::seed::iso_z;
use crate::webhooks::{ChangeKind, Event, Format, Outgoing, Subscription};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Entities per request (Intuit does not publish one; its batches are small).
pub const MAX_EVENTS: usize = 50;

#[derive(Debug)]
pub struct QuickbooksFormat;

fn operation(kind: ChangeKind) -> (&'static str, &'static str) {
    match kind {
        ChangeKind::Created => ("created", "Create"),
        ChangeKind::Updated => ("updated", "Update"),
        ChangeKind::Deleted => ("deleted", "Delete"),
    }
}

fn cloud_event(e: &Event) -> Value {
    let c = &e.change;
    json!({
        "specversion": "1.0",
        "id": e.uid,
        "source": "intuit.sandbox.switchyard",
        "type": format!("qbo.{}.{}.v1", c.object.to_lowercase(), operation(c.kind).0),
        "datacontenttype": "application/json",
        "time": iso_z(c.at_ms),
        "intuitentityid": c.id,
        "intuitaccountid": e.account,
        "data": {},
    })
}

fn legacy(events: &[Event]) -> Value {
    let mut by_realm: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for e in events {
        let c = &e.change;
        by_realm.entry(&e.account).or_default().push(json!({
            "name": c.object,
            "id": c.id,
            "operation": operation(c.kind).1,
            "lastUpdated": iso_z(c.at_ms),
        }));
    }
    let notifications: Vec<Value> = by_realm
        .into_iter()
        .map(|(realm, entities)| json!({ "realmId": realm, "dataChangeEvent": { "entities": entities } }))
        .collect();
    json!({ "eventNotifications": notifications })
}

impl Format for QuickbooksFormat {
    fn max_batch(&self) -> usize {
        MAX_EVENTS
    }

    fn check(&self, sub: &Subscription) -> Result<(), String> {
        match sub.format.as_deref() {
            None | Some("cloudevents" | "legacy") => Ok(()),
            Some(f) => Err(format!("format {f:?}: use cloudevents or legacy")),
        }
    }

    fn request(&self, events: &[Event], _attempt: u32, sub: &Subscription) -> Outgoing {
        let body = match sub.format.as_deref() {
            Some("legacy") => legacy(events),
            _ => Value::Array(events.iter().map(cloud_event).collect()),
        }
        .to_string();
        let sig = signature::sign(&sub.secret, body.as_bytes());
        Outgoing {
            body: body.into_bytes(),
            headers: vec![(signature::HEADER, sig)],
        }
    }
}

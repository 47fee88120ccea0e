//! HubSpot's webhook requests: a JSON array of up to 100 events, each
//! `{eventId, subscriptionId, portalId, appId, occurredAt, subscriptionType,
//! attemptNumber, objectId, changeSource, changeFlag?, propertyName?, propertyValue?}`
//! (`contact.creation`, `contact.propertyChange` per changed property, `contact.deletion`,
//! and the same for companies, deals and tickets). Signed with the app's client secret:
//! `X-HubSpot-Signature` v1 (or v2 when subscribed so) and always v3 with its timestamp.

use super::schema::Kind;
use super::{signature, APP_ID};
use crate::oauth::now_ms;
use crate::webhooks::{ChangeKind, Event, Format, Outgoing, Subscription};
use serde_json::{json, Map, Value};

/// HubSpot sends at most this many events in one request.
pub const MAX_EVENTS: usize = 100;

#[derive(Debug)]
pub struct HubspotFormat;

fn singular(object: &str) -> &'static str {
    match Kind::parse(object) {
        Some(Kind::Companies) => "company",
        Some(Kind::Deals) => "deal",
        Some(Kind::Tickets) => "ticket",
        _ => "contact",
    }
}

/// A stable id per subscription (object and change), as an app's subscriptions have.
fn subscription_id(object: &str, what: &str) -> u64 {
    let object = Kind::ALL
        .iter()
        .position(|k| Some(*k) == Kind::parse(object))
        .unwrap_or(0) as u64;
    let what = match what {
        "creation" => 1,
        "propertyChange" => 2,
        _ => 3,
    };
    1_000_000 + object * 10 + what
}

fn event(e: &Event, attempt: u32) -> Value {
    let change = &e.change;
    let (what, flag) = match change.kind {
        ChangeKind::Created => ("creation", Some("NEW")),
        ChangeKind::Updated => ("propertyChange", None),
        ChangeKind::Deleted => ("deletion", Some("DELETED")),
    };
    let mut out = Map::new();
    out.insert("eventId".into(), json!(e.seq));
    out.insert(
        "subscriptionId".into(),
        json!(subscription_id(&change.object, what)),
    );
    out.insert(
        "portalId".into(),
        json!(e.account.parse::<u64>().unwrap_or_default()),
    );
    out.insert("appId".into(), json!(APP_ID));
    out.insert("occurredAt".into(), json!(change.at_ms));
    out.insert(
        "subscriptionType".into(),
        json!(format!("{}.{what}", singular(&change.object))),
    );
    out.insert("attemptNumber".into(), json!(attempt));
    out.insert(
        "objectId".into(),
        json!(change.id.parse::<u64>().unwrap_or_default()),
    );
    out.insert("changeSource".into(), json!("CRM"));
    if let Some(flag) = flag {
        out.insert("changeFlag".into(), json!(flag));
    }
    if let Some((name, value)) = &change.property {
        out.insert("propertyName".into(), json!(name));
        out.insert("propertyValue".into(), json!(value));
    }
    Value::Object(out)
}

impl Format for HubspotFormat {
    fn max_batch(&self) -> usize {
        MAX_EVENTS
    }

    fn check(&self, sub: &Subscription) -> Result<(), String> {
        match sub.version.as_deref() {
            None | Some("v1" | "v2" | "v3") => Ok(()),
            Some(v) => Err(format!("version {v:?}: use v1, v2 or v3")),
        }
    }

    fn request(&self, events: &[Event], attempt: u32, sub: &Subscription) -> Outgoing {
        let body = Value::Array(events.iter().map(|e| event(e, attempt)).collect()).to_string();
        let ts = now_ms();
        let mut headers = signature::headers(&sub.secret, "POST", &sub.url, &body, ts);
        if sub.version.as_deref() == Some("v2") {
            for (name, value) in &mut headers {
                match *name {
                    "X-HubSpot-Signature" => {
                        *value = signature::v2(&sub.secret, "POST", &sub.url, &body);
                    }
                    "X-HubSpot-Signature-Version" => *value = "v2".to_owned(),
                    _ => {}
                }
            }
        }
        Outgoing {
            body: body.into_bytes(),
            headers,
        }
    }
}

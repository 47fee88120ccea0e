//! What each provider's webhook body says, read into one shape: a delivery id to
//! de-duplicate by, the provider account it concerns (routed to a connection by
//! `account_id`), and the object and record that changed. Bodies are parsed before the
//! signature is checked only to find which secrets may have signed them; nothing in an
//! unverified body is acted on.

pub mod generic;
pub mod hubspot;
pub mod quickbooks;
pub mod slack;

/// One event of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// Unique per provider; repeats of it are dropped.
    pub delivery_id: String,
    /// HubSpot portalId, QuickBooks realmId, Slack team_id.
    pub account_id: Option<String>,
    pub event_type: String,
    /// The object as Switchyard's connector names it (`contacts`, `Customer`).
    pub object: Option<String>,
    pub record_id: Option<String>,
    /// The event itself, as JSON (payloads carry ids, rarely values).
    pub payload: String,
}

/// A body that is not what the provider sends.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

pub(crate) fn malformed(what: impl Into<String>) -> Malformed {
    Malformed(what.into())
}

/// A JSON scalar as text (ids arrive as numbers or strings).
pub(crate) fn text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

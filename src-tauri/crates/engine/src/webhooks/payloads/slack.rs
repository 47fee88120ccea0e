//! Slack's Events API: `url_verification` (answer the `challenge` once the signature
//! checks) and `event_callback` (`{team_id, event_id, event: {type, …}}`, de-duplicated by
//! `event_id`; Slack retries with `X-Slack-Retry-Num` and the same id). Slack objects are
//! not synced, so these events are verified, counted and stored, and trigger nothing.

use super::{malformed, text, Incoming, Malformed};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlackBody {
    Challenge(String),
    Event(Incoming),
    /// Other envelope types (`app_rate_limited`): acknowledged, nothing stored.
    Other(String),
}

/// The users / channels / messages an event is about.
fn subject(event: &Value) -> (Option<&'static str>, Option<String>) {
    let kind = event["type"].as_str().unwrap_or_default();
    if kind.starts_with("user_") || kind == "team_join" {
        (
            Some("users"),
            text(&event["user"]["id"]).or_else(|| text(&event["user"])),
        )
    } else if kind.starts_with("channel_") || kind.starts_with("group_") {
        (
            Some("channels"),
            text(&event["channel"]["id"]).or_else(|| text(&event["channel"])),
        )
    } else if kind == "message" {
        (Some("messages"), text(&event["ts"]))
    } else {
        (None, None)
    }
}

pub fn parse(body: &[u8]) -> Result<SlackBody, Malformed> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| malformed("not an Events API request (JSON expected)"))?;
    match value["type"].as_str() {
        Some("url_verification") => value["challenge"]
            .as_str()
            .map(|c| SlackBody::Challenge(c.to_owned()))
            .ok_or_else(|| malformed("url_verification without a challenge")),
        Some("event_callback") => {
            let id = text(&value["event_id"]).ok_or_else(|| malformed("no event_id"))?;
            let event = &value["event"];
            let kind = event["type"]
                .as_str()
                .ok_or_else(|| malformed("no event.type"))?;
            let (object, record) = subject(event);
            Ok(SlackBody::Event(Incoming {
                delivery_id: id,
                account_id: text(&value["team_id"]),
                event_type: kind.to_owned(),
                object: object.map(str::to_owned),
                record_id: record,
                payload: event.to_string(),
            }))
        }
        Some(other) => Ok(SlackBody::Other(other.to_owned())),
        None => Err(malformed("no type")),
    }
}

/// The team a body claims to come from (to find a connection's signing secret).
pub fn team(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| text(&v["team_id"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_events_and_others() {
        assert_eq!(
            parse(br#"{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#),
            Ok(SlackBody::Challenge("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P".into()))
        );
        let body = br#"{"team_id":"T061EG9R6","api_app_id":"A0","event":{"type":"user_change","user":{"id":"U1"}},"type":"event_callback","event_id":"Ev0PV52K21","event_time":1355517523}"#;
        let SlackBody::Event(e) = parse(body).unwrap() else {
            panic!("an event")
        };
        assert_eq!(
            (
                e.delivery_id.as_str(),
                e.account_id.as_deref(),
                e.object.as_deref(),
                e.record_id.as_deref()
            ),
            ("Ev0PV52K21", Some("T061EG9R6"), Some("users"), Some("U1"))
        );
        assert_eq!(team(body).as_deref(), Some("T061EG9R6"));
        assert_eq!(
            parse(br#"{"type":"app_rate_limited"}"#),
            Ok(SlackBody::Other("app_rate_limited".into()))
        );
        assert!(
            parse(b"payload=%7B%7D").is_err(),
            "interactivity is not the Events API"
        );
        assert!(parse(br#"{"type":"event_callback","event":{"type":"message"}}"#).is_err());
    }
}

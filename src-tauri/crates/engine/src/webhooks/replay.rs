//! How long a delivery is remembered, and so how long a replay of it is recognised. Every
//! stored delivery id is a replay key (see `payloads`); processed deliveries are
//! forgotten after [`KEEP_MS`].
//!
//! Timestamped schemes (HubSpot v3, Slack, Switchyard's own) refuse anything signed more
//! than 300 s ago, long before its key is forgotten. HubSpot v1 and v2 signatures carry
//! no timestamp, so a captured v1/v2 request verifies forever. Switchyard keeps those
//! modes (v3 stays the default) and closes the gap in two steps:
//! - keys are kept far longer than HubSpot retries: HubSpot re-sends a failed delivery up
//!   to 10 times over about 24 hours (its older documentation: exponential backoff from
//!   2 minutes, 2 + 4 + … + 1024 min ≈ 34 h), and keys are kept 30 days;
//! - a v1/v2 event whose signed `occurredAt` is older than [`UNTIMESTAMPED_MAX_AGE_MS`]
//!   (29 days: within the keep time, less a day for clocks) is refused, because its key
//!   may already be forgotten. A replay is thus either a known key or refused.

/// Processed and refused deliveries are forgotten after 30 days.
pub(crate) const KEEP_MS: i64 = 30 * DAY_MS;

/// The longest HubSpot retries one delivery (≈ 34 h on the older documented schedule),
/// rounded up.
pub(crate) const HUBSPOT_RETRY_SPAN_MS: i64 = 2 * DAY_MS;

/// The oldest event an untimestamped (HubSpot v1/v2) delivery may carry.
pub(crate) const UNTIMESTAMPED_MAX_AGE_MS: i64 = KEEP_MS - DAY_MS;

const DAY_MS: i64 = 24 * 3600 * 1000;

const _: () = assert!(UNTIMESTAMPED_MAX_AGE_MS >= HUBSPOT_RETRY_SPAN_MS);
const _: () = assert!(UNTIMESTAMPED_MAX_AGE_MS < KEEP_MS);

/// `Err` with the reason when an untimestamped delivery's oldest event (`None`: one event
/// does not say when it occurred) is too old to be told apart from a replay.
pub(crate) fn untimestamped_fresh(oldest_ms: Option<i64>, now_ms: i64) -> Result<(), String> {
    match oldest_ms {
        None => Err("an event has no occurredAt; v1/v2 signatures need it to refuse replays".into()),
        Some(at) if now_ms - at > UNTIMESTAMPED_MAX_AGE_MS => Err(format!(
            "an event occurred {} days ago; v1/v2 deliveries older than {} days are refused as replays",
            (now_ms - at) / DAY_MS,
            UNTIMESTAMPED_MAX_AGE_MS / DAY_MS
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_or_undated_untimestamped_events_are_refused() {
        let now = 100 * DAY_MS;
        assert!(untimestamped_fresh(Some(now - HUBSPOT_RETRY_SPAN_MS), now).is_ok());
        assert!(untimestamped_fresh(Some(now - UNTIMESTAMPED_MAX_AGE_MS), now).is_ok());
        assert!(untimestamped_fresh(Some(now - UNTIMESTAMPED_MAX_AGE_MS - 1), now).is_err());
        assert!(untimestamped_fresh(None, now).is_err());
    }
}

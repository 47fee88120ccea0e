//! Keyset paging over a last-modified order, shared by the HubSpot search and QuickBooks
//! query reads. Paging by offset (`after` offsets, `STARTPOSITION`) skips rows when the
//! data moves while it is read: an edited record jumps to the end, every later row moves
//! up one place and the row at each page boundary is never returned. So every page is a
//! fresh query anchored on what was read last:
//!
//! - **anchored**: changed at or after the cursor, oldest first; the cursor drops the ids
//!   it has seen at its timestamp. A full page asks to be re-anchored (`Next::Requery`).
//! - **tie**: when a full page holds one timestamp only, more records share it than a
//!   page holds, and re-anchoring would return the same page forever. Those records are
//!   read by id instead (`modified = T and id > last id`, in id order) …
//! - **after**: … and then the read goes on strictly after T.
//!
//! A record is only ever skipped by these queries if it changes while read, and then it
//! is read again at its new place (or by the next run).

use crate::connector::{ConnectorError, Next};
use crate::value::Record;
use chrono::{DateTime, Utc};

/// Where the next page of a keyset read starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// From the request's cursor (or the beginning).
    Anchored,
    /// Records modified exactly at `at` with an id above `after_id`, in id order.
    Tie { at: DateTime<Utc>, after_id: String },
    /// Records modified strictly after `at`.
    After { at: DateTime<Utc> },
}

impl Position {
    /// The position a page token names (`None`: anchored).
    pub fn parse(token: Option<&str>) -> Result<Self, ConnectorError> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(Self::Anchored);
        };
        let bad = || ConnectorError::unexpected(format!("an unknown page token {token:?}"));
        let mut parts = token.splitn(3, ':');
        let kind = parts.next().ok_or_else(bad)?;
        let at = parts
            .next()
            .and_then(|ms| ms.parse::<i64>().ok())
            .and_then(DateTime::from_timestamp_millis)
            .ok_or_else(bad)?;
        match (kind, parts.next()) {
            ("tie", Some(id)) if !id.is_empty() => Ok(Self::Tie {
                at,
                after_id: id.to_owned(),
            }),
            ("after", None) => Ok(Self::After { at }),
            _ => Err(bad()),
        }
    }

    pub fn token(&self) -> String {
        match self {
            Self::Anchored => String::new(),
            Self::Tie { at, after_id } => format!("tie:{}:{after_id}", at.timestamp_millis()),
            Self::After { at } => format!("after:{}", at.timestamp_millis()),
        }
    }
}

/// What follows an anchored or after-page, from its records as the provider sent them
/// (before the cursor dropped any): the end, a re-anchored query, or — when a full page
/// holds one timestamp only — the tie at that timestamp, read by id.
pub fn after_ordered_page(raw: &[Record], limit: usize) -> Step {
    if raw.len() < limit.max(1) {
        return Step::Done;
    }
    let first = raw.first().and_then(|r| r.modified);
    let last = raw.last().and_then(|r| r.modified);
    match (first, last) {
        (Some(a), Some(b)) if a == b => Step::Tie(a),
        _ => Step::Next(Next::Requery),
    }
}

/// What follows a page of a tie at `at`: more of the tie after its last id, or the
/// records after the tie.
pub fn after_tie_page(raw: &[Record], limit: usize, at: DateTime<Utc>) -> Next {
    match raw.last() {
        Some(last) if raw.len() >= limit.max(1) => Next::Page(
            Position::Tie {
                at,
                after_id: last.id.clone(),
            }
            .token(),
        ),
        _ => Next::Page(Position::After { at }.token()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Done,
    Next(Next),
    /// Read the tie at this timestamp by id, from its first id.
    Tie(DateTime<Utc>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, ms: i64) -> Record {
        Record {
            id: id.into(),
            modified: DateTime::from_timestamp_millis(ms),
            archived: false,
            version: None,
            fields: Default::default(),
        }
    }

    #[test]
    fn tokens_round_trip_and_strangers_are_refused() {
        let at = DateTime::from_timestamp_millis(1_700_000_000_123).unwrap_or_default();
        for p in [
            Position::Anchored,
            Position::Tie {
                at,
                after_id: "501".into(),
            },
            Position::After { at },
        ] {
            let token = p.token();
            let parsed = Position::parse(Some(token.as_str()).filter(|t| !t.is_empty()));
            assert_eq!(parsed.ok(), Some(p));
        }
        for bad in ["200", "tie:x:1", "tie:5:", "after:5:1", "later:5"] {
            assert!(Position::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_full_page_of_one_timestamp_is_a_tie_and_a_short_page_ends() {
        let tie = [rec("1", 5), rec("2", 5)];
        assert_eq!(
            after_ordered_page(&tie, 2),
            Step::Tie(DateTime::from_timestamp_millis(5).unwrap_or_default())
        );
        assert_eq!(
            after_ordered_page(&[rec("1", 5), rec("2", 6)], 2),
            Step::Next(Next::Requery)
        );
        assert_eq!(after_ordered_page(&tie, 3), Step::Done);
        assert_eq!(after_ordered_page(&[], 3), Step::Done);
        let at = DateTime::from_timestamp_millis(5).unwrap_or_default();
        assert_eq!(
            after_tie_page(&tie, 2, at),
            Next::Page("tie:5:2".into()),
            "a full tie page goes on after its last id"
        );
        assert_eq!(after_tie_page(&tie, 3, at), Next::Page("after:5".into()));
    }
}

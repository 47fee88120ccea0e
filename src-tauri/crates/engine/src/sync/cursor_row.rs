//! The stored cursor of one side of a mapping, as its `cursors` row holds it: where
//! reads stopped and since when deletes were last looked for. Parsed leniently (an
//! older or unreadable row means "from the start"), written as JSON.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use switchyard_connectors::cursor::Cursor;

/// What the source cursor row holds: where reads stopped, and since when deletes were
/// last looked for (older rows hold only the read cursor).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stored {
    #[serde(flatten)]
    pub read: Cursor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletes_since: Option<DateTime<Utc>>,
}

impl Stored {
    /// A row as read (`None`: no row, or a full run ignoring it); what cannot be read
    /// counts as no cursor at all.
    pub(super) fn parse(row: Option<String>) -> Stored {
        row.and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    /// The row to store.
    pub(super) fn to_row(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_round_trips_and_an_older_row_holds_only_the_read_cursor() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let stored = Stored {
            read: Cursor::starting(at),
            deletes_since: Some(at),
        };
        let back = Stored::parse(Some(stored.to_row()));
        assert_eq!(
            (back.read, back.deletes_since),
            (Cursor::starting(at), Some(at))
        );
        let older = Stored {
            read: Cursor::starting(at),
            deletes_since: None,
        };
        assert!(!older.to_row().contains("deletes_since"));
        let legacy = serde_json::to_string(&Cursor::starting(at)).unwrap();
        let parsed = Stored::parse(Some(legacy));
        assert_eq!((parsed.read.at, parsed.deletes_since), (Some(at), None));
    }

    #[test]
    fn no_row_or_an_unreadable_one_starts_from_the_beginning() {
        assert_eq!(Stored::parse(None).read, Cursor::default());
        assert_eq!(
            Stored::parse(Some("not json".into())).read,
            Cursor::default()
        );
    }
}

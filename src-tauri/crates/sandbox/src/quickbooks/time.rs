//! Dates and times as QuickBooks writes and reads them: `MetaData` times are local with
//! an offset (`2015-07-24T10:33:39-07:00`), `Fault.time` carries milliseconds, `TxnDate`
//! is `YYYY-MM-DD`. Query literals and `changedSince` are parsed into instants so that
//! comparisons work whatever offset the client writes. A value without an offset is read
//! in the company's zone (the sandbox company is on US Pacific, -07:00) `[UNCONFIRMED]`.

use crate::oauth::now_ms;
use crate::seed::qbo_datetime;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// The sandbox company's offset from UTC, in seconds.
pub const COMPANY_OFFSET_SECS: i32 = -7 * 3600;

fn company_zone() -> FixedOffset {
    FixedOffset::east_opt(COMPANY_OFFSET_SECS)
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()))
}

/// `MetaData` style: local time with offset, whole seconds.
pub fn meta_time(ms: i64) -> String {
    qbo_datetime(ms)
}

/// `time` of a response body: local time with milliseconds and offset.
pub fn fault_time() -> String {
    stamp_millis(now_ms())
}

pub fn stamp_millis(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&company_zone())
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// The company's local date (`TxnDate`) of an instant.
pub fn local_date(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&company_zone())
        .format("%Y-%m-%d")
        .to_string()
}

/// Parses `2024-06-01T00:00:00-07:00`, `…Z`, `…T00:00:00` (company zone) or `2024-06-01`
/// into epoch milliseconds.
pub fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    let zone = company_zone();
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return zone
            .from_local_datetime(&naive)
            .single()
            .map(|t| t.timestamp_millis());
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let naive = date.and_hms_opt(0, 0, 0)?;
        return zone
            .from_local_datetime(&naive)
            .single()
            .map(|t| t.timestamp_millis());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_compare_across_offsets() {
        let a = parse_instant("2024-06-01T00:00:00-07:00");
        assert_eq!(a, parse_instant("2024-06-01T07:00:00Z"));
        assert_eq!(
            a,
            parse_instant("2024-06-01T00:00:00"),
            "no offset means company time"
        );
        assert_eq!(a, parse_instant("2024-06-01"));
        assert_eq!(parse_instant("yesterday"), None);
        assert_eq!(meta_time(1_437_759_219_000), "2015-07-24T10:33:39-07:00");
        assert_eq!(
            stamp_millis(1_437_759_219_892),
            "2015-07-24T10:33:39.892-07:00"
        );
        assert_eq!(local_date(1_437_759_219_000), "2015-07-24");
    }
}

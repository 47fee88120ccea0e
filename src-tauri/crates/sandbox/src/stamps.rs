//! The fixed-width UTC timestamps the simulated APIs print on every record —
//! HubSpot's `2019-10-31T00:00:00.000Z` and Salesforce's `2013-05-20T20:49:32.000+0000` —
//! written straight from epoch milliseconds. A page of 200 records prints hundreds of
//! them, and chrono's `format` parses its pattern every time; this is the same civil
//! calendar arithmetic without the pattern. Years outside 0–9999 (never seen in
//! practice) go through chrono, so the text is always what chrono would print.

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's
/// `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn digits(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmm`, or `None` outside years 0–9999 and chrono's range.
fn text(ms: i64) -> Option<[u8; 23]> {
    // chrono's range; anything else prints as the epoch, as `unwrap_or_default` does.
    chrono::DateTime::from_timestamp_millis(ms)?;
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = civil(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let mut b = *b"0000-00-00T00:00:00.000";
    digits(&mut b[0..4], year as u32);
    digits(&mut b[5..7], month);
    digits(&mut b[8..10], day);
    let rest = rest as u32;
    digits(&mut b[11..13], rest / 3_600_000);
    digits(&mut b[14..16], rest / 60_000 % 60);
    digits(&mut b[17..19], rest / 1000 % 60);
    digits(&mut b[20..23], rest % 1000);
    Some(b)
}

/// [`iso_z`] as a JSON string, appended to `out`.
pub fn push_iso_z_json(out: &mut Vec<u8>, ms: i64) {
    match text(ms) {
        Some(b) => {
            out.push(b'"');
            out.extend_from_slice(&b);
            out.extend_from_slice(b"Z\"");
        }
        None => crate::json_out::str(out, &iso_z(ms)),
    }
}

fn chrono_text(ms: i64, pattern: &str) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format(pattern)
        .to_string()
}

/// ISO 8601 UTC with milliseconds and `Z` (HubSpot).
pub fn iso_z(ms: i64) -> String {
    match text(ms) {
        Some(b) => format!("{}Z", String::from_utf8_lossy(&b)),
        None => chrono_text(ms, "%Y-%m-%dT%H:%M:%S%.3fZ"),
    }
}

/// Salesforce's `2013-05-20T20:49:32.000+0000`.
pub fn sf_datetime(ms: i64) -> String {
    match text(ms) {
        Some(b) => format!("{}+0000", String::from_utf8_lossy(&b)),
        None => chrono_text(ms, "%Y-%m-%dT%H:%M:%S%.3f+0000"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_print_what_chrono_prints() {
        let mut ms = -62_167_219_200_000i64 - 5_000; // just before year 0
        let samples = [
            0,
            1,
            -1,
            999,
            1_572_480_000_000,
            1_369_082_972_000,
            951_782_400_000, // 2000-02-29
            4_102_444_799_999,
            253_402_300_799_999, // 9999-12-31T23:59:59.999
            253_402_300_800_000,
            i64::MAX,
            i64::MIN,
        ];
        for s in samples {
            assert_eq!(iso_z(s), chrono_text(s, "%Y-%m-%dT%H:%M:%S%.3fZ"), "{s}");
            assert_eq!(
                sf_datetime(s),
                chrono_text(s, "%Y-%m-%dT%H:%M:%S%.3f+0000"),
                "{s}"
            );
        }
        let mut json = Vec::new();
        push_iso_z_json(&mut json, 1_572_480_000_000);
        assert_eq!(json, br#""2019-10-31T00:00:00.000Z""#);
        while ms < 300_000_000_000_000 {
            assert_eq!(iso_z(ms), chrono_text(ms, "%Y-%m-%dT%H:%M:%S%.3fZ"), "{ms}");
            ms += 86_399_999_937;
        }
    }
}

use super::*;

fn to_date(zone: Option<&str>) -> Step {
    Step::ToDate {
        zone: zone.map(str::to_owned),
    }
}

fn fmt(f: &str) -> Step {
    Step::FormatDate { format: f.into() }
}

#[test]
fn to_date_takes_the_day_in_utc_by_default() {
    assert_eq!(
        ok(to_date(None), datetime("2024-05-01T23:30:00+00:00")),
        date("2024-05-01")
    );
    assert_eq!(
        ok(to_date(None), datetime("2024-05-02T01:00:00+02:00")),
        date("2024-05-01")
    );
}

#[test]
fn to_date_takes_the_day_at_the_given_offset() {
    let late_utc = datetime("2024-05-01T23:30:00Z");
    assert_eq!(
        ok(to_date(Some("+02:00")), late_utc.clone()),
        date("2024-05-02")
    );
    assert_eq!(
        ok(to_date(Some("-0530")), datetime("2024-05-01T03:00:00Z")),
        date("2024-04-30")
    );
    assert_eq!(
        ok(to_date(Some("+14")), late_utc.clone()),
        date("2024-05-02")
    );
    assert_eq!(
        ok(to_date(Some("utc")), late_utc.clone()),
        date("2024-05-01")
    );
    assert_eq!(ok(to_date(Some("Z")), late_utc), date("2024-05-01"));
}

#[test]
fn to_date_accepts_dates_text_and_epoch_milliseconds() {
    assert_eq!(ok(to_date(None), date("2024-02-29")), date("2024-02-29"));
    assert_eq!(ok(to_date(None), text(" 2024-02-29 ")), date("2024-02-29"));
    assert_eq!(
        ok(
            to_date(Some("+02:00")),
            text("2024-05-01T23:30:00.000+0000")
        ),
        date("2024-05-02")
    );
    assert_eq!(ok(to_date(None), text("1714521600000")), date("2024-05-01"));
    assert_eq!(ok(to_date(None), num("1714521600000")), date("2024-05-01"));
}

#[test]
fn impossible_dates_and_times_are_malformed() {
    for bad in [
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "2024-05-01T25:00:00Z",
        "2024-05-01T10:60:00Z",
        "01/05/2024",
        "tomorrow",
        "2024-05-01T10:00:00+25:00",
        "2024‑05‑01",
    ] {
        let e = run(&[to_date(None)], text(bad)).unwrap_err();
        assert_eq!(e.code, "malformed_date", "{bad}");
        assert!(
            e.message.starts_with(&format!("\"{bad}\" is not a date")),
            "{}",
            e.message
        );
    }
    assert_eq!(err_code(Step::ToDatetime, text("25:00")), "malformed_date");
    assert_eq!(err_code(Step::ToDatetime, num("1.5")), "malformed_date");
    assert_eq!(
        err_code(Step::ToDatetime, Value::Bool(true)),
        "unsupported_input"
    );
}

#[test]
fn to_date_with_a_bad_zone_fails_at_its_step() {
    for zone in ["Europe/Paris", "+2:00", "+25:00", "+02:75", "", "CET"] {
        let e = run(&[Step::Trim, to_date(Some(zone))], text("2024-05-01")).unwrap_err();
        assert_eq!((e.step, e.code), (1, "invalid_zone"), "{zone}");
    }
}

#[test]
fn to_datetime_makes_dates_midnight_utc_and_parses_provider_formats() {
    assert_eq!(
        ok(Step::ToDatetime, date("2024-05-01")),
        datetime("2024-05-01T00:00:00Z")
    );
    assert_eq!(
        ok(Step::ToDatetime, text("2024-05-01")),
        datetime("2024-05-01T00:00:00Z")
    );
    assert_eq!(
        ok(Step::ToDatetime, text("2024-05-01T10:00:00.000+0000")),
        datetime("2024-05-01T10:00:00Z")
    );
    assert_eq!(
        ok(Step::ToDatetime, text("2024-05-01T12:00:00+02:00")),
        datetime("2024-05-01T12:00:00+02:00")
    );
    assert_eq!(
        ok(Step::ToDatetime, text("1714557600000")),
        datetime("2024-05-01T10:00:00Z")
    );
    assert_eq!(
        ok(Step::ToDatetime, text("-86400000")),
        datetime("1969-12-31T00:00:00Z")
    );
    assert_eq!(
        ok(Step::ToDatetime, num("1714557600123")),
        datetime("2024-05-01T10:00:00.123Z")
    );
    assert_eq!(
        ok(Step::ToDatetime, text("2024-05-01 10:00:00")),
        datetime("2024-05-01T10:00:00Z")
    );
    assert_eq!(
        ok(Step::ToDatetime, text("2024-05-01T10:00:00.5")),
        datetime("2024-05-01T10:00:00.5Z")
    );
}

#[test]
fn to_datetime_keeps_the_offset_so_round_trips_are_exact() {
    let original = datetime("2024-05-01T12:00:00-07:00");
    let as_text = run(&[Step::ToText], original.clone()).unwrap();
    assert_eq!(as_text, text("2024-05-01T19:00:00.000Z"));
    let back = run(&[Step::ToDatetime], as_text).unwrap();
    assert!(back.same(&original));
    assert_eq!(ok(Step::ToDatetime, original.clone()), original);
}

#[test]
fn blank_and_null_dates_are_null() {
    for step in [to_date(None), Step::ToDatetime, fmt("%Y")] {
        assert_eq!(ok(step.clone(), Value::Null), Value::Null);
        assert_eq!(ok(step.clone(), text("")), Value::Null);
        assert_eq!(ok(step, text("  ")), Value::Null);
    }
}

#[test]
fn format_date_writes_dates_and_instants() {
    assert_eq!(ok(fmt("%d/%m/%Y"), date("2024-05-01")), text("01/05/2024"));
    assert_eq!(
        ok(fmt("%B %-d, %Y"), date("2024-05-01")),
        text("May 1, 2024")
    );
    assert_eq!(
        ok(
            fmt("%Y-%m-%d %H:%M %z"),
            datetime("2024-05-01T12:00:00+02:00")
        ),
        text("2024-05-01 12:00 +0200")
    );
    assert_eq!(
        ok(fmt("%s"), datetime("2024-05-01T10:00:00Z")),
        text("1714557600")
    );
    assert_eq!(
        ok(fmt("%Y年%m月%d日 📅"), text("2024-05-01")),
        text("2024年05月01日 📅")
    );
    assert_eq!(
        ok(fmt("%H:%M"), text("2024-05-01T10:00:00.000+0000")),
        text("10:00")
    );
}

#[test]
fn format_date_refuses_a_time_of_a_date_without_panicking() {
    let e = run(&[fmt("%Y %H:%M")], date("2024-05-01")).unwrap_err();
    assert_eq!(e.code, "invalid_format");
    assert_eq!(
        e.message,
        "the format \"%Y %H:%M\" asks for a time or zone, but \"2024-05-01\" is a date; convert it with to_datetime first"
    );
    assert_eq!(err_code(fmt("%z"), date("2024-05-01")), "invalid_format");
    let via_datetime = run(&[Step::ToDatetime, fmt("%Y %H:%M")], date("2024-05-01")).unwrap();
    assert_eq!(via_datetime, text("2024 00:00"));
}

#[test]
fn format_date_rejects_bad_patterns() {
    for bad in ["", "%Q", "%Y-%", "%-", "%E"] {
        let e = run(&[fmt(bad)], date("2024-05-01")).unwrap_err();
        assert_eq!(e.code, "invalid_format", "{bad:?}");
    }
    assert_eq!(err_code(fmt("%Y"), Value::Bool(false)), "unsupported_input");
    assert_eq!(err_code(fmt("%Y"), text("2024-02-30")), "malformed_date");
}

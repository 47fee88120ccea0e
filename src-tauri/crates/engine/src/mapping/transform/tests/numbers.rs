use super::*;
use crate::mapping::transform::Rounding;

fn round(decimals: u32, rounding: Rounding) -> Step {
    Step::Number {
        decimals: Some(decimals),
        rounding,
    }
}

#[test]
fn to_number_reads_plain_and_grouped_numbers() {
    assert_eq!(ok(Step::ToNumber, text("1234")), num("1234"));
    assert_eq!(
        ok(Step::ToNumber, text(" -1,234,567.890 ")),
        num("-1234567.890")
    );
    assert_eq!(ok(Step::ToNumber, text("+7")), num("7"));
    assert_eq!(ok(Step::ToNumber, text(".5")), num("0.5"));
    assert_eq!(ok(Step::ToNumber, text("0.1")), num("0.1"));
    assert_eq!(ok(Step::ToNumber, text("999,999.99")), num("999999.99"));
    assert_eq!(ok(Step::ToNumber, num("3.25")), num("3.25"));
    assert_eq!(ok(Step::ToNumber, Value::Bool(true)), num("1"));
    assert_eq!(ok(Step::ToNumber, Value::Bool(false)), num("0"));
}

#[test]
fn to_number_keeps_decimal_precision() {
    let Value::Number(n) = ok(Step::ToNumber, text("0.10")) else {
        panic!("not a number")
    };
    assert_eq!(n.to_string(), "0.10");
    assert_eq!(
        ok(Step::ToNumber, text("12345678901234567890.12345678")),
        num("12345678901234567890.12345678")
    );
}

#[test]
fn malformed_numbers_are_errors_naming_the_value() {
    for bad in [
        "1,2,3.4.5",
        "1.2.3",
        "1,23",
        "12,3456",
        ",123",
        "1,234,",
        "5.",
        ".",
        "-",
        "1e3",
        "$12",
        "12%",
        "1 234",
        "١٢٣",
        "一二三",
        "NaN",
        "--1",
        "99999999999999999999999999999999",
    ] {
        let e = run(&[Step::ToNumber], text(bad)).unwrap_err();
        assert_eq!(e.code, "malformed_number", "{bad}");
        assert!(
            e.message.starts_with(&format!("\"{bad}\" is not a number")),
            "{}",
            e.message
        );
    }
    assert_eq!(
        err_code(Step::ToNumber, date("2024-05-01")),
        "unsupported_input"
    );
}

#[test]
fn blank_and_null_numbers_are_null() {
    for step in [
        Step::ToNumber,
        Step::ToBool,
        round(2, Rounding::HalfEven),
        Step::ToText,
    ] {
        assert_eq!(ok(step.clone(), Value::Null), Value::Null);
    }
    assert_eq!(ok(Step::ToNumber, text("  ")), Value::Null);
    assert_eq!(ok(round(2, Rounding::HalfUp), text("")), Value::Null);
}

#[test]
fn rounding_half_even_half_up_and_down() {
    let cases = [
        ("2.5", 0, "2", "3", "2"),
        ("3.5", 0, "4", "4", "3"),
        ("-2.5", 0, "-2", "-3", "-2"),
        ("2.675", 2, "2.68", "2.68", "2.67"),
        ("2.665", 2, "2.66", "2.67", "2.66"),
        ("1.999", 2, "2.00", "2.00", "1.99"),
        ("-1.999", 1, "-2.0", "-2.0", "-1.9"),
        ("7", 2, "7", "7", "7"),
    ];
    for (input, dp, even, up, down) in cases {
        assert_eq!(
            ok(round(dp, Rounding::HalfEven), num(input)),
            num(even),
            "{input} half_even"
        );
        assert_eq!(
            ok(round(dp, Rounding::HalfUp), num(input)),
            num(up),
            "{input} half_up"
        );
        assert_eq!(
            ok(round(dp, Rounding::Down), num(input)),
            num(down),
            "{input} down"
        );
    }
}

#[test]
fn number_without_decimals_leaves_the_value_and_parses_text() {
    let keep = Step::Number {
        decimals: None,
        rounding: Rounding::HalfEven,
    };
    assert_eq!(ok(keep.clone(), num("1.23456")), num("1.23456"));
    assert_eq!(ok(keep, text("1,000.5")), num("1000.5"));
    assert_eq!(ok(round(0, Rounding::HalfUp), text("1,234.5")), num("1235"));
    assert_eq!(
        err_code(round(0, Rounding::HalfUp), text("abc")),
        "malformed_number"
    );
    assert_eq!(
        err_code(round(0, Rounding::HalfUp), Value::Bool(true)),
        "unsupported_input"
    );
}

#[test]
fn to_text_writes_every_kind_in_display_form() {
    assert_eq!(ok(Step::ToText, num("1.500")), text("1.5"));
    assert_eq!(ok(Step::ToText, num("-0.000")), text("0"));
    assert_eq!(ok(Step::ToText, Value::Bool(false)), text("false"));
    assert_eq!(ok(Step::ToText, date("2024-05-01")), text("2024-05-01"));
    assert_eq!(ok(Step::ToText, text("  as is ")), text("  as is "));
}

#[test]
fn to_bool_reads_the_usual_words_in_any_case() {
    for yes in ["true", "TRUE", " Yes ", "yes", "1"] {
        assert_eq!(ok(Step::ToBool, text(yes)), Value::Bool(true), "{yes}");
    }
    for no in ["false", "False", "NO", "0", " no\t"] {
        assert_eq!(ok(Step::ToBool, text(no)), Value::Bool(false), "{no}");
    }
    assert_eq!(ok(Step::ToBool, num("1.0")), Value::Bool(true));
    assert_eq!(ok(Step::ToBool, num("0")), Value::Bool(false));
    assert_eq!(ok(Step::ToBool, Value::Bool(true)), Value::Bool(true));
    assert_eq!(ok(Step::ToBool, text("")), Value::Null);
}

#[test]
fn to_bool_refuses_anything_else() {
    for bad in ["y", "n", "on", "2", "oui", "真", "✅"] {
        let e = run(&[Step::ToBool], text(bad)).unwrap_err();
        assert_eq!(e.code, "malformed_bool", "{bad}");
        assert_eq!(
            e.message,
            format!("\"{bad}\" is not yes or no (expected true, false, yes, no, 1 or 0)")
        );
    }
    assert_eq!(err_code(Step::ToBool, num("2")), "malformed_bool");
    assert_eq!(
        err_code(Step::ToBool, date("2024-01-01")),
        "unsupported_input"
    );
}

#[test]
fn number_text_round_trip() {
    for s in ["0", "-12.5", "1234567.0001", "0.1"] {
        let back = run(&[Step::ToNumber, Step::ToText, Step::ToNumber], text(s)).unwrap();
        assert_eq!(back, num(s));
    }
}

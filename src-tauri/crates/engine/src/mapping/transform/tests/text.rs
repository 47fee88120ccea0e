use super::*;

#[test]
fn constant_replaces_anything_including_null() {
    let step = || Step::Constant {
        value: "Web".into(),
    };
    assert_eq!(ok(step(), Value::Null), text("Web"));
    assert_eq!(ok(step(), num("12")), text("Web"));
    assert_eq!(ok(step(), text("Phone")), text("Web"));
}

#[test]
fn default_fills_only_blank_values() {
    let step = || Step::Default {
        value: "Unknown".into(),
    };
    assert_eq!(ok(step(), Value::Null), text("Unknown"));
    assert_eq!(ok(step(), text("")), text("Unknown"));
    assert_eq!(ok(step(), text(" \t\n ")), text("Unknown"));
    assert_eq!(ok(step(), text("Acme")), text("Acme"));
    assert_eq!(ok(step(), num("0")), num("0"));
    assert_eq!(ok(step(), Value::Bool(false)), Value::Bool(false));
}

#[test]
fn concat_skips_blank_fields_without_doubling_separators() {
    let rec = record(&[
        ("street", text("  1 Main St ")),
        ("street2", text("   ")),
        ("city", text("Springfield")),
        ("zip", Value::Null),
        ("country", text("USA")),
    ]);
    let step = Step::Concat {
        fields: vec![
            "street".into(),
            "street2".into(),
            "missing".into(),
            "city".into(),
            "zip".into(),
            "country".into(),
        ],
        separator: ", ".into(),
    };
    assert_eq!(
        apply(&[step], Value::Null, &rec).unwrap(),
        text("1 Main St, Springfield, USA")
    );
}

#[test]
fn concat_ignores_the_running_value_and_writes_other_kinds_in_display_form() {
    let rec = record(&[
        ("first", text("Zoë")),
        ("n", num("1.50")),
        ("ok", Value::Bool(true)),
        ("d", date("2024-05-01")),
        ("t", datetime("2024-05-01T12:00:00+02:00")),
    ]);
    let step = Step::Concat {
        fields: vec![
            "first".into(),
            "n".into(),
            "ok".into(),
            "d".into(),
            "t".into(),
        ],
        separator: "|".into(),
    };
    assert_eq!(
        apply(&[step], text("ignored"), &rec).unwrap(),
        text("Zoë|1.5|true|2024-05-01|2024-05-01T10:00:00.000Z")
    );
}

#[test]
fn concat_of_only_blank_fields_is_null_and_empty_separator_joins_directly() {
    let rec = record(&[
        ("a", text(" ")),
        ("b", Value::Null),
        ("x", text("李")),
        ("y", text("小龙")),
    ]);
    let blank = Step::Concat {
        fields: vec!["a".into(), "b".into()],
        separator: " ".into(),
    };
    assert_eq!(apply(&[blank], text("src"), &rec).unwrap(), Value::Null);
    let joined = Step::Concat {
        fields: vec!["x".into(), "y".into()],
        separator: String::new(),
    };
    assert_eq!(apply(&[joined], Value::Null, &rec).unwrap(), text("李小龙"));
}

#[test]
fn trim_removes_unicode_whitespace_at_both_ends_only() {
    assert_eq!(ok(Step::Trim, text("  Ann  Lee \t\n")), text("Ann  Lee"));
    assert_eq!(ok(Step::Trim, text("\u{3000}東京\u{00A0}")), text("東京"));
    assert_eq!(ok(Step::Trim, text("   ")), text(""));
    assert_eq!(ok(Step::Trim, text("")), text(""));
    assert_eq!(ok(Step::Trim, Value::Null), Value::Null);
}

#[test]
fn case_changes_are_unicode_aware() {
    assert_eq!(
        ok(Step::Lowercase, text("ÉCOLE Ärger İ")),
        text("école ärger i̇")
    );
    assert_eq!(ok(Step::Lowercase, text("ΟΔΥΣΣΕΥΣ")), text("οδυσσευς"));
    assert_eq!(ok(Step::Uppercase, text("straße")), text("STRASSE"));
    assert_eq!(
        ok(Step::Uppercase, text("josé 🎉 مرحبا")),
        text("JOSÉ 🎉 مرحبا")
    );
    assert_eq!(ok(Step::Uppercase, text("")), text(""));
    assert_eq!(ok(Step::Lowercase, Value::Null), Value::Null);
}

#[test]
fn text_steps_refuse_other_kinds_naming_the_value() {
    let e = run(&[Step::Trim, Step::Uppercase], num("42")).unwrap_err();
    assert_eq!(e.step, 0);
    assert_eq!(e.code, "unsupported_input");
    assert_eq!(
        e.message,
        "trim cannot take number \"42\"; convert it to text first"
    );
    assert_eq!(
        err_code(Step::Lowercase, Value::Bool(true)),
        "unsupported_input"
    );
    assert_eq!(
        err_code(Step::Uppercase, date("2024-01-01")),
        "unsupported_input"
    );
}

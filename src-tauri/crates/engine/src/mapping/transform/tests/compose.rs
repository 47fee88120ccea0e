use super::*;
use crate::mapping::transform::{convert, NamePart, Otherwise};
use std::collections::BTreeMap;
use switchyard_connectors::schema::{FieldSpec, FieldType, PicklistOption};

#[test]
fn no_steps_pass_the_value_through() {
    assert_eq!(run(&[], text(" as is ")).unwrap(), text(" as is "));
    assert_eq!(run(&[], Value::Null).unwrap(), Value::Null);
}

#[test]
fn steps_run_in_order_on_the_running_value() {
    let steps = [
        Step::Concat {
            fields: vec!["FirstName".into(), "LastName".into()],
            separator: " ".into(),
        },
        Step::Uppercase,
        Step::SplitName {
            part: NamePart::Last,
        },
    ];
    let rec = record(&[
        ("FirstName", text("José")),
        ("LastName", text("  García ")),
        ("Email", Value::Null),
    ]);
    assert_eq!(apply(&steps, Value::Null, &rec).unwrap(), text("GARCÍA"));
    // Order matters: a default before a blank-making step is lost.
    assert_eq!(
        run(
            &[Step::Default { value: "x".into() }, Step::Trim],
            text(" ")
        )
        .unwrap(),
        text("x")
    );
    assert_eq!(
        run(
            &[Step::Trim, Step::Default { value: "x".into() }],
            text(" ")
        )
        .unwrap(),
        text("x")
    );
    assert_eq!(
        run(
            &[Step::Default { value: " ".into() }, Step::Trim],
            Value::Null
        )
        .unwrap(),
        text("")
    );
}

#[test]
fn null_flows_through_every_step_that_does_not_make_values() {
    let steps = [
        Step::SplitName {
            part: NamePart::First,
        },
        Step::Trim,
        Step::Lowercase,
        Step::Uppercase,
        Step::Email,
        Step::Phone {
            default_region: "US".into(),
        },
        Step::ToDate {
            zone: Some("+01:00".into()),
        },
        Step::ToDatetime,
        Step::FormatDate {
            format: "%Y".into(),
        },
        Step::MapValues {
            map: BTreeMap::from([("a".to_owned(), "b".to_owned())]),
            otherwise: Otherwise::Error,
        },
        Step::Number {
            decimals: Some(1),
            rounding: Default::default(),
        },
        Step::ToText,
        Step::ToNumber,
        Step::ToBool,
    ];
    for step in &steps {
        assert_eq!(
            run(std::slice::from_ref(step), Value::Null).unwrap(),
            Value::Null,
            "{}",
            step.op()
        );
    }
    assert_eq!(run(&steps, Value::Null).unwrap(), Value::Null);
}

#[test]
fn the_error_names_the_failing_step_of_a_chain() {
    let steps = [Step::Trim, Step::Lowercase, Step::Email, Step::Uppercase];
    let e = run(&steps, text("  Ada@@Example.com ")).unwrap_err();
    assert_eq!(e.step, 2);
    assert_eq!(e.code, "malformed_email");
}

#[test]
fn salesforce_datetime_to_a_french_date_text() {
    let steps = [
        Step::ToDatetime,
        Step::ToDate {
            zone: Some("+02:00".into()),
        },
        Step::FormatDate {
            format: "%d/%m/%Y".into(),
        },
    ];
    assert_eq!(
        run(&steps, text("2024-05-01T23:30:00.000+0000")).unwrap(),
        text("02/05/2024")
    );
}

#[test]
fn hubspot_amount_text_to_a_rounded_currency() {
    let steps = [
        Step::ToNumber,
        Step::Number {
            decimals: Some(2),
            rounding: crate::mapping::transform::Rounding::HalfUp,
        },
    ];
    let target = FieldSpec::new("Amount", "Amount", FieldType::Currency);
    assert_eq!(
        convert(&steps, text("12,345.675"), &record(&[]), &target).unwrap(),
        num("12345.68")
    );
}

#[test]
fn convert_reports_target_errors_after_the_last_step() {
    let mut target = FieldSpec::new("Status", "Lead Status", FieldType::Picklist);
    target.picklist = ["Open - Not Contacted", "Working - Contacted"]
        .iter()
        .map(|v| PicklistOption {
            value: (*v).to_owned(),
            label: (*v).to_owned(),
        })
        .collect();
    let steps = [
        Step::Trim,
        Step::MapValues {
            map: BTreeMap::from([("NEW".to_owned(), "Open - Not Contacted".to_owned())]),
            otherwise: Otherwise::Keep,
        },
    ];
    let rec = record(&[]);
    assert_eq!(
        convert(&steps, text(" NEW "), &rec, &target).unwrap(),
        text("Open - Not Contacted")
    );
    let e = convert(&steps, text("IN_PROGRESS"), &rec, &target).unwrap_err();
    assert_eq!((e.step, e.code), (2, "invalid_picklist_value"));
}

#[test]
fn constant_text_is_typed_by_the_target() {
    let rec = record(&[]);
    let flag = FieldSpec::new("Active", "Active", FieldType::Bool);
    assert_eq!(
        convert(
            &[Step::Constant {
                value: "yes".into()
            }],
            Value::Null,
            &rec,
            &flag
        )
        .unwrap(),
        Value::Bool(true)
    );
    let day = FieldSpec::new("Start", "Start", FieldType::Date);
    assert_eq!(
        convert(
            &[Step::Constant {
                value: "2024-01-31".into()
            }],
            Value::Null,
            &rec,
            &day
        )
        .unwrap(),
        date("2024-01-31")
    );
    let count = FieldSpec::new("Seats", "Seats", FieldType::Int);
    assert_eq!(
        convert(
            &[Step::Default { value: "1".into() }],
            Value::Null,
            &rec,
            &count
        )
        .unwrap(),
        num("1")
    );
    assert_eq!(
        convert(
            &[Step::Default { value: "1".into() }],
            num("5"),
            &rec,
            &count
        )
        .unwrap(),
        num("5")
    );
}

#[test]
fn contact_cleanup_chain_with_non_ascii_names() {
    let rec = record(&[
        ("full", text("  Ødegaard,  Martin  ")),
        ("mail", text(" Martin.Ødegaard@Example.NO ")),
        ("tel", text("+47 22 12 34 56")),
    ]);
    let first = [
        Step::Concat {
            fields: vec!["full".into()],
            separator: String::new(),
        },
        Step::SplitName {
            part: NamePart::First,
        },
    ];
    let last = [
        Step::Concat {
            fields: vec!["full".into()],
            separator: String::new(),
        },
        Step::SplitName {
            part: NamePart::Last,
        },
    ];
    assert_eq!(apply(&first, Value::Null, &rec).unwrap(), text("Martin"));
    assert_eq!(apply(&last, Value::Null, &rec).unwrap(), text("Ødegaard"));
    assert_eq!(
        apply(&[Step::Email], rec.get("mail").clone(), &rec).unwrap(),
        text("martin.ødegaard@example.no")
    );
    assert_eq!(
        apply(
            &[Step::Phone {
                default_region: "NO".into()
            }],
            rec.get("tel").clone(),
            &rec
        )
        .unwrap(),
        text("+4722123456")
    );
}

use crate::mapping::transform::{
    check_row, check_steps, check_target, output_kind, Kind, NamePart, Otherwise, Rounding, Step,
};
use std::collections::BTreeMap;
use switchyard_connectors::schema::{FieldSpec, FieldType};

fn field(ty: FieldType) -> FieldSpec {
    FieldSpec::new("F", "Close Date", ty)
}

#[test]
fn the_kind_follows_the_steps() {
    assert_eq!(output_kind(&[], Some(FieldType::Email)), Ok(Kind::Text));
    assert_eq!(
        output_kind(&[], Some(FieldType::Currency)),
        Ok(Kind::Number)
    );
    assert_eq!(output_kind(&[], None), Ok(Kind::Empty));
    assert_eq!(
        output_kind(&[Step::Trim, Step::ToNumber], Some(FieldType::Text)),
        Ok(Kind::Number)
    );
    assert_eq!(
        output_kind(&[Step::ToDate { zone: None }], Some(FieldType::DateTime)),
        Ok(Kind::Date)
    );
    assert_eq!(
        output_kind(&[Step::ToDatetime], Some(FieldType::Number)),
        Ok(Kind::DateTime)
    );
    assert_eq!(
        output_kind(
            &[Step::FormatDate {
                format: "%Y".into()
            }],
            Some(FieldType::Date)
        ),
        Ok(Kind::Text)
    );
    assert_eq!(
        output_kind(&[Step::ToBool], Some(FieldType::Picklist)),
        Ok(Kind::Bool)
    );
    assert_eq!(
        output_kind(&[Step::ToText], Some(FieldType::Bool)),
        Ok(Kind::Text)
    );
    assert_eq!(
        output_kind(
            &[Step::Number {
                decimals: Some(0),
                rounding: Rounding::HalfUp
            }],
            Some(FieldType::Text)
        ),
        Ok(Kind::Number)
    );
}

#[test]
fn without_a_source_only_value_makers_give_a_kind() {
    assert_eq!(
        output_kind(&[Step::Trim, Step::Uppercase], None),
        Ok(Kind::Empty)
    );
    assert_eq!(
        output_kind(
            &[Step::Constant { value: "x".into() }, Step::Uppercase],
            None
        ),
        Ok(Kind::Text)
    );
    assert_eq!(
        output_kind(&[Step::Default { value: "1".into() }, Step::ToNumber], None),
        Ok(Kind::Number)
    );
    assert_eq!(
        output_kind(
            &[Step::Concat {
                fields: vec!["a".into()],
                separator: String::new()
            }],
            None
        ),
        Ok(Kind::Text)
    );
}

#[test]
fn default_keeps_the_kind_of_a_typed_source() {
    let steps = [
        Step::Default { value: "0".into() },
        Step::Number {
            decimals: Some(2),
            rounding: Rounding::HalfEven,
        },
    ];
    assert_eq!(
        output_kind(&steps, Some(FieldType::Number)),
        Ok(Kind::Number)
    );
}

#[test]
fn a_step_that_cannot_take_its_input_is_named() {
    let e = output_kind(
        &[
            Step::ToText,
            Step::ToNumber,
            Step::SplitName {
                part: NamePart::First,
            },
        ],
        Some(FieldType::Text),
    )
    .unwrap_err();
    assert_eq!((e.step, e.code), (2, "unsupported_input"));
    assert_eq!(
        e.message,
        "step 3 (split_name) cannot take a number; convert it first"
    );
    for (step, ty) in [
        (Step::Email, FieldType::Int),
        (
            Step::Phone {
                default_region: "US".into(),
            },
            FieldType::Number,
        ),
        (Step::Trim, FieldType::Date),
        (Step::ToDate { zone: None }, FieldType::Bool),
        (Step::ToNumber, FieldType::DateTime),
        (Step::ToBool, FieldType::Date),
        (
            Step::Number {
                decimals: None,
                rounding: Rounding::Down,
            },
            FieldType::Bool,
        ),
    ] {
        assert_eq!(
            output_kind(std::slice::from_ref(&step), Some(ty))
                .unwrap_err()
                .code,
            "unsupported_input",
            "{} on {ty:?}",
            step.op()
        );
    }
}

#[test]
fn unusable_settings_are_found_without_data() {
    let steps = [
        Step::Trim,
        Step::FormatDate {
            format: "%Y-%Q".into(),
        },
        Step::Phone {
            default_region: "XX".into(),
        },
        Step::MapValues {
            map: BTreeMap::new(),
            otherwise: Otherwise::Keep,
        },
        Step::ToDate {
            zone: Some("Mars/Olympus".into()),
        },
        Step::Number {
            decimals: Some(29),
            rounding: Rounding::HalfEven,
        },
        Step::Concat {
            fields: vec![],
            separator: " ".into(),
        },
        Step::Phone {
            default_region: "gb".into(),
        },
        Step::FormatDate {
            format: "%d.%m.%Y".into(),
        },
        Step::Number {
            decimals: Some(28),
            rounding: Rounding::HalfEven,
        },
    ];
    let found: Vec<(usize, &str)> = check_steps(&steps)
        .iter()
        .map(|e| (e.step, e.code))
        .collect();
    assert_eq!(
        found,
        vec![
            (1, "invalid_format"),
            (2, "invalid_region"),
            (3, "empty_map"),
            (4, "invalid_zone"),
            (5, "invalid_decimals"),
            (6, "no_fields"),
        ]
    );
    assert_eq!(check_steps(&[]), vec![]);
}

#[test]
fn targets_refuse_kinds_they_cannot_hold() {
    assert_eq!(check_target(Kind::Text, &field(FieldType::Date)), Ok(()));
    assert_eq!(check_target(Kind::Number, &field(FieldType::Text)), Ok(()));
    assert_eq!(
        check_target(Kind::Date, &field(FieldType::DateTime)),
        Ok(())
    );
    assert_eq!(check_target(Kind::Empty, &field(FieldType::Bool)), Ok(()));
    let e = check_target(Kind::DateTime, &field(FieldType::Date)).unwrap_err();
    assert_eq!(e.code, "incompatible_type");
    assert_eq!(
        e.message,
        "a date and time cannot go into \"Close Date\" (a date field); add a to_date step that names the time zone of the day"
    );
    assert_eq!(
        check_target(Kind::Bool, &field(FieldType::Int))
            .unwrap_err()
            .code,
        "incompatible_type"
    );
    assert_eq!(
        check_target(Kind::Number, &field(FieldType::Bool))
            .unwrap_err()
            .code,
        "incompatible_type"
    );
    assert_eq!(
        check_target(Kind::Date, &field(FieldType::Currency))
            .unwrap_err()
            .code,
        "incompatible_type"
    );
}

#[test]
fn check_row_gathers_every_problem_of_a_row() {
    let target = field(FieldType::Date);
    assert_eq!(
        check_row(
            &[Step::ToDate {
                zone: Some("+02:00".into())
            }],
            Some(FieldType::DateTime),
            &target
        ),
        vec![]
    );
    let found: Vec<(usize, &str)> = check_row(&[], Some(FieldType::DateTime), &target)
        .iter()
        .map(|e| (e.step, e.code))
        .collect();
    assert_eq!(found, vec![(0, "incompatible_type")]);
    let found: Vec<(usize, &str)> = check_row(
        &[
            Step::ToDate {
                zone: Some("nowhere".into()),
            },
            Step::Email,
        ],
        Some(FieldType::DateTime),
        &target,
    )
    .iter()
    .map(|e| (e.step, e.code))
    .collect();
    assert_eq!(found, vec![(0, "invalid_zone"), (1, "unsupported_input")]);
}

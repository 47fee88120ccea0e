use super::*;
use crate::mapping::transform::{parse_steps, steps_to_json, NamePart, Otherwise, Rounding};
use serde_json::json;
use std::collections::BTreeMap;

/// One of every step, with the JSON a `transform` column stores for it.
fn every_step() -> Vec<(Step, serde_json::Value)> {
    vec![
        (
            Step::Constant {
                value: "Web".into(),
            },
            json!({"op": "constant", "value": "Web"}),
        ),
        (
            Step::Default {
                value: "n/a".into(),
            },
            json!({"op": "default", "value": "n/a"}),
        ),
        (
            Step::Concat {
                fields: vec!["FirstName".into(), "LastName".into()],
                separator: " ".into(),
            },
            json!({"op": "concat", "fields": ["FirstName", "LastName"], "separator": " "}),
        ),
        (
            Step::SplitName {
                part: NamePart::Last,
            },
            json!({"op": "split_name", "part": "last"}),
        ),
        (Step::Trim, json!({"op": "trim"})),
        (Step::Lowercase, json!({"op": "lowercase"})),
        (Step::Uppercase, json!({"op": "uppercase"})),
        (Step::Email, json!({"op": "email"})),
        (
            Step::Phone {
                default_region: "US".into(),
            },
            json!({"op": "phone", "defaultRegion": "US"}),
        ),
        (
            Step::ToDate {
                zone: Some("+02:00".into()),
            },
            json!({"op": "to_date", "zone": "+02:00"}),
        ),
        (Step::ToDate { zone: None }, json!({"op": "to_date"})),
        (Step::ToDatetime, json!({"op": "to_datetime"})),
        (
            Step::FormatDate {
                format: "%d/%m/%Y".into(),
            },
            json!({"op": "format_date", "format": "%d/%m/%Y"}),
        ),
        (
            Step::MapValues {
                map: BTreeMap::from([("NEW".to_owned(), "Open - Not Contacted".to_owned())]),
                otherwise: Otherwise::Error,
            },
            json!({"op": "map_values", "map": {"NEW": "Open - Not Contacted"}, "otherwise": "error"}),
        ),
        (
            Step::Number {
                decimals: Some(2),
                rounding: Rounding::HalfUp,
            },
            json!({"op": "number", "decimals": 2, "rounding": "half_up"}),
        ),
        (
            Step::Number {
                decimals: None,
                rounding: Rounding::Down,
            },
            json!({"op": "number", "rounding": "down"}),
        ),
        (Step::ToText, json!({"op": "to_text"})),
        (Step::ToNumber, json!({"op": "to_number"})),
        (Step::ToBool, json!({"op": "to_bool"})),
    ]
}

#[test]
fn every_step_has_its_documented_json_shape() {
    for (step, shape) in every_step() {
        assert_eq!(serde_json::to_value(&step).unwrap(), shape, "{}", step.op());
        assert_eq!(
            serde_json::from_value::<Step>(shape.clone()).unwrap(),
            step,
            "{shape}"
        );
        assert_eq!(shape["op"], step.op());
    }
}

#[test]
fn a_stored_list_round_trips() {
    let steps: Vec<Step> = every_step().into_iter().map(|(s, _)| s).collect();
    let stored = steps_to_json(&steps);
    assert_eq!(parse_steps(&stored).unwrap(), steps);
    assert_eq!(
        steps_to_json(&[
            Step::Trim,
            Step::Phone {
                default_region: "GB".into()
            }
        ]),
        r#"[{"op":"trim"},{"op":"phone","defaultRegion":"GB"}]"#
    );
}

#[test]
fn optional_settings_have_defaults() {
    let steps = parse_steps(
        r#"[{"op":"concat","fields":["a","b"]},{"op":"map_values","map":{"x":"y"}},{"op":"number","decimals":0}]"#,
    )
    .unwrap();
    assert_eq!(
        steps,
        vec![
            Step::Concat {
                fields: vec!["a".into(), "b".into()],
                separator: String::new()
            },
            Step::MapValues {
                map: BTreeMap::from([("x".to_owned(), "y".to_owned())]),
                otherwise: Otherwise::Keep
            },
            Step::Number {
                decimals: Some(0),
                rounding: Rounding::HalfEven
            },
        ]
    );
}

#[test]
fn an_empty_column_is_no_steps_and_bad_json_is_an_error() {
    assert_eq!(parse_steps("").unwrap(), vec![]);
    assert_eq!(parse_steps("  ").unwrap(), vec![]);
    assert_eq!(parse_steps("[]").unwrap(), vec![]);
    assert!(parse_steps(r#"[{"op":"explode"}]"#).is_err());
    assert!(parse_steps(r#"[{"op":"phone","default_region":"US"}]"#).is_err());
    assert!(parse_steps(r#"[{"op":"split_name","part":"middle"}]"#).is_err());
    assert!(parse_steps(r#"{"op":"trim"}"#).is_err());
}

#[test]
fn errors_serialize_as_step_code_message() {
    let e = run(&[Step::Trim, Step::Email], text("nope")).unwrap_err();
    let shown = serde_json::to_value(&e).unwrap();
    assert_eq!(shown["step"], 1);
    assert_eq!(shown["code"], "malformed_email");
    assert_eq!(e.to_string(), e.message);
}

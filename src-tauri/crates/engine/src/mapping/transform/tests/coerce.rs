use super::*;
use crate::mapping::transform::coerce;
use switchyard_connectors::schema::{FieldSpec, FieldType, PicklistOption};

fn field(ty: FieldType) -> FieldSpec {
    FieldSpec::new("F", "Field", ty)
}

fn picklist(ty: FieldType, values: &[&str]) -> FieldSpec {
    let mut spec = FieldSpec::new("Status", "Lead Status", ty);
    spec.picklist = values
        .iter()
        .map(|v| PicklistOption {
            value: (*v).to_owned(),
            label: (*v).to_owned(),
        })
        .collect();
    spec
}

fn into(value: Value, ty: FieldType) -> Value {
    coerce(value, &field(ty)).unwrap()
}

fn refused(value: Value, spec: &FieldSpec) -> &'static str {
    coerce(value, spec).unwrap_err().code
}

#[test]
fn anything_goes_into_text_in_display_form() {
    assert_eq!(into(num("1.50"), FieldType::Text), text("1.5"));
    assert_eq!(into(Value::Bool(true), FieldType::LongText), text("true"));
    assert_eq!(
        into(date("2024-05-01"), FieldType::Text),
        text("2024-05-01")
    );
    assert_eq!(
        into(datetime("2024-05-01T12:00:00+02:00"), FieldType::Text),
        text("2024-05-01T10:00:00.000Z")
    );
    assert_eq!(
        into(text(" kept as is "), FieldType::Url),
        text(" kept as is ")
    );
}

#[test]
fn blank_text_is_null_for_every_target() {
    for ty in [
        FieldType::Text,
        FieldType::Number,
        FieldType::Bool,
        FieldType::Date,
        FieldType::Picklist,
    ] {
        assert_eq!(into(text(""), ty), Value::Null);
        assert_eq!(into(text("  "), ty), Value::Null);
        assert_eq!(into(Value::Null, ty), Value::Null);
    }
}

#[test]
fn text_longer_than_the_field_is_too_long_counting_characters() {
    let mut spec = field(FieldType::Text);
    spec.length = Some(5);
    assert_eq!(coerce(text("Zoë李🎉"), &spec).unwrap(), text("Zoë李🎉"));
    let e = coerce(text("Zoë李🎉!"), &spec).unwrap_err();
    assert_eq!(e.code, "too_long");
    assert_eq!(
        e.message,
        "\"Zoë李🎉!\" is 6 characters long; \"Field\" holds at most 5"
    );
}

#[test]
fn picklist_values_must_be_allowed() {
    let spec = picklist(
        FieldType::Picklist,
        &["Open - Not Contacted", "Working - Contacted"],
    );
    assert_eq!(
        coerce(text("Working - Contacted"), &spec).unwrap(),
        text("Working - Contacted")
    );
    let e = coerce(text("IN_PROGRESS"), &spec).unwrap_err();
    assert_eq!(e.code, "invalid_picklist_value");
    assert_eq!(
        e.message,
        "\"IN_PROGRESS\" is not a value of \"Lead Status\" (allowed: \"Open - Not Contacted\", \"Working - Contacted\"); add a map_values step"
    );
    assert_eq!(
        refused(text("working - contacted"), &spec),
        "invalid_picklist_value"
    );
    // A picklist whose values were not discovered accepts anything.
    assert_eq!(
        coerce(text("x"), &picklist(FieldType::Picklist, &[])).unwrap(),
        text("x")
    );
}

#[test]
fn multi_picklists_check_each_value() {
    let spec = picklist(FieldType::MultiPicklist, &["Red", "Green", "Blue"]);
    assert_eq!(coerce(text("Red;Blue"), &spec).unwrap(), text("Red;Blue"));
    assert_eq!(refused(text("Red;Purple"), &spec), "invalid_picklist_value");
}

#[test]
fn email_fields_check_syntax() {
    assert_eq!(
        into(text("Ada@Example.com"), FieldType::Email),
        text("Ada@Example.com")
    );
    assert_eq!(
        refused(text("ada@"), &field(FieldType::Email)),
        "malformed_email"
    );
}

#[test]
fn text_is_parsed_into_numbers_bools_and_dates() {
    assert_eq!(into(text("1,234.50"), FieldType::Currency), num("1234.50"));
    assert_eq!(into(text("Yes"), FieldType::Bool), Value::Bool(true));
    assert_eq!(
        into(text("2024-05-01"), FieldType::Date),
        date("2024-05-01")
    );
    assert_eq!(
        into(text("2024-05-01"), FieldType::DateTime),
        datetime("2024-05-01T00:00:00Z")
    );
    assert_eq!(
        into(text("2024-05-01T10:00:00.000+0000"), FieldType::DateTime),
        datetime("2024-05-01T10:00:00Z")
    );
    assert_eq!(
        refused(text("1,2,3.4.5"), &field(FieldType::Number)),
        "malformed_number"
    );
    assert_eq!(
        refused(text("maybe"), &field(FieldType::Bool)),
        "malformed_bool"
    );
    assert_eq!(
        refused(text("2024-02-30"), &field(FieldType::Date)),
        "malformed_date"
    );
    assert_eq!(
        refused(text("2024-05-01T25:00:00Z"), &field(FieldType::DateTime)),
        "malformed_date"
    );
}

#[test]
fn whole_number_fields_refuse_fractions() {
    assert_eq!(into(num("42.000"), FieldType::Int), num("42"));
    let e = coerce(num("2.5"), &field(FieldType::Int)).unwrap_err();
    assert_eq!(e.code, "lossy_conversion");
    assert_eq!(
        e.message,
        "\"2.5\" is not a whole number; round it with a number step (decimals 0) first"
    );
    assert_eq!(into(num("2.5"), FieldType::Percent), num("2.5"));
}

#[test]
fn datetimes_become_dates_only_at_midnight_utc() {
    assert_eq!(
        into(datetime("2024-05-01T00:00:00Z"), FieldType::Date),
        date("2024-05-01")
    );
    assert_eq!(
        into(datetime("2024-05-01T02:00:00+02:00"), FieldType::Date),
        date("2024-05-01")
    );
    let e = coerce(datetime("2024-05-01T10:00:00Z"), &field(FieldType::Date)).unwrap_err();
    assert_eq!(e.code, "lossy_conversion");
    assert_eq!(
        e.message,
        "\"2024-05-01T10:00:00.000Z\" has a time of day; add a to_date step that names the time zone of the day"
    );
    assert_eq!(
        into(date("2024-05-01"), FieldType::DateTime),
        datetime("2024-05-01T00:00:00Z")
    );
}

#[test]
fn conversions_that_need_an_explicit_step_are_refused() {
    assert_eq!(
        refused(Value::Bool(true), &field(FieldType::Number)),
        "incompatible_type"
    );
    assert_eq!(
        refused(num("1"), &field(FieldType::Bool)),
        "incompatible_type"
    );
    assert_eq!(
        refused(num("1714521600000"), &field(FieldType::Date)),
        "incompatible_type"
    );
    assert_eq!(
        refused(date("2024-05-01"), &field(FieldType::Number)),
        "incompatible_type"
    );
    let e = coerce(Value::Bool(false), &field(FieldType::DateTime)).unwrap_err();
    assert_eq!(
        e.message,
        "the yes/no \"false\" cannot go into a date and time field"
    );
}

#[test]
fn coerced_values_round_trip_through_text() {
    let cases = [
        (num("-1234.5"), FieldType::Number),
        (Value::Bool(false), FieldType::Bool),
        (date("2024-02-29"), FieldType::Date),
        (datetime("2024-05-01T10:00:00.123Z"), FieldType::DateTime),
    ];
    for (value, ty) in cases {
        let as_text = into(value.clone(), FieldType::Text);
        assert_eq!(into(as_text, ty), value);
    }
}

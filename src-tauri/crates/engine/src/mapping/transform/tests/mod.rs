//! Unit tests of the transform steps, one file per family of steps, plus composition,
//! static checks and the stored JSON shape. Every assertion names an exact output.
#![allow(clippy::unwrap_used)]

mod checks;
mod coerce;
mod compose;
mod contact;
mod dates;
mod json;
mod names;
mod numbers;
mod picklist;
mod text;

use super::{apply, Step, TransformError};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use std::str::FromStr;
use switchyard_connectors::value::{Record, Value};

/// A source record with these fields.
fn record(fields: &[(&str, Value)]) -> Record {
    Record {
        id: "r1".to_owned(),
        modified: None,
        archived: false,
        version: None,
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    }
}

/// `steps` on `input` with an empty source record.
fn run(steps: &[Step], input: Value) -> Result<Value, TransformError> {
    apply(steps, input, &record(&[]))
}

/// One step on `input`, which must succeed.
fn ok(step: Step, input: Value) -> Value {
    run(&[step], input).unwrap()
}

/// One step on `input`, which must fail; its code.
fn err_code(step: Step, input: Value) -> &'static str {
    run(&[step], input).unwrap_err().code
}

fn text(s: &str) -> Value {
    Value::text(s)
}

fn num(s: &str) -> Value {
    Value::Number(Decimal::from_str(s).unwrap())
}

fn date(s: &str) -> Value {
    Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn datetime(s: &str) -> Value {
    Value::DateTime(instant(s))
}

fn instant(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

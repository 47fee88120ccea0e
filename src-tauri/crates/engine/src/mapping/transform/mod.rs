//! Declarative field transforms: the `transform` column of a field row, a JSON list of
//! [`Step`]s, run in order on the source field's value, then [`coerce`]d into the target
//! field's type. Everything here is pure (no I/O, no clock), so the mapping editor can
//! preview a row on sample records and the validator can check a row with no records
//! at all ([`output_kind`], [`check_steps`], [`check_target`], [`check_row`]).
//!
//! Null goes through every step as Null, except `constant`, `default` and `concat`,
//! which make values; blank text counts as empty for the steps that parse.

mod coerce;
mod contact;
mod dates;
mod error;
mod kind;
mod limits;
mod name;
mod numbers;
mod picklist;
mod step;
mod temporal;
mod text;

#[cfg(test)]
mod tests;

pub use coerce::{check_target, coerce};
pub use error::{code, TransformError};
pub use kind::{check_steps, output_kind, Kind};
pub use step::{parse_steps, steps_to_json, NamePart, Otherwise, Rounding, Step};

use switchyard_connectors::schema::{FieldSpec, FieldType};
use switchyard_connectors::value::{Record, Value};

/// Run `steps` on `input` (the source field's value, or Null when the row has none);
/// `record` is the whole source record, for `concat`.
pub fn apply(steps: &[Step], input: Value, record: &Record) -> Result<Value, TransformError> {
    steps
        .iter()
        .enumerate()
        .try_fold(input, |value, (i, step)| apply_step(i, step, value, record))
}

/// [`apply`], then [`coerce`] into `target`; conversion errors carry `step: steps.len()`.
pub fn convert(
    steps: &[Step],
    input: Value,
    record: &Record,
    target: &FieldSpec,
) -> Result<Value, TransformError> {
    let value = apply(steps, input, record)?;
    coerce(value, target).map_err(|e| e.at_step(steps.len()))
}

/// Everything that can be known about a row without data: unusable step settings, a
/// step that cannot take its input, and an output the target cannot hold.
pub fn check_row(
    steps: &[Step],
    source: Option<FieldType>,
    target: &FieldSpec,
) -> Vec<TransformError> {
    let mut errors = check_steps(steps);
    match output_kind(steps, source) {
        Ok(kind) => {
            if let Err(e) = check_target(kind, target) {
                errors.push(e.at_step(steps.len()));
            }
        }
        Err(e) => errors.push(e),
    }
    errors
}

fn apply_step(
    i: usize,
    step: &Step,
    value: Value,
    record: &Record,
) -> Result<Value, TransformError> {
    match step {
        Step::Constant { value } => Ok(Value::text(value.as_str())),
        Step::Default { value: fallback } => Ok(text::default(value, fallback)),
        Step::Concat { fields, separator } => Ok(text::concat(record, fields, separator)),
        Step::SplitName { part } => name::split_name(i, value, *part),
        Step::Trim => text::trim(i, value),
        Step::Lowercase => text::lowercase(i, value),
        Step::Uppercase => text::uppercase(i, value),
        Step::Email => contact::email(i, value),
        Step::Phone { default_region } => contact::phone(i, value, default_region),
        Step::ToDate { zone } => dates::to_date(i, value, zone.as_deref()),
        Step::ToDatetime => dates::to_datetime(i, value),
        Step::FormatDate { format } => dates::format_date(i, value, format),
        Step::MapValues { map, otherwise } => picklist::map_values(i, value, map, *otherwise),
        Step::Number { decimals, rounding } => numbers::number(i, value, *decimals, *rounding),
        Step::ToText => Ok(numbers::to_text(value)),
        Step::ToNumber => numbers::to_number(i, value),
        Step::ToBool => numbers::to_bool(i, value),
    }
}

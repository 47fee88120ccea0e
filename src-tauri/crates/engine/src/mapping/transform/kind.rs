//! Checking a field row before any record is read: what kind of value a step list
//! yields from a source field's type, which step cannot take what it is given, and
//! which step's settings are unusable (a bad strftime pattern, an unknown phone region,
//! an empty value map). The mapping validator reports these per row, so a user fixes
//! "conversion not possible" in the editor rather than in a failed run.

use super::contact::region;
use super::dates::format_items;
use super::error::{code, quoted, TransformError};
use super::numbers::MAX_DECIMALS;
use super::step::Step;
use super::temporal::parse_zone;
use serde::{Deserialize, Serialize};
use switchyard_connectors::schema::FieldType;
use switchyard_connectors::value::Value;

/// The kind of value a step list yields. `Empty` means always Null (no source field and
/// nothing that makes a value); any other kind may still be Null for a given record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Empty,
    Text,
    Number,
    Bool,
    Date,
    DateTime,
}

impl Kind {
    /// The kind a field of `ty` holds.
    pub fn of(ty: FieldType) -> Self {
        match ty {
            FieldType::Bool => Self::Bool,
            FieldType::Date => Self::Date,
            FieldType::DateTime => Self::DateTime,
            t if t.is_number() => Self::Number,
            _ => Self::Text,
        }
    }

    pub fn of_value(value: &Value) -> Self {
        match value {
            Value::Null => Self::Empty,
            Value::Text(_) => Self::Text,
            Value::Number(_) => Self::Number,
            Value::Bool(_) => Self::Bool,
            Value::Date(_) => Self::Date,
            Value::DateTime(_) => Self::DateTime,
        }
    }

    /// The name a person reads, as [`Value::kind`] words it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Text => "text",
            Self::Number => "number",
            Self::Bool => "yes/no",
            Self::Date => "date",
            Self::DateTime => "date and time",
        }
    }
}

/// The kind `steps` yield from a source field of type `source` (`None`: the row has no
/// source field, so the first input is Null), or the first step that cannot take its input.
pub fn output_kind(steps: &[Step], source: Option<FieldType>) -> Result<Kind, TransformError> {
    steps
        .iter()
        .enumerate()
        .try_fold(source.map_or(Kind::Empty, Kind::of), |kind, (i, step)| {
            step_output(i, step, kind)
        })
}

fn step_output(i: usize, step: &Step, input: Kind) -> Result<Kind, TransformError> {
    use Kind::*;
    let out = match (step, input) {
        (Step::Constant { .. } | Step::Concat { .. }, _) => Text,
        (Step::Default { .. }, Empty) => Text,
        (Step::Default { .. }, k) => k,
        (_, Empty) => Empty,
        (
            Step::SplitName { .. }
            | Step::Trim
            | Step::Lowercase
            | Step::Uppercase
            | Step::Email
            | Step::Phone { .. },
            Text,
        ) => Text,
        (Step::ToDate { .. }, Text | Number | Date | DateTime) => Date,
        (Step::ToDatetime, Text | Number | Date | DateTime) => DateTime,
        (Step::FormatDate { .. }, Text | Number | Date | DateTime) => Text,
        (Step::MapValues { .. } | Step::ToText, _) => Text,
        (Step::Number { .. }, Text | Number) => Number,
        (Step::ToNumber, Text | Number | Bool) => Number,
        (Step::ToBool, Text | Number | Bool) => Bool,
        (step, kind) => {
            return Err(TransformError::new(
                i,
                code::UNSUPPORTED_INPUT,
                format!(
                    "step {} ({}) cannot take a {}; convert it first",
                    i + 1,
                    step.op(),
                    kind.name()
                ),
            ))
        }
    };
    Ok(out)
}

/// Every step whose settings are unusable whatever the data, in step order.
pub fn check_steps(steps: &[Step]) -> Vec<TransformError> {
    steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| check_step(step).err().map(|e| e.at_step(i)))
        .collect()
}

fn check_step(step: &Step) -> Result<(), TransformError> {
    match step {
        Step::Phone { default_region } => region(default_region).map(|_| ()),
        Step::ToDate { zone: Some(zone) } => parse_zone(zone).map(|_| ()),
        Step::FormatDate { format } => format_items(format).map(|_| ()),
        Step::MapValues { map, .. } if map.is_empty() => Err(TransformError::new(
            0,
            code::EMPTY_MAP,
            "the value map has no entries; add at least one value and its replacement",
        )),
        Step::Concat { fields, .. } if fields.iter().all(|f| f.trim().is_empty()) => Err(
            TransformError::new(0, code::NO_FIELDS, "concat names no fields to join"),
        ),
        Step::Number {
            decimals: Some(d), ..
        } if *d > MAX_DECIMALS => Err(TransformError::new(
            0,
            code::INVALID_DECIMALS,
            format!(
                "{} decimals is more than a number can hold (at most {MAX_DECIMALS})",
                quoted(&d.to_string())
            ),
        )),
        _ => Ok(()),
    }
}

//! The declarative steps a field row's `transform` column stores, as a JSON list such as
//! `[{"op":"trim"},{"op":"phone","defaultRegion":"US"}]`. Steps are data, not code: the
//! UI edits them, the validator checks them without records, and `apply` runs them in
//! order on the running value. Field names are camelCase; the tag is `op`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "op", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum Step {
    /// Replace the running value with this text (converted to the target type at the end).
    Constant {
        value: String,
    },
    /// Use this text when the running value is empty or blank text.
    Default {
        value: String,
    },
    /// Join other fields of the source record, skipping blank ones. The running value
    /// is not part of the result: list the source field itself to include it.
    Concat {
        fields: Vec<String>,
        #[serde(default)]
        separator: String,
    },
    /// One part of a person's full name.
    SplitName {
        part: NamePart,
    },
    Trim,
    Lowercase,
    Uppercase,
    /// Trim, lowercase and check an email address.
    Email,
    /// Parse a phone number and write it in E.164 (`+14155552671`). Numbers without a
    /// country code are read as numbers of `default_region` (ISO 3166 code, `US`, `FR`);
    /// an empty region accepts only numbers written with `+`.
    Phone {
        default_region: String,
    },
    /// The calendar date of an instant as seen at `zone` (`+02:00`, `-05:30`, `UTC`;
    /// UTC when absent).
    ToDate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zone: Option<String>,
    },
    /// An instant: dates become midnight UTC.
    ToDatetime,
    /// Dates and instants to text with a chrono strftime pattern (`%d/%m/%Y`). Instants
    /// are formatted in the offset they carry.
    FormatDate {
        format: String,
    },
    /// Replace values by a table (picklist values between systems).
    MapValues {
        map: BTreeMap<String, String>,
        #[serde(default)]
        otherwise: Otherwise,
    },
    /// Round a number; `decimals` absent leaves it as it is.
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decimals: Option<u32>,
        #[serde(default)]
        rounding: Rounding,
    },
    ToText,
    ToNumber,
    ToBool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum NamePart {
    First,
    Last,
}

/// What `map_values` does with a value its map does not list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Otherwise {
    /// Pass the (trimmed) value through.
    #[default]
    Keep,
    /// Write nothing.
    Blank,
    /// Fail the record with `unmapped_value`.
    Error,
}

/// How `number` rounds a value exactly halfway between two candidates, or at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Banker's rounding: 2.5 → 2, 3.5 → 4 (no drift when summing rounded amounts).
    #[default]
    HalfEven,
    /// Halves away from zero: 2.5 → 3, -2.5 → -3.
    HalfUp,
    /// Truncate toward zero: 2.99 → 2, -2.99 → -2.
    Down,
}

impl Step {
    /// The step's tag as stored (`split_name`), for messages.
    pub fn op(&self) -> &'static str {
        match self {
            Self::Constant { .. } => "constant",
            Self::Default { .. } => "default",
            Self::Concat { .. } => "concat",
            Self::SplitName { .. } => "split_name",
            Self::Trim => "trim",
            Self::Lowercase => "lowercase",
            Self::Uppercase => "uppercase",
            Self::Email => "email",
            Self::Phone { .. } => "phone",
            Self::ToDate { .. } => "to_date",
            Self::ToDatetime => "to_datetime",
            Self::FormatDate { .. } => "format_date",
            Self::MapValues { .. } => "map_values",
            Self::Number { .. } => "number",
            Self::ToText => "to_text",
            Self::ToNumber => "to_number",
            Self::ToBool => "to_bool",
        }
    }
}

/// Read a stored `transform` column; an empty or blank column is an empty list.
pub fn parse_steps(json: &str) -> Result<Vec<Step>, serde_json::Error> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(json)
}

/// The text a `transform` column stores for `steps`.
pub fn steps_to_json(steps: &[Step]) -> String {
    // Serializing plain enums of strings, maps and numbers into a String cannot fail.
    serde_json::to_string(steps).unwrap_or_else(|_| "[]".to_owned())
}

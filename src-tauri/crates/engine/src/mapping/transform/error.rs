//! Why a transform failed, in a form both a program and a person can use: the index of
//! the failing step, a stable snake_case code the UI and the run log branch on, and a
//! sentence that names the offending value. Codes are constants so they cannot drift.

use serde::Serialize;

/// Stable error codes. Never rename one: front ends and stored run errors match on them.
pub mod code {
    /// A step was given a kind of value it cannot take (`split_name` on a number).
    pub const UNSUPPORTED_INPUT: &str = "unsupported_input";
    pub const MALFORMED_EMAIL: &str = "malformed_email";
    pub const MALFORMED_PHONE: &str = "malformed_phone";
    /// Not a date or date-time, or one that does not exist (`2024-02-30`, `25:00`).
    pub const MALFORMED_DATE: &str = "malformed_date";
    pub const MALFORMED_NUMBER: &str = "malformed_number";
    pub const MALFORMED_BOOL: &str = "malformed_bool";
    /// `map_values` met a value its map does not list and `otherwise` is `error`.
    pub const UNMAPPED_VALUE: &str = "unmapped_value";
    /// A `format_date` pattern chrono cannot use, or one asking for a time of a date.
    pub const INVALID_FORMAT: &str = "invalid_format";
    /// A `phone` default region that is not an ISO 3166 two-letter code.
    pub const INVALID_REGION: &str = "invalid_region";
    /// A `to_date` zone that is not `UTC`, `Z` or a fixed offset like `+02:00`.
    pub const INVALID_ZONE: &str = "invalid_zone";
    /// A `concat` step naming no fields.
    pub const NO_FIELDS: &str = "no_fields";
    /// A `map_values` step with no entries.
    pub const EMPTY_MAP: &str = "empty_map";
    /// A `number` step asking for more decimals than a decimal can hold (28).
    pub const INVALID_DECIMALS: &str = "invalid_decimals";
    /// Text longer than the target field's `length`.
    pub const TOO_LONG: &str = "too_long";
    /// A value the target picklist does not allow.
    pub const INVALID_PICKLIST_VALUE: &str = "invalid_picklist_value";
    /// The target type cannot hold the value without losing part of it (a fraction
    /// into a whole-number field, a time of day into a date field).
    pub const LOSSY_CONVERSION: &str = "lossy_conversion";
    /// No conversion exists from the value's kind to the target type (a date into a
    /// number field).
    pub const INCOMPATIBLE_TYPE: &str = "incompatible_type";
}

/// A failed step or conversion.
///
/// `step` is the index of the failing step in the list. Errors of the final conversion
/// into the target field carry `steps.len()` when they come from [`super::convert`];
/// [`super::coerce`] on its own knows no list and reports `0` (renumber with
/// [`TransformError::at_step`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, specta::Type)]
#[error("{message}")]
pub struct TransformError {
    pub step: usize,
    pub code: &'static str,
    pub message: String,
}

impl TransformError {
    pub fn new(step: usize, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            step,
            code,
            message: message.into(),
        }
    }

    /// The same error, attributed to another step.
    pub fn at_step(mut self, step: usize) -> Self {
        self.step = step;
        self
    }
}

/// A value as it appears inside a message: quoted, and cut short when it is long so a
/// pasted paragraph does not swamp the run log.
pub(crate) fn quoted(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        format!("\"{head}…\"")
    } else {
        format!("\"{head}\"")
    }
}

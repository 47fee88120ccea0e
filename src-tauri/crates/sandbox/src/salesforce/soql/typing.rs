//! Literals checked against their field's type the way Salesforce words the errors
//! ("value of filter criterion for field 'X' must be of type dateTime and should not be
//! enclosed in quotes"), and turned into the form field values are compared in.

use super::Lit;
use super::Pat;
use crate::salesforce::errors::{soql_error, ApiError};
use crate::salesforce::ids;
use crate::salesforce::schema::FType;
use crate::seed::sf_datetime;

/// A literal in the form its field's values are compared in.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    Null,
    /// Lower-cased for case-insensitive text comparison.
    Text(String),
    /// Ids compare exactly (they are case-sensitive).
    Id(String),
    Pattern(Vec<Pat>),
    Num(f64),
    Bool(bool),
    /// Datetimes and dates as their fixed-width UTC text, which sorts chronologically.
    Stamp(String),
}

pub fn type_error(query: &str, at: usize, field: &str, ty: &str, quoted: bool) -> ApiError {
    let how = if quoted {
        "should be enclosed in quotes"
    } else {
        "should not be enclosed in quotes"
    };
    soql_error(
        "INVALID_FIELD",
        query,
        at,
        &format!("value of filter criterion for field '{field}' must be of type {ty} and {how}"),
    )
}

/// The literal in its field's comparison form, or Salesforce's type error.
pub fn typed(query: &str, at: usize, field: &str, ty: FType, lit: &Lit) -> Result<Typed, ApiError> {
    if *lit == Lit::Null {
        return Ok(Typed::Null);
    }
    match (ty, lit) {
        (FType::Id | FType::Reference, Lit::Str { value, .. }) => {
            ids::normalize(value).map(Typed::Id).ok_or_else(|| {
                soql_error(
                    "INVALID_QUERY_FILTER_OPERATOR",
                    query,
                    at,
                    &format!("invalid ID field: {value}"),
                )
            })
        }
        (t, Lit::Str { value, .. }) if t.is_text() => Ok(Typed::Text(value.to_lowercase())),
        (t, _) if t.is_text() => Err(type_error(query, at, field, "string", true)),
        (FType::Boolean, Lit::Bool(b)) => Ok(Typed::Bool(*b)),
        (FType::Boolean, _) => Err(type_error(query, at, field, "boolean", false)),
        (t, Lit::Num(n)) if t.is_number() => Ok(Typed::Num(*n)),
        (t, _) if t.is_number() => Err(type_error(query, at, field, t.api_name(), false)),
        (FType::DateTime, Lit::DateTime(ms)) => Ok(Typed::Stamp(sf_datetime(*ms))),
        (FType::DateTime, _) => Err(type_error(query, at, field, "dateTime", false)),
        (FType::Date, Lit::Date(d)) => Ok(Typed::Stamp(d.clone())),
        (_, _) => Err(type_error(query, at, field, "date", false)),
    }
}

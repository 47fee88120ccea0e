//! Switchyard's one value model. Every provider encodes values its own way (HubSpot sends
//! every property as a string and dates as epoch milliseconds, Salesforce writes
//! datetimes as `2024-05-01T10:00:00.000+0000`, QuickBooks uses local times with an
//! offset and nests fields such as `PrimaryEmailAddr.Address`); each provider's `codec`
//! turns its encoding into these values and back, exactly. Numbers are decimals, so
//! `0.1` stays `0.1` and currency amounts survive a round trip.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    Null,
    Text(String),
    Number(Decimal),
    Bool(bool),
    Date(NaiveDate),
    /// An instant with the offset it was written in (kept, so a round trip is exact).
    DateTime(DateTime<FixedOffset>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }

    /// Null, or text that is empty after trimming.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Equality as a sync sees it: the same instant in different offsets is the same
    /// value, and `1.50` equals `1.5`.
    pub fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::DateTime(a), Self::DateTime(b)) => a == b,
            (Self::Number(a), Self::Number(b)) => a.normalize() == b.normalize(),
            (a, b) => a == b,
        }
    }

    /// The kind's name, for messages ("expected a date, got text").
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Null => "empty",
            Self::Text(_) => "text",
            Self::Number(_) => "number",
            Self::Bool(_) => "yes/no",
            Self::Date(_) => "date",
            Self::DateTime(_) => "date and time",
        }
    }
}

/// How a value reads to a person (preview, diffs, error messages): ISO dates, datetimes in
/// UTC with milliseconds, numbers without trailing zeros.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => Ok(()),
            Self::Text(s) => f.write_str(s),
            Self::Number(n) => write!(f, "{}", n.normalize()),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Self::DateTime(t) => f.write_str(
                &t.with_timezone(&Utc)
                    .to_rfc3339_opts(SecondsFormat::Millis, true),
            ),
        }
    }
}

/// One record in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    /// When the provider last changed it (the incremental cursor's field).
    pub modified: Option<DateTime<Utc>>,
    /// Deleted, archived or made inactive at the provider.
    pub archived: bool,
    /// QuickBooks' `SyncToken`: the version an update must name.
    pub version: Option<String>,
    pub fields: BTreeMap<String, Value>,
}

impl Record {
    pub fn get(&self, field: &str) -> &Value {
        self.fields.get(field).unwrap_or(&Value::Null)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValueError {
    pub field: String,
    pub message: String,
}

impl ValueError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

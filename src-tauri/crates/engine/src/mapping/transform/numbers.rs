//! The number and yes/no steps: `number` (rounding), `to_number`, `to_bool` and
//! `to_text`. Numbers are decimals end to end, so `0.1` stays `0.1` and amounts round
//! the way an accountant expects. Text is read strictly: `.` is the decimal point, `,`
//! may separate thousands in groups of three, and anything else is an error rather than
//! a guess (`1,2,3.4.5` is not a number).

use super::error::{code, quoted, TransformError};
use super::step::Rounding;
use super::text::unsupported;
use rust_decimal::{Decimal, RoundingStrategy};
use switchyard_connectors::value::Value;

/// The largest `decimals` a decimal can hold.
pub(super) const MAX_DECIMALS: u32 = 28;

pub(super) fn number(
    step: usize,
    value: Value,
    decimals: Option<u32>,
    rounding: Rounding,
) -> Result<Value, TransformError> {
    let n = match value {
        Value::Number(n) => n,
        Value::Text(_) | Value::Null => match to_number(step, value)? {
            Value::Number(n) => n,
            other => return Ok(other),
        },
        other => return Err(unsupported(step, "number", &other)),
    };
    let Some(dp) = decimals else {
        return Ok(Value::Number(n));
    };
    let strategy = match rounding {
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::Down => RoundingStrategy::ToZero,
    };
    Ok(Value::Number(n.round_dp_with_strategy(dp, strategy)))
}

pub(super) fn to_text(value: Value) -> Value {
    match value {
        Value::Null | Value::Text(_) => value,
        other => Value::Text(other.to_string()),
    }
}

/// Text is parsed, yes/no becomes 1/0; blank text is empty.
pub(super) fn to_number(step: usize, value: Value) -> Result<Value, TransformError> {
    match value {
        Value::Null | Value::Number(_) => Ok(value),
        Value::Bool(b) => Ok(Value::Number(Decimal::from(u8::from(b)))),
        Value::Text(s) if s.trim().is_empty() => Ok(Value::Null),
        Value::Text(s) => parse_number(&s).map(Value::Number).ok_or_else(|| {
            TransformError::new(
                step,
                code::MALFORMED_NUMBER,
                format!(
                    "{} is not a number (use . for decimals and , only between groups of three digits)",
                    quoted(&s)
                ),
            )
        }),
        other => Err(unsupported(step, "to_number", &other)),
    }
}

/// `true/false/yes/no/1/0` in any case; blank text is empty.
pub(super) fn to_bool(step: usize, value: Value) -> Result<Value, TransformError> {
    let malformed = |shown: &str| {
        TransformError::new(
            step,
            code::MALFORMED_BOOL,
            format!(
                "{} is not yes or no (expected true, false, yes, no, 1 or 0)",
                quoted(shown)
            ),
        )
    };
    match value {
        Value::Null | Value::Bool(_) => Ok(value),
        Value::Text(s) if s.trim().is_empty() => Ok(Value::Null),
        Value::Text(s) => parse_bool(&s).map(Value::Bool).ok_or_else(|| malformed(&s)),
        Value::Number(n) if n == Decimal::ONE => Ok(Value::Bool(true)),
        Value::Number(n) if n.is_zero() => Ok(Value::Bool(false)),
        Value::Number(n) => Err(malformed(&n.normalize().to_string())),
        other => Err(unsupported(step, "to_bool", &other)),
    }
}

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// `-1,234.50`, `+7`, `.5`, `1234`; `None` for anything else or a value too large for a
/// decimal.
pub(super) fn parse_number(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let (sign, body) = match s.as_bytes().first() {
        Some(b'-') => ("-", &s[1..]),
        Some(b'+') => ("", &s[1..]),
        _ => ("", s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if let Some(f) = frac {
        if f.is_empty() || !all_digits(f) {
            return None;
        }
    }
    if int.is_empty() && frac.is_none() {
        return None;
    }
    let int_digits = if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or_default();
        if first.is_empty() || first.len() > 3 || !all_digits(first) {
            return None;
        }
        let rest: Vec<&str> = groups.collect();
        if rest.iter().any(|g| g.len() != 3 || !all_digits(g)) {
            return None;
        }
        int.replace(',', "")
    } else if all_digits(int) {
        int.to_owned()
    } else {
        return None;
    };
    let int_digits = if int_digits.is_empty() {
        "0".to_owned()
    } else {
        int_digits
    };
    let text = match frac {
        Some(f) => format!("{sign}{int_digits}.{f}"),
        None => format!("{sign}{int_digits}"),
    };
    Decimal::from_str_exact(&text).ok()
}

//! `email` and `phone`: normalise contact details so the same person matches across
//! systems (match rules compare emails, and HubSpot, Salesforce and QuickBooks each
//! keep phone numbers as typed). Validation is left to well-kept crates: `email_address`
//! (RFC 5321/6531 syntax) and `phonenumber` (a port of Google's libphonenumber with its
//! per-country metadata), rather than a home-made regex.

use super::error::{code, quoted, TransformError};
use super::text::text_input;
use email_address::{EmailAddress, Options};
use phonenumber::country::Id;
use phonenumber::Mode;
use std::str::FromStr;
use switchyard_connectors::value::Value;

/// Trimmed, lowercased and checked; blank text is empty.
pub(super) fn email(step: usize, value: Value) -> Result<Value, TransformError> {
    let Some(text) = text_input(step, "email", value)? else {
        return Ok(Value::Null);
    };
    let address = text.trim().to_lowercase();
    if address.is_empty() {
        return Ok(Value::Null);
    }
    check_email(&address)
        .map_err(|message| TransformError::new(step, code::MALFORMED_EMAIL, message))?;
    Ok(Value::Text(address))
}

/// A bare address (no `Name <…>`, no `[1.2.3.4]` domain) whose domain has a dot: what
/// every CRM accepts.
pub(super) fn check_email(address: &str) -> Result<(), String> {
    let options = Options {
        minimum_sub_domains: 2,
        allow_domain_literal: false,
        allow_display_text: false,
        allow_long_local_parts: false,
    };
    EmailAddress::parse_with_options(address, options)
        .map(|_| ())
        .map_err(|e| format!("{} is not an email address ({e})", quoted(address)))
}

/// E.164 (`+14155552671`); blank text is empty.
pub(super) fn phone(
    step: usize,
    value: Value,
    default_region: &str,
) -> Result<Value, TransformError> {
    let Some(text) = text_input(step, "phone", value)? else {
        return Ok(Value::Null);
    };
    let number = text.trim();
    if number.is_empty() {
        return Ok(Value::Null);
    }
    let region = region(default_region).map_err(|e| e.at_step(step))?;
    let malformed = |why: &str| {
        TransformError::new(
            step,
            code::MALFORMED_PHONE,
            format!("{} is not a phone number{why}", quoted(number)),
        )
    };
    // A number written with `+` carries its own country code. It is parsed without the
    // default region: `phonenumber` 0.3 would otherwise strip the default region's
    // national prefix after the country code (`+33 1 42…` read with `US` loses its `1`).
    let hint = if number.starts_with('+') {
        None
    } else {
        region
    };
    let parsed = phonenumber::parse(hint, number).map_err(|_| malformed(""))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(malformed(match hint {
            Some(_) => " (wrong number of digits for its country)",
            None => " (write it with a + and its country code)",
        }));
    }
    Ok(Value::Text(parsed.format().mode(Mode::E164).to_string()))
}

/// The default region of a `phone` step: `None` for an empty one, case-insensitive
/// otherwise; step 0 on error (callers renumber).
pub(super) fn region(code_text: &str) -> Result<Option<Id>, TransformError> {
    let trimmed = code_text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let upper = trimmed.to_uppercase();
    match Id::from_str(&upper) {
        Ok(id) if upper.len() == 2 => Ok(Some(id)),
        _ => Err(TransformError::new(
            0,
            code::INVALID_REGION,
            format!(
                "{} is not a country code for phone numbers; use a two-letter code such as US, GB or FR",
                quoted(code_text)
            ),
        )),
    }
}

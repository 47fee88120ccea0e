//! The target field's own limits on text, as discovered from the provider: maximum
//! length (counted in characters, as Salesforce and HubSpot count, so `Zoë` is 3),
//! allowed picklist values (each value of a `;`-separated multi-picklist) and email
//! syntax. Checked on the final text so a record fails here with a clear message
//! instead of at the provider with a batch error.

use super::contact::check_email;
use super::error::{code, quoted, TransformError};
use switchyard_connectors::schema::{FieldSpec, FieldType};

/// Length in characters (as Salesforce and HubSpot count), picklist values, email syntax.
pub(super) fn check_text(text: &str, target: &FieldSpec) -> Result<(), TransformError> {
    if let Some(max) = target.length {
        let len = text.chars().count();
        if len > max as usize {
            return Err(TransformError::new(
                0,
                code::TOO_LONG,
                format!(
                    "{} is {len} characters long; {} holds at most {max}",
                    quoted(text),
                    quoted(&target.label)
                ),
            ));
        }
    }
    match target.ty {
        FieldType::Picklist => check_picklist(text, target),
        FieldType::MultiPicklist => text
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .try_for_each(|v| check_picklist(v, target)),
        FieldType::Email => check_email(text)
            .map_err(|message| TransformError::new(0, code::MALFORMED_EMAIL, message)),
        _ => Ok(()),
    }
}

fn check_picklist(value: &str, target: &FieldSpec) -> Result<(), TransformError> {
    if target.allows(value) {
        return Ok(());
    }
    const SHOWN: usize = 6;
    let mut allowed: Vec<String> = target
        .picklist
        .iter()
        .take(SHOWN)
        .map(|o| quoted(&o.value))
        .collect();
    if target.picklist.len() > SHOWN {
        allowed.push(format!("and {} more", target.picklist.len() - SHOWN));
    }
    Err(TransformError::new(
        0,
        code::INVALID_PICKLIST_VALUE,
        format!(
            "{} is not a value of {} (allowed: {}); add a map_values step",
            quoted(value),
            quoted(&target.label),
            allowed.join(", ")
        ),
    ))
}

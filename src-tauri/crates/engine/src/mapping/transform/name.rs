//! `split_name`: a first or last name out of a full name, for targets that keep them
//! apart (Salesforce `FirstName`/`LastName`, HubSpot `firstname`/`lastname`).
//!
//! The rules, in order:
//! - whitespace of any kind (including the ideographic space) is collapsed;
//! - `Last, First` (a comma) splits at the first comma;
//! - one word is a first name, and the last name is empty (chain a `default` when the
//!   target requires one, as Salesforce's `LastName` does);
//! - names written in Chinese, Japanese or Korean script put the family name first
//!   (`李 小龙` → last `李`, first `小龙`);
//! - otherwise the first word is the first name and the rest the last name, which keeps
//!   particles and double surnames together (`Ludwig van Beethoven` → `van Beethoven`,
//!   `José María García` → `María García`). No rule is right for every culture; this one
//!   never drops a word.

use super::error::TransformError;
use super::step::NamePart;
use super::text::text_input;
use switchyard_connectors::value::Value;

pub(super) fn split_name(
    step: usize,
    value: Value,
    part: NamePart,
) -> Result<Value, TransformError> {
    let Some(full) = text_input(step, "split_name", value)? else {
        return Ok(Value::Null);
    };
    let (first, last) = split(&full);
    let chosen = match part {
        NamePart::First => first,
        NamePart::Last => last,
    };
    Ok(if chosen.is_empty() {
        Value::Null
    } else {
        Value::Text(chosen)
    })
}

/// `(first, last)`, each with single spaces between words; either may be empty.
fn split(full: &str) -> (String, String) {
    if let Some((last, first)) = full.split_once(',') {
        return (collapse(first), collapse(last));
    }
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [only] => ((*only).to_owned(), String::new()),
        [head, rest @ ..] if is_east_asian(head) => (rest.join(" "), (*head).to_owned()),
        [head, rest @ ..] => ((*head).to_owned(), rest.join(" ")),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every character of `word` is a Han, kana or Hangul character.
fn is_east_asian(word: &str) -> bool {
    word.chars().all(|c| {
        matches!(c as u32,
            0x3040..=0x30FF      // Hiragana, Katakana
            | 0x3400..=0x4DBF    // CJK Extension A
            | 0x4E00..=0x9FFF    // CJK Unified Ideographs
            | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
            | 0x1100..=0x11FF    // Hangul Jamo
            | 0x3130..=0x318F    // Hangul Compatibility Jamo
            | 0xAC00..=0xD7AF    // Hangul Syllables
            | 0x20000..=0x2FA1F  // CJK Extensions B–F, Compatibility Supplement
        )
    })
}

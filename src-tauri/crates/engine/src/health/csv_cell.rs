//! Text cells made safe for spreadsheets. A CSV cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is read by Excel, LibreOffice and Google Sheets as a
//! formula, and exported cells hold provider strings anyone could have typed (a
//! connection's name, a record id, a provider's error message). Following OWASP's CSV
//! injection guidance, such a text cell is prefixed with a single quote so it shows as
//! text. Numbers are written from numeric fields only and never pass through here, so a
//! real `-5` stays a number.

use std::borrow::Cow;

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell that a spreadsheet shows as text.
pub(super) fn text_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_quoted_and_other_text_is_untouched() {
        for risky in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(text_cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["Acme", "", " =1", "1-2", "'quoted"] {
            assert_eq!(text_cell(plain), plain);
        }
    }
}

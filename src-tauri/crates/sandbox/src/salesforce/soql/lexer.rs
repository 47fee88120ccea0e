//! SOQL tokens: identifiers (with dots for relationship paths), quoted strings with
//! backslash escapes, numbers, the unquoted date and datetime literals
//! (`2024-01-01`, `2024-01-01T00:00:00Z`, `…+01:00`), punctuation and comparison
//! operators. Each token keeps its byte offset for the caret in error messages.

use super::{Lit, Pat};
use crate::salesforce::write::parse_datetime;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Lit(Lit),
    Comma,
    Open,
    Close,
    Op(&'static str),
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub at: usize,
}

impl Token {
    /// How the token reads in an "unexpected token" message.
    pub fn shown(&self, query: &str) -> String {
        match &self.tok {
            Tok::Eof => "<EOF>".into(),
            _ => {
                let rest = &query[self.at..];
                let end =
                    match rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')')) {
                        Some(0) => rest.chars().next().map_or(0, char::len_utf8),
                        Some(e) => e,
                        None => rest.len(),
                    };
                rest[..end].to_owned()
            }
        }
    }
}

/// Splits a query into tokens, or gives the offset of the first character it cannot read.
pub fn lex(query: &str) -> Result<Vec<Token>, usize> {
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let single = match c {
            ',' => Some(Tok::Comma),
            '(' => Some(Tok::Open),
            ')' => Some(Tok::Close),
            _ => None,
        };
        if let Some(tok) = single {
            tokens.push(Token { tok, at });
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).map(|(_, c)| *c);
        let op = match (c, next) {
            ('!', Some('=')) => Some(("!=", 2)),
            ('<', Some('>')) => Some(("<>", 2)),
            ('<', Some('=')) => Some(("<=", 2)),
            ('>', Some('=')) => Some((">=", 2)),
            ('<', _) => Some(("<", 1)),
            ('>', _) => Some((">", 1)),
            ('=', _) => Some(("=", 1)),
            _ => None,
        };
        if let Some((op, width)) = op {
            tokens.push(Token {
                tok: Tok::Op(op),
                at,
            });
            i += width;
            continue;
        }
        if c == '\'' {
            let (lit, end) = string(&chars, i).ok_or(at)?;
            tokens.push(Token {
                tok: Tok::Lit(lit),
                at,
            });
            i = end;
            continue;
        }
        if c.is_ascii_digit()
            || ((c == '-' || c == '+') && next.is_some_and(|n| n.is_ascii_digit()))
        {
            let end = (i + 1..chars.len())
                .find(|&j| !matches!(chars[j].1, '0'..='9' | '.' | '-' | '+' | ':' | 'T' | 'Z'))
                .unwrap_or(chars.len());
            let text = &query[at..chars.get(end).map_or(query.len(), |(o, _)| *o)];
            tokens.push(Token {
                tok: Tok::Lit(literal(text).ok_or(at)?),
                at,
            });
            i = end;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let end = (i + 1..chars.len())
                .find(|&j| !(chars[j].1.is_alphanumeric() || matches!(chars[j].1, '_' | '.')))
                .unwrap_or(chars.len());
            let text = &query[at..chars.get(end).map_or(query.len(), |(o, _)| *o)];
            tokens.push(Token {
                tok: Tok::Ident(text.to_owned()),
                at,
            });
            i = end;
            continue;
        }
        return Err(at);
    }
    tokens.push(Token {
        tok: Tok::Eof,
        at: query.len(),
    });
    Ok(tokens)
}

/// A number, a date or a datetime.
fn literal(text: &str) -> Option<Lit> {
    let b = text.as_bytes();
    let date_shaped =
        b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit);
    if date_shaped {
        if b.len() == 10 {
            return crate::salesforce::write::parse_date(text).map(Lit::Date);
        }
        // SOQL datetimes carry seconds and a zone: Z or ±hh:mm.
        let zoned = text.ends_with('Z')
            || text.len() >= 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':';
        return if zoned && b[10] == b'T' {
            parse_datetime(text).map(Lit::DateTime)
        } else {
            None
        };
    }
    let number = text.strip_prefix('+').unwrap_or(text);
    if number
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return number.parse::<f64>().ok().map(Lit::Num);
    }
    None
}

/// A quoted string starting at `chars[start]`: its value, its LIKE pattern and the index
/// after the closing quote.
fn string(chars: &[(usize, char)], start: usize) -> Option<(Lit, usize)> {
    let mut value = String::new();
    let mut pattern = Vec::new();
    let mut i = start + 1;
    loop {
        let (_, c) = *chars.get(i)?;
        match c {
            '\'' => return Some((Lit::Str { value, pattern }, i + 1)),
            '\\' => {
                let (_, e) = *chars.get(i + 1)?;
                let decoded = match e {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    '\'' | '"' | '\\' | '%' | '_' => e,
                    _ => return None,
                };
                value.push(decoded);
                pattern.push(Pat::Char(decoded));
                i += 2;
            }
            '%' => {
                value.push(c);
                pattern.push(Pat::Any);
                i += 1;
            }
            '_' => {
                value.push(c);
                pattern.push(Pat::One);
                i += 1;
            }
            _ => {
                value.push(c);
                pattern.push(Pat::Char(c));
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_operators() {
        let toks: Vec<Tok> =
            lex("a >= 2024-01-01T00:00:00Z AND b <> 'it\\'s' AND c < 2024-02-01 AND d = -1.5")
                .unwrap_or_default()
                .into_iter()
                .map(|t| t.tok)
                .collect();
        assert_eq!(toks[1], Tok::Op(">="));
        assert_eq!(toks[2], Tok::Lit(Lit::DateTime(1_704_067_200_000)));
        assert!(matches!(&toks[6], Tok::Lit(Lit::Str { value, .. }) if value == "it's"));
        assert_eq!(toks[10], Tok::Lit(Lit::Date("2024-02-01".into())));
        assert_eq!(toks[14], Tok::Lit(Lit::Num(-1.5)));
        assert_eq!(lex("a = 'open"), Err(4));
        assert_eq!(
            lex("a = 2024-01-01T00:00:00"),
            Err(4),
            "a datetime needs a zone"
        );
    }
}

//! Tokens of the QuickBooks query language: identifiers (dotted paths such as
//! `MetaData.LastUpdatedTime`; keywords are identifiers matched without case), quoted
//! strings with backslash escapes (`'Cutlery \'R Us'`), numbers, `*`, parentheses,
//! commas and comparison operators. Errors read like QuickBooks' `QueryParserError`.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    Star,
    LParen,
    RParen,
    Comma,
    Op(&'static str),
}

/// A token with its 1-based column, for error messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub tok: Tok,
    pub col: usize,
}

pub fn lex(text: &str) -> Result<Vec<Spanned>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let single = match c {
            '*' => Some(Tok::Star),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            ',' => Some(Tok::Comma),
            _ => None,
        };
        if let Some(tok) = single {
            out.push(Spanned { tok, col });
            i += 1;
            continue;
        }
        if matches!(c, '=' | '<' | '>' | '!') {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = match two.as_str() {
                "<=" => "<=",
                ">=" => ">=",
                "!=" | "<>" => "!=",
                _ if c == '=' => "=",
                _ if c == '<' => "<",
                _ if c == '>' => ">",
                _ => return Err(lexical(col, c)),
            };
            i += op.len();
            out.push(Spanned {
                tok: Tok::Op(op),
                col,
            });
            continue;
        }
        if c == '\'' {
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(format!("Lexical error at line 1, column {}. Encountered: <EOF> after : \"'{value}\"", chars.len() + 1)),
                    Some('\\') => {
                        if let Some(next) = chars.get(i + 1) {
                            value.push(*next);
                        }
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(other) => {
                        value.push(*other);
                        i += 1;
                    }
                }
            }
            out.push(Spanned {
                tok: Tok::Str(value),
                col,
            });
            continue;
        }
        if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            i += 1;
            while chars
                .get(i)
                .is_some_and(|d| d.is_ascii_digit() || *d == '.')
            {
                i += 1;
            }
            out.push(Spanned {
                tok: Tok::Num(chars[start..i].iter().collect()),
                col,
            });
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|d| d.is_alphanumeric() || *d == '_' || *d == '.')
            {
                i += 1;
            }
            out.push(Spanned {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                col,
            });
            continue;
        }
        return Err(lexical(col, c));
    }
    Ok(out)
}

fn lexical(col: usize, c: char) -> String {
    format!("Invalid content. Lexical error at line 1, column {col}.  Encountered: \"{c}\" ({}), after : \"\"", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.tok)
            .collect()
    }

    #[test]
    fn tokens_of_a_typical_query() {
        assert_eq!(
            toks("select count(*) from Customer where Metadata.LastUpdatedTime >= '2024-06-01T00:00:00-07:00' and DisplayName = 'Cutlery \\'R Us' maxresults 10"),
            vec![
                Tok::Ident("select".into()),
                Tok::Ident("count".into()),
                Tok::LParen,
                Tok::Star,
                Tok::RParen,
                Tok::Ident("from".into()),
                Tok::Ident("Customer".into()),
                Tok::Ident("where".into()),
                Tok::Ident("Metadata.LastUpdatedTime".into()),
                Tok::Op(">="),
                Tok::Str("2024-06-01T00:00:00-07:00".into()),
                Tok::Ident("and".into()),
                Tok::Ident("DisplayName".into()),
                Tok::Op("="),
                Tok::Str("Cutlery 'R Us".into()),
                Tok::Ident("maxresults".into()),
                Tok::Num("10".into()),
            ]
        );
        assert!(lex("select * from Customer where Name = 'open").is_err());
        assert!(lex("select * from Customer where Name % 1").is_err());
    }
}

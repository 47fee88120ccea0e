//! Recursive-descent parser from tokens to a [`Query`]. Like Salesforce it refuses
//! `a AND b OR c` without parentheses, and reports the first unexpected token.

use super::lexer::{lex, Tok, Token};
use super::{Item, Lit, Name, Order, Query};
use crate::salesforce::errors::{soql_error, ApiError};

/// Words that end a clause, so they are never taken as an alias.
const CLAUSE_WORDS: &[&str] = &[
    "WHERE", "ORDER", "LIMIT", "OFFSET", "GROUP", "HAVING", "WITH", "FOR", "USING", "UPDATE", "ALL",
];

pub(super) struct Parser<'q> {
    pub(super) query: &'q str,
    pub(super) tokens: Vec<Token>,
    pub(super) pos: usize,
}

pub fn parse(query: &str) -> Result<Query, ApiError> {
    let tokens = lex(query).map_err(|at| {
        let shown = query[at..]
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default();
        soql_error(
            "MALFORMED_QUERY",
            query,
            at,
            &format!("unexpected token: '{shown}'"),
        )
    })?;
    let mut p = Parser {
        query,
        tokens,
        pos: 0,
    };
    let parsed = p.query()?;
    p.expect_end()?;
    Ok(parsed)
}

impl<'q> Parser<'q> {
    pub(super) fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    /// Moves past the next token (never past the end); returns where it was.
    pub(super) fn bump(&mut self) -> usize {
        let at = self.peek().at;
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        at
    }

    /// The next token, moved out rather than copied (the parser never looks back), and
    /// moves past it.
    pub(super) fn take(&mut self) -> Token {
        if self.pos + 1 >= self.tokens.len() {
            return self.peek().clone();
        }
        let at = self.tokens[self.pos].at;
        let token = std::mem::replace(&mut self.tokens[self.pos], Token { tok: Tok::Eof, at });
        self.pos += 1;
        token
    }

    pub(super) fn unexpected(&self) -> ApiError {
        let t = self.peek();
        let shown = t.shown(self.query);
        let text = if matches!(t.tok, Tok::Eof) {
            format!("unexpected token: {shown}")
        } else {
            format!("unexpected token: '{shown}'")
        };
        soql_error("MALFORMED_QUERY", self.query, t.at, &text)
    }

    /// Whether the next token is the keyword `word` (case-insensitive).
    pub(super) fn at_word(&self, word: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(w) if w.eq_ignore_ascii_case(word))
    }

    pub(super) fn eat_word(&mut self, word: &str) -> bool {
        let found = self.at_word(word);
        if found {
            self.bump();
        }
        found
    }

    pub(super) fn word(&mut self, word: &str) -> Result<(), ApiError> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    pub(super) fn punct(&mut self, tok: &Tok) -> Result<(), ApiError> {
        if &self.peek().tok == tok {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    pub(super) fn name(&mut self) -> Result<Name, ApiError> {
        if !matches!(self.peek().tok, Tok::Ident(_)) {
            return Err(self.unexpected());
        }
        match self.take() {
            Token {
                tok: Tok::Ident(text),
                at,
            } => Ok(Name { text, at }),
            _ => Err(self.unexpected()),
        }
    }

    fn expect_end(&self) -> Result<(), ApiError> {
        if matches!(self.peek().tok, Tok::Eof) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn query(&mut self) -> Result<Query, ApiError> {
        self.word("SELECT")?;
        let mut items = vec![self.item()?];
        while self.peek().tok == Tok::Comma {
            self.bump();
            items.push(self.item()?);
        }
        self.word("FROM")?;
        let object = self.name()?;
        let alias = match &self.peek().tok {
            Tok::Ident(w) if !CLAUSE_WORDS.iter().any(|k| k.eq_ignore_ascii_case(w)) => {
                Some(self.name()?.text)
            }
            _ => None,
        };
        let filter = if self.eat_word("WHERE") {
            Some(self.condition()?)
        } else {
            None
        };
        let mut order = Vec::new();
        if self.eat_word("ORDER") {
            self.word("BY")?;
            loop {
                order.push(self.order()?);
                if self.peek().tok != Tok::Comma {
                    break;
                }
                self.bump();
            }
        }
        let limit = if self.eat_word("LIMIT") {
            Some(self.count()?)
        } else {
            None
        };
        let offset = if self.eat_word("OFFSET") {
            Some(self.count()?)
        } else {
            None
        };
        Ok(Query {
            items,
            object,
            alias,
            filter,
            order,
            limit,
            offset,
        })
    }

    fn item(&mut self) -> Result<Item, ApiError> {
        let is_call = self
            .tokens
            .get(self.pos + 1)
            .is_some_and(|t| t.tok == Tok::Open);
        if is_call && self.at_word("COUNT") {
            self.bump();
            self.punct(&Tok::Open)?;
            self.punct(&Tok::Close)?;
            return Ok(Item::Count);
        }
        if is_call && self.at_word("FIELDS") {
            self.bump();
            self.punct(&Tok::Open)?;
            let which = self.name()?;
            self.punct(&Tok::Close)?;
            return Ok(Item::Fields(which.text.to_ascii_uppercase(), which.at));
        }
        if is_call {
            return Err(self.unexpected());
        }
        Ok(Item::Field(self.name()?))
    }

    fn count(&mut self) -> Result<usize, ApiError> {
        match self.peek().tok {
            Tok::Lit(Lit::Num(n)) if n >= 0.0 && n.fract() == 0.0 => {
                self.bump();
                Ok(n as usize)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn order(&mut self) -> Result<Order, ApiError> {
        let field = self.name()?;
        let desc = if self.eat_word("DESC") {
            true
        } else {
            self.eat_word("ASC");
            false
        };
        let mut nulls_last = false;
        if self.eat_word("NULLS") {
            nulls_last = if self.eat_word("LAST") {
                true
            } else {
                self.word("FIRST")?;
                false
            };
        }
        Ok(Order {
            field,
            desc,
            nulls_last,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::salesforce::soql::{CmpOp, Cond};

    #[test]
    fn parses_the_documented_incremental_query() {
        let q = parse("SELECT Id, LastName, SystemModstamp FROM Lead WHERE SystemModstamp > 2024-01-01T00:00:00Z ORDER BY SystemModstamp LIMIT 10");
        let q = q.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.items.len(), 3);
        assert_eq!(q.object.text, "Lead");
        assert_eq!(q.limit, Some(10));
        assert!(matches!(
            q.filter,
            Some(Cond::Cmp {
                op: CmpOp::Gt,
                lit: Lit::DateTime(1_704_067_200_000),
                ..
            })
        ));
    }

    #[test]
    fn mixing_and_or_needs_parentheses() {
        assert!(parse("SELECT Id FROM Lead WHERE a = 1 AND b = 2 OR c = 3").is_err());
        assert!(parse("SELECT Id FROM Lead WHERE a = 1 AND (b = 2 OR NOT c = 3)").is_ok());
        let e = parse("SELECT Id FROM Lead WHERE")
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(
            e.contains("unexpected token: <EOF>") && e.contains("Row:1:Column:26"),
            "{e}"
        );
    }
}

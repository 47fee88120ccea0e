//! WHERE conditions: comparisons, `[NOT] IN (…)`, LIKE, NOT, parentheses, and AND / OR
//! chains that Salesforce refuses to mix without parentheses.

use super::lexer::Tok;
use super::parser::Parser;
use super::{CmpOp, Cond, Lit};
use crate::salesforce::errors::ApiError;

impl Parser<'_> {
    /// `a AND b AND …` or `a OR b OR …`, never both at one level.
    pub(super) fn condition(&mut self) -> Result<Cond, ApiError> {
        let first = self.unary()?;
        let joiner = if self.at_word("AND") {
            "AND"
        } else if self.at_word("OR") {
            "OR"
        } else {
            return Ok(first);
        };
        let mut parts = vec![first];
        while self.eat_word(joiner) {
            parts.push(self.unary()?);
        }
        if self.at_word("AND") || self.at_word("OR") {
            return Err(self.unexpected());
        }
        Ok(if joiner == "AND" {
            Cond::All(parts)
        } else {
            Cond::Any(parts)
        })
    }

    fn unary(&mut self) -> Result<Cond, ApiError> {
        if self.eat_word("NOT") {
            return Ok(Cond::Not(Box::new(self.unary()?)));
        }
        if self.peek().tok == Tok::Open {
            self.bump();
            let inner = self.condition()?;
            self.punct(&Tok::Close)?;
            return Ok(inner);
        }
        let field = self.name()?;
        let negated = self.eat_word("NOT");
        if self.at_word("IN") {
            self.bump();
            let at = self.peek().at;
            self.punct(&Tok::Open)?;
            let mut lits = vec![self.literal()?];
            while self.peek().tok == Tok::Comma {
                self.bump();
                lits.push(self.literal()?);
            }
            self.punct(&Tok::Close)?;
            return Ok(Cond::In {
                field,
                negated,
                lits,
                at,
            });
        }
        if negated {
            return Err(self.unexpected());
        }
        let op = match self.peek().tok {
            Tok::Op("=") => CmpOp::Eq,
            Tok::Op("!=") | Tok::Op("<>") => CmpOp::Ne,
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::Le,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::Ge,
            Tok::Ident(ref w) if w.eq_ignore_ascii_case("LIKE") => CmpOp::Like,
            _ => return Err(self.unexpected()),
        };
        self.bump();
        let at = self.peek().at;
        let lit = self.literal()?;
        Ok(Cond::Cmp { field, op, lit, at })
    }

    fn literal(&mut self) -> Result<Lit, ApiError> {
        let word = match &self.peek().tok {
            Tok::Lit(_) => None,
            Tok::Ident(w) if w.eq_ignore_ascii_case("null") => Some(Lit::Null),
            Tok::Ident(w) if w.eq_ignore_ascii_case("true") => Some(Lit::Bool(true)),
            Tok::Ident(w) if w.eq_ignore_ascii_case("false") => Some(Lit::Bool(false)),
            _ => return Err(self.unexpected()),
        };
        match (word, self.take().tok) {
            (Some(lit), _) | (None, Tok::Lit(lit)) => Ok(lit),
            // Not reached: the token was seen to be a literal.
            (None, _) => Err(self.unexpected()),
        }
    }
}

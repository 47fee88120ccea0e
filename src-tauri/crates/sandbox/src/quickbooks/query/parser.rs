//! The select statement: `SELECT * | count(*) FROM Entity [WHERE p op v [AND …]]
//! [ORDERBY p [ASC|DESC][, …]] [STARTPOSITION n] [MAXRESULTS n]`, keywords in any case,
//! `ORDER BY` accepted as well as `ORDERBY`. Operators are the documented ones: `=`, `<`,
//! `>`, `<=`, `>=`, `IN (…)` and `LIKE` (`%` only); `OR`, `!=`, projections, JOIN and
//! GROUP BY are refused as QuickBooks refuses them.

use super::lexer::{lex, Spanned, Tok};

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Lt,
    Gt,
    Le,
    Ge,
    In,
    Like,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    pub field: String,
    pub op: CmpOp,
    pub values: Vec<Literal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub count: bool,
    pub entity: String,
    pub conds: Vec<Cond>,
    /// (field, descending)
    pub order: Vec<(String, bool)>,
    pub start: Option<u64>,
    pub max: Option<u64>,
}

struct Parser {
    toks: Vec<Spanned>,
    pos: usize,
    end_col: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|s| &s.tok)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|s| s.tok.clone());
        self.pos += 1;
        t
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn encountered(&self, expecting: &str) -> String {
        match self.toks.get(self.pos) {
            Some(s) => format!("Encountered \" {} \" at line 1, column {}.\nWas expecting one of:\n    {expecting}", describe(&s.tok), s.col),
            None => format!("Encountered \"<EOF>\" at line 1, column {}.\nWas expecting one of:\n    {expecting}", self.end_col),
        }
    }

    fn keyword(&mut self, kw: &str) -> Result<(), String> {
        if self.is_kw(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.encountered(&format!("\"{kw}\" ...")))
        }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), String> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.encountered(what))
        }
    }

    fn ident(&mut self, what: &str) -> Result<String, String> {
        match self.peek() {
            Some(Tok::Ident(w)) => {
                let w = w.clone();
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.encountered(what)),
        }
    }

    fn number(&mut self, what: &str) -> Result<u64, String> {
        match self.peek() {
            Some(Tok::Num(n)) if n.parse::<u64>().is_ok() => {
                let n = n.parse().unwrap_or_default();
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.encountered(what)),
        }
    }

    fn literal(&mut self) -> Result<Literal, String> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Literal::Str(s)),
            Some(Tok::Num(n)) => n
                .parse()
                .map(Literal::Num)
                .map_err(|_| format!("Invalid number {n}")),
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("true") => Ok(Literal::Bool(true)),
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("false") => Ok(Literal::Bool(false)),
            Some(Tok::Ident(w)) => Ok(Literal::Str(w)),
            _ => {
                self.pos -= 1;
                Err(self.encountered("<STRING> ...\n    <NUMBER> ..."))
            }
        }
    }

    fn cond(&mut self) -> Result<Cond, String> {
        let field = self.ident("<IDENTIFIER> ...")?;
        let op = match self.next() {
            Some(Tok::Op("=")) => CmpOp::Eq,
            Some(Tok::Op("<")) => CmpOp::Lt,
            Some(Tok::Op(">")) => CmpOp::Gt,
            Some(Tok::Op("<=")) => CmpOp::Le,
            Some(Tok::Op(">=")) => CmpOp::Ge,
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("in") => CmpOp::In,
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("like") => CmpOp::Like,
            _ => {
                self.pos -= 1;
                return Err(self.encountered("\"=\" ...\n    \"<\" ...\n    \">\" ...\n    \"<=\" ...\n    \">=\" ...\n    \"in\" ...\n    \"like\" ..."));
            }
        };
        let mut values = Vec::new();
        if op == CmpOp::In {
            self.expect(Tok::LParen, "\"(\" ...")?;
            loop {
                values.push(self.literal()?);
                match self.next() {
                    Some(Tok::Comma) => continue,
                    Some(Tok::RParen) => break,
                    _ => {
                        self.pos -= 1;
                        return Err(self.encountered("\",\" ...\n    \")\" ..."));
                    }
                }
            }
        } else {
            values.push(self.literal()?);
        }
        Ok(Cond { field, op, values })
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(w) if w.eq_ignore_ascii_case("or") => format!("<OR> \"{w} \""),
        Tok::Ident(w) => format!("<IDENTIFIER> \"{w} \""),
        Tok::Str(s) => format!("<STRING> \"'{s}' \""),
        Tok::Num(n) => format!("<NUMBER> \"{n} \""),
        Tok::Star => "\"*\"".into(),
        Tok::LParen => "\"(\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::Comma => "\",\"".into(),
        Tok::Op(o) => format!("\"{o}\""),
    }
}

/// Parses one select statement; the error text is the `QueryParserError` detail.
pub fn parse(text: &str) -> Result<Query, String> {
    if text.trim().is_empty() {
        return Err("The query provided was empty".into());
    }
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end_col: text.chars().count() + 1,
    };
    p.keyword("select")?;
    let count = if p.is_kw("count") {
        p.pos += 1;
        p.expect(Tok::LParen, "\"(\" ...")?;
        p.expect(Tok::Star, "\"*\" ...")?;
        p.expect(Tok::RParen, "\")\" ...")?;
        true
    } else {
        p.expect(Tok::Star, "\"*\" ...\n    \"count\" ...")?;
        false
    };
    p.keyword("from")?;
    let entity = p.ident("<IDENTIFIER> ...")?;
    let mut q = Query {
        count,
        entity,
        conds: Vec::new(),
        order: Vec::new(),
        start: None,
        max: None,
    };
    if p.is_kw("where") {
        p.pos += 1;
        q.conds.push(p.cond()?);
        while p.is_kw("and") {
            p.pos += 1;
            q.conds.push(p.cond()?);
        }
    }
    if p.is_kw("orderby") || p.is_kw("order") {
        if p.is_kw("order") {
            p.pos += 1;
            p.keyword("by")?;
        } else {
            p.pos += 1;
        }
        loop {
            let field = p.ident("<IDENTIFIER> ...")?;
            let desc = if p.is_kw("desc") {
                p.pos += 1;
                true
            } else {
                if p.is_kw("asc") {
                    p.pos += 1;
                }
                false
            };
            q.order.push((field, desc));
            if p.peek() != Some(&Tok::Comma) {
                break;
            }
            p.pos += 1;
        }
    }
    loop {
        if p.is_kw("startposition") {
            p.pos += 1;
            q.start = Some(p.number("<NUMBER> ...")?);
        } else if p.is_kw("maxresults") {
            p.pos += 1;
            q.max = Some(p.number("<NUMBER> ...")?);
        } else {
            break;
        }
    }
    if p.peek().is_some() {
        return Err(p.encountered("<EOF> \n    <AND> ...\n    \"maxresults\" ...\n    \"orderby\" ...\n    \"startposition\" ..."));
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_statement() {
        let q = parse("SELECT * FROM Customer WHERE Active IN (true, false) AND DisplayName LIKE 'A%' ORDER BY MetaData.LastUpdatedTime DESC, Id STARTPOSITION 11 MAXRESULTS 10");
        let q = q.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.entity, "Customer");
        assert_eq!(
            q.conds[0].values,
            vec![Literal::Bool(true), Literal::Bool(false)]
        );
        assert_eq!(q.conds[1].op, CmpOp::Like);
        assert_eq!(
            q.order,
            vec![
                ("MetaData.LastUpdatedTime".into(), true),
                ("Id".into(), false)
            ]
        );
        assert_eq!((q.start, q.max), (Some(11), Some(10)));
        assert!(parse("select count(*) from Invoice").is_ok_and(|q| q.count));
    }

    #[test]
    fn refusals() {
        assert!(parse("select * from Customer where Id = '1' or Id = '2'")
            .is_err_and(|e| e.contains("<OR>")));
        assert!(parse("select DisplayName from Customer").is_err());
        assert!(parse("select * from Customer where Id != '1'").is_err());
        assert!(parse("").is_err_and(|e| e.contains("empty")));
        assert!(parse("select * from Customer maxresults ten").is_err());
    }
}

//! A working subset of SOQL: `SELECT fields | COUNT() | FIELDS(…) FROM Object [alias]
//! [WHERE …] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n] [OFFSET n]`, with
//! comparisons, IN / NOT IN, LIKE, AND / OR / NOT and parentheses, parent fields one
//! level up (`Account.Name`), and Salesforce's MALFORMED_QUERY / INVALID_FIELD /
//! INVALID_TYPE errors with the caret-and-position message format.
//! Not supported (MALFORMED_QUERY): subqueries, GROUP BY / aggregates other than
//! `COUNT()`, date literals such as `TODAY`, bind variables, TYPEOF, WITH, FOR.

mod condition;
mod eval;
mod lexer;
mod parser;
mod plan;
pub mod row_json;
mod typing;

pub use eval::{run, Outcome};
pub use plan::Plan;

use super::errors::ApiError;

/// One element of a LIKE pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Pat {
    Any,
    One,
    Char(char),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str {
        value: String,
        pattern: Vec<Pat>,
    },
    Num(f64),
    Bool(bool),
    Null,
    /// Epoch milliseconds.
    DateTime(i64),
    /// `YYYY-MM-DD`.
    Date(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
}

/// A name as written and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub at: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Field(Name),
    Count,
    /// `FIELDS(ALL | STANDARD | CUSTOM)`.
    Fields(String, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Cmp {
        field: Name,
        op: CmpOp,
        lit: Lit,
        at: usize,
    },
    In {
        field: Name,
        negated: bool,
        lits: Vec<Lit>,
        at: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub field: Name,
    pub desc: bool,
    pub nulls_last: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub items: Vec<Item>,
    pub object: Name,
    pub alias: Option<String>,
    pub filter: Option<Cond>,
    pub order: Vec<Order>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// Parses and resolves a query against the org's schema.
pub fn compile(query: &str) -> Result<Plan, ApiError> {
    let parsed = parser::parse(query)?;
    plan::resolve(query, &parsed)
}

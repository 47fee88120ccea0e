//! Create, update and delete, shared by `POST /{entity}`, batch items and the control
//! API's "another user edited this": which operation a request asks for, and the entity
//! module that carries it out (the rules every entity write follows are in
//! `write_rules.rs`). Name-list entities cannot be deleted.

use super::errors::Fault;
use super::store::{Kind, Store};
use super::write_rules::WriteCtx;
use super::{customer, invoice, payment};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Update,
    Delete,
}

impl Op {
    /// From `?operation=` (or a batch item's `operation`), else by whether an Id was sent.
    pub fn decide(operation: Option<&str>, input: &Map<String, Value>) -> Result<Op, Fault> {
        match operation.map(str::to_ascii_lowercase).as_deref() {
            Some("create") => Ok(Op::Create),
            Some("update") => Ok(Op::Update),
            Some("delete") => Ok(Op::Delete),
            Some(other) => Err(Fault::unsupported(other)),
            None if input.contains_key("Id") => Ok(Op::Update),
            None => Ok(Op::Create),
        }
    }
}

/// Applies one write and returns the entity as the API shows it.
pub fn apply(
    store: &mut Store,
    kind: Kind,
    op: Op,
    input: &Map<String, Value>,
    ctx: &WriteCtx,
) -> Result<Value, Fault> {
    match (kind, op) {
        (Kind::Customer, Op::Create) => customer::create(store, input, ctx),
        (Kind::Customer, Op::Update) => customer::update(store, input, ctx),
        (Kind::Customer, Op::Delete) => Err(Fault::unsupported("Delete").with_element("Customer")),
        (Kind::Invoice, Op::Create) => invoice::create(store, input, ctx),
        (Kind::Invoice, Op::Update) => invoice::update(store, input, ctx),
        (Kind::Invoice, Op::Delete) => invoice::delete(store, input, ctx),
        (Kind::Payment, Op::Create) => payment::create(store, input, ctx),
        (Kind::Payment, Op::Update) => payment::update(store, input, ctx),
        (Kind::Payment, Op::Delete) => payment::delete(store, input, ctx),
        (Kind::CompanyInfo, _) => Err(Fault::unsupported(match op {
            Op::Create => "Create",
            Op::Update => "Update",
            Op::Delete => "Delete",
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operation_is_explicit_or_follows_the_id() {
        let with_id = json!({"Id":"3"});
        let m = with_id.as_object().cloned().unwrap_or_default();
        assert_eq!(Op::decide(None, &m), Ok(Op::Update));
        assert_eq!(Op::decide(Some("delete"), &m), Ok(Op::Delete));
        assert_eq!(Op::decide(None, &Map::new()), Ok(Op::Create));
        assert!(Op::decide(Some("explode"), &m).is_err());
    }
}

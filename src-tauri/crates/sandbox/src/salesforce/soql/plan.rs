//! Resolving a parsed query against the schema: the object (INVALID_TYPE when unknown),
//! each field or one-level parent field (INVALID_FIELD "No such column"), and each
//! literal checked against its field's type the way Salesforce words it. The result
//! holds only positions and typed values, so evaluation does no name lookups.

use super::typing::{type_error, typed, Typed};
use super::{CmpOp, Cond, Item, Lit, Name, Query};
use crate::salesforce::errors::{soql_error, ApiError};
use crate::salesforce::objects;
use crate::salesforce::schema::{FType, SObject};

/// Where a selected or filtered value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    Local(usize),
    /// Through the reference field `via` to `target`'s field `field`.
    Parent {
        via: usize,
        rel: &'static str,
        target: &'static SObject,
        field: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum PCond {
    All(Vec<PCond>),
    Any(Vec<PCond>),
    Not(Box<PCond>),
    Cmp(Col, FType, CmpOp, Typed),
    In(Col, FType, bool, Vec<Typed>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub obj: &'static SObject,
    pub select: Vec<Col>,
    pub count: bool,
    pub filter: Option<PCond>,
    /// Column, its type, descending, nulls last.
    pub order: Vec<(Col, FType, bool, bool)>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

impl Col {
    pub fn ty(&self, obj: &SObject) -> FType {
        match self {
            Col::Local(i) => obj.fields[*i].ty,
            Col::Parent { target, field, .. } => target.fields[*field].ty,
        }
    }
}

pub fn resolve(query: &str, q: &Query) -> Result<Plan, ApiError> {
    let obj = objects::find(&q.object.text).ok_or_else(|| {
        let message = format!("sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", q.object.text);
        soql_error("INVALID_TYPE", query, q.object.at, &message)
    })?;
    let r = Resolver {
        query,
        obj,
        alias: q.alias.as_deref(),
    };
    let mut select = Vec::new();
    let mut count = false;
    for item in &q.items {
        match item {
            Item::Count if q.items.len() == 1 => count = true,
            Item::Count => {
                return Err(soql_error(
                    "MALFORMED_QUERY",
                    query,
                    0,
                    "COUNT() must be the only element in the SELECT list",
                ))
            }
            Item::Field(name) => select.push(r.column(name)?),
            Item::Fields(which, at) => {
                let wanted = |custom: bool| match which.as_str() {
                    "ALL" => true,
                    "STANDARD" => !custom,
                    "CUSTOM" => custom,
                    _ => false,
                };
                if !matches!(which.as_str(), "ALL" | "STANDARD" | "CUSTOM") {
                    return Err(soql_error(
                        "MALFORMED_QUERY",
                        query,
                        *at,
                        &format!("unexpected token: '{which}'"),
                    ));
                }
                if which != "STANDARD" && q.limit.is_none_or(|l| l > 200) {
                    return Err(soql_error(
                        "MALFORMED_QUERY",
                        query,
                        *at,
                        "The SOQL FIELDS function must have a LIMIT of at most 200",
                    ));
                }
                select.extend(
                    obj.fields
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| wanted(f.custom()))
                        .map(|(i, _)| Col::Local(i)),
                );
            }
        }
    }
    let mut seen = Vec::new();
    select.retain(|c| {
        if seen.contains(c) {
            false
        } else {
            seen.push(c.clone());
            true
        }
    });
    if q.offset.is_some_and(|o| o > 2000) {
        return Err(ApiError::bad(
            "NUMBER_OUTSIDE_VALID_RANGE",
            "Maximum SOQL offset allowed is 2000",
        ));
    }
    let filter = q.filter.as_ref().map(|c| r.condition(c)).transpose()?;
    let order = q
        .order
        .iter()
        .map(|o| {
            r.column(&o.field)
                .map(|c| (c.clone(), c.ty(obj), o.desc, o.nulls_last))
        })
        .collect::<Result<_, _>>()?;
    Ok(Plan {
        obj,
        select,
        count,
        filter,
        order,
        limit: q.limit,
        offset: q.offset,
    })
}

struct Resolver<'a> {
    query: &'a str,
    obj: &'static SObject,
    alias: Option<&'a str>,
}

impl Resolver<'_> {
    fn no_column(&self, name: &Name, entity: &str, field: &str) -> ApiError {
        let message = format!("No such column '{field}' on entity '{entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
        soql_error("INVALID_FIELD", self.query, name.at, &message)
    }

    fn column(&self, name: &Name) -> Result<Col, ApiError> {
        let mut path: Vec<&str> = name.text.split('.').collect();
        if path.len() > 1
            && (self.alias.is_some_and(|a| a.eq_ignore_ascii_case(path[0]))
                || path[0].eq_ignore_ascii_case(self.obj.name))
        {
            path.remove(0);
        }
        match path.as_slice() {
            [field] => self
                .obj
                .field(field)
                .map(|(i, _)| Col::Local(i))
                .ok_or_else(|| self.no_column(name, self.obj.name, field)),
            [rel, field] => {
                let (via, reference) = self.obj.relationship(rel).ok_or_else(|| {
                    let message = format!("Didn't understand relationship '{rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
                    soql_error("INVALID_FIELD", self.query, name.at, &message)
                })?;
                let target = reference
                    .reference_to
                    .first()
                    .and_then(|t| objects::find(t))
                    .ok_or_else(|| {
                        self.no_column(
                            name,
                            reference.reference_to.first().copied().unwrap_or("User"),
                            field,
                        )
                    })?;
                let (i, _) = target
                    .field(field)
                    .ok_or_else(|| self.no_column(name, target.name, field))?;
                Ok(Col::Parent {
                    via,
                    rel: reference.relationship.unwrap_or_default(),
                    target,
                    field: i,
                })
            }
            _ => Err(self.no_column(name, self.obj.name, &name.text)),
        }
    }

    fn condition(&self, cond: &Cond) -> Result<PCond, ApiError> {
        Ok(match cond {
            Cond::All(parts) => PCond::All(
                parts
                    .iter()
                    .map(|c| self.condition(c))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Any(parts) => PCond::Any(
                parts
                    .iter()
                    .map(|c| self.condition(c))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Not(inner) => PCond::Not(Box::new(self.condition(inner)?)),
            Cond::Cmp { field, op, lit, at } => {
                let col = self.column(field)?;
                let ty = col.ty(self.obj);
                let name = field.text.rsplit('.').next().unwrap_or_default();
                if *op == CmpOp::Like {
                    return match (ty.is_text(), lit) {
                        (true, Lit::Str { pattern, .. }) => {
                            Ok(PCond::Cmp(col, ty, *op, Typed::Pattern(pattern.clone())))
                        }
                        (true, _) => Err(type_error(self.query, *at, name, "string", true)),
                        (false, _) => Err(soql_error(
                            "INVALID_FIELD",
                            self.query,
                            *at,
                            &format!("invalid operator on field '{name}': LIKE"),
                        )),
                    };
                }
                let value = typed(self.query, *at, name, ty, lit)?;
                let ordered = !matches!(op, CmpOp::Eq | CmpOp::Ne);
                if ordered && (ty == FType::Boolean || value == Typed::Null) {
                    return Err(soql_error(
                        "INVALID_FIELD",
                        self.query,
                        *at,
                        &format!("invalid operator on field '{name}'"),
                    ));
                }
                PCond::Cmp(col, ty, *op, value)
            }
            Cond::In {
                field,
                negated,
                lits,
                at,
            } => {
                let col = self.column(field)?;
                let ty = col.ty(self.obj);
                let name = field.text.rsplit('.').next().unwrap_or_default();
                let values = lits
                    .iter()
                    .map(|l| typed(self.query, *at, name, ty, l))
                    .collect::<Result<_, _>>()?;
                PCond::In(col, ty, *negated, values)
            }
        })
    }
}

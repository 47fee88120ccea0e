//! A record (id, packed values, dates; computed properties derived on read) and the
//! records of one object in id order, in one vector. Ids only grow (seeding hands them
//! out in order, creates take the next one), so a new record goes at the end and a
//! look-up is a binary search: no tree nodes per record, and list paging (`after` an id)
//! is a slice from a search.

use super::schema::Kind;
use super::values::{position, Values};
use crate::seed::iso_z;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: u64,
    /// Stored values, all strings; computed properties are not stored here.
    values: Values,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub archived_ms: Option<i64>,
}

impl Record {
    pub fn new(id: u64, values: Values, created_ms: i64, updated_ms: i64) -> Self {
        Self {
            id,
            values,
            created_ms,
            updated_ms,
            archived_ms: None,
        }
    }

    pub fn values(&self) -> &Values {
        &self.values
    }

    pub fn set_values(&mut self, values: Values) {
        self.values = values;
    }

    /// A property's value as the API shows it, computed ones included.
    pub fn value(&self, kind: Kind, name: &str) -> Option<Cow<'_, str>> {
        match name {
            "hs_object_id" => Some(Cow::Owned(self.id.to_string())),
            "createdate" => Some(Cow::Owned(iso_z(self.created_ms))),
            n if n == kind.last_modified() => Some(Cow::Owned(iso_z(self.updated_ms))),
            "hs_is_closed" if kind == Kind::Deals => {
                let closed = matches!(
                    self.stored(kind, "dealstage"),
                    Some("closedwon" | "closedlost")
                );
                Some(Cow::Borrowed(if closed { "true" } else { "false" }))
            }
            _ => self.stored(kind, name).map(Cow::Borrowed),
        }
    }

    /// A stored (written) value; never a computed one.
    pub fn stored(&self, kind: Kind, name: &str) -> Option<&str> {
        self.values.get(position(kind, name)?)
    }

    pub fn is_live(&self) -> bool {
        self.archived_ms.is_none()
    }
}

#[derive(Debug, Default)]
pub struct Records(Vec<Record>);

impl Records {
    fn at(&self, id: u64) -> Result<usize, usize> {
        self.0.binary_search_by_key(&id, |r| r.id)
    }

    pub fn get(&self, id: &u64) -> Option<&Record> {
        self.at(*id).ok().map(|i| &self.0[i])
    }

    pub fn get_mut(&mut self, id: &u64) -> Option<&mut Record> {
        self.at(*id).ok().map(|i| &mut self.0[i])
    }

    /// Adds a record in id order; returns the one it replaces.
    pub fn insert(&mut self, record: Record) -> Option<Record> {
        if self.0.last().is_none_or(|last| last.id < record.id) {
            self.0.push(record);
            return None;
        }
        match self.at(record.id) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i], record)),
            Err(i) => {
                self.0.insert(i, record);
                None
            }
        }
    }

    /// Every record, in id order.
    pub fn values(&self) -> std::slice::Iter<'_, Record> {
        self.0.iter()
    }

    /// Records with an id of `first` or more, in id order.
    pub fn from(&self, first: u64) -> std::slice::Iter<'_, Record> {
        let i = self.at(first).unwrap_or_else(|i| i);
        self.0[i..].iter()
    }

    #[cfg(test)]
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.iter().map(|r| r.id)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn reserve(&mut self, additional: usize) {
        self.0.reserve_exact(additional);
    }

    /// Gives back spare capacity (after seeding).
    pub fn shrink(&mut self) {
        self.0.shrink_to_fit();
    }
}

//! The org's records in memory: one table per object, its rows by id (`rows.rs`, packed
//! one allocation each in `record.rs`), with an index of live rows per external-id field
//! (upserts, uniqueness checks) and per Email field (indexed in Salesforce too: SOQL
//! look-ups `WHERE Email IN (…)` read it instead of every row). An index maps a hash of
//! the lower-cased value to row slots and every hit is confirmed against the row, so no
//! indexed value is stored twice. Soft-deleted rows stay in the table with
//! `IsDeleted = true` and the time of deletion, as the recycle bin does.

use super::ids;
use super::objects;
use super::record::Cell;
pub use super::record::Record;
use super::rows::Rows;
use super::schema::{FType, SObject};
use crate::hashed::{hash, hash_lower, HashKeyed};
use std::borrow::Cow;

/// How indexed values are compared: lower-cased character by character, as SOQL
/// compares text.
pub fn index_key(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().flat_map(char::to_lowercase).collect())
}

/// Whether `field` of `obj` is indexed: external ids and emails.
pub fn is_indexed(obj: &SObject, field: usize) -> bool {
    obj.fields
        .get(field)
        .is_some_and(|f| f.external_id || f.ty == FType::Email)
}

/// The hash a row's value is indexed under (`None` when null): of its lower-cased text,
/// or of a number's or boolean's JSON text.
fn key_hash(cell: Cell<'_>) -> Option<u64> {
    match cell {
        Cell::Null => None,
        Cell::Text(s) => Some(hash_lower(s)),
        other => Some(hash(&other.to_value().to_string())),
    }
}

/// Whether a row's value is the one an index key names.
fn key_matches(cell: Cell<'_>, key: &str) -> bool {
    match cell {
        Cell::Null => false,
        Cell::Text(s) => crate::hashed::lower_eq(s, key),
        other => {
            let text = other.to_value().to_string();
            text == key
        }
    }
}

/// Live rows of one indexed field: value hash → slots, in id order (mostly one).
#[derive(Debug, Default)]
struct FieldIndex {
    one: HashKeyed<usize>,
    many: HashKeyed<Vec<usize>>,
}

impl FieldIndex {
    fn add(&mut self, h: u64, slot: usize) {
        if let Some(slots) = self.many.get_mut(&h) {
            if let Err(at) = slots.binary_search(&slot) {
                slots.insert(at, slot);
            }
            return;
        }
        match self.one.insert(h, slot) {
            Some(prev) if prev != slot => {
                self.one.remove(&h);
                let mut both = vec![prev, slot];
                both.sort_unstable();
                self.many.insert(h, both);
            }
            _ => {}
        }
    }

    fn remove(&mut self, h: u64, slot: usize) {
        if self.one.get(&h) == Some(&slot) {
            self.one.remove(&h);
            return;
        }
        if let Some(slots) = self.many.get_mut(&h) {
            slots.retain(|s| *s != slot);
            match slots.as_slice() {
                [] => {
                    self.many.remove(&h);
                }
                [last] => {
                    let last = *last;
                    self.many.remove(&h);
                    self.one.insert(h, last);
                }
                _ => {}
            }
        }
    }

    fn slots(&self, h: u64) -> &[usize] {
        match self.one.get(&h) {
            Some(slot) => std::slice::from_ref(slot),
            None => self.many.get(&h).map_or(&[], Vec::as_slice),
        }
    }
}

#[derive(Debug)]
pub struct Table {
    pub obj: &'static SObject,
    pub rows: Rows,
    next: u64,
    /// (indexed field's position, its index).
    index: Vec<(usize, FieldIndex)>,
}

impl Table {
    fn new(obj: &'static SObject) -> Self {
        let index = (0..obj.fields.len())
            .filter(|i| is_indexed(obj, *i))
            .map(|i| (i, FieldIndex::default()))
            .collect();
        Self {
            obj,
            rows: Rows::default(),
            next: 1,
            index,
        }
    }

    fn slot(id: &str) -> Option<usize> {
        usize::try_from(ids::sequence(id)?.checked_sub(1)?).ok()
    }

    fn unindex(&mut self, id: &str) {
        let (Some(old), Some(slot)) = (self.rows.get(id), Self::slot(id)) else {
            return;
        };
        if old.is_deleted() {
            return;
        }
        for (field, index) in &mut self.index {
            if let Some(h) = key_hash(old.get(*field)) {
                index.remove(h, slot);
            }
        }
    }

    fn index(&mut self, id: &str, record: &Record) {
        let Some(slot) = Self::slot(id).filter(|_| !record.is_deleted()) else {
            return;
        };
        for (field, index) in &mut self.index {
            if let Some(h) = key_hash(record.get(*field)) {
                index.add(h, slot);
            }
        }
    }

    /// Slots of live rows whose field `field` holds the value whose [`index_key`] is
    /// `key`, in id order; none for a field that is not indexed.
    fn indexed<'t>(&'t self, field: usize, key: &'t str) -> impl Iterator<Item = usize> + 't {
        let slots = self
            .index
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[][..], |(_, index)| index.slots(hash(key)));
        slots.iter().copied().filter(move |s| {
            self.rows
                .by_slot(*s)
                .is_some_and(|r| !r.is_deleted() && key_matches(r.get(field), key))
        })
    }
}

#[derive(Debug)]
pub struct Store {
    pub pod: String,
    tables: Vec<Table>,
}

impl Store {
    pub fn new(pod: String) -> Self {
        Self {
            pod,
            tables: objects::all().iter().map(Table::new).collect(),
        }
    }

    pub fn table(&self, obj: &SObject) -> &Table {
        &self.tables[objects::position(obj)]
    }

    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// Room for `n` more rows of `obj` (seeding knows how many come).
    pub fn reserve(&mut self, obj: &SObject, n: usize) {
        self.tables[objects::position(obj)].rows.reserve(n);
    }

    /// The next id for a new record of `obj`.
    pub fn new_id(&mut self, obj: &SObject) -> String {
        let table = &mut self.tables[objects::position(obj)];
        let id = ids::make(obj.prefix, &self.pod, table.next);
        table.next += 1;
        id
    }

    pub fn get(&self, obj: &SObject, id: &str) -> Option<&Record> {
        self.table(obj).rows.get(id)
    }

    /// Any record by id, whichever object its key prefix names.
    pub fn find(&self, id: &str) -> Option<(&'static SObject, &Record)> {
        let obj = objects::by_prefix(id)?;
        self.get(obj, id).map(|r| (obj, r))
    }

    /// Inserts or replaces a row (keeping the indexes right); `None` removes it.
    pub fn put(&mut self, obj: &SObject, id: &str, record: Option<Record>) {
        let table = &mut self.tables[objects::position(obj)];
        table.unindex(id);
        match record {
            Some(record) => {
                table.index(id, &record);
                table.rows.insert(id, record);
            }
            None => {
                table.rows.remove(id);
            }
        }
    }

    /// Ids of live rows whose external-id field `field` equals `value`
    /// (case-insensitively), in id order.
    pub fn by_external(&self, obj: &SObject, field: usize, value: &str) -> Vec<String> {
        let table = self.table(obj);
        let key = index_key(value);
        table
            .indexed(field, &key)
            .filter_map(|s| table.rows.by_slot(s).map(|r| r.id().to_owned()))
            .collect()
    }

    /// Live rows (in id order) whose indexed field `field` holds the value whose
    /// [`index_key`] is `key`; empty for a field that is not indexed.
    pub fn indexed(&self, obj: &SObject, field: usize, key: &str) -> Vec<&Record> {
        let table = self.table(obj);
        table
            .indexed(field, key)
            .filter_map(|s| table.rows.by_slot(s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn indexes_follow_puts_and_confirm_every_hit() {
        let mut store = Store::new("Ab".into());
        let Some(lead) = objects::find("Lead") else {
            return;
        };
        let Some((email, _)) = lead.field("Email") else {
            return;
        };
        let row = |id: &str, mail: &str, deleted: Option<i64>| {
            let mut values = vec![Value::Null; lead.fields.len()];
            values[0] = json!(id);
            values[email] = json!(mail);
            Record::new(&values, deleted)
        };
        let (a, b) = (store.new_id(lead), store.new_id(lead));
        store.put(lead, &a, Some(row(&a, "Same@X.io", None)));
        store.put(lead, &b, Some(row(&b, "same@x.io", None)));
        let ids = |s: &Store| s.by_external(lead, email, "SAME@x.io");
        assert_eq!(ids(&store), vec![a.clone(), b.clone()]);
        store.put(lead, &a, Some(row(&a, "other@x.io", None)));
        assert_eq!(ids(&store), vec![b.clone()]);
        store.put(lead, &b, Some(row(&b, "same@x.io", Some(1))));
        assert!(ids(&store).is_empty(), "deleted rows are not indexed");
        store.put(lead, &a, None);
        assert!(store.get(lead, &a).is_none());
        assert_eq!(store.table(lead).rows.len(), 1);
        assert!(store.indexed(lead, email, "other@x.io").is_empty());
    }
}

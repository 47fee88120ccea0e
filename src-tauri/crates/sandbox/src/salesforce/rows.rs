//! The rows of one object, by the sequence number in their ids. `Store::new_id` hands
//! out 1, 2, 3 … per object (the id's ten base-62 digits), so row n lives in slot n − 1
//! of one vector: a look-up is an index, the vector is in id order, and no tree node or
//! key string is kept per row. A slot is empty only where a created row was rolled back.

use super::ids;
use super::record::Record;

#[derive(Debug, Default)]
pub struct Rows {
    slots: Vec<Option<Record>>,
    len: usize,
}

impl Rows {
    fn slot(id: &str) -> Option<usize> {
        usize::try_from(ids::sequence(id)?.checked_sub(1)?).ok()
    }

    /// The row with this (18-character) id.
    pub fn get(&self, id: &str) -> Option<&Record> {
        self.by_slot(Self::slot(id)?).filter(|r| r.id() == id)
    }

    /// The row in slot `slot` (its sequence number − 1).
    pub fn by_slot(&self, slot: usize) -> Option<&Record> {
        self.slots.get(slot)?.as_ref()
    }

    /// Puts a row at its id's place; returns the one it replaces.
    pub fn insert(&mut self, id: &str, record: Record) -> Option<Record> {
        let slot = Self::slot(id)?;
        if slot >= self.slots.len() {
            self.slots.resize_with(slot + 1, || None);
        }
        let old = self.slots[slot].replace(record);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub fn remove(&mut self, id: &str) -> Option<Record> {
        let slot = Self::slot(id)?;
        let old = self.slots.get_mut(slot)?.take();
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// Every row, in id order.
    pub fn values(&self) -> impl Iterator<Item = &Record> + '_ {
        self.slots.iter().flatten()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn reserve(&mut self, additional: usize) {
        self.slots.reserve(additional);
    }
}

//! The records of one object in id order, in one vector. Ids only grow (seeding hands
//! them out in order, creates take the next one), so a new record goes at the end and a
//! look-up is a binary search: no tree nodes per record, and list paging (`after` an id)
//! is a slice from a search.

use super::store::Record;

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

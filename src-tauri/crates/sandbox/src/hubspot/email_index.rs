//! Contacts by lower-cased email (HubSpot's de-duplication key) without keeping a second
//! copy of every address: the index maps a 64-bit hash of the address to the id of the
//! live contact holding it, and a look-up confirms the match against the contact's own
//! email. The rare address whose hash another address already took is kept whole in a
//! small spill map, so two addresses never shadow each other.

use crate::hashed::{hash, lower_eq as same, HashKeyed};
use std::collections::HashMap;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct EmailIndex {
    by_hash: HashKeyed<u64>,
    spill: HashMap<String, u64>,
}

impl EmailIndex {
    /// The id holding `key` (lower-cased); `email_of` gives a contact's current email.
    pub fn get<'a>(&self, key: &str, email_of: impl Fn(u64) -> Option<&'a str>) -> Option<u64> {
        let confirmed = |id: &u64| email_of(*id).is_some_and(|e| same(e, key));
        match self.by_hash.get(&hash(key)).filter(|id| confirmed(id)) {
            Some(id) => Some(*id),
            None => self.spill.get(key).copied(),
        }
    }

    /// Notes that `id` holds `key` (replacing whoever held it).
    pub fn insert<'a>(&mut self, key: &str, id: u64, email_of: impl Fn(u64) -> Option<&'a str>) {
        if let Some(held) = self.spill.get_mut(key) {
            *held = id;
            return;
        }
        match self.by_hash.entry(hash(key)) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                let other = *slot.get();
                if other == id || email_of(other).is_some_and(|e| same(e, key)) {
                    slot.insert(id);
                } else {
                    self.spill.insert(key.to_owned(), id);
                }
            }
        }
    }

    /// Forgets `key` if `id` is the one holding it.
    pub fn remove(&mut self, key: &str, id: u64) {
        if self.spill.get(key) == Some(&id) {
            self.spill.remove(key);
            return;
        }
        let h = hash(key);
        if self.by_hash.get(&h) == Some(&id) {
            self.by_hash.remove(&h);
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_hash.len() + self.spill.len()
    }

    pub fn reserve(&mut self, additional: usize) {
        self.by_hash.reserve(additional);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_ups_confirm_the_holder_and_collisions_spill() {
        let emails = ["a@x.io", "b@x.io"];
        let of = |id: u64| emails.get(id as usize).copied();
        let mut index = EmailIndex::default();
        index.insert("a@x.io", 0, of);
        assert_eq!(index.get("a@x.io", of), Some(0));
        assert_eq!(index.get("b@x.io", of), None);
        // Force a collision: b's hash slot is taken by a (a stale entry, as a collision
        // would leave it), so b spills and both stay findable.
        index.by_hash.insert(hash("b@x.io"), 0);
        index.insert("b@x.io", 1, of);
        assert_eq!(
            (index.get("a@x.io", of), index.get("b@x.io", of)),
            (Some(0), Some(1))
        );
        index.remove("b@x.io", 1);
        assert_eq!(index.get("b@x.io", of), None);
        index.remove("a@x.io", 7);
        assert_eq!(
            index.get("a@x.io", of),
            Some(0),
            "only the holder is removed"
        );
        assert!(same("A@X.io", "a@x.io"));
    }
}

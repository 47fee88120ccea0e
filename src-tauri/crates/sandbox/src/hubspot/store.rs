//! The records of every object, kept in memory: ids in ordered maps (list paging walks
//! them from the `after` cursor), contacts indexed by lower-cased email (HubSpot's
//! de-duplication key), computed properties (`hs_object_id`, `createdate`, the
//! last-modified date, `hs_is_closed`) derived on read so they never drift, and live
//! records in last-modified order for search (`modified_index.rs`).

use super::email_index::EmailIndex;
use super::modified_index::ModifiedIndex;
pub use super::records::Record;
use super::records::Records;
use super::schema::Kind;
use super::values::Values;
use crate::webhooks::{Change, ChangeKind, Journal};
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct ObjectStore {
    pub kind: Kind,
    pub records: Records,
    /// Lower-cased email → id of the live contact holding it.
    pub emails: EmailIndex,
    /// Live records by (last-modified ms, id); kept by insert, update and archive.
    pub by_modified: ModifiedIndex,
    pub next_id: u64,
    /// Changes noted for webhooks while a receiver is subscribed (seeding notes nothing).
    recording: bool,
    journal: Vec<Change>,
}

/// The email `id` holds in `records`, for the email index to confirm a look-up.
fn email_of<'a>(records: &'a Records, kind: Kind) -> impl Fn(u64) -> Option<&'a str> {
    move |id| records.get(&id)?.stored(kind, "email")
}

impl ObjectStore {
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            records: Records::default(),
            emails: EmailIndex::default(),
            by_modified: ModifiedIndex::default(),
            next_id: kind.id_base(),
            recording: false,
            journal: Vec::new(),
        }
    }

    /// Room for `n` more records (seeding knows how many come).
    pub fn reserve(&mut self, n: usize) {
        self.records.reserve(n);
        if self.kind == Kind::Contacts {
            self.emails.reserve(n);
        }
    }

    /// Gives back what seeding reserved but did not use.
    pub fn shrink(&mut self) {
        self.records.shrink();
    }

    fn note(&mut self, id: u64, kind: ChangeKind, property: Option<(String, String)>, at_ms: i64) {
        if self.recording {
            self.journal.push(Change {
                object: self.kind.plural().to_owned(),
                id: id.to_string(),
                kind,
                property,
                at_ms,
            });
        }
    }

    pub fn live(&self, id: u64) -> Option<&Record> {
        self.records.get(&id).filter(|r| r.is_live())
    }

    /// The live contact with this email (case-insensitive).
    pub fn by_email(&self, email: &str) -> Option<u64> {
        let key = email.trim().to_lowercase();
        self.emails.get(&key, email_of(&self.records, self.kind))
    }

    /// Resolves an id or, with `idProperty`, a unique value to a record id.
    pub fn resolve(&self, id: &str, id_property: Option<&str>) -> Option<u64> {
        match id_property {
            Some("email") if self.kind == Kind::Contacts => self.by_email(id),
            None | Some("hs_object_id") => id.trim().parse().ok(),
            Some(_) => None,
        }
    }

    /// A live contact other than `except` already holding the email in `props`.
    pub fn email_conflict(
        &self,
        props: &BTreeMap<String, String>,
        except: Option<u64>,
    ) -> Option<u64> {
        let email = props.get("email").filter(|e| !e.is_empty())?;
        self.by_email(email).filter(|id| Some(*id) != except)
    }

    pub fn insert(
        &mut self,
        props: BTreeMap<String, String>,
        created_ms: i64,
        updated_ms: i64,
    ) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let pairs = props.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        self.insert_values(id, Values::pack(self.kind, pairs), created_ms, updated_ms);
        self.note(id, ChangeKind::Created, None, created_ms);
        id
    }

    /// Inserts (or replaces) record `id` with these values; empty values are not kept.
    pub fn insert_with_id<'a>(
        &mut self,
        id: u64,
        props: impl IntoIterator<Item = (&'a str, &'a str)>,
        created_ms: i64,
        updated_ms: i64,
    ) {
        let values = Values::pack(self.kind, props);
        self.insert_values(id, values, created_ms, updated_ms);
    }

    fn insert_values(&mut self, id: u64, values: Values, created_ms: i64, updated_ms: i64) {
        let kind = self.kind;
        let record = Record::new(id, values, created_ms, updated_ms);
        if let Some(email) = record.stored(kind, "email") {
            let key = email.to_lowercase();
            self.emails.insert(&key, id, email_of(&self.records, kind));
        }
        self.next_id = self.next_id.max(id + 1);
        let old = self.records.insert(record);
        if let Some(old) = old.filter(Record::is_live) {
            self.by_modified.remove(old.updated_ms, id);
        }
        self.by_modified.insert(updated_ms, id);
    }

    /// Applies new values (an empty string clears one) and bumps the modified time.
    pub fn update(&mut self, id: u64, props: BTreeMap<String, String>, now: i64) -> bool {
        let kind = self.kind;
        let Some(record) = self.records.get(&id).filter(|r| r.is_live()) else {
            return false;
        };
        let changed: Vec<(String, String)> = props
            .iter()
            .filter(|_| self.recording)
            .filter(|(name, value)| record.stored(kind, name).unwrap_or("") != value.as_str())
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        let old_email = record.stored(kind, "email").map(str::to_lowercase);
        let values = record
            .values()
            .with(kind, props.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if let Some(new) = props.get("email") {
            if let Some(old) = old_email {
                self.emails.remove(&old, id);
            }
            if !new.is_empty() {
                self.emails
                    .insert(&new.to_lowercase(), id, email_of(&self.records, kind));
            }
        }
        let Some(record) = self.records.get_mut(&id) else {
            return false;
        };
        record.set_values(values);
        let before = record.updated_ms;
        record.updated_ms = now.max(record.updated_ms);
        let at = record.updated_ms;
        if at != before {
            self.by_modified.remove(before, id);
            self.by_modified.insert(at, id);
        }
        for property in changed {
            self.note(id, ChangeKind::Updated, Some(property), at);
        }
        true
    }

    /// Moves a live record to the recycle bin; its email becomes free again.
    pub fn archive(&mut self, id: u64, now: i64) -> bool {
        let kind = self.kind;
        let Some(record) = self.records.get_mut(&id).filter(|r| r.is_live()) else {
            return false;
        };
        record.archived_ms = Some(now);
        self.by_modified.remove(record.updated_ms, id);
        record.updated_ms = now.max(record.updated_ms);
        if let Some(email) = record.stored(kind, "email").map(str::to_lowercase) {
            self.emails.remove(&email, id);
        }
        self.note(id, ChangeKind::Deleted, None, now);
        true
    }
}

/// All objects of the portal.
#[derive(Debug)]
pub struct Data {
    stores: Vec<ObjectStore>,
}

impl Default for Data {
    fn default() -> Self {
        Self {
            stores: Kind::ALL.iter().map(|k| ObjectStore::new(*k)).collect(),
        }
    }
}

impl Data {
    fn index(kind: Kind) -> usize {
        Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
    }

    pub fn store(&self, kind: Kind) -> &ObjectStore {
        &self.stores[Self::index(kind)]
    }

    pub fn store_mut(&mut self, kind: Kind) -> &mut ObjectStore {
        &mut self.stores[Self::index(kind)]
    }
}

impl Journal for Data {
    fn set_recording(&mut self, on: bool) {
        for store in &mut self.stores {
            store.recording = on;
        }
    }

    fn take_changes(&mut self) -> Vec<Change> {
        self.stores
            .iter_mut()
            .flat_map(|s| std::mem::take(&mut s.journal))
            .collect()
    }
}

//! The records of every object, kept in memory: ids in ordered maps (list paging walks
//! them from the `after` cursor), contacts indexed by lower-cased email (HubSpot's
//! de-duplication key), computed properties (`hs_object_id`, `createdate`, the
//! last-modified date, `hs_is_closed`) derived on read so they never drift, and live
//! records in last-modified order for search (`modified_index.rs`).

use super::modified_index::ModifiedIndex;
use super::schema::Kind;
use crate::seed::iso_z;
use crate::webhooks::{Change, ChangeKind, Journal};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
pub struct Record {
    pub id: u64,
    /// Stored values, all strings; computed properties are not stored here.
    pub props: BTreeMap<String, String>,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub archived_ms: Option<i64>,
}

impl Record {
    /// A property's value as the API shows it, computed ones included.
    pub fn value(&self, kind: Kind, name: &str) -> Option<Cow<'_, str>> {
        match name {
            "hs_object_id" => Some(Cow::Owned(self.id.to_string())),
            "createdate" => Some(Cow::Owned(iso_z(self.created_ms))),
            n if n == kind.last_modified() => Some(Cow::Owned(iso_z(self.updated_ms))),
            "hs_is_closed" if kind == Kind::Deals => {
                let closed = matches!(
                    self.props.get("dealstage").map(String::as_str),
                    Some("closedwon" | "closedlost")
                );
                Some(Cow::Borrowed(if closed { "true" } else { "false" }))
            }
            _ => self.props.get(name).map(|v| Cow::Borrowed(v.as_str())),
        }
    }

    pub fn is_live(&self) -> bool {
        self.archived_ms.is_none()
    }
}

#[derive(Debug)]
pub struct ObjectStore {
    pub kind: Kind,
    pub records: BTreeMap<u64, Record>,
    /// Lower-cased email → id of the live contact holding it.
    pub emails: HashMap<String, u64>,
    /// Live records by (last-modified ms, id); kept by insert, update and archive.
    pub by_modified: ModifiedIndex,
    pub next_id: u64,
    /// Changes noted for webhooks while a receiver is subscribed (seeding notes nothing).
    recording: bool,
    journal: Vec<Change>,
}

impl ObjectStore {
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            records: BTreeMap::new(),
            emails: HashMap::new(),
            by_modified: ModifiedIndex::default(),
            next_id: kind.id_base(),
            recording: false,
            journal: Vec::new(),
        }
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
        self.emails.get(&email.trim().to_lowercase()).copied()
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
        self.insert_with_id(id, props, created_ms, updated_ms);
        self.note(id, ChangeKind::Created, None, created_ms);
        id
    }

    pub fn insert_with_id(
        &mut self,
        id: u64,
        mut props: BTreeMap<String, String>,
        created_ms: i64,
        updated_ms: i64,
    ) {
        props.retain(|_, v| !v.is_empty());
        if let Some(email) = props.get("email") {
            self.emails.insert(email.to_lowercase(), id);
        }
        self.next_id = self.next_id.max(id + 1);
        let old = self.records.insert(
            id,
            Record {
                id,
                props,
                created_ms,
                updated_ms,
                archived_ms: None,
            },
        );
        if let Some(old) = old.filter(Record::is_live) {
            self.by_modified.remove(old.updated_ms, id);
        }
        self.by_modified.insert(updated_ms, id);
    }

    /// Applies new values (an empty string clears one) and bumps the modified time.
    pub fn update(&mut self, id: u64, props: BTreeMap<String, String>, now: i64) -> bool {
        let Some(record) = self.records.get_mut(&id).filter(|r| r.is_live()) else {
            return false;
        };
        let mut changed = Vec::new();
        for (name, value) in props {
            if self.recording && record.props.get(&name).map_or("", String::as_str) != value {
                changed.push((name.clone(), value.clone()));
            }
            if name == "email" {
                if let Some(old) = record.props.get("email") {
                    self.emails.remove(&old.to_lowercase());
                }
                if !value.is_empty() {
                    self.emails.insert(value.to_lowercase(), id);
                }
            }
            if value.is_empty() {
                record.props.remove(&name);
            } else {
                record.props.insert(name, value);
            }
        }
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
        let Some(record) = self.records.get_mut(&id).filter(|r| r.is_live()) else {
            return false;
        };
        record.archived_ms = Some(now);
        self.by_modified.remove(record.updated_ms, id);
        record.updated_ms = now.max(record.updated_ms);
        if let Some(email) = record.props.get("email") {
            if self.emails.get(&email.to_lowercase()) == Some(&id) {
                self.emails.remove(&email.to_lowercase());
            }
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

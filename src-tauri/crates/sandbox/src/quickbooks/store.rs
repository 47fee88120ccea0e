//! The company's records in memory: one id-ordered table per entity, deletions kept as
//! tombstones for CDC, and the indexes handlers need so that reads stay cheap at 100k
//! records (ids, DisplayName, DocNumber). Ids are per-entity sequences rendered as
//! strings, SyncTokens count updates, `MetaData` holds create/update instants.

use super::time::meta_time;
use crate::webhooks::{Change, ChangeKind, Journal};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The entities this company serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Customer,
    Invoice,
    Payment,
    CompanyInfo,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Customer,
        Kind::Invoice,
        Kind::Payment,
        Kind::CompanyInfo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Customer => "Customer",
            Kind::Invoice => "Invoice",
            Kind::Payment => "Payment",
            Kind::CompanyInfo => "CompanyInfo",
        }
    }

    /// Entity names in queries, CDC and batch are matched without regard to case.
    pub fn from_name(name: &str) -> Option<Kind> {
        Self::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Resource names in URIs are lowercase (`/customer`, `/invoice`).
    pub fn from_path(segment: &str) -> Option<Kind> {
        Self::ALL
            .into_iter()
            .find(|k| k.name().to_ascii_lowercase() == segment)
    }

    /// Name-list entities are deactivated, never deleted, and hidden from queries when inactive.
    pub fn is_name_list(self) -> bool {
        self == Kind::Customer
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: u64,
    /// Every field except Id, SyncToken and MetaData.
    pub body: Map<String, Value>,
    pub sync: u64,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub deleted: bool,
}

impl Record {
    pub fn new(id: u64, body: Map<String, Value>, created_ms: i64, updated_ms: i64) -> Self {
        Self {
            id,
            body,
            sync: 0,
            created_ms,
            updated_ms,
            deleted: false,
        }
    }

    pub fn meta(&self) -> Value {
        json!({ "CreateTime": meta_time(self.created_ms), "LastUpdatedTime": meta_time(self.updated_ms) })
    }

    /// The entity as the API returns it.
    pub fn render(&self) -> Value {
        let mut out = self.body.clone();
        out.insert("domain".into(), Value::String("QBO".into()));
        out.insert("sparse".into(), Value::Bool(false));
        out.insert("Id".into(), Value::String(self.id.to_string()));
        out.insert("SyncToken".into(), Value::String(self.sync.to_string()));
        out.insert("MetaData".into(), self.meta());
        Value::Object(out)
    }

    /// How CDC shows a deleted entity.
    pub fn tombstone(&self) -> Value {
        json!({ "domain": "QBO", "status": "Deleted", "Id": self.id.to_string(), "MetaData": self.meta() })
    }

    pub fn active(&self) -> bool {
        self.body
            .get("Active")
            .and_then(Value::as_bool)
            .unwrap_or(true)
    }

    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(Value::as_str)
    }

    pub fn num_field(&self, name: &str) -> f64 {
        self.body.get(name).and_then(Value::as_f64).unwrap_or(0.0)
    }

    /// Marks an edit: SyncToken + 1 and a new LastUpdatedTime.
    pub fn touch(&mut self, now_ms: i64) {
        self.sync += 1;
        self.updated_ms = now_ms.max(self.updated_ms);
    }
}

#[derive(Debug, Default)]
pub struct Store {
    pub realm: String,
    tables: [BTreeMap<u64, Record>; 4],
    next_ids: [u64; 4],
    /// DisplayName → customer ids (inactive ones included).
    names: HashMap<String, BTreeSet<u64>>,
    /// Invoice DocNumber → invoice id (live invoices only).
    doc_numbers: HashMap<String, u64>,
    next_doc_number: u64,
    /// Changes noted for webhooks while a receiver is subscribed (seeding notes nothing).
    recording: bool,
    journal: Vec<Change>,
}

impl Store {
    pub fn new(realm: String) -> Self {
        Self {
            realm,
            next_ids: [1; 4],
            next_doc_number: 1001,
            ..Self::default()
        }
    }

    pub fn table(&self, kind: Kind) -> &BTreeMap<u64, Record> {
        &self.tables[kind.index()]
    }

    /// A live (not deleted) record.
    pub fn get(&self, kind: Kind, id: u64) -> Option<&Record> {
        self.tables[kind.index()].get(&id).filter(|r| !r.deleted)
    }

    pub fn get_mut(&mut self, kind: Kind, id: u64) -> Option<&mut Record> {
        self.tables[kind.index()]
            .get_mut(&id)
            .filter(|r| !r.deleted)
    }

    pub fn next_id(&mut self, kind: Kind) -> u64 {
        let id = self.next_ids[kind.index()];
        self.next_ids[kind.index()] += 1;
        id
    }

    /// Creates a record with the next id; returns the id and the record as the API shows it.
    pub fn insert_new(
        &mut self,
        kind: Kind,
        body: Map<String, Value>,
        now_ms: i64,
    ) -> (u64, Value) {
        let id = self.next_id(kind);
        let record = Record::new(id, body, now_ms, now_ms);
        let out = record.render();
        self.put(kind, record);
        (id, out)
    }

    /// Stores a new body for an existing record (bumping SyncToken and LastUpdatedTime);
    /// returns the record as the API shows it.
    pub fn replace(
        &mut self,
        kind: Kind,
        mut record: Record,
        body: Map<String, Value>,
        now_ms: i64,
    ) -> Value {
        record.body = body;
        record.touch(now_ms);
        let out = record.render();
        self.put(kind, record);
        out
    }

    /// Notes a change for webhooks (company info is not an entity apps subscribe to).
    pub fn note(&mut self, kind: Kind, id: u64, change: ChangeKind, at_ms: i64) {
        if self.recording && kind != Kind::CompanyInfo {
            self.journal.push(Change {
                object: kind.name().to_owned(),
                id: id.to_string(),
                kind: change,
                property: None,
                at_ms,
            });
        }
    }

    /// Inserts or replaces a record, keeping the indexes right.
    pub fn put(&mut self, kind: Kind, record: Record) {
        if self.recording {
            let existed = self.get(kind, record.id).is_some();
            let change = match (record.deleted, existed) {
                (true, _) => ChangeKind::Deleted,
                (false, true) => ChangeKind::Updated,
                (false, false) => ChangeKind::Created,
            };
            self.note(kind, record.id, change, record.updated_ms);
        }
        self.unindex(kind, record.id);
        match kind {
            Kind::Customer => {
                if let Some(name) = record.str_field("DisplayName") {
                    self.names
                        .entry(name.to_owned())
                        .or_default()
                        .insert(record.id);
                }
            }
            Kind::Invoice if !record.deleted => {
                if let Some(doc) = record.str_field("DocNumber") {
                    self.doc_numbers.insert(doc.to_owned(), record.id);
                }
            }
            _ => {}
        }
        let next = &mut self.next_ids[kind.index()];
        *next = (*next).max(record.id + 1);
        self.tables[kind.index()].insert(record.id, record);
    }

    fn unindex(&mut self, kind: Kind, id: u64) {
        let Some(old) = self.tables[kind.index()].get(&id) else {
            return;
        };
        if let (Kind::Customer, Some(name)) = (kind, old.str_field("DisplayName")) {
            if let Some(ids) = self.names.get_mut(name) {
                ids.remove(&id);
                if ids.is_empty() {
                    self.names.remove(name);
                }
            }
        }
        if let (Kind::Invoice, Some(doc)) = (kind, old.str_field("DocNumber")) {
            if self.doc_numbers.get(doc) == Some(&id) {
                self.doc_numbers.remove(doc);
            }
        }
    }

    /// Customers with exactly this DisplayName.
    pub fn customers_named(&self, name: &str) -> Vec<u64> {
        self.names
            .get(name)
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default()
    }

    /// An active customer other than `except` already uses this DisplayName.
    pub fn name_taken(&self, name: &str, except: Option<u64>) -> bool {
        self.names.get(name).is_some_and(|ids| {
            ids.iter().any(|id| {
                Some(*id) != except && self.get(Kind::Customer, *id).is_some_and(Record::active)
            })
        })
    }

    pub fn doc_number_taken(&self, doc: &str, except: Option<u64>) -> bool {
        self.doc_numbers
            .get(doc)
            .is_some_and(|id| Some(*id) != except)
    }

    /// The next free automatic DocNumber.
    pub fn next_doc_number(&mut self) -> String {
        loop {
            let doc = self.next_doc_number.to_string();
            self.next_doc_number += 1;
            if !self.doc_numbers.contains_key(&doc) {
                return doc;
            }
        }
    }

    /// Deletes a transaction: it stays as a tombstone for CDC.
    pub fn delete(&mut self, kind: Kind, id: u64, now_ms: i64) {
        if let Some(mut record) = self.tables[kind.index()].get(&id).cloned() {
            record.deleted = true;
            record.touch(now_ms);
            self.put(kind, record);
        }
    }

    pub fn live(&self, kind: Kind) -> impl Iterator<Item = &Record> {
        self.tables[kind.index()].values().filter(|r| !r.deleted)
    }
}

impl Journal for Store {
    fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.journal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_follow_edits_and_tombstones() {
        let mut s = Store::new("1".into());
        let mut body = Map::new();
        body.insert("DisplayName".into(), json!("Acme"));
        s.put(Kind::Customer, Record::new(1, body.clone(), 0, 0));
        assert!(s.name_taken("Acme", None));
        assert!(!s.name_taken("Acme", Some(1)));
        body.insert("DisplayName".into(), json!("Beta"));
        s.put(Kind::Customer, Record::new(1, body, 0, 0));
        assert!(!s.name_taken("Acme", None));
        assert_eq!(s.customers_named("Beta"), vec![1]);
        assert_eq!(s.next_id(Kind::Customer), 2);
        let mut inv = Map::new();
        inv.insert("DocNumber".into(), json!("1001"));
        s.put(Kind::Invoice, Record::new(1, inv, 0, 0));
        assert!(s.doc_number_taken("1001", None));
        assert_eq!(s.next_doc_number(), "1002");
        s.delete(Kind::Invoice, 1, 5);
        assert!(s.get(Kind::Invoice, 1).is_none());
        assert!(!s.doc_number_taken("1001", None));
        assert_eq!(s.table(Kind::Invoice)[&1].tombstone()["status"], "Deleted");
    }
}

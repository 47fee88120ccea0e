//! The org's records in memory: one table per object, keyed by 18-character id (ids
//! grow with a per-object sequence, so key order is creation order), with an index per
//! external-id field for upserts and uniqueness checks. Soft-deleted rows stay in the
//! table with `IsDeleted = true` and the time of deletion, as the recycle bin does.

use super::ids;
use super::schema::{self, SObject, F_ID, F_IS_DELETED};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// One value per field of the object's schema, in schema order.
    pub values: Vec<Value>,
    /// When it was deleted (epoch ms), for `deleted/` and `queryAll`.
    pub deleted_ms: Option<i64>,
}

impl Record {
    pub fn id(&self) -> &str {
        self.values[F_ID].as_str().unwrap_or_default()
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_ms.is_some()
    }

    /// Text of a field for indexing (`None` when null).
    fn key(&self, field: usize) -> Option<String> {
        match &self.values[field] {
            Value::Null => None,
            Value::String(s) => Some(s.to_lowercase()),
            other => Some(other.to_string()),
        }
    }
}

#[derive(Debug)]
pub struct Table {
    pub obj: &'static SObject,
    pub rows: BTreeMap<String, Record>,
    next: u64,
    /// (field position, lower-cased value) → ids of live rows holding it.
    external: HashMap<(usize, String), BTreeSet<String>>,
}

impl Table {
    fn new(obj: &'static SObject) -> Self {
        Self {
            obj,
            rows: BTreeMap::new(),
            next: 1,
            external: HashMap::new(),
        }
    }

    fn external_fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.obj
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.external_id)
            .map(|(i, _)| i)
    }

    fn unindex(&mut self, id: &str) {
        let Some(old) = self.rows.get(id) else { return };
        let keys: Vec<(usize, String)> = self
            .external_fields()
            .filter_map(|i| old.key(i).map(|k| (i, k)))
            .collect();
        for key in keys {
            if let Some(set) = self.external.get_mut(&key) {
                set.remove(id);
                if set.is_empty() {
                    self.external.remove(&key);
                }
            }
        }
    }

    fn index(&mut self, record: &Record) {
        if record.is_deleted() {
            return;
        }
        let keys: Vec<(usize, String)> = self
            .external_fields()
            .filter_map(|i| record.key(i).map(|k| (i, k)))
            .collect();
        for key in keys {
            self.external
                .entry(key)
                .or_default()
                .insert(record.id().to_owned());
        }
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
            tables: schema::all().iter().map(Table::new).collect(),
        }
    }

    pub fn table(&self, obj: &SObject) -> &Table {
        &self.tables[schema::position(obj)]
    }

    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The next id for a new record of `obj`.
    pub fn new_id(&mut self, obj: &SObject) -> String {
        let pod = self.pod.clone();
        let table = &mut self.tables[schema::position(obj)];
        let id = ids::make(obj.prefix, &pod, table.next);
        table.next += 1;
        id
    }

    pub fn get(&self, obj: &SObject, id: &str) -> Option<&Record> {
        self.table(obj).rows.get(id)
    }

    /// Any record by id, whichever object its key prefix names.
    pub fn find(&self, id: &str) -> Option<(&'static SObject, &Record)> {
        let obj = schema::by_prefix(id)?;
        self.get(obj, id).map(|r| (obj, r))
    }

    /// Inserts or replaces a row (keeping the external-id index right); `None` removes it.
    pub fn put(&mut self, obj: &SObject, id: &str, record: Option<Record>) {
        let table = &mut self.tables[schema::position(obj)];
        table.unindex(id);
        match record {
            Some(mut record) => {
                record.values[F_IS_DELETED] = Value::Bool(record.is_deleted());
                table.index(&record);
                table.rows.insert(id.to_owned(), record);
            }
            None => {
                table.rows.remove(id);
            }
        }
    }

    /// Live rows whose external-id field `field` equals `value` (case-insensitively).
    pub fn by_external(&self, obj: &SObject, field: usize, value: &str) -> Vec<String> {
        self.table(obj)
            .external
            .get(&(field, value.to_lowercase()))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

//! The org's records in memory: one table per object, keyed by 18-character id (ids
//! grow with a per-object sequence, so key order is creation order), with an index of
//! live rows per external-id field (upserts, uniqueness checks) and per Email field
//! (indexed in Salesforce too: SOQL look-ups `WHERE Email IN (…)` read it instead of
//! every row). Soft-deleted rows stay in the table with `IsDeleted = true` and the time
//! of deletion, as the recycle bin does.

use super::ids;
use super::schema::{self, FType, SObject, F_ID, F_IS_DELETED};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// How indexed values are compared: lower-cased character by character, as SOQL
/// compares text.
pub fn index_key(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Whether `field` of `obj` is indexed: external ids and emails.
pub fn is_indexed(obj: &SObject, field: usize) -> bool {
    obj.fields
        .get(field)
        .is_some_and(|f| f.external_id || f.ty == FType::Email)
}

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
            Value::String(s) => Some(index_key(s)),
            other => Some(other.to_string()),
        }
    }
}

#[derive(Debug)]
pub struct Table {
    pub obj: &'static SObject,
    pub rows: BTreeMap<String, Record>,
    next: u64,
    /// (indexed field's position, lower-cased value) → ids of live rows holding it, in id
    /// order (mostly one).
    index: HashMap<(usize, String), Vec<String>>,
}

impl Table {
    fn new(obj: &'static SObject) -> Self {
        Self {
            obj,
            rows: BTreeMap::new(),
            next: 1,
            index: HashMap::new(),
        }
    }

    fn indexed_fields(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.obj.fields.len()).filter(|i| is_indexed(self.obj, *i))
    }

    fn unindex(&mut self, id: &str) {
        let Some(old) = self.rows.get(id) else { return };
        let keys: Vec<(usize, String)> = self
            .indexed_fields()
            .filter_map(|i| old.key(i).map(|k| (i, k)))
            .collect();
        for key in keys {
            if let Some(ids) = self.index.get_mut(&key) {
                ids.retain(|x| x != id);
                if ids.is_empty() {
                    self.index.remove(&key);
                }
            }
        }
    }

    fn index(&mut self, record: &Record) {
        if record.is_deleted() {
            return;
        }
        let keys: Vec<(usize, String)> = self
            .indexed_fields()
            .filter_map(|i| record.key(i).map(|k| (i, k)))
            .collect();
        let id = record.id();
        for key in keys {
            let ids = self.index.entry(key).or_default();
            if let Err(at) = ids.binary_search_by(|x| x.as_str().cmp(id)) {
                ids.insert(at, id.to_owned());
            }
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
        self.indexed(obj, field, &index_key(value)).to_vec()
    }

    /// Ids of live rows (in id order) whose indexed field `field` holds the value whose
    /// [`index_key`] is `key`; empty for a field that is not indexed.
    pub fn indexed(&self, obj: &SObject, field: usize, key: &str) -> &[String] {
        // The map is keyed by owned strings; look-ups are per value, not per row.
        self.table(obj)
            .index
            .get(&(field, key.to_owned()))
            .map_or(&[], Vec::as_slice)
    }
}

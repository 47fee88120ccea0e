//! One row of the org in one allocation. A JSON value per field (32 bytes each, plus a
//! heap string for most) cost a Lead about 1.9 KB; packed, it is a few hundred bytes: a
//! bitmap of the fields (schema positions) that hold a value, then each one in position
//! order as a tag byte — false, true, an integer, a double, or text with its LEB128
//! length and UTF-8 bytes. Null fields take no space. Reads borrow ([`Cell`]) or build
//! the JSON value the API shows; `IsDeleted` is derived from the deletion time.

use super::schema::F_IS_DELETED;
use crate::varint::{len_size, put_len, take_len};
use serde_json::{Number, Value};

/// No object has more fields than the bitmap has bits.
pub const MAX_FIELDS: usize = 64;

const FALSE: u8 = 0;
const TRUE: u8 = 1;
const INT: u8 = 2;
const FLOAT: u8 = 3;
const TEXT: u8 = 4;

/// A stored value, borrowed from its row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'a str),
}

impl<'a> Cell<'a> {
    /// A stored JSON value as a cell (fields only ever hold scalars; anything else would
    /// be stored as null).
    pub fn of(v: &'a Value) -> Self {
        match v {
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Cell::Int(i),
                None => Cell::Float(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => Cell::Text(s),
            _ => Cell::Null,
        }
    }

    pub fn is_null(self) -> bool {
        self == Cell::Null
    }

    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(self) -> Option<f64> {
        match self {
            Cell::Int(n) => Some(n as f64),
            Cell::Float(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_bool(self) -> Option<bool> {
        match self {
            Cell::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The value as the API shows it.
    pub fn to_value(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Bool(b) => Value::Bool(b),
            Cell::Int(n) => Value::from(n),
            Cell::Float(n) => Number::from_f64(n).map_or(Value::Null, Value::Number),
            Cell::Text(s) => Value::String(s.to_owned()),
        }
    }
}

/// One field of a row being saved: kept from the stored row (its packed bytes, copied
/// back as they are; empty for null), or set anew.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot<'a> {
    Kept(&'a [u8]),
    Set(Value),
    /// Text the save borrows (the id, the user, the request's timestamp).
    Text(&'a str),
}

impl Slot<'_> {
    pub fn cell(&self) -> Cell<'_> {
        match self {
            Slot::Kept([]) => Cell::Null,
            Slot::Kept(raw) => take(raw, &mut 0),
            Slot::Set(v) => Cell::of(v),
            Slot::Text(t) => Cell::Text(t),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    cells: Box<[u8]>,
    /// When it was deleted (epoch ms), for `deleted/` and `queryAll`.
    pub deleted_ms: Option<i64>,
}

/// The packed size of a non-null cell.
fn cell_size(c: Cell<'_>) -> usize {
    match c {
        Cell::Null | Cell::Bool(_) => 1,
        Cell::Int(_) | Cell::Float(_) => 9,
        Cell::Text(s) => 1 + len_size(s.len()) + s.len(),
    }
}

/// Appends a non-null cell.
fn put_cell(out: &mut Vec<u8>, c: Cell<'_>) {
    match c {
        Cell::Null => {}
        Cell::Bool(b) => out.push(if b { TRUE } else { FALSE }),
        Cell::Int(n) => {
            out.push(INT);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Cell::Float(n) => {
            out.push(FLOAT);
            out.extend_from_slice(&n.to_le_bytes());
        }
        Cell::Text(s) => {
            out.push(TEXT);
            put_len(out, s.len());
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// Moves past the cell at `at` without reading it.
fn skip(bytes: &[u8], at: &mut usize) {
    let tag = bytes.get(*at).copied().unwrap_or(FALSE);
    *at += 1;
    match tag {
        INT | FLOAT => *at += 8,
        TEXT => {
            let len = take_len(bytes, at);
            *at += len;
        }
        _ => {}
    }
}

/// Reads the cell at `at` and moves past it.
fn take<'a>(bytes: &'a [u8], at: &mut usize) -> Cell<'a> {
    let tag = bytes.get(*at).copied().unwrap_or(FALSE);
    *at += 1;
    let word = |at: &mut usize| {
        let mut raw = [0u8; 8];
        if let Some(b) = bytes.get(*at..*at + 8) {
            raw.copy_from_slice(b);
        }
        *at += 8;
        raw
    };
    match tag {
        TRUE => Cell::Bool(true),
        INT => Cell::Int(i64::from_le_bytes(word(at))),
        FLOAT => Cell::Float(f64::from_le_bytes(word(at))),
        TEXT => {
            let len = take_len(bytes, at);
            let text = bytes.get(*at..*at + len).unwrap_or_default();
            *at += len;
            // Packed from `&str`, so always UTF-8.
            Cell::Text(std::str::from_utf8(text).unwrap_or_default())
        }
        _ => Cell::Bool(false),
    }
}

impl Record {
    /// Packs one value per field, in schema order (nulls take no space).
    pub fn new(values: &[Value], deleted_ms: Option<i64>) -> Self {
        Self::pack(values.iter().map(Cell::of), deleted_ms)
    }

    /// Packs a row being saved: kept cells are copied as they are, set values packed.
    pub fn from_slots(slots: &[Slot<'_>], deleted_ms: Option<i64>) -> Self {
        let stored = || {
            slots
                .iter()
                .enumerate()
                .take(MAX_FIELDS)
                .filter(|(i, s)| *i != F_IS_DELETED && !matches!(s, Slot::Kept([])))
                .filter(|(_, s)| !matches!(s, Slot::Set(_)) || !s.cell().is_null())
        };
        let size: usize = stored()
            .map(|(_, s)| match s {
                Slot::Kept(raw) => raw.len(),
                other => cell_size(other.cell()),
            })
            .sum();
        let mut bits = 0u64;
        let mut out = Vec::with_capacity(8 + size);
        out.extend_from_slice(&[0; 8]);
        for (i, slot) in stored() {
            match slot {
                Slot::Kept(raw) => out.extend_from_slice(raw),
                other => put_cell(&mut out, other.cell()),
            }
            bits |= 1 << i;
        }
        out[..8].copy_from_slice(&bits.to_le_bytes());
        Self {
            cells: out.into_boxed_slice(),
            deleted_ms,
        }
    }

    fn pack<'c>(cells: impl Iterator<Item = Cell<'c>> + Clone, deleted_ms: Option<i64>) -> Self {
        let stored = || {
            cells
                .clone()
                .enumerate()
                .take(MAX_FIELDS)
                .filter(|(i, c)| *i != F_IS_DELETED && !c.is_null())
        };
        // One allocation of the exact size: every cell's size first.
        let size: usize = stored().map(|(_, c)| cell_size(c)).sum();
        let mut bits = 0u64;
        let mut out = Vec::with_capacity(8 + size);
        out.extend_from_slice(&[0; 8]);
        for (i, c) in stored() {
            put_cell(&mut out, c);
            bits |= 1 << i;
        }
        out[..8].copy_from_slice(&bits.to_le_bytes());
        Self {
            cells: out.into_boxed_slice(),
            deleted_ms,
        }
    }

    /// The row as slots to save from: every field kept as it is.
    pub fn slots(&self, n: usize) -> Vec<Slot<'_>> {
        let mut out = vec![Slot::Kept(&[]); n];
        let bits = self.bits();
        let mut at = 8;
        for i in (0..MAX_FIELDS).filter(|i| bits & (1 << i) != 0) {
            let start = at;
            skip(&self.cells, &mut at);
            if let (Some(slot), Some(raw)) = (out.get_mut(i), self.cells.get(start..at)) {
                *slot = Slot::Kept(raw);
            }
        }
        out
    }

    fn bits(&self) -> u64 {
        let mut raw = [0u8; 8];
        if let Some(b) = self.cells.get(..8) {
            raw.copy_from_slice(b);
        }
        u64::from_le_bytes(raw)
    }

    /// Every non-null field with its position, in position order (`IsDeleted` aside).
    pub fn cells(&self) -> impl Iterator<Item = (usize, Cell<'_>)> + '_ {
        let bits = self.bits();
        let mut at = 8;
        (0..MAX_FIELDS)
            .filter(move |i| bits & (1 << i) != 0)
            .map(move |i| (i, take(&self.cells, &mut at)))
    }

    /// Field `i`'s value.
    pub fn get(&self, i: usize) -> Cell<'_> {
        if i == F_IS_DELETED {
            return Cell::Bool(self.is_deleted());
        }
        let bits = self.bits();
        if i >= MAX_FIELDS || bits & (1 << i) == 0 {
            return Cell::Null;
        }
        // Skip the cells of the present fields before `i`.
        let mut at = 8;
        for _ in 0..(bits & ((1u64 << i) - 1)).count_ones() {
            skip(&self.cells, &mut at);
        }
        take(&self.cells, &mut at)
    }

    /// Field `i`'s value as the API shows it.
    pub fn value(&self, i: usize) -> Value {
        self.get(i).to_value()
    }

    /// One value per field of an object with `n` fields, in schema order.
    #[cfg(test)]
    pub fn values(&self, n: usize) -> Vec<Value> {
        let mut out = vec![Value::Null; n];
        for (i, cell) in self.cells() {
            if let Some(slot) = out.get_mut(i) {
                *slot = cell.to_value();
            }
        }
        if let Some(slot) = out.get_mut(F_IS_DELETED) {
            *slot = Value::Bool(self.is_deleted());
        }
        out
    }

    pub fn id(&self) -> &str {
        // The id is field 0, the first cell of every row.
        match self.cells().next() {
            Some((0, Cell::Text(id))) => id,
            _ => "",
        }
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_ms.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_round_trip_every_kind_of_value() {
        let long = "ü".repeat(200);
        let values = vec![
            json!("00Q000000000001AAA"),
            json!(false),
            Value::Null,
            json!(true),
            json!(42),
            json!(2500.0),
            json!(-7),
            json!(long),
            json!(""),
        ];
        let row = Record::new(&values, None);
        let mut expected = values.clone();
        expected[F_IS_DELETED] = json!(false);
        assert_eq!(row.values(values.len()), expected);
        assert_eq!(row.id(), "00Q000000000001AAA");
        assert_eq!(row.get(2), Cell::Null);
        assert_eq!(row.get(5).to_value().to_string(), "2500.0");
        assert_eq!(row.get(4).to_value().to_string(), "42");
        assert_eq!(row.get(7).as_str(), Some(long.as_str()));
        assert_eq!(row.get(20), Cell::Null);
        let gone = Record::new(&values, Some(5));
        assert_eq!(gone.get(F_IS_DELETED), Cell::Bool(true));
        let same = Record::from_slots(&row.slots(values.len()), None);
        assert_eq!(same, row, "kept slots pack back to the same row");
        let mut slots = row.slots(values.len());
        slots[2] = Slot::Set(json!("now set"));
        slots[4] = Slot::Set(Value::Null);
        let changed = Record::from_slots(&slots, None);
        assert_eq!(changed.get(2).as_str(), Some("now set"));
        assert_eq!(changed.get(4), Cell::Null);
        assert_eq!(changed.get(7).as_str(), Some(long.as_str()));
    }
}

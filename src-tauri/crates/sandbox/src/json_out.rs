//! Writing JSON response bodies straight into bytes, for the pages that carry hundreds
//! of records: building a `serde_json::Value` per record (a map node and an owned string
//! per field), then serialising and freeing it, cost more than everything else a page
//! does. Strings and numbers go through serde_json's own formatter, so the text is the
//! same as a `Value` would print; callers write object keys in sorted order, as a
//! `Value` map (a `BTreeMap`) prints them.

use serde::Serialize;

/// A JSON string (escaped as serde_json escapes it).
pub fn str(out: &mut Vec<u8>, s: &str) {
    // Writing into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// `"key":`.
pub fn key(out: &mut Vec<u8>, k: &str) {
    str(out, k);
    out.push(b':');
}

/// A number, boolean or any other serialisable value.
pub fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(&mut *out, v);
}

/// Bytes that are already JSON (punctuation, literals).
pub fn raw(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(text.as_bytes());
}

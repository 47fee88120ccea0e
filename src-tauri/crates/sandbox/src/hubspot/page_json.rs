//! Records written straight to response bytes for the hot paths (search and list pages,
//! which carry up to 200 records), byte for byte what `render::render` then
//! `Value::to_string` print: keys in sorted order, missing values `null`. The property
//! names a request shows are resolved once per request ([`Shown`]), not per record.

use super::schema::Kind;
use super::store::Record;
use crate::json_out::{key, raw, str, value};
use crate::stamps::push_iso_z_json;

/// The properties a read shows, sorted and without repeats.
#[derive(Debug)]
pub struct Shown(Vec<&'static str>);

impl Shown {
    /// The object's defaults without a request; else the computed dates and id plus the
    /// requested properties the object has (unknown names are ignored).
    pub fn new(kind: Kind, requested: Option<&[String]>) -> Self {
        let mut names: Vec<&'static str> = match requested {
            None => kind.default_props().to_vec(),
            Some(list) => ["createdate", "hs_object_id", kind.last_modified()]
                .into_iter()
                .chain(list.iter().filter_map(|n| kind.prop(n).map(|d| d.name)))
                .collect(),
        };
        names.sort_unstable();
        names.dedup();
        Self(names)
    }
}

/// One record: `{"archived","archivedAt"?,"createdAt","id","properties","updatedAt"}`.
pub fn record(out: &mut Vec<u8>, kind: Kind, r: &Record, shown: &Shown) {
    raw(out, "{");
    key(out, "archived");
    value(out, &r.archived_ms.is_some());
    if let Some(at) = r.archived_ms {
        raw(out, ",");
        key(out, "archivedAt");
        push_iso_z_json(out, at);
    }
    raw(out, ",");
    key(out, "createdAt");
    push_iso_z_json(out, r.created_ms);
    raw(out, ",");
    key(out, "id");
    raw(out, "\"");
    value(out, &r.id);
    raw(out, "\",");
    key(out, "properties");
    raw(out, "{");
    for (i, name) in shown.0.iter().enumerate() {
        if i > 0 {
            raw(out, ",");
        }
        key(out, name);
        match *name {
            "createdate" => push_iso_z_json(out, r.created_ms),
            n if n == kind.last_modified() => push_iso_z_json(out, r.updated_ms),
            "hs_object_id" => {
                raw(out, "\"");
                value(out, &r.id);
                raw(out, "\"");
            }
            n => match r.value(kind, n) {
                Some(v) => str(out, &v),
                None => raw(out, "null"),
            },
        }
    }
    raw(out, "},");
    key(out, "updatedAt");
    push_iso_z_json(out, r.updated_ms);
    raw(out, "}");
}

/// `[record,…]`.
pub fn records<'a>(
    out: &mut Vec<u8>,
    kind: Kind,
    rows: impl Iterator<Item = &'a Record>,
    shown: &Shown,
) {
    raw(out, "[");
    for (i, r) in rows.enumerate() {
        if i > 0 {
            raw(out, ",");
        }
        record(out, kind, r, shown);
    }
    raw(out, "]");
}

#[cfg(test)]
mod tests {
    use super::super::render::render;
    use super::super::store::ObjectStore;
    use super::*;

    #[test]
    fn written_records_are_what_rendered_values_print() {
        let mut store = ObjectStore::new(Kind::Deals);
        store.insert_with_id(
            7,
            [
                ("dealname", "Ünïcode \"quoted\"\n"),
                ("dealstage", "closedwon"),
            ],
            1_572_480_000_000,
            1_572_480_000_123,
        );
        store.insert_with_id(8, [], 5, 6);
        store.archive(8, 1_700_000_000_000);
        let asks: [Option<Vec<String>>; 3] = [
            None,
            Some(vec![
                "dealstage".into(),
                "nope".into(),
                "hs_is_closed".into(),
                "amount".into(),
                "dealstage".into(),
            ]),
            Some(vec![]),
        ];
        for r in store.records.values() {
            for ask in &asks {
                let mut out = Vec::new();
                record(
                    &mut out,
                    Kind::Deals,
                    r,
                    &Shown::new(Kind::Deals, ask.as_deref()),
                );
                let expected = render(Kind::Deals, r, ask.as_deref()).to_string();
                assert_eq!(String::from_utf8_lossy(&out), expected);
            }
        }
    }
}

//! A record's stored property values in one allocation, so a million seeded contacts
//! cost a few hundred bytes each instead of a map of owned names and values: a bitmap of
//! which of the object's properties (positions in `Kind::props`) hold a value, then each
//! present value in position order as a LEB128 length and its UTF-8 bytes. Names are
//! never stored; empty values are never stored (HubSpot shows them as `null`).

use super::schema::Kind;
use crate::varint::{len_size, put_len, take_len};

/// Positions fit the bitmap: no object has more than 16 properties.
const MAX_PROPS: usize = 16;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(Box<[u8]>);

/// Position of a property in the object's schema.
pub fn position(kind: Kind, name: &str) -> Option<usize> {
    kind.props()
        .iter()
        .position(|d| d.name == name)
        .filter(|p| *p < MAX_PROPS)
}

impl Values {
    /// Packs `(name, value)` pairs (a later pair for the same name wins); empty values
    /// and names outside the schema are dropped.
    pub fn pack<'a>(kind: Kind, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut slots: [Option<&str>; MAX_PROPS] = [None; MAX_PROPS];
        for (name, value) in pairs {
            if let Some(p) = position(kind, name) {
                // A later pair wins; an empty one clears the value.
                slots[p] = Some(value).filter(|v| !v.is_empty());
            }
        }
        let bits = slots
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .fold(0u16, |acc, (i, _)| acc | (1 << i));
        if bits == 0 {
            return Self::default();
        }
        let size: usize = slots
            .iter()
            .flatten()
            .map(|v| len_size(v.len()) + v.len())
            .sum();
        let mut out = Vec::with_capacity(2 + size);
        out.extend_from_slice(&bits.to_le_bytes());
        for value in slots.iter().flatten() {
            put_len(&mut out, value.len());
            out.extend_from_slice(value.as_bytes());
        }
        Self(out.into_boxed_slice())
    }

    fn bits(&self) -> u16 {
        match *self.0 {
            [a, b, ..] => u16::from_le_bytes([a, b]),
            _ => 0,
        }
    }

    /// Every stored value with its property position, in position order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        let bits = self.bits();
        let mut at = 2;
        (0..MAX_PROPS)
            .filter(move |p| bits & (1 << p) != 0)
            .map(move |p| {
                let len = take_len(&self.0, &mut at);
                let bytes = self.0.get(at..at + len).unwrap_or_default();
                at += len;
                // Packed from `&str`, so always UTF-8.
                (p, std::str::from_utf8(bytes).unwrap_or_default())
            })
    }

    /// The value at schema position `p`.
    pub fn get(&self, p: usize) -> Option<&str> {
        let bits = self.bits();
        if p >= MAX_PROPS || bits & (1 << p) == 0 {
            return None;
        }
        // Skip the values of the present properties before `p`.
        let mut at = 2;
        for _ in 0..(bits & ((1u16 << p) - 1)).count_ones() {
            let len = take_len(&self.0, &mut at);
            at += len;
        }
        let len = take_len(&self.0, &mut at);
        std::str::from_utf8(self.0.get(at..at + len)?).ok()
    }

    /// These values with `changes` applied (an empty value clears one).
    pub fn with<'a>(
        &'a self,
        kind: Kind,
        changes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let names = kind.props();
        let current = self.iter().map(|(p, v)| (names[p].name, v));
        Self::pack(kind, current.chain(changes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_change() {
        assert!(Kind::ALL.iter().all(|k| k.props().len() <= MAX_PROPS));
        let long = "é".repeat(300);
        let v = Values::pack(
            Kind::Contacts,
            [
                ("email", "a@b.co"),
                ("firstname", ""),
                ("lastname", long.as_str()),
                ("nope", "x"),
            ],
        );
        let names = |v: &Values| -> Vec<(&str, String)> {
            v.iter()
                .map(|(p, s)| (Kind::Contacts.props()[p].name, s.to_owned()))
                .collect()
        };
        assert_eq!(
            names(&v),
            vec![("lastname", long.clone()), ("email", "a@b.co".to_owned())]
        );
        let email = position(Kind::Contacts, "email").unwrap_or(99);
        assert_eq!(v.get(email), Some("a@b.co"));
        assert_eq!(v.get(0), None, "firstname was empty");
        let w = v.with(Kind::Contacts, [("email", ""), ("firstname", "Zoë")]);
        assert_eq!(
            names(&w),
            vec![("firstname", "Zoë".to_owned()), ("lastname", long)]
        );
        assert_eq!(Values::pack(Kind::Deals, []), Values::default());
    }
}

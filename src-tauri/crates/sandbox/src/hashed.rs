//! Maps keyed by a 64-bit hash of a value instead of the value itself, for indexes over
//! millions of rows that should not hold a second copy of every indexed string. The
//! stored row is the authority: a look-up confirms each candidate against it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The keys are hashes already; hashing them again would only cost time.
#[derive(Debug, Default, Clone, Copy)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a as a `Hasher`, for small maps of short strings built per request.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A map from [`hash`]es to `V`.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// FNV-1a over bytes: the hashes only spread keys over buckets (every hit is confirmed
/// against the stored value), so a fast, fixed hash is enough.
fn fnv(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The stable 64-bit hash of a key.
pub fn hash(key: &str) -> u64 {
    fnv(key.bytes())
}

/// [`hash`] of `text` lower-cased character by character, without building it.
pub fn hash_lower(text: &str) -> u64 {
    if text.is_ascii() {
        return fnv(text.bytes().map(|b| b.to_ascii_lowercase()));
    }
    let mut buf = [0u8; 4];
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for c in text.chars().flat_map(char::to_lowercase) {
        for b in c.encode_utf8(&mut buf).bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Whether `text` lower-cased (character by character) is `key`, without allocating.
pub fn lower_eq(text: &str, key: &str) -> bool {
    if text.is_ascii() {
        return text.len() == key.len()
            && text
                .bytes()
                .zip(key.bytes())
                .all(|(t, k)| t.to_ascii_lowercase() == k);
    }
    text.chars().flat_map(char::to_lowercase).eq(key.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_hashes_are_the_hashes_of_the_lowered_text() {
        for text in ["Same@X.io", "ZOË@Straße.de", "", "İstanbul"] {
            let lowered: String = text.chars().flat_map(char::to_lowercase).collect();
            assert_eq!(hash_lower(text), hash(&lowered), "{text}");
            assert!(lower_eq(text, &lowered));
        }
        assert_ne!(hash("a@x.io"), hash("b@x.io"));
    }
}

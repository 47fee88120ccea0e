//! Maps keyed by a 64-bit hash of a value instead of the value itself, for indexes over
//! millions of rows that should not hold a second copy of every indexed string. The
//! stored row is the authority: a look-up confirms each candidate against it.

use std::collections::hash_map::DefaultHasher;
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

/// A map from [`hash`]es to `V`.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// The stable 64-bit hash of a key (SipHash with fixed keys).
pub fn hash(key: &str) -> u64 {
    hash_chars(key.chars())
}

/// [`hash`] of the string these characters make, without building it.
pub fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    let mut h = DefaultHasher::new();
    let mut buf = [0u8; 4];
    for c in chars {
        h.write(c.encode_utf8(&mut buf).as_bytes());
    }
    h.write_u8(0xff);
    h.finish()
}

/// Whether `text` lower-cased (character by character) is `key`, without allocating.
pub fn lower_eq(text: &str, key: &str) -> bool {
    text.chars().flat_map(char::to_lowercase).eq(key.chars())
}

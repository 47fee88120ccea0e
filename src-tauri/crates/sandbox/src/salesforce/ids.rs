//! Salesforce record ids: 15 case-sensitive characters (a 3-character key prefix naming
//! the object, then instance and sequence characters) plus the 3-character
//! case-insensitive checksum that makes the 18-character form. The API answers with
//! 18-character ids and accepts both forms, so lookups normalise through [`normalize`].

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CHECKSUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// `n` in base 62, left-padded with `0` to `width` characters (so ids sort by `n`).
pub fn base62(mut n: u64, width: usize) -> String {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The 3-character suffix: for each 5-character chunk, a bit per uppercase letter.
fn checksum(id15: &[u8]) -> String {
    id15.chunks(5)
        .map(|chunk| {
            let flags = chunk
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            CHECKSUM[flags] as char
        })
        .collect()
}

/// An 18-character id: key prefix, two instance characters and a 10-digit sequence.
pub fn make(prefix: &str, pod: &str, n: u64) -> String {
    let id15 = format!("{prefix}{pod}{}", base62(n, 10));
    let sum = checksum(id15.as_bytes());
    format!("{id15}{sum}")
}

/// The canonical 18-character form of a 15- or 18-character id, if it is well formed.
pub fn normalize(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    if !(bytes.len() == 15 || bytes.len() == 18) || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let sum = checksum(&bytes[..15]);
    if bytes.len() == 18 && !raw[15..].eq_ignore_ascii_case(&sum) {
        return None;
    }
    Some(format!("{}{sum}", &raw[..15]))
}

/// Two instance characters derived from the seed, so different seeds give different ids.
pub fn pod(seed: u64) -> String {
    base62(seed % (62 * 62), 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_salesforce_ids() {
        // 15 → 18 conversions as Salesforce prints them.
        assert_eq!(
            normalize("001D000000K0fXO").as_deref(),
            Some("001D000000K0fXOIAZ")
        );
        assert_eq!(
            normalize("001d000000K0fXOIAZ"),
            None,
            "wrong case in the 15 changes the checksum"
        );
        assert_eq!(
            normalize("001D000000K0fXOiaz").as_deref(),
            Some("001D000000K0fXOIAZ")
        );
        assert_eq!(normalize("short"), None);
    }

    #[test]
    fn made_ids_are_18_chars_and_ordered() {
        let a = make("00Q", "Ab", 1);
        let b = make("00Q", "Ab", 62);
        assert_eq!(a.len(), 18);
        assert!(a < b);
        assert_eq!(normalize(&a[..15]), Some(a));
    }
}

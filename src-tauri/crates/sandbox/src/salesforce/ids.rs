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
        .map(|chunk| CHECKSUM[flags(chunk)] as char)
        .collect()
}

fn flags(chunk: &[u8]) -> usize {
    chunk
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_ascii_uppercase())
        .fold(0usize, |acc, (i, _)| acc | (1 << i))
}

/// The sequence number an id made by [`make`] carries (characters 6–15, base 62).
pub fn sequence(id: &str) -> Option<u64> {
    let digits = id.as_bytes().get(5..15)?;
    digits.iter().try_fold(0u64, |n, c| {
        let d = BASE62.iter().position(|b| b == c)? as u64;
        n.checked_mul(62)?.checked_add(d)
    })
}

/// An 18-character id: key prefix, two instance characters and a 10-digit sequence.
pub fn make(prefix: &str, pod: &str, n: u64) -> String {
    let (prefix, pod) = (prefix.as_bytes(), pod.as_bytes());
    if prefix.len() != 3 || pod.len() != 2 {
        let id15 = format!(
            "{}{}{}",
            String::from_utf8_lossy(prefix),
            String::from_utf8_lossy(pod),
            base62(n, 10)
        );
        let sum = checksum(id15.as_bytes());
        return format!("{id15}{sum}");
    }
    let mut id = [b'0'; 18];
    id[..3].copy_from_slice(prefix);
    id[3..5].copy_from_slice(pod);
    let mut rest = n;
    for slot in id[5..15].iter_mut().rev() {
        *slot = BASE62[(rest % 62) as usize];
        rest /= 62;
    }
    for (i, chunk) in [0usize, 5, 10].into_iter().enumerate() {
        id[15 + i] = CHECKSUM[flags(&id[chunk..chunk + 5])];
    }
    String::from_utf8_lossy(&id).into_owned()
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
        assert_eq!((sequence(&a), sequence(&b)), (Some(1), Some(62)));
        assert_eq!(sequence("00Qshort"), None);
        assert_eq!(normalize(&a[..15]), Some(a));
    }
}

//! LEB128 lengths for the packed stores (HubSpot values, Salesforce rows): seven bits a
//! byte, low bits first, the high bit set on every byte but the last.

/// Appends `n`.
pub(crate) fn put_len(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// How many bytes `put_len` takes for `n`.
pub(crate) fn len_size(mut n: usize) -> usize {
    let mut size = 1;
    while n >= 0x80 {
        n >>= 7;
        size += 1;
    }
    size
}

/// The length at `at`, moving past it.
pub(crate) fn take_len(bytes: &[u8], at: &mut usize) -> usize {
    let (mut len, mut shift) = (0usize, 0);
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        len |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_trip_in_the_bytes_they_say() {
        for n in [
            0,
            1,
            0x7f,
            0x80,
            300,
            0x3fff,
            0x4000,
            1 << 21,
            usize::MAX >> 1,
        ] {
            let mut out = vec![9];
            put_len(&mut out, n);
            assert_eq!(out.len() - 1, len_size(n), "{n}");
            let mut at = 1;
            assert_eq!(take_len(&out, &mut at), n);
            assert_eq!(at, out.len());
        }
        let mut out = Vec::new();
        put_len(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
    }
}

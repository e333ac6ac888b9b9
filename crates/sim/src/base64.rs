//! Base64 as Go's `encoding/base64.StdEncoding` does it: the alphabet with `+` and `/`, `=`
//! padding required, `\r` and `\n` skipped anywhere. The API server decodes a Secret's `data`
//! (and a ConfigMap's `binaryData`) with it, go-yaml decodes `!!binary` with it, and its errors
//! are what a user sees: `illegal base64 data at input byte 4` (`CorruptInputError`, the offset
//! as `decodeQuantum` computes it). Also `RawURLEncoding` (`-` and `_`, no padding), which
//! share links use.

/// The standard alphabet.
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The URL-safe alphabet.
const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `StdEncoding.EncodeToString`.
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, ALPHABET, true)
}

/// `RawURLEncoding.EncodeToString`: the URL-safe alphabet, no padding.
pub fn encode_raw_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_ALPHABET, false)
}

/// `RawURLEncoding.DecodeString` for text this module encoded; `None` for a character outside
/// the alphabet.
pub fn decode_raw_url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = URL_ALPHABET.iter().position(|&a| a == c)?;
        acc = (acc << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(alphabet[((v >> (18 - 6 * i)) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// `StdEncoding.DecodeString`; the error is the offset `CorruptInputError` reports.
pub fn decode(text: &str) -> Result<Vec<u8>, usize> {
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        si = decode_quantum(src, si, &mut out)?;
    }
    Ok(out)
}

/// The `CorruptInputError` text.
pub fn error_text(offset: usize) -> String {
    format!("illegal base64 data at input byte {offset}")
}

fn value_of(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// `decodeQuantum`: up to four characters from `si` into up to three bytes; the next offset.
fn decode_quantum(src: &[u8], mut si: usize, out: &mut Vec<u8>) -> Result<usize, usize> {
    let mut quantum = [0u8; 4];
    let mut len = 4;
    let mut j = 0;
    while j < 4 {
        let Some(&c) = src.get(si) else {
            if j == 0 {
                return Ok(si);
            }
            // Padding is required, so a short quantum is corrupt.
            return Err(si - j);
        };
        si += 1;
        if let Some(v) = value_of(c) {
            quantum[j] = v;
            j += 1;
            continue;
        }
        if is_newline(c) {
            continue;
        }
        if c != b'=' || j < 2 {
            return Err(si - 1);
        }
        if j == 2 {
            // "==" is expected; the first one is read.
            while src.get(si).copied().is_some_and(is_newline) {
                si += 1;
            }
            match src.get(si) {
                None => return Err(src.len()),
                Some(&b'=') => si += 1,
                Some(_) => return Err(si - 1),
            }
        }
        while src.get(si).copied().is_some_and(is_newline) {
            si += 1;
        }
        if si < src.len() {
            return Err(si);
        }
        len = j;
        break;
    }
    let v = (u32::from(quantum[0]) << 18)
        | (u32::from(quantum[1]) << 12)
        | (u32::from(quantum[2]) << 6)
        | u32::from(quantum[3]);
    let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    out.extend_from_slice(&bytes[..len - 1]);
    Ok(si)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0u8..=255).collect();
        for n in 0..40 {
            let text = encode(&data[..n]);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(decode(&text), Ok(data[..n].to_vec()), "{text}");
        }
        assert_eq!(encode(b"hunter2"), "aHVudGVyMg==");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode(b"admin"), "YWRtaW4=");
    }

    #[test]
    fn raw_url_round_trips_every_length() {
        let data: Vec<u8> = (0u8..=255).rev().collect();
        for n in 0..40 {
            let text = encode_raw_url(&data[..n]);
            assert!(!text.contains('=') && !text.contains('+') && !text.contains('/'));
            assert_eq!(decode_raw_url(&text), Some(data[..n].to_vec()), "{text}");
        }
        assert_eq!(decode_raw_url("a+b"), None);
    }

    #[test]
    fn errors_carry_go_offsets() {
        // A short quantum: Go reports where that quantum began.
        assert_eq!(decode("hunter2"), Err(4));
        assert_eq!(decode("abc"), Err(0));
        // An illegal character: its own offset.
        assert_eq!(decode("ab!d"), Err(2));
        assert_eq!(decode("my password"), Err(2));
        // Padding in the wrong place, missing, or followed by more data.
        assert_eq!(decode("a==="), Err(1));
        assert_eq!(decode("ab="), Err(3));
        assert_eq!(decode("ab=c"), Err(2));
        assert_eq!(decode("YWRtaW4=YWRt"), Err(8));
        assert_eq!(error_text(4), "illegal base64 data at input byte 4");
    }

    #[test]
    fn newlines_are_skipped() {
        assert_eq!(decode("YWRt\naW4=\n"), Ok(b"admin".to_vec()));
        assert_eq!(decode("YW\r\nRtaW4="), Ok(b"admin".to_vec()));
        assert_eq!(decode(""), Ok(Vec::new()));
    }
}

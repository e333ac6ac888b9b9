//! Share links: a lab's seed and files, as JSON deflated into the URL fragment
//! (`#lab=<base64url>`). A fragment is untrusted input: its size is bounded before and after
//! inflating, and anything malformed is an error, never a panic.

use svclab_protocol::{decode, encode, Seeded};

/// The fragment's key.
pub const PREFIX: &str = "lab=";

/// The longest fragment accepted (browsers keep far longer URLs; this keeps a link pasteable).
pub const MAX_FRAGMENT: usize = 64 * 1024;

/// The most a fragment may inflate to.
pub const MAX_INFLATED: usize = 1024 * 1024;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The fragment for a lab's seed and starting files (the journal is not shared).
pub fn share_fragment(lab: &Seeded) -> String {
    let shared = Seeded {
        seed: lab.seed,
        files: lab.files.clone(),
        journal: Vec::new(),
    };
    let deflated = miniz_oxide::deflate::compress_to_vec(encode(&shared).as_bytes(), 9);
    format!("{PREFIX}{}", base64url(&deflated))
}

/// The seed and files a fragment holds.
pub fn open_fragment(fragment: &str) -> Result<Seeded, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = fragment.strip_prefix(PREFIX) else {
        return Err("not a Service Lab share link (no lab= in the fragment)".into());
    };
    if data.len() > MAX_FRAGMENT {
        return Err(format!(
            "the share link is {} characters long; the lab reads at most {MAX_FRAGMENT}",
            data.len()
        ));
    }
    let deflated = unbase64url(data).ok_or("the share link is damaged (not base64url)")?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED)
        .map_err(|_| "the share link is damaged or too large to open")?;
    let text = String::from_utf8(json).map_err(|_| "the share link is damaged (not UTF-8)")?;
    let lab: Seeded = decode(&text).map_err(|e| format!("the share link is damaged: {e}"))?;
    Ok(Seeded {
        journal: Vec::new(),
        ..lab
    })
}

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use svclab_protocol::{FileEntry, Request};

    fn lab() -> Seeded {
        Seeded {
            seed: 42,
            files: vec![FileEntry {
                path: "manifests/svc.yaml".into(),
                text: "kind: Service # サービス\r\n\t<script>alert(1)</script>\n".into(),
            }],
            journal: vec![Request::Line("kubectl get pods".into())],
        }
    }

    #[test]
    fn a_link_round_trips_seed_and_files_byte_for_byte_without_the_journal() {
        let fragment = share_fragment(&lab());
        assert!(fragment.starts_with("lab="));
        assert!(fragment[4..].bytes().all(|b| ALPHABET.contains(&b)));
        let opened = open_fragment(&format!("#{fragment}")).expect("opens");
        assert_eq!(opened.seed, 42);
        assert_eq!(opened.files, lab().files);
        assert!(opened.journal.is_empty());
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)), Some(bytes));
        }
    }

    #[test]
    fn damaged_or_oversized_links_are_errors() {
        assert!(open_fragment("#other=1").is_err());
        assert!(open_fragment("#lab=!!!").is_err());
        assert!(open_fragment("#lab=AAAA").is_err());
        let long = format!("lab={}", "A".repeat(MAX_FRAGMENT + 1));
        assert!(open_fragment(&long).unwrap_err().contains("at most"));
        // A deflate bomb: 2 MB of zeros inflates past the limit.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 2 * MAX_INFLATED], 9);
        let fragment = format!("lab={}", base64url(&bomb));
        assert!(fragment.len() < MAX_FRAGMENT);
        assert!(open_fragment(&fragment).is_err());
    }
}

//! Share links: a lab's seed and files, as JSON deflated into the URL fragment
//! (`#lab=<base64url>`). A fragment is untrusted input: its size is bounded before and after
//! inflating, and anything malformed is an error, never a panic.

use svclab_protocol::{decode, encode, Seeded};
use svclab_sim::base64::{decode_raw_url, encode_raw_url};

/// The fragment's key.
pub const PREFIX: &str = "lab=";

/// The longest fragment accepted (browsers keep far longer URLs; this keeps a link pasteable).
pub const MAX_FRAGMENT: usize = 64 * 1024;

/// The most a fragment may inflate to.
pub const MAX_INFLATED: usize = 1024 * 1024;

/// The fragment for a lab's seed and starting files (the journal is not shared).
pub fn share_fragment(lab: &Seeded) -> String {
    let shared = Seeded {
        seed: lab.seed,
        files: lab.files.clone(),
        journal: Vec::new(),
    };
    let deflated = miniz_oxide::deflate::compress_to_vec(encode(&shared).as_bytes(), 9);
    format!("{PREFIX}{}", encode_raw_url(&deflated))
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
    let deflated = decode_raw_url(data).ok_or("the share link is damaged (not base64url)")?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED)
        .map_err(|_| "the share link is damaged or too large to open")?;
    let text = String::from_utf8(json).map_err(|_| "the share link is damaged (not UTF-8)")?;
    let lab: Seeded = decode(&text).map_err(|e| format!("the share link is damaged: {e}"))?;
    Ok(Seeded {
        journal: Vec::new(),
        ..lab
    })
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
        assert!(fragment[4..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let opened = open_fragment(&format!("#{fragment}")).expect("opens");
        assert_eq!(opened.seed, 42);
        assert_eq!(opened.files, lab().files);
        assert!(opened.journal.is_empty());
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
        let fragment = format!("lab={}", encode_raw_url(&bomb));
        assert!(fragment.len() < MAX_FRAGMENT);
        assert!(open_fragment(&fragment).is_err());
    }
}

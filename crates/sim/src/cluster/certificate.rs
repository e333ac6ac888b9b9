//! The cluster CA certificate's text. A kubeadm CA is a self-signed RSA 2048 certificate with
//! CN `kubernetes`, valid ten years: 1,107 bytes of PEM. Its DER starts with the same bytes
//! on every cluster (`MIIDBTCCAe2gAwIBAgII`: a 0x305-byte SEQUENCE, version 3, an 8-byte
//! serial); the rest is drawn from the cluster's name, so one cluster always shows one text.

use crate::names::fnv32a;

/// The certificate's fixed opening (base64 of the DER header kubeadm's CA certificates share).
const DER_OPENING: &str = "MIIDBTCCAe2gAwIBAgII";

/// Base64 characters of the whole DER (0x309 bytes).
const BASE64_LEN: usize = 1036;

/// Characters from a fixed generator seeded by `seed` (xorshift32 over its FNV hash: cheap,
/// fixed, and not the lab's seeded generator).
fn drawn(seed: &str, alphabet: &[u8], count: usize) -> String {
    let mut state = fnv32a(seed.as_bytes()).max(1);
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            char::from(alphabet[(state as usize) % alphabet.len()])
        })
        .collect()
}

/// The bootstrap signer's detached JWS over the cluster-info kubeconfig for kind's token
/// `abcdef.0123456789abcdef`: the protected header `{"alg":"HS256","kid":"abcdef"}`, an
/// empty payload, and a 43-character HMAC-SHA256 signature (drawn here, not computed).
pub(super) fn bootstrap_jws(cluster_name: &str) -> String {
    let url_safe = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    format!(
        "eyJhbGciOiJIUzI1NiIsImtpZCI6ImFiY2RlZiJ9..{}",
        drawn(&format!("{cluster_name}/jws"), url_safe, 43)
    )
}

/// The PEM text, lines of 64 characters, ending in a newline.
pub(super) fn ca_pem(cluster_name: &str) -> String {
    let mut body = String::from(DER_OPENING);
    body.push_str(&drawn(
        cluster_name,
        crate::base64::ALPHABET,
        BASE64_LEN - DER_OPENING.len(),
    ));
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_has_the_shape_of_a_kubeadm_ca() {
        let pem = ca_pem("kind");
        assert_eq!(pem.len(), 1107);
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgII"));
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(pem, ca_pem("kind"));
        assert_ne!(pem, ca_pem("other"));
    }
}

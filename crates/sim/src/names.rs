//! Names the API server and controllers generate: `generateName` suffixes and pod-template hashes.

use sha2::{Digest, Sha256};

use crate::random::LabRng;

/// The alphabet of generated suffixes: no vowels and no confusable characters
/// (k8s.io/apimachinery/pkg/util/rand/rand.go, `alphanums`).
const ALPHANUMS: &[u8; 27] = b"bcdfghjklmnpqrstvwxz2456789";

/// `generateName` keeps at most this much of the base (apiserver/pkg/storage/names/generate.go:
/// maxNameLength 63 minus randomLength 5).
const MAX_GENERATED_BASE: usize = 58;

/// The length of a generated suffix (`randomLength`).
const RANDOM_LENGTH: usize = 5;

/// A stand-in for a random id the real component draws (a container id, a token volume's
/// suffix): the SHA-256 of `input` in hex, so that a seeded lab names it the same every time.
pub fn stable_hex(input: &str) -> String {
    Sha256::digest(input.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// As [`stable_hex`], as `n` characters of the suffix alphabet (`utilrand.String(n)`'s look).
pub fn stable_suffix(input: &str, n: usize) -> String {
    Sha256::digest(input.as_bytes())
        .iter()
        .take(n)
        .map(|b| char::from(ALPHANUMS[usize::from(*b) % ALPHANUMS.len()]))
        .collect()
}

/// `utilrand.String(n)`: `n` characters drawn uniformly from the suffix alphabet.
pub fn random_string(rng: &mut LabRng, n: usize) -> String {
    (0..n)
        .map(|_| {
            let i = rng.below(ALPHANUMS.len() as u64) as usize;
            char::from(ALPHANUMS.get(i).copied().unwrap_or(b'x'))
        })
        .collect()
}

/// The name the API server gives an object created with `generateName: base`.
pub fn generate_name(rng: &mut LabRng, base: &str) -> String {
    let mut kept: String = String::new();
    for c in base.chars() {
        if kept.len() + c.len_utf8() > MAX_GENERATED_BASE {
            break;
        }
        kept.push(c);
    }
    kept + &random_string(rng, RANDOM_LENGTH)
}

/// `rand.SafeEncodeString`: each byte maps to `alphanums[byte % 27]`, so that a decimal hash
/// reads like a name without vowels (digits become `456789bcdf`).
pub fn safe_encode_string(s: &str) -> String {
    s.bytes()
        .map(|b| char::from(ALPHANUMS[usize::from(b) % ALPHANUMS.len()]))
        .collect()
}

/// The 32-bit FNV-1a hash, which `controller.ComputeHash` feeds the pod template into.
pub fn fnv32a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// A `pod-template-hash` label value from a canonical text of the template and the collision count.
///
/// Real Kubernetes hashes Go's spew dump of the template (pkg/controller/controller_utils.go,
/// `ComputeHash`); the lab hashes its own canonical text, so values have the real alphabet and
/// length but not the real digits.
pub fn pod_template_hash(canonical_template: &str, collision_count: Option<u32>) -> String {
    let mut bytes = canonical_template.as_bytes().to_vec();
    if let Some(count) = collision_count {
        bytes.extend_from_slice(&count.to_le_bytes());
    }
    safe_encode_string(&fnv32a(&bytes).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_encode_as_kubernetes_does() {
        // '0'..'9' are bytes 48..57; 48 % 27 = 21 -> '4', ..., 57 % 27 = 3 -> 'f'.
        assert_eq!(safe_encode_string("0123456789"), "456789bcdf");
    }

    #[test]
    fn fnv32a_matches_the_reference_vectors() {
        // Test vectors of the FNV-1a 32-bit hash.
        assert_eq!(fnv32a(b""), 0x811c9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c292c);
        assert_eq!(fnv32a(b"foobar"), 0xbf9cf968);
    }

    #[test]
    fn generated_names_use_the_suffix_alphabet() {
        let mut rng = LabRng::from_seed(3);
        let name = generate_name(&mut rng, "nginx-replicaset-");
        let suffix = name
            .strip_prefix("nginx-replicaset-")
            .expect("keeps the base");
        assert_eq!(suffix.len(), 5);
        assert!(suffix.bytes().all(|b| ALPHANUMS.contains(&b)), "{suffix}");
    }

    #[test]
    fn a_long_base_is_cut_to_58_characters() {
        let mut rng = LabRng::from_seed(3);
        let name = generate_name(&mut rng, &"a".repeat(80));
        assert_eq!(name.len(), 63);
        assert!(name.starts_with(&"a".repeat(58)));
    }

    #[test]
    fn template_hashes_have_the_real_alphabet() {
        let hash = pod_template_hash("nginx:latest", None);
        assert!(hash.bytes().all(|b| b"456789bcdf".contains(&b)), "{hash}");
        assert!((1..=10).contains(&hash.len()));
        assert_ne!(hash, pod_template_hash("nginx:latest", Some(1)));
    }
}

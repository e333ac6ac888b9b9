//! Chain-name hashing, verbatim from pkg/proxy/iptables/proxier.go (`portProtoHash`,
//! `servicePortEndpointChainName`): sha256, base32 (RFC 4648 standard alphabet), first 16 chars.

use sha2::{Digest, Sha256};

/// Prefix of the Cluster-policy service chain.
pub const SVC_PREFIX: &str = "KUBE-SVC-";
/// Prefix of the Local-policy service chain.
pub const SVL_PREFIX: &str = "KUBE-SVL-";
/// Prefix of the loadBalancerSourceRanges firewall chain.
pub const FW_PREFIX: &str = "KUBE-FW-";
/// Prefix of the external-destinations chain.
pub const EXT_PREFIX: &str = "KUBE-EXT-";
/// Prefix of the per-endpoint chain.
pub const SEP_PREFIX: &str = "KUBE-SEP-";

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Go's `base32.StdEncoding.EncodeToString` (with `=` padding).
pub fn base32_std(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        for (b, d) in buf.iter_mut().zip(chunk) {
            *b = *d;
        }
        let v = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        // Number of output symbols carrying data for 1..=5 input bytes.
        let symbols = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < symbols {
                let idx = ((v >> (35 - 5 * i)) & 0x1f) as usize;
                out.push(ALPHABET.get(idx).map_or('=', |b| char::from(*b)));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hash16(input: &str) -> String {
    let digest = Sha256::digest(input.as_bytes());
    let mut s = base32_std(&digest);
    s.truncate(16);
    s
}

/// `portProtoHash(servicePortName, protocol)`: the 16-char hash shared by SVC/SVL/EXT/FW.
pub fn port_proto_hash(service_port_name: &str, protocol: &str) -> String {
    hash16(&format!("{service_port_name}{protocol}"))
}

/// `KUBE-SVC-<hash>`.
pub fn svc_chain(service_port_name: &str, protocol: &str) -> String {
    format!(
        "{SVC_PREFIX}{}",
        port_proto_hash(service_port_name, protocol)
    )
}

/// `KUBE-SVL-<hash>`.
pub fn svl_chain(service_port_name: &str, protocol: &str) -> String {
    format!(
        "{SVL_PREFIX}{}",
        port_proto_hash(service_port_name, protocol)
    )
}

/// `KUBE-FW-<hash>`.
pub fn fw_chain(service_port_name: &str, protocol: &str) -> String {
    format!(
        "{FW_PREFIX}{}",
        port_proto_hash(service_port_name, protocol)
    )
}

/// `KUBE-EXT-<hash>`.
pub fn ext_chain(service_port_name: &str, protocol: &str) -> String {
    format!(
        "{EXT_PREFIX}{}",
        port_proto_hash(service_port_name, protocol)
    )
}

/// `servicePortEndpointChainName`: `KUBE-SEP-<hash(name + protocol + "ip:port")>`.
pub fn sep_chain(service_port_name: &str, protocol: &str, endpoint: &str) -> String {
    format!(
        "{SEP_PREFIX}{}",
        hash16(&format!("{service_port_name}{protocol}{endpoint}"))
    )
}

/// `isServiceChainName`: chains kube-proxy owns per service and deletes when stale.
pub fn is_service_chain_name(name: &str) -> bool {
    [SVC_PREFIX, SVL_PREFIX, SEP_PREFIX, FW_PREFIX, EXT_PREFIX]
        .iter()
        .any(|p| name.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648_vectors() {
        assert_eq!(base32_std(b""), "");
        assert_eq!(base32_std(b"f"), "MY======");
        assert_eq!(base32_std(b"fo"), "MZXQ====");
        assert_eq!(base32_std(b"foo"), "MZXW6===");
        assert_eq!(base32_std(b"foob"), "MZXW6YQ=");
        assert_eq!(base32_std(b"fooba"), "MZXW6YTB");
        assert_eq!(base32_std(b"foobar"), "MZXW6YTBOI======");
    }

    /// Chain names from pkg/proxy/iptables/proxier_test.go expectations.
    #[test]
    fn chain_names_match_upstream_tests() {
        assert_eq!(
            svc_chain("ns1/svc1:p80", "tcp"),
            "KUBE-SVC-XPGD46QRK7WJZT7O"
        );
        assert_eq!(
            svc_chain("ns2/svc2:p8080", "tcp"),
            "KUBE-SVC-2VJB64SDSIJUP5T6"
        );
        assert_eq!(
            sep_chain("ns1/svc1:p80", "tcp", "10.0.1.1:80"),
            "KUBE-SEP-SNQ3ZNILQDEJNDQO"
        );
        assert_eq!(
            sep_chain("ns2/svc2:p8080", "tcp", "10.0.2.1:8080"),
            "KUBE-SEP-UHEGFW77JX3KXTOV"
        );
        assert_eq!(fw_chain("ns5/svc5:p80", "tcp"), "KUBE-FW-NUKIZ6OKUXPJNT4C");
        assert_eq!(
            ext_chain("ns2/svc2:p80", "tcp"),
            "KUBE-EXT-GNZBNJ2PO5MGZ6GT"
        );
        assert_eq!(
            svl_chain("ns2/svc2:p80", "tcp"),
            "KUBE-SVL-GNZBNJ2PO5MGZ6GT"
        );
        // Real-world kind capture: default/kubernetes:https.
        assert_eq!(
            svc_chain("default/kubernetes:https", "tcp"),
            "KUBE-SVC-NPX46M4PTMTKRN6Y"
        );
        assert!(is_service_chain_name("KUBE-SEP-X"));
        assert!(!is_service_chain_name("KUBE-SERVICES"));
    }
}

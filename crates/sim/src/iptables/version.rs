//! Which iptables userspace prints the output: the `prot` column differs between releases.

/// The iptables release inside the kind node image.
///
/// Commit da8ecc62 ("xshared: Print protocol numbers if --numeric was given", v1.8.9, v1.8.10)
/// makes `-L -n` print `0`/`6`/`17` in the `prot` column; its revert 34f085b1 (v1.8.11) restores
/// `all`/`tcp`/`udp`. kind v0.21–v0.31 node images are built on `debian:bookworm-slim`
/// (iptables 1.8.9, numbers); kind v0.32.0+ uses `debian:trixie-slim` (1.8.11, names).
/// Source: iptables/xshared.c `print_rule_details`, kind `images/base/Dockerfile`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum IptablesVersion {
    /// iptables 1.8.9 (kind v0.21–v0.31): numeric protocols with `-n`.
    V1_8_9,
    /// iptables 1.8.11 (kind v0.32.0+): protocol names even with `-n`.
    #[default]
    V1_8_11,
}

impl IptablesVersion {
    /// The version string iptables-save prints in its header comment.
    pub fn as_str(self) -> &'static str {
        match self {
            IptablesVersion::V1_8_9 => "1.8.9",
            IptablesVersion::V1_8_11 => "1.8.11",
        }
    }

    /// Whether `-L -n` prints protocol numbers instead of names.
    pub fn numeric_protocols(self) -> bool {
        matches!(self, IptablesVersion::V1_8_9)
    }
}

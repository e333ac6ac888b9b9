//! The `-p` protocol of a rule.

/// A layer-4 protocol as stored in `ipt_ip.proto` (0 means "all").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Any protocol (number 0, printed `all`).
    All,
    /// TCP (6).
    Tcp,
    /// UDP (17).
    Udp,
    /// SCTP (132).
    Sctp,
    /// ICMP (1).
    Icmp,
    /// Any other protocol number.
    Other(u8),
}

impl Protocol {
    /// The IP protocol number.
    pub fn number(self) -> u8 {
        match self {
            Protocol::All => 0,
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Sctp => 132,
            Protocol::Icmp => 1,
            Protocol::Other(n) => n,
        }
    }

    /// From a protocol number.
    pub fn from_number(n: u8) -> Self {
        match n {
            0 => Protocol::All,
            6 => Protocol::Tcp,
            17 => Protocol::Udp,
            132 => Protocol::Sctp,
            1 => Protocol::Icmp,
            n => Protocol::Other(n),
        }
    }

    /// Parses a `-p` argument the way xtables_parse_protocol does (number or known name).
    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(n) = text.parse::<u8>() {
            return Some(Self::from_number(n));
        }
        match text.to_ascii_lowercase().as_str() {
            "all" => Some(Protocol::All),
            "tcp" => Some(Protocol::Tcp),
            "udp" => Some(Protocol::Udp),
            "sctp" => Some(Protocol::Sctp),
            "icmp" => Some(Protocol::Icmp),
            _ => None,
        }
    }

    /// The name from `xtables_chain_protos` (libxtables/xtables.c), if the protocol has one.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Protocol::All => Some("all"),
            Protocol::Tcp => Some("tcp"),
            Protocol::Udp => Some("udp"),
            Protocol::Sctp => Some("sctp"),
            Protocol::Icmp => Some("icmp"),
            Protocol::Other(_) => None,
        }
    }
}

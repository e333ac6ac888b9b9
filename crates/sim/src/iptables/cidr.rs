//! IPv4 address/prefix matches (`-s`, `-d`) as iptables stores them: address already masked.

use std::fmt;
use std::net::Ipv4Addr;

/// An IPv4 network `addr/prefix`, stored masked the way the kernel keeps `ip.src`/`ip.smsk`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4Cidr {
    addr: Ipv4Addr,
    prefix: u8,
}

impl Ipv4Cidr {
    /// Builds a network, masking host bits (iptables does this when parsing `-s 10.1.2.3/8`).
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Self {
        let prefix = prefix.min(32);
        let masked = u32::from(addr) & Self::mask_bits(prefix);
        Self {
            addr: Ipv4Addr::from(masked),
            prefix,
        }
    }

    /// A single host (`/32`).
    pub fn host(addr: Ipv4Addr) -> Self {
        Self::new(addr, 32)
    }

    /// `0.0.0.0/0`, the "match anything" value iptables stores when `-s`/`-d` is absent.
    pub fn any() -> Self {
        Self::new(Ipv4Addr::UNSPECIFIED, 0)
    }

    /// Parses `a.b.c.d` or `a.b.c.d/len` (surrounding whitespace is ignored, as kube-proxy trims it).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        match text.split_once('/') {
            Some((addr, len)) => {
                let addr: Ipv4Addr = addr.parse().ok()?;
                let len: u8 = len.parse().ok()?;
                (len <= 32).then(|| Self::new(addr, len))
            }
            None => text.parse().ok().map(Self::host),
        }
    }

    /// The (masked) network address.
    pub fn addr(&self) -> Ipv4Addr {
        self.addr
    }

    /// The prefix length, 0..=32.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// True for `0.0.0.0/0`.
    pub fn is_any(&self) -> bool {
        self.prefix == 0
    }

    /// Whether `ip` lies inside this network.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & Self::mask_bits(self.prefix) == u32::from(self.addr)
    }

    fn mask_bits(prefix: u8) -> u32 {
        match prefix {
            0 => 0,
            p => u32::MAX << (32 - u32::from(p.min(32))),
        }
    }

    /// `-L -n` form: xtables_ipaddr_to_numeric + xtables_ipmask_to_numeric, which hides `/32`.
    pub fn to_list_numeric(&self) -> String {
        if self.prefix == 32 {
            self.addr.to_string()
        } else {
            format!("{}/{}", self.addr, self.prefix)
        }
    }
}

impl fmt::Display for Ipv4Cidr {
    /// The iptables-save form (`save_ipv4_addr` always prints `/mask`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A `[!] -s`/`-d` match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AddrMatch {
    /// The network to compare with.
    pub cidr: Ipv4Cidr,
    /// `!` given before the option.
    pub invert: bool,
}

impl AddrMatch {
    /// A non-inverted match.
    pub fn new(cidr: Ipv4Cidr) -> Self {
        Self {
            cidr,
            invert: false,
        }
    }

    /// Whether a packet address satisfies the match.
    pub fn matches(&self, ip: Ipv4Addr) -> bool {
        self.cidr.contains(ip) != self.invert
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_masks_host_bits_and_prints_both_forms() {
        let c = Ipv4Cidr::parse(" 203.0.113.7/25").unwrap();
        assert_eq!(c.to_string(), "203.0.113.0/25");
        let h = Ipv4Cidr::parse("10.96.0.1").unwrap();
        assert_eq!(h.to_string(), "10.96.0.1/32");
        assert_eq!(h.to_list_numeric(), "10.96.0.1");
        assert_eq!(Ipv4Cidr::any().to_list_numeric(), "0.0.0.0/0");
        assert!(Ipv4Cidr::parse("1.2.3.4/33").is_none());
        assert!(Ipv4Cidr::parse("nope").is_none());
        assert!(c.contains("203.0.113.100".parse().unwrap()));
        assert!(!c.contains("203.0.113.200".parse().unwrap()));
    }
}

//! Go's `net.ParseIP`, `net.ParseCIDR`, `IP.String` and `IP.To4`, as kind's validation uses
//! them (validate.go `validateSubnets`, `validatePortMappings`). Built on `std::net`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A parsed address in Go's 16-byte form (IPv4 as `::ffff:a.b.c.d`).
pub(crate) type GoIp = [u8; 16];

/// `net.ParseIP`: `None` is Go's nil IP.
pub(crate) fn parse_ip(s: &str) -> Option<GoIp> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(v4.to_ipv6_mapped().octets()),
        IpAddr::V6(v6) => Some(v6.octets()),
    }
}

/// `IP.To4() != nil`.
pub(crate) fn is_v4(ip: &GoIp) -> bool {
    ip.get(..10).is_some_and(|z| z.iter().all(|&b| b == 0)) && ip.get(10..12) == Some(&[0xff, 0xff])
}

/// `IP.String()`; Go prints a nil IP as `<nil>`.
pub(crate) fn format_ip(ip: Option<&GoIp>) -> String {
    match ip {
        None => "<nil>".to_owned(),
        Some(ip) if is_v4(ip) => {
            let b = |i: usize| ip.get(i).copied().unwrap_or(0);
            Ipv4Addr::new(b(12), b(13), b(14), b(15)).to_string()
        }
        // Rust and Go agree on RFC 5952 text for everything but mapped addresses (handled above).
        Some(ip) => Ipv6Addr::from(*ip).to_string(),
    }
}

/// A CIDR as `net.ParseCIDR` returns its network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    /// The masked network address, 16-byte form.
    pub network: GoIp,
    /// Prefix length within the family's bits (32 or 128).
    pub prefix: u8,
    /// Written as IPv4 (`a.b.c.d/n`), so the mask is 32 bits wide.
    pub v4: bool,
}

impl Cidr {
    /// `IPNet.IP.To4() != nil`: the network counts as IPv4.
    pub fn is_v4(&self) -> bool {
        self.v4 || is_v4(&self.network)
    }
}

/// `net.ParseCIDR`; the error is Go's `invalid CIDR address: <s>`.
pub(crate) fn parse_cidr(s: &str) -> Result<Cidr, String> {
    let err = || format!("invalid CIDR address: {s}");
    let (addr, mask) = s.split_once('/').ok_or_else(err)?;
    let ip = addr.parse::<IpAddr>().map_err(|_| err())?;
    // Go's dtoi: decimal digits only (leading zeros fine), at least one.
    if mask.is_empty() || mask.len() > 3 || !mask.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    let n: u32 = mask.parse().map_err(|_| err())?;
    match ip {
        IpAddr::V4(v4) => {
            if n > 32 {
                return Err(err());
            }
            let bits = u32::from(v4) & mask_u32(n);
            Ok(Cidr {
                network: Ipv4Addr::from(bits).to_ipv6_mapped().octets(),
                prefix: n as u8,
                v4: true,
            })
        }
        IpAddr::V6(v6) => {
            if n > 128 {
                return Err(err());
            }
            let bits = u128::from(v6) & mask_u128(n);
            Ok(Cidr {
                network: Ipv6Addr::from(bits).octets(),
                prefix: n as u8,
                v4: false,
            })
        }
    }
}

fn mask_u32(n: u32) -> u32 {
    u32::MAX.checked_shl(32 - n.min(32)).unwrap_or(0)
}

fn mask_u128(n: u32) -> u128 {
    u128::MAX.checked_shl(128 - n.min(128)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format_like_go() {
        let cases = [
            ("127.0.0.1", "127.0.0.1"),
            ("0.0.0.0", "0.0.0.0"),
            ("::", "::"),
            ("::ffff:1.2.3.4", "1.2.3.4"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ];
        for (input, want) in cases {
            assert_eq!(format_ip(parse_ip(input).as_ref()), want, "{input}");
        }
        assert_eq!(parse_ip(""), None);
        assert_eq!(parse_ip("localhost"), None);
        assert_eq!(format_ip(None), "<nil>");
    }

    #[test]
    fn parse_cidr_like_go() {
        let c = parse_cidr("10.244.1.7/16").unwrap();
        assert!(c.is_v4());
        assert_eq!(c.prefix, 16);
        assert_eq!(format_ip(Some(&c.network)), "10.244.0.0");
        let c = parse_cidr("fd00:10:244::/56").unwrap();
        assert!(!c.is_v4());
        for bad in [
            "10.244.0.0",
            "10.244.0.0/33",
            "10.244.0.0/",
            "x/8",
            "10.0.0.0/+8",
            " 10.0.0.0/8",
        ] {
            assert_eq!(
                parse_cidr(bad),
                Err(format!("invalid CIDR address: {bad}")),
                "{bad}"
            );
        }
        assert_eq!(parse_cidr("10.0.0.0/008").map(|c| c.prefix), Ok(8));
    }
}

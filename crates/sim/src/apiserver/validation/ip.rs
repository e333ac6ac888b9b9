//! IP and CIDR checks as Kubernetes v1.33 applies them.
//!
//! v1.33 parses with `netutils.ParseIPSloppy` / `ParseCIDRSloppy` (leading zeros accepted) and,
//! with the StrictIPCIDRValidation gate off (alpha in v1.33), reports only unparsable values
//! (`staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go`, `IsValidIPForLegacyField`,
//! `IsValidCIDRForLegacyField`). `ValidateNonSpecialIP` is in
//! `pkg/apis/core/validation/validation.go`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::apiserver::errors::{BadValue, FieldError, FieldPath};

/// Go's pre-1.17 `net.ParseIP` for IPv4 (what `ParseIPSloppy` keeps): four decimal fields,
/// leading zeros allowed, each at most 255.
fn parse_ipv4_sloppy(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for o in octets.iter_mut() {
        let p = parts.next()?;
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut n: u32 = 0;
        for c in p.bytes() {
            n = n * 10 + u32::from(c - b'0');
            if n > 255 {
                return None;
            }
        }
        *o = u8::try_from(n).ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(Ipv4Addr::from(octets))
}

/// `netutils.ParseIPSloppy`: an IPv4 or IPv6 address, or `None`.
pub fn parse_ip_sloppy(s: &str) -> Option<IpAddr> {
    if s.contains(':') {
        // IPv6, possibly with an embedded IPv4 tail; the standard parser accepts what Go's does
        // for the forms the lab meets (no zones).
        s.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        parse_ipv4_sloppy(s).map(IpAddr::V4)
    }
}

/// `netutils.ParseCIDRSloppy`: the masked network and prefix length, or `None`.
pub fn parse_cidr_sloppy(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = s.split_once('/')?;
    if bits.is_empty() || !bits.bytes().all(|c| c.is_ascii_digit()) || bits.len() > 4 {
        return None;
    }
    let bits: u32 = bits.parse().ok()?;
    let ip = parse_ip_sloppy(ip)?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if bits > max {
        return None;
    }
    let bits = u8::try_from(bits).ok()?;
    let masked = match ip {
        IpAddr::V4(v4) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(bits))
            };
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(bits))
            };
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    };
    Some((masked, bits))
}

/// The IPv4 address Go treats an address as (`To4`): IPv4 itself or an IPv4-mapped IPv6.
fn as_v4(ip: IpAddr) -> Option<Ipv4Addr> {
    match ip {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => v6.to_ipv4_mapped(),
    }
}

/// Whether Go's `netutils.IsIPv6String` holds: parses and is not IPv4 (or IPv4-mapped).
pub fn is_ipv6_string(s: &str) -> bool {
    parse_ip_sloppy(s).is_some_and(|ip| as_v4(ip).is_none())
}

/// `IsValidIPForLegacyField(path, value, strict=false, nil)`.
pub fn validate_ip(path: &FieldPath, value: &str) -> Vec<FieldError> {
    if parse_ip_sloppy(value).is_some() {
        Vec::new()
    } else {
        vec![FieldError::invalid(
            path,
            BadValue::str(value),
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        )]
    }
}

/// `IsValidCIDRForLegacyField(path, value, strict=false, nil)`.
pub fn validate_cidr(path: &FieldPath, value: &str) -> Vec<FieldError> {
    if parse_cidr_sloppy(value).is_some() {
        Vec::new()
    } else {
        vec![FieldError::invalid(
            path,
            BadValue::str(value),
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        )]
    }
}

/// `ValidateNonSpecialIP`: endpoints and external IPs may not be unspecified, loopback or
/// link-local.
pub fn validate_non_special_ip(value: &str, path: &FieldPath) -> Vec<FieldError> {
    let ip = match parse_ip_sloppy(value) {
        Some(ip) => ip,
        None => {
            return vec![FieldError::invalid(
                path,
                BadValue::str(value),
                "must be a valid IP address",
            )]
        }
    };
    let (unspecified, loopback, link_local, link_local_multicast) = match as_v4(ip) {
        Some(v4) => {
            let o = v4.octets();
            (
                v4.is_unspecified(),
                v4.is_loopback(),
                o[0] == 169 && o[1] == 254,
                o[0] == 224 && o[1] == 0 && o[2] == 0,
            )
        }
        None => {
            let seg = match ip {
                IpAddr::V6(v6) => v6.segments(),
                IpAddr::V4(_) => [0; 8],
            };
            (
                ip.is_unspecified(),
                ip.is_loopback(),
                seg[0] & 0xffc0 == 0xfe80,
                seg[0] & 0xff0f == 0xff02,
            )
        }
    };
    let mut errs = Vec::new();
    if unspecified {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(value),
            &format!("may not be unspecified ({value})"),
        ));
    }
    if loopback {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(value),
            "may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ));
    }
    if link_local {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(value),
            "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ));
    }
    if link_local_multicast {
        errs.push(FieldError::invalid(
            path,
            BadValue::str(value),
            "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sloppy_parsing_accepts_leading_zeros() {
        assert_eq!(
            parse_ip_sloppy("010.096.000.001"),
            Some(IpAddr::V4(Ipv4Addr::new(10, 96, 0, 1)))
        );
        assert!(parse_ip_sloppy("256.1.1.1").is_none());
        assert!(parse_ip_sloppy("1.2.3").is_none());
        assert!(parse_ip_sloppy("1.2.3.4.5").is_none());
        assert!(parse_ip_sloppy("").is_none());
        assert!(parse_ip_sloppy("2001:db8::1").is_some());
        assert_eq!(
            parse_cidr_sloppy("10.96.1.2/16"),
            Some((IpAddr::V4(Ipv4Addr::new(10, 96, 0, 0)), 16))
        );
        assert!(parse_cidr_sloppy("10.0.0.0/33").is_none());
        assert!(parse_cidr_sloppy("10.0.0.0").is_none());
        assert!(parse_cidr_sloppy("0.0.0.0/0").is_some());
        assert!(is_ipv6_string("::1"));
        assert!(!is_ipv6_string("::ffff:1.2.3.4"));
    }

    #[test]
    fn messages() {
        let p = FieldPath::new("spec").child("externalIPs").index(0);
        assert_eq!(
            validate_ip(&p, "nope")[0].to_string(),
            "spec.externalIPs[0]: Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
        );
        assert_eq!(
            validate_cidr(&FieldPath::new("spec.LoadBalancerSourceRanges[0]"), "1.2.3.4")[0]
                .to_string(),
            "spec.LoadBalancerSourceRanges[0]: Invalid value: \"1.2.3.4\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
        );
        let msgs: Vec<String> = [
            "0.0.0.0",
            "127.0.0.1",
            "169.254.1.1",
            "224.0.0.5",
            "fe80::1",
        ]
        .iter()
        .map(|ip| validate_non_special_ip(ip, &p)[0].detail.clone())
        .collect();
        assert_eq!(
            msgs,
            [
                "may not be unspecified (0.0.0.0)",
                "may not be in the loopback range (127.0.0.0/8, ::1/128)",
                "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
                "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
                "may not be in the link-local range (169.254.0.0/16, fe80::/10)",
            ]
        );
        assert!(validate_non_special_ip("10.244.1.5", &p).is_empty());
    }
}

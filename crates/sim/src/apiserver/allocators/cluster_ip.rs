//! ClusterIP allocation from a service CIDR such as kind's `10.96.0.0/16`.
//!
//! Kubernetes v1.33 serves ClusterIPs through the MultiCIDRServiceAllocator (GA in v1.33:
//! `networking.k8s.io/v1` ServiceCIDR and IPAddress were introduced at 1.33), so the behaviour
//! and words are those of `pkg/registry/core/service/ipallocator/cidrallocator.go`
//! (`MetaAllocator`) and `ipallocator.go` (`Allocator`), with errors from `interfaces.go`:
//! - usable addresses are network+1 to broadcast-1; `calculateRangeOffset` is
//!   `min(max(16, cidrSize/16), 256)` (256 for a /16);
//! - dynamic allocation starts at a random address of the upper subrange and scans upward with
//!   wrap-around, then the lower subrange (`allocateNextService`);
//! - a requested IP outside every ServiceCIDR fails with `ErrMismatchedNetwork` (the
//!   MetaAllocator finds no allocator for it); the network or broadcast address of the CIDR
//!   fails with `ErrNotInRange`; a taken one with `ErrAllocated`.
//!
//! `pkg/registry/core/service/storage/alloc.go` wraps them: static failures as
//! `spec.clusterIPs: Invalid value: []string{...}: failed to allocate IP <ip>: <err>`, dynamic
//! ones as `Internal error occurred: failed to allocate a serviceIP: <err>`.

use std::fmt;
use std::net::Ipv4Addr;

use super::bitmap::Bitmap;
use crate::apiserver::errors::{BadValue, FieldError, FieldPath, StatusError};
use crate::apiserver::validation::ip::parse_ip_sloppy;
use crate::random::LabRng;

/// Why a ClusterIP could not be allocated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterIpError {
    /// `ErrFull`: no address left.
    Full,
    /// `ErrAllocated`: the requested address is taken.
    Allocated,
    /// `ErrMismatchedNetwork`: the requested address is in no service CIDR.
    MismatchedNetwork,
    /// `ErrNotInRange`: in the CIDR but not usable (its network or broadcast address).
    NotInRange {
        /// The requested address.
        ip: String,
        /// The CIDR, e.g. `10.96.0.0/16`.
        valid_range: String,
    },
    /// The request is not an IPv4 address of this family.
    Unparsable(String),
}

impl fmt::Display for ClusterIpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterIpError::Full => f.write_str("range is full"),
            ClusterIpError::Allocated => f.write_str("provided IP is already allocated"),
            ClusterIpError::MismatchedNetwork => {
                f.write_str("the provided network does not match the current range")
            }
            ClusterIpError::NotInRange { ip, valid_range } => write!(
                f,
                "the provided IP ({ip}) is not in the valid range. The range of valid IPs is {valid_range}"
            ),
            // netip.ParseAddr's error, which allocateService returns as is.
            ClusterIpError::Unparsable(s) => {
                write!(f, "ParseAddr({}): unable to parse IP", crate::apiserver::errors::go_quote(s))
            }
        }
    }
}

/// An IPv4 ClusterIP allocator over one service CIDR.
#[derive(Clone, Debug)]
pub struct ClusterIpAllocator {
    network: u32,
    prefix: u8,
    first: u32,
    offset: usize,
    bitmap: Bitmap,
}

/// `calculateRangeOffset` (ipallocator/bitmap.go): `min(max(16, cidrSize/16), 256)`, 0 for
/// ranges of 16 addresses or fewer.
pub fn cluster_ip_range_offset(cidr_size: u64) -> usize {
    if cidr_size <= 16 {
        0
    } else {
        (cidr_size / 16).clamp(16, 256) as usize
    }
}

impl Default for ClusterIpAllocator {
    /// kind's service subnet, 10.96.0.0/16.
    fn default() -> Self {
        ClusterIpAllocator::for_network(u32::from(Ipv4Addr::new(10, 96, 0, 0)), 16)
    }
}

impl ClusterIpAllocator {
    /// An allocator for `network/prefix` (prefix already checked to be 12..=32).
    fn for_network(network: u32, prefix: u8) -> Self {
        let host_bits = 32 - u32::from(prefix.clamp(12, 32));
        let cidr_size: u64 = 1u64 << host_bits;
        // hostsPerNetwork: no network address, no broadcast address.
        let size = cidr_size.saturating_sub(2) as usize;
        ClusterIpAllocator {
            network,
            prefix,
            first: network.wrapping_add(1),
            offset: cluster_ip_range_offset(cidr_size),
            bitmap: Bitmap::new(size),
        }
    }

    /// An allocator for an IPv4 CIDR such as `10.96.0.0/16`; prefixes shorter than /12 are
    /// refused as kube-apiserver refuses them (at most 20 host bits).
    pub fn new(cidr: &str) -> Result<Self, String> {
        let (ip, bits) = cidr
            .split_once('/')
            .ok_or_else(|| format!("invalid CIDR address: {cidr}"))?;
        let ip = match parse_ip_sloppy(ip) {
            Some(std::net::IpAddr::V4(v4)) => v4,
            _ => return Err(format!("invalid CIDR address: {cidr}")),
        };
        let prefix: u8 = bits
            .parse()
            .map_err(|_| format!("invalid CIDR address: {cidr}"))?;
        if !(12..=32).contains(&prefix) {
            return Err(format!(
                "specified service CIDR {cidr} is not supported: IPv4 prefixes must be /12 to /32"
            ));
        }
        let host_bits = 32 - u32::from(prefix);
        let mask = u32::MAX.checked_shl(host_bits).unwrap_or(0);
        Ok(ClusterIpAllocator::for_network(
            u32::from(ip) & mask,
            prefix,
        ))
    }

    /// The CIDR in canonical form, e.g. `10.96.0.0/16`.
    pub fn cidr(&self) -> String {
        format!("{}/{}", Ipv4Addr::from(self.network), self.prefix)
    }

    /// The size of the lower, static-preferred subrange (256 for a /16).
    pub fn range_offset(&self) -> usize {
        self.offset
    }

    /// Usable addresses.
    pub fn size(&self) -> usize {
        self.bitmap.size()
    }

    /// Allocated addresses.
    pub fn used(&self) -> usize {
        self.bitmap.count()
    }

    /// Free addresses.
    pub fn free(&self) -> usize {
        self.size().saturating_sub(self.used())
    }

    fn in_prefix(&self, ip: u32) -> bool {
        let host_bits = 32 - u32::from(self.prefix);
        let mask = u32::MAX.checked_shl(host_bits).unwrap_or(0);
        ip & mask == self.network
    }

    /// The bitmap offset of a usable address.
    fn index(&self, ip: u32) -> Option<usize> {
        let i = ip.checked_sub(self.first)? as usize;
        (i < self.bitmap.size()).then_some(i)
    }

    /// Reserves a requested address (`AllocateService`).
    pub fn allocate(&mut self, ip: Ipv4Addr) -> Result<(), ClusterIpError> {
        let n = u32::from(ip);
        if !self.in_prefix(n) {
            return Err(ClusterIpError::MismatchedNetwork);
        }
        let i = self.index(n).ok_or_else(|| ClusterIpError::NotInRange {
            ip: ip.to_string(),
            valid_range: self.cidr(),
        })?;
        if self.bitmap.set(i) {
            Ok(())
        } else {
            Err(ClusterIpError::Allocated)
        }
    }

    /// Reserves a requested address given as text (`clusterIP: 10.96.0.10`).
    pub fn allocate_str(&mut self, ip: &str) -> Result<(), ClusterIpError> {
        match parse_ip_sloppy(ip) {
            Some(std::net::IpAddr::V4(v4)) => self.allocate(v4),
            Some(std::net::IpAddr::V6(_)) => Err(ClusterIpError::MismatchedNetwork),
            None => Err(ClusterIpError::Unparsable(ip.to_string())),
        }
    }

    /// Allocates a free address: upper subrange first, from a random start.
    pub fn allocate_next(&mut self, rng: &mut LabRng) -> Result<Ipv4Addr, ClusterIpError> {
        let i = self
            .bitmap
            .allocate_random(rng, self.offset)
            .ok_or(ClusterIpError::Full)?;
        let i = u32::try_from(i).map_err(|_| ClusterIpError::Full)?;
        Ok(Ipv4Addr::from(self.first.wrapping_add(i)))
    }

    /// Frees an address; out-of-range or free addresses are a no-op (`Release`).
    pub fn release(&mut self, ip: Ipv4Addr) -> bool {
        match self.index(u32::from(ip)) {
            Some(i) => self.bitmap.clear(i),
            None => false,
        }
    }

    /// Whether an address is allocated.
    pub fn has(&self, ip: Ipv4Addr) -> bool {
        self.index(u32::from(ip))
            .is_some_and(|i| self.bitmap.get(i))
    }
}

/// The API error for a requested ClusterIP that failed (`allocIPs`, static branch).
pub fn static_cluster_ip_error(
    service_name: &str,
    cluster_ips: &[String],
    ip: &str,
    err: &ClusterIpError,
) -> StatusError {
    let fe = FieldError::invalid(
        &FieldPath::new("spec").child("clusterIPs"),
        BadValue::Strings(cluster_ips.to_vec()),
        &format!("failed to allocate IP {ip}: {err}"),
    );
    StatusError::invalid("", "Service", service_name, &[fe])
}

/// The API error for a dynamic ClusterIP allocation that failed.
pub fn dynamic_cluster_ip_error(err: &ClusterIpError) -> StatusError {
    StatusError::internal(&format!("failed to allocate a serviceIP: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::errors::kubectl_error_output;

    #[test]
    fn kind_range_layout() {
        let a = ClusterIpAllocator::new("10.96.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.cidr(), "10.96.0.0/16");
        assert_eq!(a.size(), 65534);
        assert_eq!(a.range_offset(), 256);
        assert_eq!(cluster_ip_range_offset(1 << 8), 16);
        assert_eq!(cluster_ip_range_offset(1 << 20), 256);
        assert_eq!(cluster_ip_range_offset(16), 0);
        assert!(ClusterIpAllocator::new("10.0.0.0/8").is_err());
        assert!(ClusterIpAllocator::new("nope").is_err());
        assert!(ClusterIpAllocator::new("fd00::/112").is_err());
    }

    #[test]
    fn dynamic_ips_land_in_the_upper_subrange_first() {
        let mut rng = LabRng::from_seed(42);
        let mut a = ClusterIpAllocator::new("10.96.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        // Upper subrange: 10.96.1.1 .. 10.96.255.254 (first + 256 ..).
        let lo = u32::from(Ipv4Addr::new(10, 96, 1, 1));
        let hi = u32::from(Ipv4Addr::new(10, 96, 255, 254));
        for _ in 0..10_000 {
            let ip = a.allocate_next(&mut rng).unwrap_or_else(|e| panic!("{e}"));
            assert!((lo..=hi).contains(&u32::from(ip)), "{ip}");
        }
        assert_eq!(a.used(), 10_000);
    }

    #[test]
    fn a_small_range_fills_upper_then_lower_then_is_full() {
        let mut rng = LabRng::from_seed(1);
        let mut a = ClusterIpAllocator::new("10.96.0.0/24").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.range_offset(), 16);
        let ips: Vec<Ipv4Addr> = (0..254)
            .map(|_| a.allocate_next(&mut rng).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        assert!(ips.iter().take(238).all(|ip| ip.octets()[3] >= 17));
        assert!(ips.iter().skip(238).all(|ip| ip.octets()[3] <= 16));
        assert_eq!(a.allocate_next(&mut rng), Err(ClusterIpError::Full));
        assert_eq!(
            kubectl_error_output(&dynamic_cluster_ip_error(&ClusterIpError::Full), None),
            "Error from server (InternalError): Internal error occurred: failed to allocate a serviceIP: range is full\n"
        );
    }

    #[test]
    fn static_requests() {
        let mut a = ClusterIpAllocator::new("10.96.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.allocate_str("10.96.0.10"), Ok(()));
        assert!(a.has(Ipv4Addr::new(10, 96, 0, 10)));
        assert_eq!(a.allocate_str("10.96.0.10"), Err(ClusterIpError::Allocated));
        assert_eq!(
            a.allocate_str("10.0.0.5"),
            Err(ClusterIpError::MismatchedNetwork)
        );
        let e = a.allocate_str("10.96.255.255").err();
        assert_eq!(
            e.as_ref().map(|e| e.to_string()).as_deref(),
            Some("the provided IP (10.96.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/16")
        );
        assert!(a.release(Ipv4Addr::new(10, 96, 0, 10)));
        assert!(!a.release(Ipv4Addr::new(10, 96, 0, 10)));
        assert!(!a.release(Ipv4Addr::new(192, 168, 0, 1)));
        assert_eq!(a.allocate_str("10.96.0.10"), Ok(()));

        let err = static_cluster_ip_error(
            "web",
            &["10.96.0.10".to_string()],
            "10.96.0.10",
            &ClusterIpError::Allocated,
        );
        assert_eq!(
            kubectl_error_output(&err, Some(("creating", "svc.yaml"))),
            "The Service \"web\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated\n"
        );
    }

    #[test]
    fn the_same_seed_allocates_the_same_ips() {
        let run = |seed| {
            let mut rng = LabRng::from_seed(seed);
            let mut a = ClusterIpAllocator::new("10.96.0.0/16").unwrap_or_else(|e| panic!("{e}"));
            (0..50)
                .map(|_| a.allocate_next(&mut rng).map(|ip| ip.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }
}

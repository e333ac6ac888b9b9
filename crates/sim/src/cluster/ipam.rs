//! Pod IPs on one node, as the CNI `host-local` IPAM plugin hands them out (kindnet uses it).
//!
//! host-local skips the network address and the gateway (`.1`), and continues from the last
//! address it reserved rather than reusing a just-freed one (plugins/ipam/host-local/backend/
//! allocator/allocator.go, `RangeIter` starting after `lastReservedIP`), so a replacement pod gets
//! a new IP, as on a real node.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// The pod IP allocator of one node's /24 (or any IPv4 prefix).
#[derive(Clone, Debug)]
pub struct HostLocalIpam {
    first: u32,
    last: u32,
    last_reserved: Option<u32>,
    in_use: BTreeSet<u32>,
}

impl HostLocalIpam {
    /// An allocator over `network/prefix`: usable addresses are `.2` to the one before broadcast.
    pub fn new(network: Ipv4Addr, prefix: u8) -> Self {
        let base = u32::from(network);
        let host_bits = 32u32.saturating_sub(u32::from(prefix.min(32)));
        let size = if host_bits >= 32 {
            u32::MAX
        } else {
            (1u32 << host_bits).saturating_sub(1)
        };
        HostLocalIpam {
            first: base.saturating_add(2),
            last: base.saturating_add(size).saturating_sub(1),
            last_reserved: None,
            in_use: BTreeSet::new(),
        }
    }

    /// The next free address after the last one reserved, wrapping around; `None` when full.
    pub fn allocate(&mut self) -> Option<Ipv4Addr> {
        if self.first > self.last {
            return None;
        }
        let span = u64::from(self.last - self.first) + 1;
        let start = match self.last_reserved {
            Some(prev) if prev < self.last => prev + 1,
            _ => self.first,
        };
        for step in 0..span {
            let offset = (u64::from(start - self.first) + step) % span;
            let candidate = self.first + offset as u32;
            if self.in_use.insert(candidate) {
                self.last_reserved = Some(candidate);
                return Some(Ipv4Addr::from(candidate));
            }
        }
        None
    }

    /// Gives an address back.
    pub fn release(&mut self, ip: Ipv4Addr) {
        self.in_use.remove(&u32::from(ip));
    }

    /// Marks an address as taken (e.g. restored state).
    pub fn reserve(&mut self, ip: Ipv4Addr) {
        self.in_use.insert(u32::from(ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().expect("test address")
    }

    #[test]
    fn first_pods_get_dot_two_then_dot_three() {
        let mut ipam = HostLocalIpam::new(ip("10.244.1.0"), 24);
        assert_eq!(ipam.allocate(), Some(ip("10.244.1.2")));
        assert_eq!(ipam.allocate(), Some(ip("10.244.1.3")));
    }

    #[test]
    fn a_freed_address_is_not_reused_until_the_range_wraps() {
        let mut ipam = HostLocalIpam::new(ip("10.244.1.0"), 24);
        let a = ipam.allocate().expect("room");
        ipam.release(a);
        assert_eq!(ipam.allocate(), Some(ip("10.244.1.3")));
    }

    #[test]
    fn a_full_range_says_so_and_wraps_after_release() {
        let mut ipam = HostLocalIpam::new(ip("10.0.0.0"), 29);
        let got: Vec<_> = std::iter::from_fn(|| ipam.allocate()).collect();
        // .2 to .6: .0 is the network, .1 the gateway, .7 the broadcast.
        assert_eq!(got.len(), 5);
        ipam.release(ip("10.0.0.3"));
        assert_eq!(ipam.allocate(), Some(ip("10.0.0.3")));
        assert_eq!(ipam.allocate(), None);
    }
}

//! Which rules of a long chain a packet's destination leaves to test. iptables tests every
//! rule in order, but a rule with a positive `-d ADDR/32` cannot match a packet for another
//! address, and the kernel checks `-d` (`ip_packet_match`) before any `-m` match, so such a
//! rule has no effect on that packet: no counter, no `recent` update, no `statistic` draw.
//! Skipping straight to the next rule that may match gives the same walk, counters and
//! random draws as testing each one. kube-proxy's KUBE-SERVICES on a cluster with 10,000
//! Services holds over 10,000 such rules, which a packet otherwise tests one by one.

use std::net::Ipv4Addr;

use super::fasthash::FastMap;
use crate::iptables::Rule;

/// Chains shorter than this are walked rule by rule (the index would cost more than it saves).
pub(super) const MIN_INDEXED_RULES: usize = 64;

/// The rules of one chain, by the single destination each one requires.
#[derive(Debug, Default)]
pub(super) struct DstIndex {
    /// Rules without a single required destination, in order.
    any_dst: Vec<u32>,
    /// Rules requiring one destination address, in order, by that address.
    by_dst: FastMap<u32, Vec<u32>>,
    /// The chain's length.
    len: usize,
}

impl DstIndex {
    /// The index of `rules`.
    pub(super) fn build(rules: &[Rule]) -> Self {
        let mut index = DstIndex {
            len: rules.len(),
            ..DstIndex::default()
        };
        for (i, rule) in rules.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            match rule
                .dst
                .filter(|d| !d.invert && d.cidr.prefix() == 32)
                .map(|d| u32::from(d.cidr.addr()))
            {
                Some(addr) => index.by_dst.entry(addr).or_default().push(i),
                None => index.any_dst.push(i),
            }
        }
        index
    }

    /// The first rule at or after `from` that a packet for `dst` may match, or the chain's
    /// length when none is left.
    pub(super) fn next(&self, from: usize, dst: Ipv4Addr) -> usize {
        let first_at = |list: &[u32]| {
            let at = list.partition_point(|&i| (i as usize) < from);
            list.get(at).map_or(self.len, |&i| i as usize)
        };
        let any = first_at(&self.any_dst);
        let exact = self
            .by_dst
            .get(&u32::from(dst))
            .map_or(self.len, |list| first_at(list));
        any.min(exact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iptables::{AddrMatch, Ipv4Cidr, Target};

    fn to(addr: [u8; 4], prefix: u8, invert: bool) -> Rule {
        let mut r = Rule::with_target(Target::Accept);
        r.dst = Some(AddrMatch {
            cidr: Ipv4Cidr::new(Ipv4Addr::from(addr), prefix),
            invert,
        });
        r
    }

    #[test]
    fn only_rules_that_may_match_are_left() {
        let rules = vec![
            to([10, 96, 0, 1], 32, false),
            to([10, 96, 0, 2], 32, false),
            to([10, 96, 0, 2], 32, true),
            to([10, 0, 0, 0], 8, false),
            to([10, 96, 0, 1], 32, false),
            Rule::with_target(Target::Accept),
        ];
        let index = DstIndex::build(&rules);
        let one = Ipv4Addr::new(10, 96, 0, 1);
        let other = Ipv4Addr::new(10, 96, 0, 9);
        // The negated and the /8 rule stay for everyone; /32 rules only for their address.
        assert_eq!(index.next(0, one), 0);
        assert_eq!(index.next(1, one), 2);
        assert_eq!(index.next(4, one), 4);
        assert_eq!(index.next(0, other), 2);
        assert_eq!(index.next(4, other), 5);
        assert_eq!(index.next(6, other), 6);
    }
}

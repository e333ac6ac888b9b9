//! The packet the evaluator walks through the tables: an IPv4 header's addresses, an L4
//! protocol with ports, the length counters add (`skb->len`), the skb mark, and the packet's
//! conntrack view (`skb->_nfct` + `ctinfo`).

use std::net::Ipv4Addr;

use crate::iptables::Protocol;

use super::conntrack::ConnEntry;

/// The layer-4 protocols the lab sends (kube-proxy Services are TCP or UDP here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum L4 {
    /// TCP (IP protocol 6).
    Tcp,
    /// UDP (IP protocol 17).
    Udp,
}

impl L4 {
    /// The iptables protocol of this L4 protocol (what `-p` compares with).
    pub fn protocol(self) -> Protocol {
        match self {
            L4::Tcp => Protocol::Tcp,
            L4::Udp => Protocol::Udp,
        }
    }

    /// The lower-case name (`tcp`/`udp`), as conntrack and iptables print it.
    pub fn name(self) -> &'static str {
        match self {
            L4::Tcp => "tcp",
            L4::Udp => "udp",
        }
    }
}

/// A conntrack tuple (`nf_conntrack_tuple`): what identifies one direction of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tuple {
    /// Source address.
    pub src: Ipv4Addr,
    /// Source port.
    pub sport: u16,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Destination port.
    pub dport: u16,
    /// Protocol.
    pub proto: L4,
}

impl Tuple {
    /// The tuple of the other direction (`nf_ct_invert_tuple`): source and destination swapped.
    pub fn inverse(self) -> Tuple {
        Tuple {
            src: self.dst,
            sport: self.dport,
            dst: self.src,
            dport: self.sport,
            proto: self.proto,
        }
    }
}

impl std::fmt::Display for Tuple {
    /// conntrack -L style: `src=… dst=… sport=… dport=…`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "src={} dst={} sport={} dport={}",
            self.src, self.dst, self.sport, self.dport
        )
    }
}

/// The conntrack state of a packet (`enum ip_conntrack_info` folded the way xt_conntrack's
/// `XT_CONNTRACK_STATE_BIT` folds it: `IP_CT_ESTABLISHED_REPLY` counts as ESTABLISHED).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CtState {
    /// The first packet of a connection (`IP_CT_NEW`): the only one the nat table sees.
    #[default]
    New,
    /// A later packet of a confirmed connection, either direction.
    Established,
    /// A packet related to a connection (ICMP errors; the lab never makes these).
    Related,
    /// A packet conntrack could not classify.
    Invalid,
    /// A packet marked NOTRACK in the raw table.
    Untracked,
}

/// What the packet's conntrack entry says about it: the state, its direction, and the NAT
/// bindings (`IPS_SRC_NAT`/`IPS_DST_NAT` status bits, `nf_nat_initialized` per manip type).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CtView {
    /// The state `-m conntrack --ctstate` tests.
    pub state: CtState,
    /// True for a packet in the reply direction of its connection.
    pub reply: bool,
    /// `IPS_SRC_NAT`: a SNAT/MASQUERADE binding changed the source.
    pub src_nat: bool,
    /// `IPS_DST_NAT`: a DNAT binding changed the destination.
    pub dst_nat: bool,
    /// `nf_nat_initialized(ct, NF_NAT_MANIP_DST)`: the destination binding is set up, so the
    /// nat table is not consulted again at PREROUTING/OUTPUT (nf_nat_inet_fn).
    pub dst_nat_done: bool,
    /// `nf_nat_initialized(ct, NF_NAT_MANIP_SRC)`: likewise for INPUT/POSTROUTING.
    pub src_nat_done: bool,
    /// The confirmed connection this packet belongs to (None for a NEW one).
    pub conn: Option<ConnEntry>,
}

impl CtView {
    /// The bits `xt_conntrack` compares with `--ctstate`, in [`crate::iptables::CT_STATE_NAMES`]
    /// order (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT, DNAT). As in
    /// net/netfilter/xt_conntrack.c `conntrack_mt`, SNAT and DNAT come from the entry's status
    /// bits and are added to the state bit.
    pub fn state_bits(&self) -> u8 {
        let base = match self.state {
            CtState::Invalid => 1 << 0,
            CtState::New => 1 << 1,
            CtState::Related => 1 << 2,
            CtState::Established => 1 << 3,
            CtState::Untracked => 1 << 4,
        };
        if matches!(self.state, CtState::Invalid | CtState::Untracked) {
            return base;
        }
        let mut bits = base;
        if self.src_nat {
            bits |= 1 << 5;
        }
        if self.dst_nat {
            bits |= 1 << 6;
        }
        bits
    }
}

/// One IPv4 packet as netfilter sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Packet {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
    /// L4 protocol.
    pub proto: L4,
    /// `skb->len`: what byte counters add (the IP total length).
    pub len: u32,
    /// `skb->mark` (the fwmark MARK sets and `-m mark` tests).
    pub mark: u32,
    /// The conntrack view.
    pub ct: CtView,
}

impl Packet {
    /// A TCP SYN (60 bytes: 20 IP + 40 TCP with the usual Linux options), the first packet of
    /// a `curl`.
    pub fn tcp(src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16) -> Self {
        Self::new(L4::Tcp, src, sport, dst, dport, 60)
    }

    /// A UDP datagram with a small payload (a DNS query is about 70 bytes).
    pub fn udp(src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16) -> Self {
        Self::new(L4::Udp, src, sport, dst, dport, 70)
    }

    /// Any packet; starts unmarked and NEW.
    pub fn new(proto: L4, src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16, len: u32) -> Self {
        Self {
            src,
            dst,
            sport,
            dport,
            proto,
            len,
            mark: 0,
            ct: CtView::default(),
        }
    }

    /// The packet's tuple as it is now.
    pub fn tuple(&self) -> Tuple {
        Tuple {
            src: self.src,
            sport: self.sport,
            dst: self.dst,
            dport: self.dport,
            proto: self.proto,
        }
    }

    /// `skb_scrub_packet` when the packet crosses into another network namespace (veth, or
    /// the docker bridge to another node): the mark and the conntrack reference are dropped,
    /// so the next node classifies it afresh.
    pub fn scrub(&mut self) {
        self.mark = 0;
        self.ct = CtView::default();
    }

    /// The reply to this packet as the server sends it (addresses and ports swapped, a fresh
    /// skb: no mark, conntrack view to be filled in by the receiving node).
    pub fn reply(&self) -> Self {
        Self::new(
            self.proto, self.dst, self.dport, self.src, self.sport, self.len,
        )
    }
}

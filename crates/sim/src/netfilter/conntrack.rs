//! A node's connection tracking table, reduced to what the lab's request/response flows need:
//! the first packet of a connection is NEW and is the only one the nat table sees; when it
//! leaves the node (POSTROUTING) or is delivered (INPUT) the entry is confirmed with its
//! original tuple and the reply tuple after NAT (`__nf_conntrack_confirm`). Every later packet,
//! either direction, is ESTABLISHED and is translated by the entry, not by rules
//! (`nf_nat_packet` applies the binding; nf_nat_inet_fn skips the nat table once a binding is
//! initialised). Timeouts and TCP state are not modelled: entries live until flushed.

use super::fasthash::FastMap;
use super::packet::{CtState, CtView, Packet, Tuple, L4};

/// One confirmed connection (`struct nf_conn` with its two tuples and NAT status bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConnEntry {
    /// `tuplehash[IP_CT_DIR_ORIGINAL]`: the first packet as it arrived, before any NAT.
    pub original: Tuple,
    /// `tuplehash[IP_CT_DIR_REPLY]`: what a reply looks like on the wire (the inverse of the
    /// first packet after NAT).
    pub reply: Tuple,
    /// `IPS_SRC_NAT`.
    pub src_nat: bool,
    /// `IPS_DST_NAT`.
    pub dst_nat: bool,
}

impl ConnEntry {
    /// `conntrack -L` style line, e.g.
    /// `tcp src=10.244.1.9 dst=10.96.0.10 sport=40000 dport=80 src=10.244.2.2 dst=10.244.1.9 sport=80 dport=40000`.
    pub fn line(&self) -> String {
        format!(
            "{} {} {}",
            self.original.proto.name(),
            self.original,
            self.reply
        )
    }
}

/// Which NAT manipulation a hook performs (`enum nf_nat_manip_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Manip {
    /// PREROUTING and OUTPUT: the destination (DNAT, or un-SNAT of a reply).
    Dst,
    /// INPUT and POSTROUTING: the source (SNAT/MASQUERADE, or un-DNAT of a reply).
    Src,
}

/// A node's conntrack table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conntrack {
    entries: Vec<ConnEntry>,
    /// Tuple (packed by [`key`]) → (entry index, is the reply direction). Hashed: every
    /// packet of every request looks its tuple up, and the order of keys is never used.
    index: FastMap<u128, (usize, bool)>,
}

/// A tuple as one integer: cheaper to hash and compare than its fields one by one.
fn key(t: &Tuple) -> u128 {
    let proto = match t.proto {
        L4::Tcp => 6u128,
        L4::Udp => 17,
    };
    (u128::from(u32::from(t.src)) << 72)
        | (u128::from(u32::from(t.dst)) << 40)
        | (u128::from(t.sport) << 24)
        | (u128::from(t.dport) << 8)
        | proto
}

impl Conntrack {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The confirmed connections, oldest first.
    pub fn entries(&self) -> &[ConnEntry] {
        &self.entries
    }

    /// Number of connections.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `conntrack -F`.
    pub fn flush(&mut self) {
        self.entries.clear();
        self.index.clear();
    }

    /// `nf_conntrack_in`: looks the packet's tuple up and sets its conntrack view. A packet that
    /// already carries a view (a locally generated packet looping back through `lo`) keeps it,
    /// as the kernel keeps `skb->_nfct`.
    pub fn classify(&self, pkt: &mut Packet) {
        if pkt.ct.conn.is_some() || pkt.ct.dst_nat_done || pkt.ct.src_nat_done {
            return;
        }
        pkt.ct = match self.index.get(&key(&pkt.tuple())) {
            Some(&(i, reply)) => match self.entries.get(i) {
                Some(e) => CtView {
                    state: CtState::Established,
                    reply,
                    src_nat: e.src_nat,
                    dst_nat: e.dst_nat,
                    dst_nat_done: true,
                    src_nat_done: true,
                    conn: Some(*e),
                },
                None => CtView::default(),
            },
            None => CtView::default(),
        };
    }

    /// `__nf_conntrack_confirm`: records a NEW connection once its first packet was accepted,
    /// given the tuple it arrived with and the packet as it leaves. Returns the entry. A
    /// packet that is not NEW confirms nothing.
    pub fn confirm(&mut self, original: Tuple, pkt: &Packet) -> Option<ConnEntry> {
        if pkt.ct.state != CtState::New || pkt.ct.conn.is_some() {
            return None;
        }
        let entry = ConnEntry {
            original,
            reply: pkt.tuple().inverse(),
            src_nat: pkt.ct.src_nat,
            dst_nat: pkt.ct.dst_nat,
        };
        // A clash (the same tuple confirmed twice) keeps the first entry, as nf_ct_resolve_clash
        // does for identical tuples.
        let (original, reply) = (key(&entry.original), key(&entry.reply));
        let reply_used = self.index.contains_key(&reply);
        let i = self.entries.len();
        match self.index.entry(original) {
            std::collections::hash_map::Entry::Occupied(o) => {
                let (j, _) = *o.get();
                return self.entries.get(j).copied();
            }
            std::collections::hash_map::Entry::Vacant(_) if reply_used => return None,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((i, false));
            }
        }
        self.index.insert(reply, (i, true));
        self.entries.push(entry);
        Some(entry)
    }

    /// Whether a packet with this tuple belongs to a tracked connection, either direction.
    pub fn holds(&self, t: &Tuple) -> bool {
        self.index.contains_key(&key(t))
    }

    /// Whether a tuple is already used by a connection (`nf_nat_used_tuple`, reply side).
    pub fn reply_tuple_used(&self, t: &Tuple) -> bool {
        self.index.get(&key(t)).is_some_and(|&(_, reply)| reply)
    }
}

/// `nf_nat_packet` for a packet of a confirmed connection: rewrites it by the entry's binding
/// for this manipulation type. Original direction: DST manip restores the DNAT'ed destination,
/// SRC manip the SNAT'ed source. Reply direction: DST manip undoes SNAT (back to the client),
/// SRC manip undoes DNAT (back to the address the client dialled).
pub fn apply_established_nat(pkt: &mut Packet, manip: Manip) {
    let Some(e) = pkt.ct.conn else { return };
    match (manip, pkt.ct.reply) {
        (Manip::Dst, false) if e.dst_nat => {
            pkt.dst = e.reply.src;
            pkt.dport = e.reply.sport;
        }
        (Manip::Src, false) if e.src_nat => {
            pkt.src = e.reply.dst;
            pkt.sport = e.reply.dport;
        }
        (Manip::Dst, true) if e.src_nat => {
            pkt.dst = e.original.src;
            pkt.dport = e.original.sport;
        }
        (Manip::Src, true) if e.dst_nat => {
            pkt.src = e.original.dst;
            pkt.sport = e.original.dport;
        }
        _ => {}
    }
}

//! A packet's way through one node: the hooks in the order the IPv4 stack calls them, the
//! routing decision between them, conntrack lookup at the start and confirmation at the end.
//!
//! - Arriving on an interface (ip_rcv → `NF_INET_PRE_ROUTING` → ip_route_input → local:
//!   `NF_INET_LOCAL_IN`, else `NF_INET_FORWARD` → `NF_INET_POST_ROUTING`).
//! - Sent by a process on the node (`NF_INET_LOCAL_OUT`, re-routed by ip_route_me_harder when
//!   the nat table changed the destination, then `NF_INET_POST_ROUTING`); if the destination
//!   is local the packet loops through `lo` and comes back in through PREROUTING and INPUT
//!   with its conntrack entry still attached (so the nat table is not consulted again).

use std::net::Ipv4Addr;

use crate::random::LabRng;

use super::eval::{run_hook, HookIfaces, NodeNet, TraceEntry, Verdict};
use super::hook::Hook;
use super::packet::Packet;
use super::routing::RouteHit;

/// Where a packet enters the node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ingress {
    /// A process in the node's own network namespace sends it (`docker exec node curl …`).
    /// A source of 0.0.0.0 is filled in by source address selection.
    LocalProcess,
    /// It arrives on a device: `eth0` from the docker network, or a pod's host-side veth.
    Iface(String),
}

/// Where the node put the packet.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// Delivered to a local socket (after INPUT).
    Local,
    /// Sent out of a device.
    Out {
        /// The device.
        dev: String,
        /// The next hop (gateway, or the destination itself).
        next_hop: Ipv4Addr,
    },
}

/// What happened to a packet on one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathOutcome {
    /// Accept if it was delivered or sent on.
    pub verdict: Verdict,
    /// Where it went (None when dropped or rejected).
    pub delivery: Option<Delivery>,
    /// The packet as it left the last hook (call [`Packet::scrub`] before handing it to
    /// another network namespace).
    pub packet: Packet,
    /// The hooks run, in order.
    pub hooks: Vec<Hook>,
    /// Every rule and policy that matched, in order.
    pub trace: Vec<TraceEntry>,
    /// Why the stack dropped it outside the rules (martian address, no route), if it did.
    pub drop_reason: Option<String>,
    /// Recovered inconsistencies in the tables (see [`super::eval::HookOutcome::warnings`]).
    pub warnings: Vec<String>,
}

impl PathOutcome {
    fn new(pkt: Packet) -> Self {
        Self {
            verdict: Verdict::Accept,
            delivery: None,
            packet: pkt,
            hooks: Vec::new(),
            trace: Vec::new(),
            drop_reason: None,
            warnings: Vec::new(),
        }
    }

    /// Whether any matched rule of `chain` is in the trace.
    pub fn visited(&self, chain: &str) -> bool {
        self.trace.iter().any(|t| t.chain == chain)
    }

    /// The trace as terminal lines.
    pub fn trace_lines(&self) -> Vec<String> {
        self.trace.iter().map(TraceEntry::line).collect()
    }
}

/// Walks a packet through a node (see the module docs) at virtual time `now_ms`, drawing
/// `statistic` matches from `rng`.
pub fn traverse(
    node: &mut NodeNet<'_>,
    pkt: Packet,
    ingress: &Ingress,
    rng: &mut LabRng,
    now_ms: u64,
) -> PathOutcome {
    let mut pkt = pkt;
    node.conntrack.classify(&mut pkt);
    let original = pkt.tuple();
    let mut out = PathOutcome::new(pkt);

    match ingress {
        Ingress::LocalProcess => {
            // The socket's route picks the source address (inet_select_addr / the route's
            // preferred source; a local destination is reached from itself via lo).
            let first = node.routing.lookup(pkt.dst);
            if pkt.src.is_unspecified() {
                pkt.src = match &first {
                    Some(RouteHit::Local) => pkt.dst,
                    Some(RouteHit::Out { src: Some(s), .. }) => *s,
                    _ => pkt.src,
                };
            }
            let out_dev = match &first {
                Some(RouteHit::Out { dev, .. }) => dev.clone(),
                _ => "lo".to_string(),
            };
            let ifaces = HookIfaces {
                in_iface: None,
                out_iface: Some(out_dev),
                out_addr: None,
            };
            if !hook(node, Hook::Output, &mut pkt, &ifaces, rng, now_ms, &mut out) {
                return out;
            }
            // ip_route_me_harder: route again on the (possibly DNAT'ed) destination.
            match node.routing.lookup(pkt.dst) {
                Some(RouteHit::Local) => {
                    let lo = HookIfaces {
                        in_iface: None,
                        out_iface: Some("lo".into()),
                        out_addr: Some(Ipv4Addr::LOCALHOST),
                    };
                    if !hook(
                        node,
                        Hook::Postrouting,
                        &mut pkt,
                        &lo,
                        rng,
                        now_ms,
                        &mut out,
                    ) {
                        return out;
                    }
                    node.conntrack.confirm(original, &pkt);
                    let back = HookIfaces {
                        in_iface: Some("lo".into()),
                        ..Default::default()
                    };
                    for h in [Hook::Prerouting, Hook::Input] {
                        if !hook(node, h, &mut pkt, &back, rng, now_ms, &mut out) {
                            return out;
                        }
                    }
                    out.delivery = Some(Delivery::Local);
                }
                Some(RouteHit::Out { dev, next_hop, src }) => {
                    // __mkroute_output: a loopback source may only leave through lo unless
                    // route_localnet is set on the output device.
                    if pkt.src.is_loopback() && !node.route_localnet {
                        return martian(out, pkt, "martian source (route_localnet=0)");
                    }
                    let ifaces = HookIfaces {
                        in_iface: None,
                        out_iface: Some(dev.clone()),
                        out_addr: src,
                    };
                    if !hook(
                        node,
                        Hook::Postrouting,
                        &mut pkt,
                        &ifaces,
                        rng,
                        now_ms,
                        &mut out,
                    ) {
                        return out;
                    }
                    node.conntrack.confirm(original, &pkt);
                    out.delivery = Some(Delivery::Out { dev, next_hop });
                }
                None => return martian(out, pkt, "no route to host"),
            }
        }
        Ingress::Iface(dev_in) => {
            let ifaces = HookIfaces {
                in_iface: Some(dev_in.clone()),
                ..Default::default()
            };
            if !hook(
                node,
                Hook::Prerouting,
                &mut pkt,
                &ifaces,
                rng,
                now_ms,
                &mut out,
            ) {
                return out;
            }
            // ip_route_input_slow: loopback addresses off lo are martians unless
            // route_localnet is set.
            if (pkt.src.is_loopback() || pkt.dst.is_loopback()) && !node.route_localnet {
                return martian(out, pkt, "martian packet (route_localnet=0)");
            }
            match node.routing.lookup(pkt.dst) {
                Some(RouteHit::Local) => {
                    if !hook(node, Hook::Input, &mut pkt, &ifaces, rng, now_ms, &mut out) {
                        return out;
                    }
                    node.conntrack.confirm(original, &pkt);
                    out.delivery = Some(Delivery::Local);
                }
                Some(RouteHit::Out { dev, next_hop, src }) => {
                    let fwd = HookIfaces {
                        in_iface: Some(dev_in.clone()),
                        out_iface: Some(dev.clone()),
                        out_addr: src,
                    };
                    if !hook(node, Hook::Forward, &mut pkt, &fwd, rng, now_ms, &mut out) {
                        return out;
                    }
                    let post = HookIfaces {
                        in_iface: None,
                        ..fwd
                    };
                    if !hook(
                        node,
                        Hook::Postrouting,
                        &mut pkt,
                        &post,
                        rng,
                        now_ms,
                        &mut out,
                    ) {
                        return out;
                    }
                    node.conntrack.confirm(original, &pkt);
                    out.delivery = Some(Delivery::Out { dev, next_hop });
                }
                None => return martian(out, pkt, "no route to host"),
            }
        }
    }
    out.packet = pkt;
    out
}

/// Runs one hook, appends its trace; false (with the outcome filled in) if it stopped the
/// packet.
fn hook(
    node: &mut NodeNet<'_>,
    h: Hook,
    pkt: &mut Packet,
    ifaces: &HookIfaces,
    rng: &mut LabRng,
    now_ms: u64,
    out: &mut PathOutcome,
) -> bool {
    let r = run_hook(node, h, pkt, ifaces, rng, now_ms);
    out.hooks.push(h);
    out.trace.extend(r.trace);
    out.warnings.extend(r.warnings);
    out.packet = *pkt;
    if r.verdict != Verdict::Accept {
        out.verdict = r.verdict;
        return false;
    }
    true
}

fn martian(mut out: PathOutcome, pkt: Packet, why: &str) -> PathOutcome {
    out.verdict = Verdict::Drop;
    out.packet = pkt;
    out.drop_reason = Some(why.to_string());
    out
}

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

use super::eval::{run_hook_in, IfacesRef, NodeNet, Notes, TraceEntry, Verdict};
use super::hook::Hook;
use super::packet::Packet;
use super::routing::RouteHitRef;
use super::run::NodeView;

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
    /// Whether any matched rule of `chain` is in the trace.
    pub fn visited(&self, chain: &str) -> bool {
        self.trace.iter().any(|t| t.chain == chain)
    }

    /// The trace as terminal lines.
    pub fn trace_lines(&self) -> Vec<String> {
        self.trace.iter().map(TraceEntry::line).collect()
    }
}

/// [`Ingress`] borrowing the device name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum IngressRef<'a> {
    /// See [`Ingress::LocalProcess`].
    LocalProcess,
    /// See [`Ingress::Iface`].
    Iface(&'a str),
}

impl Ingress {
    fn as_ref(&self) -> IngressRef<'_> {
        match self {
            Ingress::LocalProcess => IngressRef::LocalProcess,
            Ingress::Iface(dev) => IngressRef::Iface(dev),
        }
    }
}

/// [`Delivery`] borrowing the device name from the node's routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DeliveryRef<'r> {
    /// See [`Delivery::Local`].
    Local,
    /// See [`Delivery::Out`].
    Out {
        /// The device.
        dev: &'r str,
        /// The next hop.
        next_hop: Ipv4Addr,
    },
}

/// What [`traverse_in`] did, without the notes: nothing here allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Walked<'r> {
    /// See [`PathOutcome::verdict`].
    pub verdict: Verdict,
    /// See [`PathOutcome::delivery`].
    pub delivery: Option<DeliveryRef<'r>>,
    /// See [`PathOutcome::packet`].
    pub packet: Packet,
    /// See [`PathOutcome::drop_reason`].
    pub drop_reason: Option<&'static str>,
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
    let mut notes = Notes::tracing();
    let mut view = NodeView::of(node);
    let w = traverse_in(&mut view, pkt, ingress.as_ref(), rng, now_ms, &mut notes);
    let delivery = w.delivery.map(|d| match d {
        DeliveryRef::Local => Delivery::Local,
        DeliveryRef::Out { dev, next_hop } => Delivery::Out {
            dev: dev.to_string(),
            next_hop,
        },
    });
    let (verdict, packet, drop_reason) = (w.verdict, w.packet, w.drop_reason);
    let deltas = view.into_deltas();
    deltas.apply(node.filter, node.nat, node.mangle);
    PathOutcome {
        verdict,
        delivery,
        packet,
        hooks: notes.hooks,
        trace: notes.trace,
        drop_reason: drop_reason.map(str::to_string),
        warnings: notes.warnings,
    }
}

/// [`traverse`] over a borrowed node: counters go to the view's deltas, hooks, trace and
/// warnings to `notes`.
pub(crate) fn traverse_in<'r>(
    node: &mut NodeView<'r>,
    pkt: Packet,
    ingress: IngressRef<'_>,
    rng: &mut LabRng,
    now_ms: u64,
    notes: &mut Notes,
) -> Walked<'r> {
    let mut pkt = pkt;
    node.conntrack.classify(&mut pkt);
    let original = pkt.tuple();
    let mut out = Walked {
        verdict: Verdict::Accept,
        delivery: None,
        packet: pkt,
        drop_reason: None,
    };
    // Every way out reports the packet as it is then.
    macro_rules! hook {
        ($h:expr, $ifaces:expr) => {
            let v = hook(node, $h, &mut pkt, $ifaces, rng, now_ms, notes);
            if v != Verdict::Accept {
                out.verdict = v;
                out.packet = pkt;
                return out;
            }
        };
    }

    match ingress {
        IngressRef::LocalProcess => {
            // The socket's route picks the source address (inet_select_addr / the route's
            // preferred source; a local destination is reached from itself via lo).
            let (first, first_dev) = node.route(pkt.dst);
            if pkt.src.is_unspecified() {
                pkt.src = match &first {
                    Some(RouteHitRef::Local) => pkt.dst,
                    Some(RouteHitRef::Out { src: Some(s), .. }) => *s,
                    _ => pkt.src,
                };
            }
            let ifaces = match first {
                Some(RouteHitRef::Out { dev, .. }) => {
                    numbered((None, 0), (Some(dev), first_dev), None)
                }
                _ => {
                    let lo = node.device(Some("lo"));
                    numbered((None, 0), (Some("lo"), lo), None)
                }
            };
            hook!(Hook::Output, ifaces);
            // ip_route_me_harder: route again on the (possibly DNAT'ed) destination.
            match node.route(pkt.dst) {
                (Some(RouteHitRef::Local), _) => {
                    let lo = (Some("lo"), node.device(Some("lo")));
                    let out_lo = numbered((None, 0), lo, Some(Ipv4Addr::LOCALHOST));
                    hook!(Hook::Postrouting, out_lo);
                    node.conntrack.confirm(original, &pkt);
                    let back = numbered(lo, (None, 0), None);
                    for h in [Hook::Prerouting, Hook::Input] {
                        hook!(h, back);
                    }
                    out.delivery = Some(DeliveryRef::Local);
                }
                (Some(RouteHitRef::Out { dev, next_hop, src }), dev_number) => {
                    // __mkroute_output: a loopback source may only leave through lo unless
                    // route_localnet is set on the output device.
                    if pkt.src.is_loopback() && !node.route_localnet {
                        return martian(out, pkt, "martian source (route_localnet=0)");
                    }
                    let ifaces = numbered((None, 0), (Some(dev), dev_number), src);
                    hook!(Hook::Postrouting, ifaces);
                    node.conntrack.confirm(original, &pkt);
                    out.delivery = Some(DeliveryRef::Out { dev, next_hop });
                }
                (None, _) => return martian(out, pkt, "no route to host"),
            }
        }
        IngressRef::Iface(dev_in) => {
            let dev_in = (Some(dev_in), node.device(Some(dev_in)));
            let ifaces = numbered(dev_in, (None, 0), None);
            hook!(Hook::Prerouting, ifaces);
            // ip_route_input_slow: loopback addresses off lo are martians unless
            // route_localnet is set.
            if (pkt.src.is_loopback() || pkt.dst.is_loopback()) && !node.route_localnet {
                return martian(out, pkt, "martian packet (route_localnet=0)");
            }
            match node.route(pkt.dst) {
                (Some(RouteHitRef::Local), _) => {
                    hook!(Hook::Input, ifaces);
                    node.conntrack.confirm(original, &pkt);
                    out.delivery = Some(DeliveryRef::Local);
                }
                (Some(RouteHitRef::Out { dev, next_hop, src }), dev_number) => {
                    let dev_out = (Some(dev), dev_number);
                    let fwd = numbered(dev_in, dev_out, src);
                    hook!(Hook::Forward, fwd);
                    let post = numbered((None, 0), dev_out, src);
                    hook!(Hook::Postrouting, post);
                    node.conntrack.confirm(original, &pkt);
                    out.delivery = Some(DeliveryRef::Out { dev, next_hop });
                }
                (None, _) => return martian(out, pkt, "no route to host"),
            }
        }
    }
    out.packet = pkt;
    out
}

/// A hook's devices, each with its number in the node's run ([`NodeView::device`]).
fn numbered<'d>(
    (in_iface, in_number): (Option<&'d str>, u32),
    (out_iface, out_number): (Option<&'d str>, u32),
    out_addr: Option<Ipv4Addr>,
) -> IfacesRef<'d> {
    IfacesRef {
        in_iface,
        out_iface,
        out_addr,
        numbers: Some((in_number, out_number)),
    }
}

/// Runs one hook and notes it.
fn hook(
    node: &mut NodeView<'_>,
    h: Hook,
    pkt: &mut Packet,
    ifaces: IfacesRef<'_>,
    rng: &mut LabRng,
    now_ms: u64,
    notes: &mut Notes,
) -> Verdict {
    if notes.tracing {
        notes.hooks.push(h);
    }
    run_hook_in(node, h, pkt, ifaces, rng, now_ms, notes)
}

fn martian<'r>(mut out: Walked<'r>, pkt: Packet, why: &'static str) -> Walked<'r> {
    out.verdict = Verdict::Drop;
    out.packet = pkt;
    out.drop_reason = Some(why);
    out
}

//! Packets through a node's netfilter tables, as the kernel walks them.
//!
//! - [`packet`]: the packet (addresses, ports, protocol, length, mark) and its conntrack view.
//! - [`conntrack`]: a node's connection table: NEW first packets, ESTABLISHED replies
//!   translated by the entry rather than by rules.
//! - [`recent`]: the `recent` match's per-name address lists (sessionAffinity: ClientIP).
//! - [`run`]: tables borrowed for many walks (chains resolved once, counters added after).
//! - [`fasthash`]: the hasher of the walk's hot maps.
//! - [`hook`]: the five hooks and the kernel's table order at each.
//! - [`eval`]: the rule walk of one hook (matches, targets, counters, trace).
//! - `walk_memo`: table walks remembered for a run of untraced requests, replayed with the
//!   same counters and random draws.
//! - [`path`]: a packet's whole way through a node: hooks, routing, conntrack.
//! - [`routing`]: a kind node's addresses and routes (`ip route`, `addrtype`, MASQUERADE).
//! - [`base_rules`]: the non-kube-proxy rules of a kind v0.29.0 node (Docker DNS, kind's
//!   entrypoint, kubelet, kindnetd).
//!
//! ```
//! use std::net::Ipv4Addr;
//! use svclab_sim::iptables::{Table, TableName};
//! use svclab_sim::netfilter::{install_node_base_rules, NodeBaseRules};
//! let (mut f, mut n, mut m) = (
//!     Table::new(TableName::Filter),
//!     Table::new(TableName::Nat),
//!     Table::new(TableName::Mangle),
//! );
//! let node = NodeBaseRules::kind_default(Ipv4Addr::new(172, 18, 0, 3));
//! let missing = install_node_base_rules(&mut f, &mut n, &mut m, &node);
//! assert!(n.chain("KIND-MASQ-AGENT").is_some());
//! assert!(missing.iter().all(|l| l.contains("-j SNAT")));
//! ```

pub mod base_rules;
pub mod conntrack;
mod dst_index;
pub mod eval;
pub mod fasthash;
pub mod hook;
pub mod packet;
pub mod path;
pub mod recent;
pub mod routing;
pub mod run;
mod walk_memo;

pub use base_rules::{
    base_rules, base_rules_save_text, docker_dns_save_lines, entrypoint_network_magic,
    install_node_base_rules, kind_save_header, BaseRules, NodeBaseRules, TableRules,
    DOCKER_EMBEDDED_DNS,
};
pub use conntrack::{apply_established_nat, ConnEntry, Conntrack, Manip};
pub use eval::{run_hook, HookIfaces, HookOutcome, NodeNet, TraceEntry, Verdict};
pub use hook::Hook;
pub use packet::{CtState, CtView, Packet, Tuple, L4};
pub use path::{traverse, Delivery, Ingress, PathOutcome};
pub use recent::{RecentEntry, RecentTable, RecentTables};
pub use routing::{
    pod_gateway, veth_name, IfaceAddr, KindNodeNetwork, NodeRouting, PeerNode, PodVeth, Route,
    RouteHit, RouteScope,
};

#[cfg(test)]
mod tests;

//! What runs inside one node container: whether it is up, its pod IPs, its images, and the
//! netfilter tables kube-proxy writes.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use crate::iptables::{Ipv4Cidr, Table, TableName};
use crate::kubeproxy::{NodeView, ProxyRules};
use crate::netfilter::{
    install_node_base_rules, Conntrack, KindNodeNetwork, NodeBaseRules, NodeNet, NodeRouting,
    RecentTables,
};

use super::ipam::HostLocalIpam;

/// How much of a node's network state is built and kept up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeptTables {
    /// Nothing yet: a large cluster's node keeps only the description of its base rules.
    Pending,
    /// Routes, kind's base rules and kube-proxy's service-independent chains: all a packet
    /// meets on its way through the node to one of its pods, since its destination (a pod IP,
    /// neither local nor a Service address) matches no Service's rule. Each is a few hundred
    /// KiB where a node with every Service's rules takes over 100 MiB at 10,000 Services.
    Fixed,
    /// Everything, every Service's rules included.
    Full,
}

/// One node's runtime state (the Node object itself lives in the store).
#[derive(Clone, Debug)]
pub struct NodeRuntime {
    /// The node (and container) name.
    pub name: String,
    /// Its address on the kind network.
    pub ip: Ipv4Addr,
    /// Its pod CIDR, if it has one.
    pub pod_cidr: Option<Ipv4Cidr>,
    /// Whether the container runs (`docker stop` stops it).
    pub running: bool,
    /// Pod IPs on this node.
    pub ipam: HostLocalIpam,
    /// Images already pulled here, so a second pod of one image starts faster.
    pub images: BTreeSet<String>,
    /// kube-proxy's rules for this node.
    pub proxy: ProxyRules,
    /// The filter table.
    pub filter: Table,
    /// The nat table.
    pub nat: Table,
    /// The mangle table.
    pub mangle: Table,
    /// Whether kube-proxy must (re)load every service: a new node, or one that restarted.
    pub needs_full_sync: bool,
    /// How much of this node's tables and routes is built and kept up to date. In a large
    /// cluster they are built only when something needs them (`Cluster::node_tables_ready`),
    /// because every node holding every Service's rules cannot fit in memory.
    pub kept: KeptTables,
    /// The connection tracking table.
    pub conntrack: Conntrack,
    /// The `recent` match's lists (sessionAffinity: ClientIP).
    pub recent: RecentTables,
    /// Addresses and routes: eth0, the pods' veths, kindnet's routes to the other nodes.
    pub routing: NodeRouting,
    /// kind's base rules (Docker DNS, kindnetd, kubelet) not yet written into the tables: a
    /// lazy node keeps only this small description until its tables are first needed, since
    /// thousands of nodes each holding these chains cost tens of MiB for tables nobody reads.
    pub(crate) pending_base_rules: Option<NodeBaseRules>,
}

impl NodeRuntime {
    /// A freshly booted node with kube-proxy's view of it.
    pub fn new(name: &str, ip: Ipv4Addr, pod_cidr: Option<Ipv4Cidr>, view: NodeView) -> Self {
        let ipam = match pod_cidr {
            Some(c) => HostLocalIpam::new(c.addr(), c.prefix()),
            None => HostLocalIpam::new(Ipv4Addr::UNSPECIFIED, 32),
        };
        NodeRuntime {
            name: name.to_string(),
            ip,
            pod_cidr,
            running: true,
            ipam,
            images: BTreeSet::new(),
            proxy: ProxyRules::new(view),
            filter: Table::new(TableName::Filter),
            nat: Table::new(TableName::Nat),
            mangle: Table::new(TableName::Mangle),
            needs_full_sync: true,
            kept: KeptTables::Full,
            conntrack: Conntrack::new(),
            recent: RecentTables::new(),
            routing: NodeRouting::kind_node(&KindNodeNetwork {
                node_ip: ip,
                docker_subnet: Ipv4Cidr::new(Ipv4Addr::new(172, 18, 0, 0), 16),
                gateway: crate::kind::DOCKER_NETWORK_GATEWAY,
                pod_cidr,
                peers: Vec::new(),
                pods: Vec::new(),
            }),
            pending_base_rules: None,
        }
    }

    /// Writes kind's base rules into the tables now (an eager node) or keeps them for
    /// [`NodeRuntime::install_pending_base_rules`] (a lazy one).
    pub(crate) fn set_base_rules(&mut self, base: NodeBaseRules, now: bool) {
        self.pending_base_rules = Some(base);
        if now {
            self.install_pending_base_rules();
        }
    }

    /// Writes the base rules kept by [`NodeRuntime::set_base_rules`], if any, before anything
    /// else is written to the tables (so the chains are in the order boot would give them).
    pub(crate) fn install_pending_base_rules(&mut self) {
        if let Some(base) = self.pending_base_rules.take() {
            // The lines the model cannot hold are documented on `install_node_base_rules`.
            let _ =
                install_node_base_rules(&mut self.filter, &mut self.nat, &mut self.mangle, &base);
        }
    }

    /// The node's network stack, for walking a packet through it. kube-proxy turns
    /// `route_localnet` on because `localhostNodePorts` is on (proxier.go `NewProxier`).
    pub fn net(&mut self) -> NodeNet<'_> {
        NodeNet {
            filter: &mut self.filter,
            nat: &mut self.nat,
            mangle: &mut self.mangle,
            conntrack: &mut self.conntrack,
            recent: &mut self.recent,
            routing: &self.routing,
            route_localnet: true,
        }
    }

    /// Writes kube-proxy's pending changes into the tables (a sync), if the node runs.
    pub fn sync_proxy(&mut self) {
        if !self.running {
            return;
        }
        // The generator only fails on its own malformed lines; keep the old tables if it does.
        let _ = self
            .proxy
            .apply(&mut self.filter, &mut self.nat, Some(&mut self.mangle));
    }
}

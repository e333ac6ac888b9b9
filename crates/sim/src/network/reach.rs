//! Which nodes of a large cluster a run of requests needs with every Service's rules.
//!
//! A large cluster builds a node's tables only when something needs them
//! ([`crate::cluster::KeptTables`]). A packet meets a Service's rule only on a node where its
//! destination is a Service address (a ClusterIP, an external or load-balancer IP) or one of
//! the node's own addresses (a node port): the node it enters first, and a node it is sent to
//! by address. Every other node it crosses on its way to a pod sees a pod IP, which no Service
//! rule matches (kube-proxy's rules match `-d` a Service address, or `--dst-type LOCAL`), so
//! kube-proxy's service-independent chains give the same walk and the same counters there.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use crate::api::Pod;
use crate::cluster::Cluster;
use crate::iptables::Ipv4Cidr;
use crate::kubeproxy::ServicePortInput;
use crate::netfilter::fasthash::FastMap;
use crate::netfilter::pod_gateway;

use super::send::Source;

/// The nodes a run needs built with every rule before it starts.
pub(super) enum FullNodes {
    /// Every node (an endpoint or Service address where the reasoning above does not hold).
    All,
    /// These nodes; others are built with the fixed chains when a packet first crosses them.
    These(Vec<String>),
}

/// The nodes requests from `source` to `dst:port` may meet with a Service address or one of
/// their own addresses as the destination: the entry node, the node owning `dst`, and the
/// nodes owning an address the entry may DNAT to (a hostNetwork endpoint is its node's
/// address).
pub(super) fn full_nodes(
    cluster: &Cluster,
    source: &Source,
    dst: Ipv4Addr,
    port: u16,
) -> FullNodes {
    let pod_subnet = cluster.layout.pod_subnet.split(',').next().unwrap_or("");
    let pod_subnet = Ipv4Cidr::parse(pod_subnet);
    let mut service_addresses: FastMap<Ipv4Addr, ()> = FastMap::default();
    for address in cluster.proxied.values().flat_map(service_addresses_of) {
        // A Service address in the pod network would be routed to a node: keep it simple.
        if pod_subnet.is_some_and(|s| s.contains(address)) {
            return FullNodes::All;
        }
        service_addresses.insert(address, ());
    }
    // Each node's own addresses: eth0's, and its pods' gateway on the veths.
    let mut owners: FastMap<Ipv4Addr, &str> = FastMap::default();
    for n in cluster.nodes.values() {
        owners.insert(n.ip, &n.name);
        if let Some(c) = n.pod_cidr {
            owners.insert(pod_gateway(c), &n.name);
        }
    }
    let mut names: BTreeSet<&str> = owners.get(&dst).copied().into_iter().collect();
    // The Services whose rules may DNAT these requests at the entry: by address, or by node
    // port when `dst` is a node's own address.
    let to_node = dst.is_loopback() || owners.contains_key(&dst);
    let dnat_by = |s: &&ServicePortInput| {
        (to_node && s.node_port == port) || service_addresses_of(s).any(|a| a == dst)
    };
    for s in cluster.proxied.values().filter(dnat_by) {
        for ip in s.endpoints.iter().map(|e| e.ip) {
            // An endpoint at a Service address is DNATed again wherever it goes.
            if service_addresses.contains_key(&ip) {
                return FullNodes::All;
            }
            names.extend(owners.get(&ip));
        }
    }
    let mut names: Vec<String> = names.into_iter().map(String::from).collect();
    names.extend(entry_node(cluster, source));
    FullNodes::These(names)
}

/// The addresses a Service's rules match as a destination (besides node ports).
fn service_addresses_of(s: &ServicePortInput) -> impl Iterator<Item = Ipv4Addr> + '_ {
    let listed = s.external_ips.iter().chain(&s.load_balancer_ips);
    s.cluster_ip
        .into_iter()
        .chain(listed.filter_map(|ip| ip.parse().ok()))
}

/// The node a request from `source` enters first (for the host, the node it is sent to).
fn entry_node(cluster: &Cluster, source: &Source) -> Option<String> {
    match source {
        Source::Host => None,
        Source::Node(name) | Source::Balancer { node: name, .. } => Some(name.clone()),
        Source::Pod { namespace, name } => cluster
            .store
            .get::<Pod>(namespace, name)
            .map(|p| p.spec.node_name.clone()),
    }
}

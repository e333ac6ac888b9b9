//! kindnetd's routes and the CNI's veths: each node routes the other nodes' pod CIDRs via
//! their InternalIP (kindnetd routes.go) and each local pod via its host-side veth (ptp plugin).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::api::Pod;
use crate::cluster::{Cluster, KeptTables, NodeRuntime, Store};
use crate::iptables::Ipv4Cidr;
use crate::netfilter::{veth_name, KindNodeNetwork, NodeRouting, PeerNode, PodVeth};

/// Rebuilds the routing table of every node that is built from the current pods and nodes (the
/// others get theirs when they are built: see `Cluster::node_tables_ready`).
pub(super) fn refresh(cluster: &mut Cluster) {
    let names: Vec<String> = cluster
        .nodes
        .values()
        .filter(|n| n.kept != KeptTables::Pending)
        .map(|n| n.name.clone())
        .collect();
    refresh_nodes(cluster, &names);
}

/// Rebuilds the routing tables of the named nodes.
pub(super) fn refresh_nodes(cluster: &mut Cluster, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let peers = peer_nodes(&cluster.nodes);
    let routes: Vec<(String, NodeRouting)> = names
        .iter()
        .filter_map(|name| cluster.nodes.get(name))
        .map(|n| {
            let pods = pod_veths(&cluster.store, &n.name);
            (n.name.clone(), kind_node_routing(n, &peers, pods))
        })
        .collect();
    for (name, routing) in routes {
        if let Some(node) = cluster.nodes.get_mut(&name) {
            node.routing = routing;
        }
    }
}

/// Every node with a pod CIDR, as kindnetd routes to it from the others.
pub(crate) fn peer_nodes(nodes: &BTreeMap<String, NodeRuntime>) -> Vec<(String, PeerNode)> {
    nodes
        .values()
        .filter_map(|n| {
            Some((
                n.name.clone(),
                PeerNode {
                    pod_cidr: n.pod_cidr?,
                    node_ip: n.ip,
                },
            ))
        })
        .collect()
}

/// A node's pods with their own network (not hostNetwork) and an IP, from the store's
/// per-node index, in store order.
pub(crate) fn pod_veths(store: &Store, node: &str) -> Vec<PodVeth> {
    let keys = store.tracker().pods_by_node.get(node).into_iter().flatten();
    keys.filter_map(|(ns, pod_name)| {
        let pod = store.get::<Pod>(ns, pod_name)?;
        if pod.spec.host_network {
            return None;
        }
        let ip = pod.status.pod_ip.parse::<Ipv4Addr>().ok()?;
        Some(PodVeth {
            ip,
            veth: veth_name(&pod.metadata.uid),
        })
    })
    .collect()
}

/// A kind node's addresses and routes: its eth0 on the kind network, kindnetd's route to every
/// other node's pod CIDR, and a host route per local pod.
pub(crate) fn kind_node_routing(
    node: &NodeRuntime,
    peers: &[(String, PeerNode)],
    pods: Vec<PodVeth>,
) -> NodeRouting {
    NodeRouting::kind_node(&KindNodeNetwork {
        node_ip: node.ip,
        docker_subnet: Ipv4Cidr::new(Ipv4Addr::new(172, 18, 0, 0), 16),
        gateway: crate::kind::DOCKER_NETWORK_GATEWAY,
        pod_cidr: node.pod_cidr,
        peers: peers
            .iter()
            .filter(|(name, _)| *name != node.name)
            .map(|(_, p)| *p)
            .collect(),
        pods,
    })
}

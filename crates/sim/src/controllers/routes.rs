//! kindnetd's routes and the CNI's veths: each node routes the other nodes' pod CIDRs via
//! their InternalIP (kindnetd routes.go) and each local pod via its host-side veth (ptp plugin).

use std::net::Ipv4Addr;

use crate::api::Pod;
use crate::cluster::Cluster;
use crate::iptables::Ipv4Cidr;
use crate::netfilter::{veth_name, KindNodeNetwork, NodeRouting, PeerNode, PodVeth};

/// Rebuilds every materialized node's routing table from the current pods and nodes (the
/// others get theirs when they are materialized: see `Cluster::node_tables_ready`).
pub(super) fn refresh(cluster: &mut Cluster) {
    let names: Vec<String> = cluster
        .nodes
        .values()
        .filter(|n| n.materialized)
        .map(|n| n.name.clone())
        .collect();
    refresh_nodes(cluster, &names);
}

/// Rebuilds the routing tables of the named nodes.
pub(super) fn refresh_nodes(cluster: &mut Cluster, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let peers: Vec<(String, PeerNode)> = cluster
        .nodes
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
        .collect();
    // Each node's pods from the store's per-node index, in store order.
    let mut pods_by_node: std::collections::BTreeMap<&str, Vec<PodVeth>> = Default::default();
    let tracker = cluster.store.tracker();
    for name in names {
        let keys = tracker.pods_by_node.get(name).into_iter().flatten();
        for (ns, pod_name) in keys {
            let Some(pod) = cluster.store.get::<Pod>(ns, pod_name) else {
                continue;
            };
            if pod.spec.host_network {
                continue;
            }
            let Ok(ip) = pod.status.pod_ip.parse::<Ipv4Addr>() else {
                continue;
            };
            pods_by_node
                .entry(name.as_str())
                .or_default()
                .push(PodVeth {
                    ip,
                    veth: veth_name(&pod.metadata.uid),
                });
        }
    }
    let gateway = crate::kind::DOCKER_NETWORK_GATEWAY;
    let docker_subnet = Ipv4Cidr::new(Ipv4Addr::new(172, 18, 0, 0), 16);
    let routes: Vec<(String, NodeRouting)> = names
        .iter()
        .filter_map(|name| cluster.nodes.get(name))
        .map(|n| {
            let network = KindNodeNetwork {
                node_ip: n.ip,
                docker_subnet,
                gateway,
                pod_cidr: n.pod_cidr,
                peers: peers
                    .iter()
                    .filter(|(name, _)| *name != n.name)
                    .map(|(_, p)| *p)
                    .collect(),
                pods: pods_by_node.remove(n.name.as_str()).unwrap_or_default(),
            };
            (n.name.clone(), NodeRouting::kind_node(&network))
        })
        .collect();
    for (name, routing) in routes {
        if let Some(node) = cluster.nodes.get_mut(&name) {
            node.routing = routing;
        }
    }
}

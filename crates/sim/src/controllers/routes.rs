//! kindnetd's routes and the CNI's veths: each node routes the other nodes' pod CIDRs via
//! their InternalIP (kindnetd routes.go) and each local pod via its host-side veth (ptp plugin).

use std::net::Ipv4Addr;

use crate::api::Pod;
use crate::cluster::Cluster;
use crate::iptables::Ipv4Cidr;
use crate::netfilter::{veth_name, KindNodeNetwork, NodeRouting, PeerNode, PodVeth};

/// Rebuilds every node's routing table from the current pods and nodes.
pub(super) fn refresh(cluster: &mut Cluster) {
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
    let mut pods_by_node: std::collections::BTreeMap<&str, Vec<PodVeth>> = Default::default();
    for pod in cluster.store.list::<Pod>(None) {
        if pod.spec.host_network {
            continue;
        }
        let Ok(ip) = pod.status.pod_ip.parse::<Ipv4Addr>() else {
            continue;
        };
        pods_by_node
            .entry(pod.spec.node_name.as_str())
            .or_default()
            .push(PodVeth {
                ip,
                veth: veth_name(&pod.metadata.uid),
            });
    }
    let gateway = crate::kind::DOCKER_NETWORK_GATEWAY;
    let docker_subnet = Ipv4Cidr::new(Ipv4Addr::new(172, 18, 0, 0), 16);
    let routes: Vec<(String, NodeRouting)> = cluster
        .nodes
        .values()
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

//! Each pod's expected share of a Service port's new connections, read off the `statistic`
//! probabilities of the entry node's service chain the request walks, by pod name: the
//! `KUBE-SVC-…` chain, or the `KUBE-SVL-…` chain (the node's own endpoints) when a Local
//! traffic policy applies to this source (proxier.go: node-port traffic from outside the
//! node and its pods with `externalTrafficPolicy: Local`; ClusterIP traffic with
//! `internalTrafficPolicy: Local`).

use std::net::Ipv4Addr;

use svclab_sim::api::{Pod, Service};
use svclab_sim::cluster::Cluster;
use svclab_sim::kubeproxy::{svc_chain, svl_chain};
use svclab_sim::network::send::Source;
use svclab_sim::network::traffic::expected_shares_in;

use super::route::entry_node;

/// Each pod's share by the rules, for a target that is a Service's ClusterIP or node port.
pub fn expected(
    cluster: &mut Cluster,
    source: &Source,
    ip: Ipv4Addr,
    port: u16,
) -> Vec<(String, f64)> {
    let Some(node) = entry_node(cluster, source, ip) else {
        return Vec::new();
    };
    let is_node = cluster.nodes.values().any(|n| n.ip == ip);
    let found = cluster.store.list::<Service>(None).find_map(|svc| {
        svc.spec.ports.iter().find_map(|p| {
            let hit = if is_node {
                p.node_port == Some(i32::from(port))
            } else {
                svc.spec.cluster_ip == ip.to_string() && p.port == i32::from(port)
            };
            hit.then(|| {
                let base = format!("{}/{}", svc.metadata.namespace, svc.metadata.name);
                let name = if p.name.is_empty() {
                    base
                } else {
                    format!("{base}:{}", p.name)
                };
                let local = |policy: Option<&str>| policy == Some("Local");
                let walks_local = if is_node {
                    // KUBE-EXT sends pod-network and node-local sources to KUBE-SVC.
                    let external = match source {
                        Source::Host | Source::Balancer { .. } => true,
                        Source::Node(from) => *from != node,
                        Source::Pod { .. } => false,
                    };
                    external && local(Some(svc.spec.external_traffic_policy.as_str()))
                } else {
                    local(svc.spec.internal_traffic_policy.as_deref())
                };
                (name, walks_local)
            })
        })
    });
    let Some((port_name, walks_local)) = found else {
        return Vec::new();
    };
    let chain = if walks_local {
        svl_chain(&port_name, "tcp")
    } else {
        svc_chain(&port_name, "tcp")
    };
    cluster.node_tables_ready(&node);
    expected_shares_in(cluster, &node, &chain)
        .into_iter()
        .map(|(target, share)| {
            let pod_ip = target.split(':').next().unwrap_or("");
            let pod = cluster
                .store
                .list::<Pod>(None)
                .find(|p| p.status.pod_ip == pod_ip)
                .map(|p| format!("{}/{}", p.metadata.namespace, p.metadata.name));
            (pod.unwrap_or(target), share)
        })
        .collect()
}

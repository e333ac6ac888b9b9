//! Each pod's expected share of a Service port's new connections, read off the `statistic`
//! probabilities of the entry node's `KUBE-SVC-…` chain, by pod name.

use std::net::Ipv4Addr;

use svclab_sim::api::{Pod, Service};
use svclab_sim::cluster::Cluster;
use svclab_sim::network::send::Source;
use svclab_sim::network::traffic::expected_shares;

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
    let port_name = cluster.store.list::<Service>(None).find_map(|svc| {
        svc.spec.ports.iter().find_map(|p| {
            let hit = if is_node {
                p.node_port == Some(i32::from(port))
            } else {
                svc.spec.cluster_ip == ip.to_string() && p.port == i32::from(port)
            };
            hit.then(|| {
                let base = format!("{}/{}", svc.metadata.namespace, svc.metadata.name);
                if p.name.is_empty() {
                    base
                } else {
                    format!("{base}:{}", p.name)
                }
            })
        })
    });
    let Some(port_name) = port_name else {
        return Vec::new();
    };
    cluster.node_tables_ready(&node);
    expected_shares(cluster, &node, &port_name)
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

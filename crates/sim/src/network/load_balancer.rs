//! cloud-provider-kind's load balancers: an Envoy container on the kind network per
//! LoadBalancer Service, which accepts connections on the Service's ports and proxies each to
//! a healthy node's node port (kubernetes-sigs/cloud-provider-kind, pkg/loadbalancer/proxy.go).
//! Nodes labelled `node.kubernetes.io/exclude-from-external-load-balancers` (kubeadm's
//! control planes) are not backends; a node that is down or not Ready fails its health check.

use std::net::Ipv4Addr;

use crate::api::{Node, Service};
use crate::cluster::Cluster;
use crate::kind::EXCLUDE_FROM_LB_LABEL;

use super::send::Source;

/// Where a connection to a load balancer's `ip:port` is proxied: the balancer as the source,
/// and the chosen node's `ip:nodePort` as the destination. `None` if no load balancer has
/// that address and port, or no backend is healthy (the connection is then refused).
pub fn proxy_target(
    cluster: &mut Cluster,
    ip: Ipv4Addr,
    port: u16,
) -> Option<(Source, Ipv4Addr, u16)> {
    let (key, _) = cluster
        .load_balancers
        .assigned
        .iter()
        .find(|(_, lb_ip)| **lb_ip == ip)?;
    let svc = cluster.store.get::<Service>(&key.0, &key.1)?.clone();
    let node_port = svc
        .spec
        .ports
        .iter()
        .find(|p| i32::from(port) == p.port)?
        .node_port
        .and_then(|n| u16::try_from(n).ok())?;
    let backends = healthy_backends(cluster);
    if backends.is_empty() {
        return None;
    }
    let pick = cluster.rng.below(backends.len() as u64) as usize;
    let (node, node_ip) = backends.get(pick)?.clone();
    Some((Source::Balancer { ip, node }, node_ip, node_port))
}

/// The nodes a load balancer may send to, with their IPs.
pub fn healthy_backends(cluster: &Cluster) -> Vec<(String, Ipv4Addr)> {
    cluster
        .store
        .list::<Node>(None)
        .filter(|n| !n.metadata.labels.contains_key(EXCLUDE_FROM_LB_LABEL))
        .filter(|n| {
            n.status
                .conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
        })
        .filter_map(|n| {
            let runtime = cluster.nodes.get(&n.metadata.name)?;
            runtime
                .running
                .then(|| (n.metadata.name.clone(), runtime.ip))
        })
        .collect()
}

//! The cluster the kube-proxy benchmarks share: `n` Services with 15 ready endpoints each
//! (Kubernetes' scale thresholds: 10,000 Services, 150,000 endpoints), seen from one kind node.

use std::net::Ipv4Addr;

use svclab_sim::iptables::{Table, TableName};
use svclab_sim::kubeproxy::{Endpoint, NodeView, ProxyRules, ServicePortInput, ServiceType};

/// Endpoints per Service (150,000 endpoints at 10,000 Services).
pub const ENDPOINTS: u32 = 15;

/// The node kube-proxy runs on.
pub fn view() -> NodeView {
    NodeView::kind("kind-worker", Ipv4Addr::new(172, 18, 0, 3))
}

/// `n` Services `bench/svcI:http` with ClusterIPs from 10.96.0.0/12 and 15 endpoints each,
/// spread over two workers. With `nodeport_every = Some(k)`, every k-th one is a NodePort
/// Service (k = 5 keeps 2,000 NodePorts inside the default 30000-32767 range).
pub fn services(n: u32, nodeport_every: Option<u32>) -> Vec<ServicePortInput> {
    (0..n)
        .map(|i| {
            let endpoints = (0..ENDPOINTS)
                .map(|j| {
                    let node = if j % 2 == 0 {
                        "kind-worker"
                    } else {
                        "kind-worker2"
                    };
                    Endpoint::ready(Ipv4Addr::from(0x0af4_0000 + i * 16 + j), 8080, Some(node))
                })
                .collect();
            let nodeport = nodeport_every.is_some_and(|k| k != 0 && i % k == 0);
            ServicePortInput {
                namespace: "bench".into(),
                name: format!("svc{i}"),
                port_name: "http".into(),
                cluster_ip: Some(Ipv4Addr::from(0x0a60_0000 + i)),
                port: 80,
                service_type: if nodeport {
                    ServiceType::NodePort
                } else {
                    ServiceType::ClusterIp
                },
                node_port: if nodeport {
                    u16::try_from(30_000 + i / 5).unwrap_or(0)
                } else {
                    0
                },
                endpoints,
                ..Default::default()
            }
        })
        .collect()
}

/// A full sync applied to fresh tables: what a node's kube-proxy does at start-up.
pub fn full_sync(services: &[ServicePortInput]) -> (ProxyRules, Table, Table) {
    let mut rules = ProxyRules::new(view());
    rules.sync_all(services).expect("bench services are valid");
    let mut filter = Table::new(TableName::Filter);
    let mut nat = Table::new(TableName::Nat);
    rules
        .apply(&mut filter, &mut nat, None)
        .expect("bench rules apply");
    (rules, filter, nat)
}

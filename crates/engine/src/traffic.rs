//! A batch of requests from the page's traffic controls, through the simulator's data path,
//! with each pod's expected share read off the rules of the node the requests enter.

use std::net::Ipv4Addr;

use svclab_protocol::TrafficView;
use svclab_sim::api::{Pod, Service};
use svclab_sim::cluster::Cluster;
use svclab_sim::lab::Lab;
use svclab_sim::network::nginx::Request;
use svclab_sim::network::send::Source;
use svclab_sim::network::traffic::{expected_shares, send_many};

/// Requests one batch may send: the page offers up to 1,000; more would only stall the worker.
pub const MAX_BATCH: u32 = 100_000;

/// Sends `count` GET requests from `from` (`host`, `node NAME`, or `pod NS/NAME`) to `to`
/// (`IP:PORT`) in the current cluster.
pub fn send_traffic(lab: &mut Lab, from: &str, to: &str, count: u32) -> TrafficView {
    let fail = |error: String| TrafficView {
        error: Some(error),
        ..TrafficView::default()
    };
    let Some(name) = lab.current_cluster_name() else {
        return fail("no cluster: run kind create cluster first".to_owned());
    };
    let Some(source) = parse_source(from) else {
        return fail(format!("unknown source {from:?}"));
    };
    let Some((ip, port)) = parse_target(to) else {
        return fail(format!(
            "curl: (3) URL rejected: Bad hostname or port in {to:?}"
        ));
    };
    let Some(cluster) = lab.cluster_mut(&name) else {
        return fail("no cluster: run kind create cluster first".to_owned());
    };
    let request = Request {
        method: "GET".into(),
        path: "/".into(),
        host: to.to_owned(),
        user_agent: "curl/8.9.1".into(),
    };
    let report = send_many(
        cluster,
        &source,
        ip,
        port,
        u64::from(count.min(MAX_BATCH)),
        &request,
    );
    TrafficView {
        sent: report.sent,
        per_pod: report.per_pod.into_iter().collect(),
        per_node: report.per_node.into_iter().collect(),
        timed_out: report.timed_out,
        refused: report.refused,
        expected: expected(cluster, &source, ip, port),
        error: None,
    }
}

fn parse_source(from: &str) -> Option<Source> {
    let from = from.trim();
    if from == "host" {
        return Some(Source::Host);
    }
    if let Some(node) = from.strip_prefix("node ") {
        return Some(Source::Node(node.trim().to_owned()));
    }
    let (namespace, name) = from.strip_prefix("pod ")?.trim().split_once('/')?;
    Some(Source::Pod {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    })
}

fn parse_target(to: &str) -> Option<(Ipv4Addr, u16)> {
    let (ip, port) = to.trim().rsplit_once(':')?;
    Some((ip.parse().ok()?, port.parse().ok()?))
}

/// Each pod's share by the rules, for a target that is a Service's ClusterIP or node port.
fn expected(cluster: &mut Cluster, source: &Source, ip: Ipv4Addr, port: u16) -> Vec<(String, f64)> {
    // The node whose rules the requests meet first: the one addressed, else the source's.
    let entry = cluster
        .nodes
        .values()
        .find(|n| n.ip == ip)
        .map(|n| n.name.clone())
        .or_else(|| match source {
            Source::Node(n) => Some(n.clone()),
            Source::Pod { namespace, name } => cluster
                .store
                .get::<Pod>(namespace, name)
                .map(|p| p.spec.node_name.clone()),
            _ => None,
        });
    let Some(node) = entry else {
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

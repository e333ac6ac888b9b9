//! A batch of requests from the page's traffic controls, through the simulator's data path,
//! with each pod's expected share read off the rules of the node the requests enter.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use svclab_protocol::{HopView, RuleHit, TraceView, TrafficView};
use svclab_sim::api::{Pod, Service};
use svclab_sim::cluster::Cluster;
use svclab_sim::lab::Lab;
use svclab_sim::network::dns::{resolve, Answer};
use svclab_sim::network::load_balancer::{healthy_backends, proxy_target};
use svclab_sim::network::nginx::Request;
use svclab_sim::network::send::{send, Ending, Source};
use svclab_sim::network::traffic::{expected_shares, send_many, TrafficReport};

/// The hand-made ALB of the article's "NodePort needs something in front" step: a load
/// balancer on the kind network in front of every worker's node port.
pub const ALB_IP: Ipv4Addr = Ipv4Addr::new(172, 18, 0, 50);

/// Requests one batch may send: the page offers up to 1,000; more would only stall the worker.
pub const MAX_BATCH: u32 = 100_000;

/// Sends `count` GET requests from `from` (`host`, `node NAME`, or `pod NS/NAME`) to `to`
/// (`IP:PORT`) in the current cluster.
pub fn send_traffic(lab: &mut Lab, from: &str, to: &str, count: u32) -> TrafficView {
    let fail = |error: String| TrafficView {
        from: from.to_owned(),
        to: to.to_owned(),
        error: Some(error),
        ..TrafficView::default()
    };
    let Some(name) = lab.current_cluster_name() else {
        return fail("no cluster: run kind create cluster first".to_owned());
    };
    let from_alb = from.trim() == "alb";
    let Some(source) = parse_source(from).or(from_alb.then_some(Source::Host)) else {
        return fail(format!("unknown source {from:?}"));
    };
    let Some(cluster) = lab.cluster_mut(&name) else {
        return fail("no cluster: run kind create cluster first".to_owned());
    };
    let (ip, port) = match resolve_target(cluster, &source, to) {
        Ok(target) => target,
        Err(e) => return fail(e),
    };
    let request = get_request(to);
    let count = u64::from(count.min(MAX_BATCH));
    let is_balancer = cluster.load_balancers.assigned.values().any(|a| *a == ip);
    let (report, entered) = if from_alb {
        through_alb(cluster, port, count, &request)
    } else if is_balancer {
        through_balancer(cluster, ip, port, count, &request)
    } else {
        let entered = entry_node(cluster, &source, ip)
            .map(|node| vec![(node, count)])
            .unwrap_or_default();
        (
            send_many(cluster, &source, ip, port, count, &request),
            entered,
        )
    };
    TrafficView {
        from: from.to_owned(),
        to: to.to_owned(),
        entered,
        sent: report.sent,
        per_pod: report.per_pod.into_iter().collect(),
        per_node: report.per_node.into_iter().collect(),
        timed_out: report.timed_out,
        refused: report.refused,
        expected: expected(cluster, &source, ip, port),
        error: None,
    }
}

/// Sends one GET request from `from` to `to` and returns every hop and rule it met.
pub fn trace_request(lab: &mut Lab, from: &str, to: &str) -> TraceView {
    let mut view = TraceView {
        from: from.to_owned(),
        to: to.to_owned(),
        ..TraceView::default()
    };
    let from_alb = from.trim() == "alb";
    let Some(source) = parse_source(from).or(from_alb.then_some(Source::Host)) else {
        view.error = Some(format!("unknown source {from:?}"));
        return view;
    };
    let Some(cluster) = lab
        .current_cluster_name()
        .and_then(|name| lab.cluster_mut(&name))
    else {
        view.error = Some("no cluster: run kind create cluster first".to_owned());
        return view;
    };
    let (ip, port) = match resolve_target(cluster, &source, to) {
        Ok(target) => target,
        Err(e) => {
            view.error = Some(e);
            return view;
        }
    };
    let is_balancer = cluster.load_balancers.assigned.values().any(|a| *a == ip);
    let (source, ip, port) = if from_alb {
        let targets = healthy_backends(cluster);
        if targets.is_empty() {
            view.ending =
                "no answer: the ALB has no healthy target (it answers 503 itself)".to_owned();
            return view;
        }
        let pick = cluster.rng.below(targets.len() as u64) as usize;
        let Some((node, node_ip)) = targets.get(pick).cloned() else {
            return view;
        };
        (Source::Balancer { ip: ALB_IP, node }, node_ip, port)
    } else if is_balancer {
        match proxy_target(cluster, ip, port) {
            Some(proxied) => proxied,
            None => {
                view.ending = format!(
                    "refused: curl: (7) Failed to connect to {ip} port {port} after 0 ms: Couldn't connect to server"
                );
                return view;
            }
        }
    } else {
        (source, ip, port)
    };
    let outcome = send(cluster, &source, ip, port, &get_request(to));
    view.hops = outcome
        .hops
        .into_iter()
        .map(|h| HopView {
            place: h.place,
            note: h.note,
            packet: h.packet,
            rules: h
                .rules
                .into_iter()
                .map(|r| RuleHit {
                    hook: r.hook.chain().to_owned(),
                    table: r.table.as_str().to_owned(),
                    chain: r.chain,
                    rule: r.rule.unwrap_or(0),
                    text: r.text,
                })
                .collect(),
        })
        .collect();
    view.ending = match outcome.ending {
        Ending::Served {
            namespace,
            pod,
            node,
            client,
            response,
        } => {
            view.served = Some((format!("{namespace}/{pod}"), node.clone()));
            format!(
            "answered by {namespace}/{pod} on {node} ({} {}); the pod saw the client as {client}",
            response.status,
            response.reason
        )
        }
        Ending::TimedOut => {
            "no answer: dropped or unroutable (curl would end with error 28, timed out)".to_owned()
        }
        Ending::Refused => {
            format!("refused: curl: (7) Failed to connect to {ip} port {port} after 0 ms: Couldn't connect to server")
        }
    };
    view
}

fn get_request(to: &str) -> Request {
    Request {
        method: "GET".into(),
        path: "/".into(),
        host: to.to_owned(),
        user_agent: "curl/8.9.1".into(),
    }
}

/// Requests to a cloud-provider-kind load balancer: each connection is proxied, from the
/// balancer's address, to the node port of a healthy node it picks (refused when none is).
fn through_balancer(
    cluster: &mut Cluster,
    ip: Ipv4Addr,
    port: u16,
    count: u64,
    request: &Request,
) -> (TrafficReport, Vec<(String, u64)>) {
    let mut total = TrafficReport::default();
    let mut entered: BTreeMap<String, u64> = BTreeMap::new();
    for _ in 0..count {
        let Some((balancer, node_ip, node_port)) = proxy_target(cluster, ip, port) else {
            total.sent += 1;
            total.refused += 1;
            continue;
        };
        if let Source::Balancer { node, .. } = &balancer {
            *entered.entry(node.clone()).or_default() += 1;
        }
        merge(
            &mut total,
            send_many(cluster, &balancer, node_ip, node_port, 1, request),
        );
    }
    (total, entered.into_iter().collect())
}

/// Requests through the hand-made ALB: round robin over the workers that pass its health check
/// (running and Ready; kubeadm's control plane is excluded from load balancers), each to that
/// node's `port`. With no healthy target the ALB answers 503 itself: counted as refused.
fn through_alb(
    cluster: &mut Cluster,
    port: u16,
    count: u64,
    request: &Request,
) -> (TrafficReport, Vec<(String, u64)>) {
    let mut total = TrafficReport::default();
    let mut entered: BTreeMap<String, u64> = BTreeMap::new();
    for i in 0..count {
        let targets = healthy_backends(cluster);
        let Some((node, node_ip)) = targets.get(i as usize % targets.len().max(1)).cloned() else {
            total.sent += 1;
            total.refused += 1;
            continue;
        };
        *entered.entry(node.clone()).or_default() += 1;
        let source = Source::Balancer { ip: ALB_IP, node };
        merge(
            &mut total,
            send_many(cluster, &source, node_ip, port, 1, request),
        );
    }
    (total, entered.into_iter().collect())
}

fn merge(total: &mut TrafficReport, one: TrafficReport) {
    total.sent += one.sent;
    total.timed_out += one.timed_out;
    total.refused += one.refused;
    for (pod, n) in one.per_pod {
        *total.per_pod.entry(pod).or_default() += n;
    }
    for (node, n) in one.per_node {
        *total.per_node.entry(node).or_default() += n;
    }
}

/// The node whose rules a request meets first: the one addressed, else the source's own.
fn entry_node(cluster: &Cluster, source: &Source, ip: Ipv4Addr) -> Option<String> {
    cluster
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
        })
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

/// `IP:PORT` or `NAME:PORT`, the name resolved as curl would from the source: a pod asks
/// CoreDNS with its namespace's search path; the host and the nodes use Docker's resolver,
/// which knows no cluster names. Failures are curl's words.
fn resolve_target(cluster: &Cluster, source: &Source, to: &str) -> Result<(Ipv4Addr, u16), String> {
    let bad = || format!("curl: (3) URL rejected: Bad hostname or port in {to:?}");
    let (host, port) = to.trim().rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok((ip, port));
    }
    let unresolved = |name: &str| format!("curl: (6) Could not resolve host: {name}");
    let Source::Pod { namespace, .. } = source else {
        return Err(unresolved(host));
    };
    match resolve(cluster, host, Some(namespace)) {
        Answer::Addresses { ips, .. } => ips
            .first()
            .map(|ip| (*ip, port))
            .ok_or_else(|| unresolved(host)),
        // An ExternalName is a CNAME to a name outside the cluster, which the offline lab
        // cannot resolve: curl names the host it was given.
        Answer::Alias { .. } | Answer::NotFound => Err(unresolved(host)),
    }
}

/// Each pod's share by the rules, for a target that is a Service's ClusterIP or node port.
fn expected(cluster: &mut Cluster, source: &Source, ip: Ipv4Addr, port: u16) -> Vec<(String, f64)> {
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

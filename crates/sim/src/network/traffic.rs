//! Many requests at once, counted per pod and per node, beside the share each pod should get
//! according to the rules themselves (the `statistic` probabilities of the Service's chain).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::iptables::{Match, Target};
use crate::kubeproxy::svc_chain;

use super::nginx::Request;
use super::send::{send, Ending, Source};
use crate::cluster::Cluster;

/// What a batch of requests did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrafficReport {
    /// Requests sent.
    pub sent: u64,
    /// Answers per pod, by `namespace/name`.
    pub per_pod: BTreeMap<String, u64>,
    /// Answers per node the answering pod runs on.
    pub per_node: BTreeMap<String, u64>,
    /// Requests that timed out.
    pub timed_out: u64,
    /// Requests refused.
    pub refused: u64,
}

impl TrafficReport {
    /// Every request is counted exactly once: answered, timed out or refused.
    pub fn total(&self) -> u64 {
        self.per_pod.values().sum::<u64>() + self.timed_out + self.refused
    }
}

/// Sends `count` identical requests from `source` to `dst:port`.
pub fn send_many(
    cluster: &mut Cluster,
    source: &Source,
    dst: Ipv4Addr,
    port: u16,
    count: u64,
    request: &Request,
) -> TrafficReport {
    let mut report = TrafficReport::default();
    for _ in 0..count {
        report.sent += 1;
        match send(cluster, source, dst, port, request).ending {
            Ending::Served {
                namespace,
                pod,
                node,
                ..
            } => {
                *report
                    .per_pod
                    .entry(format!("{namespace}/{pod}"))
                    .or_default() += 1;
                *report.per_node.entry(node).or_default() += 1;
            }
            Ending::TimedOut => report.timed_out += 1,
            Ending::Refused => report.refused += 1,
        }
    }
    report
}

/// The share of new connections each endpoint gets from a node's `KUBE-SVC-…` chain for a
/// service port (`ns/name:port`), read off the rules: rule i fires with its probability
/// p_i among what earlier rules left, so its share is p_i × Π(1 − p_j) for j < i.
/// Endpoints are given as their DNAT target `ip:port`.
pub fn expected_shares(cluster: &Cluster, node: &str, service_port: &str) -> Vec<(String, f64)> {
    let Some(runtime) = cluster.nodes.get(node) else {
        return Vec::new();
    };
    let chain_name = svc_chain(service_port, "tcp");
    let Some(chain) = runtime.nat.chain(&chain_name) else {
        return Vec::new();
    };
    let mut remaining = 1.0_f64;
    let mut shares = Vec::new();
    for rule in &chain.rules {
        let Target::Jump(sep) = &rule.target else {
            continue;
        };
        if !sep.starts_with("KUBE-SEP-") {
            continue;
        }
        let p = rule
            .matches
            .iter()
            .find_map(|m| match m {
                Match::Statistic {
                    probability,
                    invert: false,
                } => Some(f64::from(*probability) / f64::from(0x8000_0000_u32)),
                _ => None,
            })
            .unwrap_or(1.0);
        let share = remaining * p;
        remaining -= share;
        shares.push((
            dnat_target(cluster, node, sep).unwrap_or_else(|| sep.clone()),
            share,
        ));
    }
    shares
}

fn dnat_target(cluster: &Cluster, node: &str, sep_chain: &str) -> Option<String> {
    let chain = cluster.nodes.get(node)?.nat.chain(sep_chain)?;
    chain.rules.iter().find_map(|r| match &r.target {
        Target::Dnat { to, .. } => Some(to.text()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::tests::article_lab;

    fn get() -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            host: "localhost".into(),
            user_agent: "curl/7.88.1".into(),
        }
    }

    #[test]
    fn counters_add_up_and_shares_are_a_sixth_each() {
        let mut lab = article_lab(8);
        let cluster = lab.cluster_mut("service-demo").expect("cluster");
        let ip = cluster.nodes["service-demo-worker"].ip;
        let report = send_many(cluster, &Source::Host, ip, 30000, 600, &get());
        assert_eq!(report.total(), 600);
        assert_eq!(report.per_pod.len(), 6);
        assert_eq!(report.per_node.values().sum::<u64>(), 600);
        let shares = expected_shares(cluster, "service-demo-worker", "dev/nginx-service:http");
        assert_eq!(shares.len(), 6);
        for (endpoint, share) in &shares {
            assert!((share - 1.0 / 6.0).abs() < 1e-6, "{endpoint}: {share}");
            assert!(endpoint.ends_with(":80"));
        }
    }

    #[test]
    fn the_same_seed_sends_the_same_traffic() {
        let run = |seed| {
            let mut lab = article_lab(seed);
            let cluster = lab.cluster_mut("service-demo").expect("cluster");
            let ip = cluster.nodes["service-demo-worker2"].ip;
            send_many(cluster, &Source::Host, ip, 30000, 200, &get())
        };
        assert_eq!(run(21), run(21));
        assert_ne!(run(21).per_pod, run(22).per_pod);
    }
}

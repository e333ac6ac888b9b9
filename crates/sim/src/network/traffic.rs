//! Many requests at once, counted per pod and per node, beside the share each pod should get
//! according to the rules themselves (the `statistic` probabilities of the Service's chain).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::iptables::{Match, Target};
use crate::kubeproxy::svc_chain;

use super::nginx::Request;
use super::send::{apply, End, Journeys, Source};
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
    let (served, deltas) = Journeys::run(cluster, source, (dst, port), request, |j| {
        let start = j.start(source, dst);
        // Answers per pod (by its place in `j.pods`, which grows as pods are met), turned
        // into names once at the end.
        let mut served: Vec<u64> = Vec::new();
        for _ in 0..count {
            report.sent += 1;
            match j.go(&start, dst, port, None) {
                End::Served { pod, .. } => {
                    if served.len() <= pod {
                        served.resize(pod + 1, 0);
                    }
                    if let Some(n) = served.get_mut(pod) {
                        *n += 1;
                    }
                }
                End::TimedOut => report.timed_out += 1,
                End::Refused => report.refused += 1,
            }
        }
        let pods = j.pods.iter().map(|p| p.pod);
        pods.zip(served)
            .filter(|(_, n)| *n > 0)
            .map(|(p, n)| {
                let key = format!("{}/{}", p.metadata.namespace, p.metadata.name);
                (key, p.spec.node_name.clone(), n)
            })
            .collect::<Vec<_>>()
    });
    apply(cluster, deltas);
    for (pod, node, n) in served {
        *report.per_pod.entry(pod).or_default() += n;
        *report.per_node.entry(node).or_default() += n;
    }
    report
}

/// The share of new connections each endpoint gets from a node's `KUBE-SVC-…` chain for a
/// service port (`ns/name:port`), read off the rules: rule i fires with its probability
/// p_i among what earlier rules left, so its share is p_i × Π(1 − p_j) for j < i.
/// Endpoints are given as their DNAT target `ip:port`. On a large cluster, call
/// `Cluster::node_tables_ready(node)` first (its tables are built on demand).
pub fn expected_shares(cluster: &Cluster, node: &str, service_port: &str) -> Vec<(String, f64)> {
    expected_shares_in(cluster, node, &svc_chain(service_port, "tcp"))
}

/// [`expected_shares`] read off any service chain of the node: `KUBE-SVC-…`, or the
/// `KUBE-SVL-…` that a Local traffic policy sends traffic to (its node's endpoints only).
pub fn expected_shares_in(cluster: &Cluster, node: &str, chain_name: &str) -> Vec<(String, f64)> {
    let Some(runtime) = cluster.nodes.get(node) else {
        return Vec::new();
    };
    let Some(chain) = runtime.nat.chain(chain_name) else {
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
    use crate::network::send::{send, Ending};
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

    /// Every request is a new connection: its client port is one the entry node tracks no
    /// connection for, so each one is walked through the nat table and counted there (a
    /// reused port would be taken for a packet of the old connection).
    #[test]
    fn every_request_of_a_long_batch_is_counted_by_the_nat_table() {
        let mut lab = article_lab(8);
        let cluster = lab.cluster_mut("service-demo").expect("cluster");
        let ip = cluster.nodes["service-demo-worker"].ip;
        let report = send_many(cluster, &Source::Host, ip, 30000, 10_000, &get());
        assert_eq!(report.per_pod.values().sum::<u64>(), 10_000);
        let nat = &cluster.nodes["service-demo-worker"].nat;
        let counted: u64 = nat
            .chain("KUBE-NODEPORTS")
            .map(|c| c.rules.iter().map(|r| r.counters.packets).sum())
            .unwrap_or(0);
        assert_eq!(counted, 10_000);
    }

    /// What a run of requests leaves behind: every table with its counters, conntrack,
    /// `recent` lists, access logs, and the next random draw.
    fn state(cluster: &mut Cluster) -> impl PartialEq + std::fmt::Debug {
        let nodes: Vec<_> = cluster
            .nodes
            .values()
            .map(|n| {
                let tables = [&n.filter, &n.nat, &n.mangle].map(|t| {
                    crate::iptables::list_table(
                        t,
                        None,
                        &crate::iptables::ListOptions {
                            numeric: true,
                            verbose: true,
                            exact: true,
                            ..Default::default()
                        },
                    )
                });
                (
                    n.name.clone(),
                    tables,
                    n.filter.clone(),
                    n.nat.clone(),
                    n.mangle.clone(),
                    n.conntrack.clone(),
                    n.recent.clone(),
                )
            })
            .collect();
        let logs: Vec<_> = cluster
            .access_logs
            .keys()
            .map(|uid| (uid.clone(), cluster.access_log_lines(uid)))
            .collect();
        (nodes, logs, cluster.rng.next_u32())
    }

    #[test]
    fn a_batch_counts_exactly_what_single_sends_count() {
        let pod_source = |cluster: &Cluster| {
            let pod = crate::api::Pod::clone(
                cluster
                    .store
                    .list::<crate::api::Pod>(Some("dev"))
                    .next()
                    .expect("pods"),
            );
            Source::Pod {
                namespace: "dev".into(),
                name: pod.metadata.name,
            }
        };
        // Host → NodePort, pod → ClusterIP, node → NodePort (crossing nodes, DNAT, masquerade,
        // conntrack flushes past 4096 entries), in one lab per side with the same seed.
        let run = |batch: bool| {
            let mut lab = article_lab(13);
            let cluster = lab.cluster_mut("service-demo").expect("cluster");
            let worker = cluster.nodes["service-demo-worker"].ip;
            let vip = cluster
                .store
                .get::<crate::api::Service>("dev", "nginx-service")
                .and_then(|s| s.spec.cluster_ip.parse().ok())
                .expect("a ClusterIP");
            let sources = [
                (Source::Host, worker, 30000),
                (pod_source(cluster), vip, 80),
                (Source::Node("service-demo-worker2".into()), worker, 30000),
                (Source::Host, vip, 80),
            ];
            let mut reports = Vec::new();
            for (source, dst, port) in &sources {
                let n = 2500;
                let report = if batch {
                    send_many(cluster, source, *dst, *port, n, &get())
                } else {
                    let mut r = TrafficReport::default();
                    for _ in 0..n {
                        r.sent += 1;
                        match send(cluster, source, *dst, *port, &get()).ending {
                            Ending::Served {
                                namespace,
                                pod,
                                node,
                                ..
                            } => {
                                *r.per_pod.entry(format!("{namespace}/{pod}")).or_default() += 1;
                                *r.per_node.entry(node).or_default() += 1;
                            }
                            Ending::TimedOut => r.timed_out += 1,
                            Ending::Refused => r.refused += 1,
                        }
                    }
                    r
                };
                reports.push(report);
            }
            (reports, state(cluster))
        };
        let (batch, batch_state) = run(true);
        let (single, single_state) = run(false);
        assert_eq!(batch, single);
        assert_eq!(batch_state, single_state);
        assert_eq!(batch[0].per_pod.values().sum::<u64>(), 2500);
        assert_eq!(batch[3].timed_out, 2500);
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

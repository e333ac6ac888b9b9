//! Requests through the article's cluster: from a pod, the host, a node and a balancer.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::api::{Pod, Service};
use crate::cluster::Cluster;
use crate::lab::{apply_file, Lab};

use super::nginx::Request;
use super::send::{send, Ending, Source};

const CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";
const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n";
const REPLICASET: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 6\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n";
const NODEPORT: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-service\n  namespace: dev\nspec:\n  ports:\n    - name: http\n      port: 80\n      protocol: TCP\n      targetPort: 80\n      nodePort: 30000\n  selector:\n    app: nginx\n  type: NodePort\n";

pub(crate) fn article_lab(seed: u64) -> Lab {
    let mut lab = Lab::new(seed);
    lab.create_cluster(Some(CONFIG), Some("service-demo"), 0)
        .expect("valid config");
    let cluster = lab.cluster_mut("service-demo").expect("created");
    for (file, text) in [
        ("ns.yaml", NAMESPACE),
        ("rs.yaml", REPLICASET),
        ("svc.yaml", NODEPORT),
    ] {
        let report = apply_file(cluster, file, text, "default");
        assert!(report.success, "{}", report.stderr);
    }
    lab.advance_ms(10_000);
    lab
}

fn get() -> Request {
    Request {
        method: "GET".into(),
        path: "/".into(),
        host: "nginx-service".into(),
        user_agent: "curl/8.9.1".into(),
    }
}

fn cluster_ip(cluster: &Cluster) -> Ipv4Addr {
    cluster
        .store
        .get::<Service>("dev", "nginx-service")
        .and_then(|s| s.spec.cluster_ip.parse().ok())
        .expect("a ClusterIP")
}

fn a_pod(cluster: &Cluster) -> Pod {
    cluster
        .store
        .list::<Pod>(Some("dev"))
        .next()
        .cloned()
        .expect("nginx pods")
}

#[test]
fn a_pod_reaches_the_cluster_ip_and_the_split_follows_the_rules() {
    let mut lab = article_lab(3);
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let vip = cluster_ip(cluster);
    let client = a_pod(cluster);
    let source = Source::Pod {
        namespace: "dev".into(),
        name: client.metadata.name.clone(),
    };
    let mut per_pod: BTreeMap<String, u32> = BTreeMap::new();
    let n = 6000;
    for _ in 0..n {
        match send(cluster, &source, vip, 80, &get()).ending {
            Ending::Served {
                pod, client: seen, ..
            } => {
                if pod == client.metadata.name {
                    // Hairpin: KUBE-SEP's `-s <endpoint> -j KUBE-MARK-MASQ` masquerades a pod
                    // reaching itself through its Service, to the node's veth gateway (.1).
                    assert!(seen.to_string().ends_with(".1"), "{seen}");
                } else {
                    // Otherwise pod-to-Service traffic is not masqueraded.
                    assert_eq!(seen.to_string(), client.status.pod_ip);
                }
                *per_pod.entry(pod).or_default() += 1;
            }
            other => panic!("not served: {other:?}"),
        }
    }
    assert_eq!(per_pod.len(), 6);
    // Chi-square against a uniform 1/6 split; 5 degrees of freedom, p = 0.001 → 20.52.
    let expected = f64::from(n) / 6.0;
    let chi2: f64 = per_pod
        .values()
        .map(|&c| (f64::from(c) - expected).powi(2) / expected)
        .sum();
    assert!(chi2 < 20.52, "chi-square {chi2} for {per_pod:?}");
}

#[test]
fn the_host_cannot_reach_a_cluster_ip_but_every_node_answers_on_the_node_port() {
    let mut lab = article_lab(3);
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let vip = cluster_ip(cluster);
    assert_eq!(
        send(cluster, &Source::Host, vip, 80, &get()).ending,
        Ending::TimedOut
    );
    let nodes: Vec<(String, Ipv4Addr)> = cluster
        .nodes
        .values()
        .map(|n| (n.name.clone(), n.ip))
        .collect();
    for (name, ip) in nodes {
        let outcome = send(cluster, &Source::Host, ip, 30000, &get());
        let Ending::Served { client, node, .. } = outcome.ending else {
            panic!("{name} did not serve: {:?}", outcome.hops);
        };
        // NodePort traffic is masqueraded: to the node's IP when it crosses nodes, to the
        // veth gateway when the pod is local.
        if node == name {
            assert_eq!(client.octets()[..2], [10, 244]);
        } else {
            assert_eq!(client, ip, "crossing from {name} to {node}");
        }
        assert!(
            outcome
                .hops
                .iter()
                .any(|h| h.rules.iter().any(|r| r.chain == "KUBE-NODEPORTS")),
            "the trace passes KUBE-NODEPORTS"
        );
    }
}

#[test]
fn a_node_reaches_localhost_node_port_and_a_stopped_node_does_not_answer() {
    let mut lab = article_lab(3);
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let local = Source::Node("service-demo-worker".into());
    let served = send(cluster, &local, Ipv4Addr::LOCALHOST, 30000, &get());
    assert!(
        matches!(served.ending, Ending::Served { .. }),
        "{:?}",
        served.hops
    );
    let worker_ip = cluster.nodes["service-demo-worker"].ip;
    assert!(crate::controllers::stop_node(
        cluster,
        "service-demo-worker"
    ));
    assert_eq!(
        send(cluster, &Source::Host, worker_ip, 30000, &get()).ending,
        Ending::TimedOut
    );
}

#[test]
fn access_logs_record_what_the_pod_saw() {
    let mut lab = article_lab(5);
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let ip = cluster.nodes["service-demo-worker2"].ip;
    let outcome = send(cluster, &Source::Host, ip, 30000, &get());
    let Ending::Served {
        namespace,
        pod,
        client,
        ..
    } = outcome.ending
    else {
        panic!("not served");
    };
    let uid = cluster
        .store
        .get::<Pod>(&namespace, &pod)
        .map(|p| p.metadata.uid.clone())
        .expect("pod");
    let log = cluster.access_log_lines(&uid);
    assert_eq!(log.len(), 1);
    assert!(
        log[0].starts_with(&format!("{client} - - [13/Aug/2024:")),
        "{}",
        log[0]
    );
    assert!(
        log[0].ends_with("\"GET / HTTP/1.1\" 200 615 \"-\" \"curl/8.9.1\" \"-\""),
        "{}",
        log[0]
    );
}

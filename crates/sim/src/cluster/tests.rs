//! The article's cluster, end to end at the simulator level: boot, a namespace, a six-replica
//! ReplicaSet, a NodePort Service; placement, IPs, endpoints and kube-proxy's rules.

use std::collections::BTreeMap;

use crate::api::{
    Container, EnvVar, EnvVarSource, IntOrString, Namespace, Pod, ReplicaSet, Service, ServicePort,
};
use crate::iptables::{list_table, IptablesVersion, ListOptions};
use crate::kind::{plan_create, CreateRequest};

use super::Cluster;

const ARTICLE_CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";

pub(crate) fn article_cluster(seed: u64) -> Cluster {
    let plan = plan_create(&CreateRequest {
        config_yaml: Some(ARTICLE_CONFIG),
        name_flag: Some("service-demo"),
        env_cluster_name: None,
        image_flag: None,
        existing_clusters: &[],
    })
    .expect("the article's config is valid");
    Cluster::boot(plan.layout, seed, super::LAB_EPOCH_MS)
}

/// Creates through the API server's write path, as kubectl would.
fn create<T: super::Resource>(cluster: &mut Cluster, object: T) {
    crate::apiserver::rest::create(cluster, object.into_object(), "default")
        .expect("the API server accepts it");
}

fn labels(pairs: &[(&str, &str)]) -> crate::api::StringMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn nginx_replicaset() -> ReplicaSet {
    let mut rs = ReplicaSet::default();
    rs.metadata.name = "nginx-replicaset".into();
    rs.metadata.namespace = "dev".into();
    rs.metadata.generation = 1;
    rs.spec.replicas = Some(6);
    rs.spec.selector.match_labels = labels(&[("app", "nginx")]);
    rs.spec.template.metadata.labels = labels(&[("app", "nginx")]);
    let field = |path: &str| EnvVarSource::field(path);
    rs.spec.template.spec.containers = crate::api::Shared::from(vec![Container {
        name: "nginx".into(),
        image: "nginx:latest".into(),
        env: vec![
            EnvVar {
                name: "NODE_NAME".into(),
                value: None,
                value_from: Some(field("spec.nodeName")),
            },
            EnvVar {
                name: "POD_NAME".into(),
                value: None,
                value_from: Some(field("metadata.name")),
            },
        ],
        ..Default::default()
    }]);
    rs
}

fn nodeport_service() -> Service {
    let mut svc = Service::default();
    svc.metadata.name = "nginx-service".into();
    svc.metadata.namespace = "dev".into();
    svc.spec.type_ = "NodePort".into();
    svc.spec.selector = labels(&[("app", "nginx")]);
    svc.spec.ports = vec![ServicePort {
        name: "http".into(),
        protocol: "TCP".into(),
        port: 80,
        target_port: Some(IntOrString::Int(80)),
        node_port: Some(30000),
    }];
    svc
}

fn article_with_workload(seed: u64) -> Cluster {
    let mut cluster = article_cluster(seed);
    let mut ns = Namespace::default();
    ns.metadata.name = "dev".into();
    ns.status.phase = "Active".into();
    create(&mut cluster, ns);
    create(&mut cluster, nginx_replicaset());
    let later = cluster.now_ms() + 10_000;
    cluster.advance_to(later);
    cluster
}

fn nginx_pods(cluster: &Cluster) -> Vec<&Pod> {
    cluster.store.list::<Pod>(Some("dev")).collect()
}

#[test]
fn kind_boots_the_articles_three_nodes_with_system_pods() {
    let cluster = article_cluster(1);
    let nodes: Vec<&str> = cluster.nodes.keys().map(String::as_str).collect();
    assert_eq!(
        nodes,
        [
            "service-demo-control-plane",
            "service-demo-worker",
            "service-demo-worker2"
        ]
    );
    let system: Vec<&Pod> = cluster.store.list::<Pod>(Some("kube-system")).collect();
    // 4 control-plane static pods, kube-proxy and kindnet on 3 nodes, 2 CoreDNS pods.
    assert_eq!(
        system.len(),
        4 + 6 + 2,
        "{:#?}",
        system.iter().map(|p| &p.metadata.name).collect::<Vec<_>>()
    );
    assert!(
        system.iter().all(|p| p.status.phase == "Running"),
        "all system pods run"
    );
    let coredns: Vec<&&Pod> = system
        .iter()
        .filter(|p| p.metadata.name.starts_with("coredns-674b8bbfcf-"))
        .collect();
    assert_eq!(coredns.len(), 2);
    // CoreDNS starts before the workers join, so both land on the control plane.
    assert!(coredns
        .iter()
        .all(|p| p.spec.node_name == "service-demo-control-plane"));
    let mut ips: Vec<&str> = coredns.iter().map(|p| p.status.pod_ip.as_str()).collect();
    ips.sort();
    assert_eq!(ips, ["10.244.0.2", "10.244.0.3"]);
}

#[test]
fn six_nginx_pods_spread_over_the_workers_only() {
    let cluster = article_with_workload(7);
    let pods = nginx_pods(&cluster);
    assert_eq!(pods.len(), 6);
    let mut per_node: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &pods {
        assert_eq!(p.status.phase, "Running", "{}", p.metadata.name);
        assert!(p.metadata.name.starts_with("nginx-replicaset-"));
        assert_eq!(p.metadata.name.len(), "nginx-replicaset-".len() + 5);
        *per_node.entry(p.spec.node_name.as_str()).or_default() += 1;
    }
    // The control plane keeps its NoSchedule taint, so the workers take three each.
    assert_eq!(
        per_node,
        BTreeMap::from([("service-demo-worker", 3), ("service-demo-worker2", 3)])
    );
    let rs = cluster
        .store
        .get::<ReplicaSet>("dev", "nginx-replicaset")
        .expect("stored");
    assert_eq!((rs.status.replicas, rs.status.ready_replicas), (6, 6));
}

#[test]
fn the_nodeport_service_gets_six_endpoints_and_the_articles_probabilities() {
    let mut cluster = article_with_workload(7);
    create(&mut cluster, nodeport_service());
    let ep = cluster
        .store
        .get::<crate::api::Endpoints>("dev", "nginx-service")
        .expect("the endpoints controller writes Endpoints");
    assert_eq!(ep.subsets.len(), 1);
    assert_eq!(ep.subsets[0].addresses.len(), 6);
    let worker = cluster.nodes.get("service-demo-worker").expect("node");
    let listing = list_table(
        &worker.nat,
        None,
        &ListOptions {
            numeric: true,
            version: IptablesVersion::V1_8_9,
            ..Default::default()
        },
    )
    .expect("listing");
    let lines: Vec<&str> = listing
        .lines()
        .filter(|l| l.contains("nginx-service:http ->"))
        .collect();
    assert_eq!(lines.len(), 6, "{listing}");
    let tails: Vec<&str> = lines
        .iter()
        .map(|l| l.split("*/").nth(1).unwrap_or("").trim())
        .collect();
    assert_eq!(
        tails,
        [
            "statistic mode random probability 0.16666666651",
            "statistic mode random probability 0.20000000019",
            "statistic mode random probability 0.25000000000",
            "statistic mode random probability 0.33333333349",
            "statistic mode random probability 0.50000000000",
            "",
        ]
    );
    assert!(listing.contains("KUBE-NODEPORTS"));
    assert!(listing.contains("dpt:30000"), "{listing}");
}

#[test]
fn deleting_a_pod_brings_a_replacement_and_the_endpoints_follow() {
    let mut cluster = article_with_workload(3);
    let victim = nginx_pods(&cluster)[0].metadata.name.clone();
    crate::controllers::delete_pod(&mut cluster, "dev", &victim);
    cluster.settle();
    let pods = nginx_pods(&cluster);
    // The old pod terminates while its replacement starts.
    assert_eq!(pods.len(), 7);
    let terminating = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_some())
        .count();
    assert_eq!(terminating, 1);
    let later = cluster.now_ms() + 10_000;
    cluster.advance_to(later);
    let pods = nginx_pods(&cluster);
    assert_eq!(pods.len(), 6);
    assert!(pods.iter().all(|p| p.metadata.name != victim));
}

#[test]
fn the_same_seed_gives_the_same_cluster() {
    let names = |seed| {
        let cluster = article_with_workload(seed);
        nginx_pods(&cluster)
            .iter()
            .map(|p| {
                format!(
                    "{} {} {}",
                    p.metadata.name, p.status.pod_ip, p.spec.node_name
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(names(11), names(11));
    assert_ne!(names(11), names(12));
}

#[test]
fn a_stopped_node_loses_its_endpoints_and_its_pods_move() {
    let mut cluster = article_with_workload(5);
    create(&mut cluster, nodeport_service());
    assert!(crate::controllers::stop_node(
        &mut cluster,
        "service-demo-worker"
    ));
    let after_grace = cluster.now_ms() + super::timing::NODE_MONITOR_GRACE_MS + 1_000;
    cluster.advance_to(after_grace);
    let ep = cluster
        .store
        .get::<crate::api::Endpoints>("dev", "nginx-service")
        .expect("endpoints");
    assert_eq!(
        ep.subsets[0].addresses.len(),
        3,
        "only worker2's pods stay ready"
    );
    let after_eviction = cluster.now_ms() + super::timing::DEFAULT_TOLERATION_MS + 10_000;
    cluster.advance_to(after_eviction);
    let running_on_worker2 = nginx_pods(&cluster)
        .iter()
        .filter(|p| {
            p.spec.node_name == "service-demo-worker2"
                && p.status.phase == "Running"
                && p.metadata.deletion_timestamp.is_none()
        })
        .count();
    assert_eq!(running_on_worker2, 6);
    assert!(crate::controllers::start_node(
        &mut cluster,
        "service-demo-worker"
    ));
    let later = cluster.now_ms() + 10_000;
    cluster.advance_to(later);
    assert_eq!(
        nginx_pods(&cluster).len(),
        6,
        "evicted pods are gone once the node returns"
    );
}

/// The store's indexes always equal what a scan of every pod gives, through creation,
/// scheduling, a node failure, evictions and the node's return.
#[test]
fn the_tracker_indexes_match_a_full_scan() {
    let check = |cluster: &Cluster| {
        let tracker = cluster.store.tracker();
        let mut pending = std::collections::BTreeSet::new();
        let mut unstarted = std::collections::BTreeSet::new();
        let mut live: BTreeMap<String, usize> = BTreeMap::new();
        for p in cluster.store.list::<Pod>(None) {
            let key = (p.metadata.namespace.clone(), p.metadata.name.clone());
            let alive = p.metadata.deletion_timestamp.is_none();
            if p.spec.node_name.is_empty() && alive {
                pending.insert(key.clone());
            }
            if !p.spec.node_name.is_empty() && p.status.start_time.is_empty() && alive {
                unstarted.insert(key);
            }
            if !p.spec.node_name.is_empty() && alive {
                *live.entry(p.spec.node_name.clone()).or_default() += 1;
            }
        }
        assert_eq!(tracker.pending_pods, pending);
        assert_eq!(tracker.unstarted_pods, unstarted);
        assert_eq!(tracker.live_pods_on_node, live);
        let pods: usize = tracker.pods_by_node.values().map(|s| s.len()).sum();
        let bound = cluster
            .store
            .list::<Pod>(None)
            .filter(|p| !p.spec.node_name.is_empty())
            .count();
        assert_eq!(pods, bound);
    };
    let mut cluster = article_with_workload(5);
    create(&mut cluster, nodeport_service());
    check(&cluster);
    assert!(crate::controllers::stop_node(
        &mut cluster,
        "service-demo-worker"
    ));
    let later = cluster.now_ms()
        + super::timing::NODE_MONITOR_GRACE_MS
        + super::timing::DEFAULT_TOLERATION_MS
        + 10_000;
    cluster.advance_to(later);
    check(&cluster);
    assert!(crate::controllers::start_node(
        &mut cluster,
        "service-demo-worker"
    ));
    let later = cluster.now_ms() + 10_000;
    cluster.advance_to(later);
    check(&cluster);
}

/// Above the eager limit a node's kube-proxy tables are built only when asked for, and then
/// hold what an eagerly kept node's would (the same restore text for every Service port).
#[test]
fn large_clusters_build_a_nodes_tables_on_demand() {
    let mut cluster = large_cluster(3);
    assert!(cluster.lazy_kube_proxy());
    let has_kubernetes =
        |cluster: &Cluster, node: &str| cluster.nodes[node].proxy.service_ports().count() > 0;
    assert!(!has_kubernetes(&cluster, "big-worker"));
    assert!(cluster.node_tables_ready("big-worker"));
    assert!(!cluster.node_tables_ready("no-such-node"));
    assert!(has_kubernetes(&cluster, "big-worker"));
    assert!(cluster.nodes["big-worker"]
        .nat
        .chain("KUBE-SERVICES")
        .is_some());
    // Later changes reach the materialized node incrementally, and only it.
    let mut ns = Namespace::default();
    ns.metadata.name = "dev".into();
    ns.status.phase = "Active".into();
    create(&mut cluster, ns);
    create(&mut cluster, nodeport_service());
    let ports = |cluster: &Cluster, node: &str| cluster.nodes[node].proxy.service_ports().count();
    assert_eq!(ports(&cluster, "big-worker"), cluster.proxied.len());
    assert_eq!(ports(&cluster, "big-worker2"), 0);
    assert!(cluster.node_tables_ready("big-worker2"));
    let restore = |cluster: &Cluster, node: &str| cluster.nodes[node].proxy.restore_text();
    assert_eq!(
        restore(&cluster, "big-worker").replace("big-worker", "NODE"),
        restore(&cluster, "big-worker2").replace("big-worker2", "NODE")
    );
}

/// A cluster `big` one node above the eager limit, nodes built on demand.
fn large_cluster(seed: u64) -> Cluster {
    let mut config = String::from(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n",
    );
    for _ in 0..super::EAGER_KUBE_PROXY_NODES {
        config.push_str("  - role: worker\n");
    }
    let plan = plan_create(&CreateRequest {
        config_yaml: Some(&config),
        name_flag: Some("big"),
        env_cluster_name: None,
        image_flag: None,
        existing_clusters: &[],
    })
    .expect("valid config");
    let cluster = Cluster::boot(plan.layout, seed, super::LAB_EPOCH_MS);
    assert!(cluster.lazy_kube_proxy());
    cluster
}

/// A cluster above the eager limit with the article's workload behind a NodePort Service.
fn large_cluster_with_workload(seed: u64) -> Cluster {
    let mut cluster = large_cluster(seed);
    let mut ns = Namespace::default();
    ns.metadata.name = "dev".into();
    ns.status.phase = "Active".into();
    create(&mut cluster, ns);
    create(&mut cluster, nginx_replicaset());
    create(&mut cluster, nodeport_service());
    let later = cluster.now_ms() + 10_000;
    cluster.advance_to(later);
    cluster
}

/// Traffic in a large cluster builds every rule only where a Service's rule can match (the
/// node it enters), the fixed chains on the nodes it crosses to reach a pod, and nothing
/// elsewhere; yet answers, counters and tables end as in a cluster with every node built.
#[test]
fn large_cluster_traffic_builds_only_the_nodes_it_crosses_and_counts_the_same() {
    use crate::cluster::KeptTables;
    use crate::network::nginx::Request;
    use crate::network::send::Source;
    use crate::network::traffic::send_many;

    let mut lazy = large_cluster_with_workload(11);
    let mut built = large_cluster_with_workload(11);
    let names: Vec<String> = built.nodes.keys().cloned().collect();
    for name in &names {
        assert!(built.node_tables_ready(name));
    }
    let get = Request {
        method: "GET".into(),
        path: "/".into(),
        user_agent: "curl/8.5.0".into(),
        host: "x".into(),
    };
    let entry = "big-worker8";
    let entry_ip = lazy.nodes[entry].ip;
    let pod_nodes: std::collections::BTreeSet<String> = nginx_pods(&lazy)
        .iter()
        .map(|p| p.spec.node_name.clone())
        .collect();
    assert!(
        pod_nodes.len() > 3 && !pod_nodes.contains(entry),
        "{pod_nodes:?}"
    );
    let a_pod = Source::Pod {
        namespace: "dev".into(),
        name: nginx_pods(&lazy)[0].metadata.name.clone(),
    };
    let cluster_ip: std::net::Ipv4Addr = lazy
        .store
        .get::<Service>("dev", "nginx-service")
        .and_then(|s| s.spec.cluster_ip.parse().ok())
        .expect("a ClusterIP");
    let kept = |c: &Cluster, n: &str| c.nodes[n].kept;
    let from_host = |c: &mut Cluster| send_many(c, &Source::Host, entry_ip, 30000, 300, &get);
    let from_pod = |c: &mut Cluster| send_many(c, &a_pod, cluster_ip, 80, 200, &get);
    // The API server's endpoint is the control plane's own address (hostNetwork).
    let to_api_server = |c: &mut Cluster| {
        let kubernetes = std::net::Ipv4Addr::new(10, 96, 0, 1);
        send_many(c, &a_pod, kubernetes, 443, 5, &get)
    };
    let host_report = from_host(&mut lazy);
    assert_eq!(host_report, from_host(&mut built));
    assert_eq!(host_report.per_node.len(), pod_nodes.len());
    assert_eq!(from_pod(&mut lazy), from_pod(&mut built));
    assert_eq!(kept(&lazy, "big-control-plane"), KeptTables::Pending);
    assert_eq!(to_api_server(&mut lazy), to_api_server(&mut built));
    assert_eq!(kept(&lazy, "big-control-plane"), KeptTables::Full);
    assert_eq!(kept(&lazy, entry), KeptTables::Full);
    for n in &pod_nodes {
        assert_ne!(kept(&lazy, n), KeptTables::Pending, "{n} was crossed");
    }
    let fixed = names
        .iter()
        .filter(|n| kept(&lazy, n) == KeptTables::Fixed)
        .count();
    assert!(fixed >= pod_nodes.len() - 1);
    let untouched = names
        .iter()
        .find(|n| n.contains("worker") && !pod_nodes.contains(*n) && *n != entry);
    assert_eq!(untouched.map(|n| kept(&lazy, n)), Some(KeptTables::Pending));

    // A change rewrites kube-proxy's chains (restarting their counters) on every built node,
    // then more traffic counts from zero there.
    let mut second = nodeport_service();
    second.metadata.name = "second".into();
    second.spec.ports[0].node_port = Some(30001);
    create(&mut lazy, second.clone());
    create(&mut built, second);
    assert_eq!(from_host(&mut lazy), from_host(&mut built));
    assert_eq!(from_pod(&mut lazy), from_pod(&mut built));

    for name in &names {
        assert!(lazy.node_tables_ready(name));
        let (a, b) = (&lazy.nodes[name], &built.nodes[name]);
        assert_eq!(a.filter, b.filter, "filter of {name}");
        assert_eq!(a.nat, b.nat, "nat of {name}");
        assert_eq!(a.mangle, b.mangle, "mangle of {name}");
        assert_eq!(a.routing, b.routing, "routes of {name}");
        assert_eq!(a.conntrack.len(), b.conntrack.len(), "conntrack of {name}");
    }
}

//! The simulator at Kubernetes' scalability thresholds: 5,000 nodes, 10,000 ClusterIP Services
//! each selecting a 15-replica Deployment (150,000 pods), all created through the API write
//! path and run until every pod is Ready. Prints the build time and the heap the cluster holds
//! (a counting global allocator, as `kube_proxy_memory` does), then times with criterion:
//! a settle with nothing to do, and one endpoint turning Ready applied end to end (pod →
//! EndpointSlice → kube-proxy on one materialized node), and requests from a pod to a
//! ClusterIP (which builds the endpoints' nodes with their fixed chains only).
//!
//! `SVCLAB_SCALE` picks the fraction of the threshold: `0.1` (the default: 500 nodes, 1,000
//! Services, 15,000 pods) or `1` (the full threshold; several minutes on two cores).
//! Run with `cargo bench -p svclab-sim --bench threshold`.

use std::sync::atomic::Ordering;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use svclab_sim::api::{
    Condition, Container, ContainerPort, Deployment, IntOrString, Object, Pod, Service, ServicePort,
};
use svclab_sim::cluster::{Cluster, KeptTables, LAB_EPOCH_MS};
use svclab_sim::kind::{plan_create, CreateRequest};
use svclab_sim::network::nginx::Request;
use svclab_sim::network::send::Source;
use svclab_sim::network::traffic::send_many;

mod counting_alloc;

use counting_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const NODES: usize = 5_000;
const SERVICES: usize = 10_000;
const REPLICAS: i32 = 15;
/// Requests routed once, timed and measured outside criterion.
const ROUTED: u64 = 100_000;

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn scale() -> f64 {
    std::env::var("SVCLAB_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|s: &f64| *s > 0.0 && *s <= 1.0)
        .unwrap_or(0.1)
}

/// A kind config with one control plane and `nodes - 1` workers; the pod subnet is a /10 so
/// that every node gets its /24 (kind's default /16 has only 256).
fn config(nodes: usize) -> String {
    let mut text = String::from(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podSubnet: 100.64.0.0/10\nnodes:\n  - role: control-plane\n",
    );
    for _ in 1..nodes {
        text.push_str("  - role: worker\n");
    }
    text
}

fn labels(app: &str) -> svclab_sim::api::StringMap {
    [("app".to_string(), app.to_string())].into()
}

fn service(name: &str) -> Service {
    let mut svc = Service::default();
    svc.metadata.name = name.into();
    svc.spec.selector = labels(name);
    svc.spec.ports = vec![ServicePort {
        name: "http".into(),
        protocol: "TCP".into(),
        port: 80,
        target_port: Some(IntOrString::Int(80)),
        node_port: None,
    }];
    svc
}

fn deployment(name: &str) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = name.into();
    d.spec.replicas = Some(REPLICAS);
    d.spec.selector.match_labels = labels(name);
    d.spec.template.metadata.labels = labels(name);
    d.spec.template.spec.containers = svclab_sim::api::Shared::from(vec![Container {
        name: "nginx".into(),
        image: "nginx:latest".into(),
        ports: vec![ContainerPort {
            container_port: 80,
            ..Default::default()
        }],
        ..Default::default()
    }]);
    d
}

/// Boots the cluster and creates every Service and Deployment through the write path, then
/// runs the clock until every pod is Ready.
fn build(nodes: usize, services: usize) -> Cluster {
    let text = config(nodes);
    let plan = plan_create(&CreateRequest {
        config_yaml: Some(&text),
        name_flag: Some("threshold"),
        env_cluster_name: None,
        image_flag: None,
        existing_clusters: &[],
    })
    .expect("the generated config is valid");
    let mut cluster = Cluster::boot(plan.layout, 7, LAB_EPOCH_MS);
    for i in 0..services {
        let name = format!("svc-{i}");
        let create = |cluster: &mut Cluster, object: Object| {
            svclab_sim::apiserver::rest::create(cluster, object, "default")
                .expect("the API server accepts it")
        };
        create(&mut cluster, Object::Service(service(&name)));
        create(&mut cluster, Object::Deployment(deployment(&name)));
    }
    let later = cluster.now_ms() + 120_000;
    cluster.advance_to(later);
    cluster
}

fn set_ready(cluster: &mut Cluster, name: &str, ready: bool) {
    let status = if ready { "True" } else { "False" };
    cluster.modify::<Pod>("default", name, |p| {
        for c in p.status.conditions.iter_mut() {
            if c.type_ == "Ready" || c.type_ == "ContainersReady" {
                *c = Condition {
                    status: status.into(),
                    ..c.clone()
                };
            }
        }
    });
    cluster.settle();
}

fn threshold(c: &mut Criterion) {
    let scale = scale();
    let nodes = ((NODES as f64 * scale) as usize).max(2);
    let services = ((SERVICES as f64 * scale) as usize).max(1);
    let label = format!("{nodes}n_{services}svc_x{REPLICAS}");

    let before = LIVE.load(Ordering::Relaxed);
    let start = Instant::now();
    let mut cluster = build(nodes, services);
    let built = start.elapsed();
    let held = LIVE.load(Ordering::Relaxed) - before;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let pods = cluster.store.list::<Pod>(None).count();
    let ready = cluster
        .store
        .list::<Pod>(None)
        .filter(|p| svclab_sim::controllers::pod_is_ready(p))
        .count();
    println!(
        "{label}: built in {:.1} s; {pods} pods ({ready} Ready); heap held {:.1} MiB, peak {:.1} MiB",
        built.as_secs_f64(),
        mib(held),
        mib(peak),
    );

    // One node's kube-proxy tables, materialized on demand.
    let worker = "threshold-worker".to_string();
    let before_node = LIVE.load(Ordering::Relaxed);
    let start = Instant::now();
    cluster.node_tables_ready(&worker);
    println!(
        "{label}: materializing {worker} took {:.2} s and {:.1} MiB; cluster now holds {:.1} MiB",
        start.elapsed().as_secs_f64(),
        mib(LIVE.load(Ordering::Relaxed) - before_node),
        mib(LIVE.load(Ordering::Relaxed) - before),
    );

    // Requests from a pod on that worker to another Service's ClusterIP: the entry node has
    // every rule; the nodes of the 15 endpoints get only their fixed chains on the way.
    let client = cluster
        .store
        .list::<Pod>(Some("default"))
        .find(|p| p.spec.node_name == worker && !p.status.pod_ip.is_empty())
        .map(|p| Source::Pod {
            namespace: "default".into(),
            name: p.metadata.name.clone(),
        })
        .expect("a pod on the worker");
    let target: std::net::Ipv4Addr = cluster
        .store
        .get::<Service>("default", "svc-1")
        .and_then(|s| s.spec.cluster_ip.parse().ok())
        .expect("svc-1 has a ClusterIP");
    let get = Request {
        method: "GET".into(),
        path: "/".into(),
        host: target.to_string(),
        user_agent: "curl/8.5.0".into(),
    };
    let before_route = LIVE.load(Ordering::Relaxed);
    let start = Instant::now();
    let report = send_many(&mut cluster, &client, target, 80, ROUTED, &get);
    let took = start.elapsed().as_secs_f64();
    let count = |kept: KeptTables| cluster.nodes.values().filter(|n| n.kept == kept).count();
    println!(
        "{label}: routed {ROUTED} requests pod → ClusterIP in {took:.2} s ({:.0} req/s; {} pods answered); \
         nodes built: {} in full, {} fixed chains only, {} not yet; +{:.1} MiB, cluster now holds {:.1} MiB",
        ROUTED as f64 / took,
        report.per_pod.len(),
        count(KeptTables::Full),
        count(KeptTables::Fixed),
        count(KeptTables::Pending),
        mib(LIVE.load(Ordering::Relaxed).saturating_sub(before_route)),
        mib(LIVE.load(Ordering::Relaxed) - before),
    );

    let mut group = c.benchmark_group(format!("threshold/{label}"));
    group.sample_size(10);
    group.bench_function("route_10k_pod_to_cluster_ip", |b| {
        b.iter(|| send_many(&mut cluster, &client, target, 80, 10_000, &get))
    });
    group.bench_function("settle_nothing_to_do", |b| b.iter(|| cluster.settle()));
    let pod = cluster
        .store
        .list::<Pod>(Some("default"))
        .find(|p| p.metadata.labels.get("app").map(String::as_str) == Some("svc-0"))
        .map(|p| p.metadata.name.clone())
        .expect("svc-0 has pods");
    set_ready(&mut cluster, &pod, false);
    let mut ready = false;
    group.bench_function("one_endpoint_ready", |b| {
        b.iter(|| {
            // Alternates: becomes Ready, then not, so every iteration is a real change.
            ready = !ready;
            set_ready(&mut cluster, &pod, ready);
        })
    });
    group.finish();

    // What dominates: the heap each part frees when dropped.
    let mut parts: Vec<(&str, usize)> = Vec::new();
    let mut free = |what: &'static str, drop_part: &mut dyn FnMut(&mut Cluster)| {
        let before = LIVE.load(Ordering::Relaxed);
        drop_part(&mut cluster);
        parts.push((what, before.saturating_sub(LIVE.load(Ordering::Relaxed))));
    };
    free("store indexes (tracker)", &mut |c| {
        drop(std::mem::take(c.store.tracker_mut()))
    });
    free("node runtimes", &mut |c| drop(std::mem::take(&mut c.nodes)));
    free("kube-proxy inputs (proxied)", &mut |c| {
        drop(std::mem::take(&mut c.proxied))
    });
    free("events", &mut |c| drop(std::mem::take(&mut c.events)));
    free("API objects (store)", &mut |c| {
        drop(std::mem::take(&mut c.store))
    });
    for (what, bytes) in parts {
        println!("{label}: {what}: {:.1} MiB", mib(bytes));
    }
}

criterion_group!(benches, threshold);
criterion_main!(benches);

//! Routing requests through the article's cluster: from the host to a node port (crossing
//! nodes, DNAT, masquerade, nginx), and from a pod to the ClusterIP, in batches of 10,000.
//! The rate is requests per second (criterion's throughput).
//!
//! Run with `cargo bench -p svclab-sim --bench route_requests`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use svclab_sim::api::Pod;
use svclab_sim::lab::{apply_file, Lab};
use svclab_sim::network::nginx::Request;
use svclab_sim::network::send::Source;
use svclab_sim::network::traffic::send_many;

const CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";
const MANIFESTS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 6\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-service\n  namespace: dev\nspec:\n  ports:\n    - name: http\n      port: 80\n      targetPort: 80\n      nodePort: 30000\n  selector:\n    app: nginx\n  type: NodePort\n";
const BATCH: u64 = 10_000;

fn lab() -> Lab {
    let mut lab = Lab::new(7);
    lab.create_cluster(Some(CONFIG), Some("service-demo"), 0)
        .expect("valid config");
    let cluster = lab.cluster_mut("service-demo").expect("created");
    let report = apply_file(cluster, "all.yaml", MANIFESTS, "default");
    assert!(report.success, "{}", report.stderr);
    lab.advance_ms(10_000);
    lab
}

fn route(c: &mut Criterion) {
    let request = Request {
        method: "GET".into(),
        path: "/".into(),
        host: "nginx-service".into(),
        user_agent: "curl/8.9.1".into(),
    };
    let mut group = c.benchmark_group("route");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(10);
    let mut lab = lab();
    let cluster = lab.cluster_mut("service-demo").expect("created");
    let worker = cluster.nodes["service-demo-worker"].ip;
    group.bench_function("host_to_node_port", |b| {
        b.iter(|| send_many(cluster, &Source::Host, worker, 30000, BATCH, &request))
    });
    let pod = cluster
        .store
        .list::<Pod>(Some("dev"))
        .next()
        .cloned()
        .expect("pods");
    let vip = cluster
        .store
        .get::<svclab_sim::api::Service>("dev", "nginx-service")
        .and_then(|s| s.spec.cluster_ip.parse().ok())
        .expect("a ClusterIP");
    let source = Source::Pod {
        namespace: "dev".into(),
        name: pod.metadata.name,
    };
    group.bench_function("pod_to_cluster_ip", |b| {
        b.iter(|| send_many(cluster, &source, vip, 80, BATCH, &request))
    });
    group.finish();
}

criterion_group!(benches, route);
criterion_main!(benches);

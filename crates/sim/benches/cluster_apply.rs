//! The article's steps at the cluster level: `kind create cluster` with its config, then
//! `kubectl apply` of its namespace, ReplicaSet and NodePort Service until the controllers and
//! every node's kube-proxy have settled (the work behind one click of the page's Apply).
//!
//! Run with `cargo bench -p svclab-sim --bench cluster_apply`.

use criterion::{criterion_group, criterion_main, Criterion};
use svclab_sim::lab::{apply_file, Lab};

const CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";
const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n";
const REPLICASET: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 6\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n        env:\n        - name: NODE_NAME\n          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName\n        - name: POD_NAME\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.name\n";
const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: nginx-service\n  name: nginx-service\n  namespace: dev\nspec:\n  ports:\n    - name: http\n      port: 80\n      protocol: TCP\n      targetPort: 80\n      nodePort: 30000\n  selector:\n    app: nginx\n  type: NodePort\n";

fn booted() -> Lab {
    let mut lab = Lab::new(42);
    lab.create_cluster(Some(CONFIG), Some("service-demo"), 0)
        .expect("the article's config is valid");
    lab
}

fn article(c: &mut Criterion) {
    c.bench_function("kind_create_cluster/article", |b| b.iter(booted));
    let base = booted();
    c.bench_function("kubectl_apply/article_manifests", |b| {
        b.iter_batched(
            || base.clone(),
            |mut lab| {
                let cluster = lab.cluster_mut("service-demo").expect("created");
                for (file, text) in [
                    ("ns.yaml", NAMESPACE),
                    ("./manifests/nginx-replicaset.yaml", REPLICASET),
                    ("./manifests/nginx-service-nodeport.yaml", SERVICE),
                ] {
                    let report = apply_file(cluster, file, text, "default");
                    assert!(report.success, "{}", report.stderr);
                }
                // Long enough for every pod to run and every node's rules to follow.
                lab.advance_ms(10_000);
                lab
            },
            criterion::BatchSize::SmallInput,
        );
    });
}

criterion_group!(benches, article);
criterion_main!(benches);

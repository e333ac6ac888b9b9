//! Shared fixtures for the scenario tests: the article's cluster and its manifests.

#![allow(dead_code)]

use std::path::PathBuf;

use svclab_sim::lab::{apply_file, Lab};

pub const CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";
pub const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n";
pub const REPLICASET: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 6\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n        ports:\n        - name: web\n          containerPort: 80\n";

/// The article's cluster with `dev` and the six-pod ReplicaSet running.
pub fn lab(seed: u64) -> Lab {
    let mut lab = Lab::new(seed);
    lab.create_cluster(Some(CONFIG), Some("service-demo"), 0)
        .expect("valid config");
    apply(&mut lab, NAMESPACE);
    apply(&mut lab, REPLICASET);
    lab.advance_ms(10_000);
    lab
}

/// `kubectl apply -f` of `text`, which must succeed.
pub fn apply(lab: &mut Lab, text: &str) {
    let cluster = lab.cluster_mut("service-demo").expect("created");
    let report = apply_file(cluster, "test.yaml", text, "default");
    assert!(report.success, "{}", report.stderr);
}

/// Compares `actual` with `tests/golden/<name>`; `UPDATE_GOLDEN=1` rewrites the file instead.
pub fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(actual, expected, "golden file {name} differs");
}

//! What several test files start from: a kind cluster with a NodePort Service applied, or
//! the article's three-node cluster with its ReplicaSet. Each test file uses some of it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

/// `svc.yaml`: the Service `web`, NodePort 30000, selecting `app: web`.
pub const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    nodePort: 30000\n";

/// A fresh lab with `seed`: `kind create cluster`, then `kubectl apply -f svc.yaml`; `files`
/// are added to the workspace beside `svc.yaml`.
pub fn lab_with_service(seed: u64, files: &[(&str, String)]) -> Session {
    let mut workspace = BTreeMap::from([("svc.yaml".to_string(), SERVICE.to_string())]);
    for (name, text) in files {
        workspace.insert((*name).to_string(), text.clone());
    }
    let mut s = Session::new(seed, Workspace::Memory(workspace));
    assert_eq!(s.type_line("kind create cluster").status, 0);
    let applied = s.type_line("kubectl apply -f svc.yaml");
    assert_eq!(applied.stdout(), "service/web created\n");
    s
}

const ARTICLE_CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";
const ARTICLE_RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n";
const ARTICLE_SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-service\n  namespace: dev\nspec:\n  ports:\n    - port: 80\n      targetPort: 80\n      nodePort: 30000\n  selector:\n    app: nginx\n  type: NodePort\n";

/// The tutorial's `web.yaml`, its StorageClass left out: the claims take kind's default, `standard`.
pub const TUTORIAL_WEB: &str = "apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: \"nginx\"
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ \"ReadWriteOnce\" ]
      resources:
        requests:
          storage: 1Gi
";

/// A fresh lab with the article's three-node cluster (`kind create cluster`, named `kind`)
/// and `files` in the workspace.
pub fn kind_lab(seed: u64, files: &[(&str, &str)]) -> Session {
    let mut workspace = BTreeMap::from([("kind.yaml".to_string(), ARTICLE_CONFIG.to_string())]);
    for (name, text) in files {
        workspace.insert((*name).to_string(), (*text).to_string());
    }
    let mut s = Session::new(seed, Workspace::Memory(workspace));
    let out = s.type_line("kind create cluster --config kind.yaml");
    assert_eq!(out.status, 0, "{}", out.stderr());
    s
}

/// The article's cluster `demo` (a control plane and two workers) with `nginx-replicaset`
/// (3 pods, Ready) and the NodePort Service `nginx-service` in `dev`.
pub fn three_node_lab(seed: u64) -> Session {
    let files = BTreeMap::from([
        ("kind-config.yaml".to_string(), ARTICLE_CONFIG.to_string()),
        ("rs.yaml".to_string(), ARTICLE_RS.to_string()),
        ("svc.yaml".to_string(), ARTICLE_SVC.to_string()),
    ]);
    let mut s = Session::new(seed, Workspace::Memory(files));
    for line in [
        "kind create cluster --name demo --config kind-config.yaml",
        "kubectl create namespace dev",
        "kubectl apply -f rs.yaml -f svc.yaml",
        "kubectl wait -n dev --for=condition=Ready pod -l app=nginx",
    ] {
        let out = s.type_line(line);
        assert_eq!(out.status, 0, "{line}: {}", out.stderr());
    }
    s
}

//! The article's kubectl steps against a lab cluster, as a learner types them.

use std::collections::BTreeMap;

use svclab_sim::lab::Lab;

use crate::io::Output;
use crate::programs::{kind, Context};
use crate::workspace::Workspace;

const CONFIG: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";
const RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 6\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n";
const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: nginx-service\n  name: nginx-service\n  namespace: dev\nspec:\n  ports:\n    - name: http\n      port: 80\n      protocol: TCP\n      targetPort: 80\n      nodePort: 30000\n  selector:\n    app: nginx\n  type: NodePort\n";

fn argv(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

struct Fixture {
    lab: Lab,
    ws: Workspace,
}

impl Fixture {
    fn new() -> Fixture {
        let mut files = BTreeMap::new();
        files.insert("manifests/kind-config.yaml".to_string(), CONFIG.to_string());
        files.insert(
            "manifests/nginx-replicaset.yaml".to_string(),
            RS.to_string(),
        );
        files.insert(
            "manifests/nginx-service-nodeport.yaml".to_string(),
            SVC.to_string(),
        );
        Fixture {
            lab: Lab::new(1),
            ws: Workspace::Memory(files),
        }
    }

    fn kind(&mut self, line: &str) -> Output {
        let mut ctx = Context {
            lab: &mut self.lab,
            workspace: &mut self.ws,
        };
        kind::run(&argv(line), &mut ctx)
    }

    fn kubectl(&mut self, line: &str) -> Output {
        let mut ctx = Context {
            lab: &mut self.lab,
            workspace: &mut self.ws,
        };
        let out = super::run(&argv(line), "", &mut ctx);
        self.lab.advance_ms(5_000);
        out
    }
}

#[test]
fn the_article_from_cluster_to_node_port() {
    let mut f = Fixture::new();
    let refused = f.kubectl("kubectl get nodes");
    assert_eq!(
        refused.stderr(),
        "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
    );
    f.kind("create cluster --name service-demo --config=./manifests/kind-config.yaml");
    assert_eq!(
        f.kubectl("kubectl config current-context").stdout(),
        "kind-service-demo\n"
    );
    let contexts = f.kubectl("kubectl config get-contexts").stdout();
    assert!(
        contexts.starts_with(
            "CURRENT   NAME                CLUSTER             AUTHINFO            NAMESPACE\n"
        ),
        "{contexts}"
    );
    let nodes = f.kubectl("kubectl get nodes").stdout();
    let lines: Vec<&str> = nodes.lines().collect();
    assert_eq!(
        lines[0],
        "NAME                         STATUS   ROLES           AGE   VERSION"
    );
    assert!(
        lines[1].starts_with("service-demo-control-plane   Ready    control-plane   "),
        "{nodes}"
    );
    assert!(
        lines[3].starts_with("service-demo-worker2         Ready    <none>          "),
        "{nodes}"
    );
    assert!(lines[3].ends_with("v1.33.1"));
    assert_eq!(
        f.kubectl("kubectl create namespace dev").stdout(),
        "namespace/dev created\n"
    );
    assert_eq!(
        f.kubectl("kubectl apply -f ./manifests/nginx-replicaset.yaml")
            .stdout(),
        "replicaset.apps/nginx-replicaset created\n"
    );
    let waited =
        f.kubectl("kubectl wait --for=condition=Ready pod -l app=nginx -n dev --timeout=60s");
    assert_eq!(waited.stdout().lines().count(), 6, "{}", waited.stderr());
    assert!(waited
        .stdout()
        .lines()
        .all(|l| l.starts_with("pod/nginx-replicaset-") && l.ends_with(" condition met")));
    let pods = f.kubectl("kubectl get pod -n dev -o wide").stdout();
    assert_eq!(pods.lines().count(), 7, "{pods}");
    assert!(pods.starts_with("NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE                   NOMINATED NODE   READINESS GATES\n"), "{pods}");
    assert!(
        !pods.contains("control-plane"),
        "no pod on the tainted control plane"
    );
    assert_eq!(
        f.kubectl("kubectl apply -f ./manifests/nginx-service-nodeport.yaml")
            .stdout(),
        "service/nginx-service created\n"
    );
    let svc = f.kubectl("kubectl -n dev get svc").stdout();
    assert!(svc.contains("   NodePort   10.96."), "{svc}");
    assert!(svc.contains("<none>        80:30000/TCP   "), "{svc}");
    let ep = f.kubectl("kubectl get endpoints -n dev nginx-service");
    assert_eq!(
        ep.stderr(),
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    );
    assert!(ep.stdout().contains(":80,10.244."), "{}", ep.stdout());
    assert!(ep.stdout().contains(" + 3 more..."), "{}", ep.stdout());
    let names = f
        .kubectl("kubectl get pod -n dev -l app=nginx -o jsonpath={.items[*].metadata.name}")
        .stdout();
    assert_eq!(names.split(' ').count(), 6, "{names}");
    assert!(names.split(' ').all(|n| n.starts_with("nginx-replicaset-")));
    assert_eq!(
        f.kubectl("kubectl delete -f ./manifests/nginx-service-nodeport.yaml")
            .stdout(),
        "service \"nginx-service\" deleted\n"
    );
    let none = f.kubectl("kubectl get svc -n dev");
    assert_eq!(none.stderr(), "No resources found in dev namespace.\n");
}

#[test]
fn errors_read_like_kubectl() {
    let mut f = Fixture::new();
    f.kind("create cluster --name service-demo --config=./manifests/kind-config.yaml");
    assert_eq!(
        f.kubectl("kubectl apply -f ./manifests/nginx-replicaset.yaml").stderr(),
        "Error from server (NotFound): error when creating \"./manifests/nginx-replicaset.yaml\": namespaces \"dev\" not found\n"
    );
    assert_eq!(
        f.kubectl("kubectl get pods nope").stderr(),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
    assert_eq!(
        f.kubectl("kubectl get foo").stderr(),
        "error: the server doesn't have a resource type \"foo\"\n"
    );
    assert_eq!(
        f.kubectl("kubectl apply -f ./missing.yaml").stderr(),
        "error: the path \"./missing.yaml\" does not exist\n"
    );
    let typo = f.kubectl("kubectl gte pods").stderr();
    assert!(
        typo.starts_with(
            "error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"
        ),
        "{typo}"
    );
    assert_eq!(
        f.kubectl("kubectl get pods --bogus").stderr(),
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    );
}

#[test]
fn watching_a_load_balancer_shows_pending_then_its_ip() {
    let mut f = Fixture::new();
    f.kind("create cluster --name service-demo --config=./manifests/kind-config.yaml");
    f.kubectl("kubectl create deployment web --image=nginx --replicas=2");
    assert_eq!(
        f.kubectl("kubectl expose deployment web --port=80 --type=LoadBalancer")
            .stdout(),
        "service/web exposed\n"
    );
    let watched = f.kubectl("kubectl get svc web -w").stdout();
    let lines: Vec<&str> = watched.lines().collect();
    assert_eq!(lines.len(), 3, "{watched}");
    assert!(lines[1].contains("   <pending>     80:"), "{watched}");
    assert!(lines[2].contains("   172.18.0.5    80:"), "{watched}");
}

#[test]
fn no_headers_leaves_only_the_rows_aligned_among_themselves() {
    let mut f = Fixture::new();
    f.kind("create cluster --name service-demo --config=./manifests/kind-config.yaml");
    let with = f.kubectl("kubectl get nodes").stdout();
    let without = f.kubectl("kubectl get nodes --no-headers").stdout();
    assert!(with.starts_with("NAME "), "{with}");
    assert_eq!(without.lines().count(), 3, "{without}");
    assert!(
        without.starts_with("service-demo-control-plane   Ready   control-plane   "),
        "{without}"
    );
    let none = f.kubectl("kubectl get pods -n default --no-headers");
    assert_eq!(none.stdout(), "");
    assert_eq!(none.stderr(), "No resources found in default namespace.\n");
}

#[test]
fn a_pods_yaml_has_the_ip_lists_and_last_state_the_api_serves() {
    let mut f = Fixture::new();
    f.kind("create cluster --name service-demo --config=./manifests/kind-config.yaml");
    f.kubectl("kubectl create namespace dev");
    f.kubectl("kubectl apply -f ./manifests/nginx-replicaset.yaml");
    f.kubectl("kubectl get pods -n dev");
    let name = f
        .kubectl("kubectl get pods -n dev -o jsonpath={.items[0].metadata.name}")
        .stdout();
    let get = |f: &mut Fixture, what: &str| {
        f.kubectl(&format!("kubectl get pod {name} -n dev {what}"))
            .stdout()
    };
    let yaml = get(&mut f, "-o yaml");
    let ip = get(&mut f, "-o jsonpath={.status.podIP}");
    let host = get(&mut f, "-o jsonpath={.status.hostIP}");
    assert!(ip.starts_with("10.244."), "{ip:?} {yaml}");
    assert!(
        yaml.contains(&format!("  podIPs:\n  - ip: {ip}\n")),
        "{yaml}"
    );
    assert!(
        yaml.contains(&format!("  hostIPs:\n  - ip: {host}\n")),
        "{yaml}"
    );
    assert!(yaml.contains("    lastState: {}\n"), "{yaml}");
    assert_eq!(get(&mut f, "-o jsonpath={.status.podIPs[0].ip}"), ip);
}

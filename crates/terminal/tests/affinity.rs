//! Required node affinity places a learner's pods as the scheduler's NodeAffinity filter
//! does, and a pod no node matches stays Pending with the scheduler's reasons.

mod common;

const PINNED: &str = "cat > d.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pinned
  namespace: dev
spec:
  replicas: 4
  selector:
    matchLabels: {app: pinned}
  template:
    metadata:
      labels: {app: pinned}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [VALUE]}
      containers:
      - name: c
        image: nginx
EOF
";

#[test]
fn required_node_affinity_decides_where_pods_run() {
    let mut s = common::three_node_lab(9);
    s.run_script(&PINNED.replace("VALUE", "demo-worker2"), false);
    assert_eq!(
        s.type_line("kubectl apply -f d.yaml").stdout(),
        "deployment.apps/pinned created\n"
    );
    let nodes = s
        .type_line("kubectl get pods -n dev -l app=pinned -o jsonpath='{.items[*].spec.nodeName}'");
    assert_eq!(nodes.stdout(), ["demo-worker2"; 4].join(" "));
    s.run_script(
        &PINNED.replace("VALUE", "mars").replace("pinned", "lost"),
        false,
    );
    s.type_line("kubectl apply -f d.yaml");
    let described = s
        .type_line("kubectl describe pods -n dev -l app=lost")
        .stdout();
    assert!(
        described.contains("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
        "{described}"
    );
}

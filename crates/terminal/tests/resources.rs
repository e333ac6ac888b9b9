//! CPU and memory requests and limits as the API server stores them (canonical quantities,
//! requests defaulted from limits, QoS classes), as the scheduler weighs them, and as
//! `kubectl describe node` adds them up: a kind control plane's system pods request 950m CPU.

mod common;

use svclab_terminal::session::Session;

fn pod(s: &mut Session, name: &str, resources: &str) -> String {
    let script = format!(
        "cat > {name}.yaml <<'EOF'\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: dev\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources:\n{resources}EOF\n"
    );
    s.run_script(&script, false);
    let out = s.type_line(&format!("kubectl apply -f {name}.yaml"));
    format!("{}{}", out.stdout(), out.stderr())
}

fn field(s: &mut Session, name: &str, path: &str) -> String {
    s.type_line(&format!(
        "kubectl get pod {name} -n dev -o jsonpath='{path}'"
    ))
    .stdout()
}

#[test]
fn quantities_are_stored_canonical_and_set_the_qos_class() {
    let mut s = common::three_node_lab(3);
    let burstable = "      requests:\n        cpu: 0.5\n        memory: 1024Mi\n      limits:\n        memory: 1.5Gi\n";
    assert_eq!(pod(&mut s, "burst", burstable), "pod/burst created\n");
    assert_eq!(
        field(&mut s, "burst", "{.spec.containers[0].resources}"),
        r#"{"limits":{"memory":"1536Mi"},"requests":{"cpu":"500m","memory":"1Gi"}}"#
    );
    assert_eq!(field(&mut s, "burst", "{.status.qosClass}"), "Burstable");
    // Limits alone: requests default to them, and the pod is Guaranteed.
    let limits = "      limits:\n        cpu: 250m\n        memory: 64Mi\n";
    pod(&mut s, "exact", limits);
    assert_eq!(
        field(&mut s, "exact", "{.spec.containers[0].resources.requests}"),
        r#"{"cpu":"250m","memory":"64Mi"}"#
    );
    assert_eq!(field(&mut s, "exact", "{.status.qosClass}"), "Guaranteed");
    let described = s.type_line("kubectl describe pod exact -n dev").stdout();
    assert!(
        described.contains("    Limits:\n      cpu:     250m\n      memory:  64Mi\n    Requests:\n      cpu:        250m\n      memory:     64Mi\n"),
        "{described}"
    );
    assert!(
        described.contains("QoS Class:                   Guaranteed\n"),
        "{described}"
    );
    // The article's pods ask for nothing.
    let nginx = s
        .type_line("kubectl get pods -n dev -l app=nginx -o jsonpath='{.items[0].status.qosClass}'")
        .stdout();
    assert_eq!(nginx, "BestEffort");
}

#[test]
fn the_api_server_refuses_bad_resources() {
    let mut s = common::three_node_lab(3);
    let over = "      requests:\n        cpu: \"2\"\n      limits:\n        cpu: \"1\"\n";
    assert_eq!(
        pod(&mut s, "over", over),
        "The Pod \"over\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1\n"
    );
    let typo = "      requests:\n        cpus: \"1\"\n";
    assert_eq!(
        pod(&mut s, "typo", typo),
        "The Pod \"typo\" is invalid: spec.containers[0].resources.requests[cpus]: Invalid value: \"cpus\": must be a standard resource for containers\n"
    );
    let words = pod(&mut s, "words", "      requests:\n        cpu: lots\n");
    assert!(
        words.contains("quantities must match the regular expression"),
        "{words}"
    );
}

#[test]
fn the_scheduler_counts_requests_against_what_nodes_can_allocate() {
    let mut s = common::three_node_lab(3);
    pod(&mut s, "huge", "      requests:\n        cpu: \"20\"\n");
    assert_eq!(field(&mut s, "huge", "{.status.phase}"), "Pending");
    let described = s.type_line("kubectl describe pod huge -n dev").stdout();
    assert!(
        described.contains("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."),
        "{described}"
    );
    // Seven of a worker's eight CPUs fit; the next pod asking for two does not fit there.
    pod(&mut s, "seven", "      requests:\n        cpu: \"7\"\n");
    let seven_on = field(&mut s, "seven", "{.spec.nodeName}");
    pod(&mut s, "two", "      requests:\n        cpu: \"2\"\n");
    let two_on = field(&mut s, "two", "{.spec.nodeName}");
    assert!(
        !two_on.is_empty() && two_on != seven_on,
        "{seven_on} {two_on}"
    );
}

#[test]
fn describe_node_adds_up_the_system_pods_as_on_a_real_kind_node() {
    let mut s = common::three_node_lab(3);
    let node = s
        .type_line("kubectl describe node demo-control-plane")
        .stdout();
    for expected in [
        "Capacity:\n  cpu:                8\n  ephemeral-storage:  61202244Ki\n  hugepages-1Gi:      0\n  hugepages-2Mi:      0\n  memory:             8024092Ki\n  pods:               110\n",
        "  cpu                950m (11%)  100m (1%)\n  memory             290Mi (3%)  390Mi (4%)\n  ephemeral-storage  0 (0%)      0 (0%)\n  hugepages-1Gi      0 (0%)      0 (0%)\n  hugepages-2Mi      0 (0%)      0 (0%)\n",
        "250m (3%)     0 (0%)      0 (0%)           0 (0%)",
    ] {
        assert!(node.contains(expected), "{expected}\nin\n{node}");
    }
    // describe -l describes only what the selector picks.
    let dns = s
        .type_line("kubectl -n kube-system describe pod -l k8s-app=kube-dns")
        .stdout();
    assert_eq!(dns.matches("\nQoS Class:").count(), 2, "{dns}");
    assert!(
        dns.contains("QoS Class:                   Burstable"),
        "{dns}"
    );
}

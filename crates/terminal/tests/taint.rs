//! `kubectl taint` as k8s.io/kubectl/pkg/cmd/taint says it, and what the cluster does with the
//! taints: the scheduler keeps new pods off NoSchedule nodes and the taint eviction controller
//! deletes pods that do not tolerate a NoExecute one.

mod common;

use svclab_terminal::session::Session;

fn nodes_of_pods(s: &mut Session) -> Vec<String> {
    let out = s.type_line(
        "kubectl get pods -n dev --no-headers -o custom-columns=NODE:.spec.nodeName,DELETING:.metadata.deletionTimestamp",
    );
    out.stdout()
        .lines()
        .filter(|l| l.ends_with("<none>"))
        .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn removing_the_control_plane_taint_lets_new_pods_land_there() {
    let mut s = common::three_node_lab(3);
    assert!(!nodes_of_pods(&mut s).contains(&"demo-control-plane".to_owned()));
    let out = s.type_line(
        "kubectl taint nodes demo-control-plane node-role.kubernetes.io/control-plane:NoSchedule-",
    );
    assert_eq!(
        (out.stdout().as_str(), out.status),
        ("node/demo-control-plane untainted\n", 0)
    );
    assert_eq!(
        s.type_line("kubectl get node demo-control-plane -o jsonpath='{.spec.taints}'")
            .stdout(),
        ""
    );
    let again = s.type_line(
        "kubectl taint nodes demo-control-plane node-role.kubernetes.io/control-plane:NoSchedule-",
    );
    assert_eq!(
        (again.stderr().as_str(), again.status),
        (
            "error: taint \"node-role.kubernetes.io/control-plane:NoSchedule\" not found\n",
            1
        )
    );
    // Both workers refuse new pods; the control plane now takes them.
    for worker in ["demo-worker", "demo-worker2"] {
        let out = s.type_line(&format!(
            "kubectl taint node {worker} dedicated=ops:NoSchedule"
        ));
        assert_eq!(out.stdout(), format!("node/{worker} tainted\n"));
    }
    s.type_line("kubectl scale rs nginx-replicaset -n dev --replicas=5");
    s.type_line("sleep 10");
    let nodes = nodes_of_pods(&mut s);
    assert_eq!(nodes.len(), 5, "{nodes:?}");
    assert_eq!(
        nodes.iter().filter(|n| *n == "demo-control-plane").count(),
        2,
        "{nodes:?}"
    );
}

#[test]
fn a_no_execute_taint_evicts_the_pods_that_do_not_tolerate_it() {
    let mut s = common::three_node_lab(3);
    let before = nodes_of_pods(&mut s);
    let on_worker2 = before.iter().filter(|n| *n == "demo-worker2").count();
    assert!(on_worker2 > 0, "{before:?}");
    let out = s.type_line("kubectl taint nodes demo-worker2 maintenance=now:NoExecute");
    assert_eq!(out.stdout(), "node/demo-worker2 tainted\n");
    let events = s.type_line("kubectl get events -n dev").stdout();
    assert_eq!(
        events.matches("TaintManagerEviction").count(),
        on_worker2,
        "{events}"
    );
    s.type_line("sleep 40");
    let after = nodes_of_pods(&mut s);
    assert_eq!(after.len(), 3, "{after:?}");
    assert!(after.iter().all(|n| n == "demo-worker"), "{after:?}");
    // Taken off again, the node takes pods; the pods that moved stay where they are.
    let out = s.type_line("kubectl taint nodes demo-worker2 maintenance-");
    assert_eq!(out.stdout(), "node/demo-worker2 untainted\n");
}

#[test]
fn taint_arguments_are_checked_in_kubectls_order_and_words() {
    let mut s = common::three_node_lab(3);
    let cases = [
        (
            "kubectl taint nodes",
            "error: at least one taint update is required\n",
        ),
        (
            "kubectl taint a=b:NoSchedule",
            "error: one or more resources must be specified as <resource> <name>\n",
        ),
        (
            "kubectl taint nodes demo-worker x=y:NoSchedule demo-worker2",
            "error: all resources must be specified before taint changes: demo-worker2\n",
        ),
        (
            "kubectl taint nodes demo-worker x=y:Sometimes",
            "error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n",
        ),
        (
            "kubectl taint nodes demo-worker x=y",
            "error: invalid taint spec: x=y, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\nSee 'kubectl taint -h' for help and examples\n",
        ),
        (
            "kubectl taint nodes demo-worker x=y:NoSchedule x=z:NoSchedule",
            "error: duplicated taints with the same key and effect: {x z NoSchedule <nil>}\nSee 'kubectl taint -h' for help and examples\n",
        ),
        (
            "kubectl taint pods p x=y:NoSchedule",
            "error: invalid resource type pods, only node types are supported\n",
        ),
        (
            "kubectl taint widgets w x=y:NoSchedule",
            "error: the server doesn't have a resource type \"widgets\"\n",
        ),
        (
            "kubectl taint nodes demo-worker x=y:NoSchedule x-",
            "error: can not both modify and remove the following taint(s) in the same command: {\"x\":\"\"}\n",
        ),
        (
            "kubectl taint nodes x=y:NoSchedule",
            "error: at least one resource name must be specified since 'all' parameter is not set\n",
        ),
        (
            "kubectl taint nodes nowhere x=y:NoSchedule",
            "Error from server (NotFound): nodes \"nowhere\" not found\n",
        ),
    ];
    for (line, stderr) in cases {
        let out = s.type_line(line);
        assert_eq!((out.stderr().as_str(), out.status), (stderr, 1), "{line}");
    }
    // None of those changed a node.
    let taints = s
        .type_line("kubectl get nodes -o jsonpath='{.items[*].spec.taints[*].key}'")
        .stdout();
    assert_eq!(taints, "node-role.kubernetes.io/control-plane");
}

#[test]
fn overwrite_modifies_and_all_taints_every_node() {
    let mut s = common::three_node_lab(3);
    s.type_line("kubectl taint nodes demo-worker tier=a:PreferNoSchedule");
    let refused = s.type_line("kubectl taint nodes demo-worker tier=b:PreferNoSchedule");
    assert_eq!(
        refused.stderr(),
        "error: node demo-worker already has tier taint(s) with same effect(s) and --overwrite is false\n"
    );
    let out = s.type_line("kubectl taint nodes demo-worker tier=b:PreferNoSchedule --overwrite");
    assert_eq!(out.stdout(), "node/demo-worker modified\n");
    assert_eq!(
        s.type_line("kubectl get node demo-worker -o jsonpath='{.spec.taints[0].value}'")
            .stdout(),
        "b"
    );
    let out = s.type_line("kubectl taint nodes --all zone=lab:PreferNoSchedule");
    assert_eq!(
        out.stdout(),
        "node/demo-control-plane tainted\nnode/demo-worker tainted\nnode/demo-worker2 tainted\n"
    );
    let out = s.type_line("kubectl taint nodes -l kubernetes.io/hostname=demo-worker2 zone-");
    assert_eq!(out.stdout(), "node/demo-worker2 untainted\n");
}

#[test]
fn kubectl_commands_and_types_the_lab_lacks_are_not_called_unknown() {
    let mut s = common::three_node_lab(3);
    let out = s.type_line("kubectl proxy --port=8001");
    assert_eq!(
        (out.stderr().as_str(), out.status),
        ("error: \"kubectl proxy\" is a kubectl command that this lab does not simulate.\nRun 'kubectl --help' for the commands it has.\n", 1)
    );
    // cobra suggests every command within two edits or starting with what was typed.
    assert_eq!(
        s.type_line("kubectl tiant").stderr(),
        "error: unknown command \"tiant\" for \"kubectl\"\n\nDid you mean this?\n\ttaint\n\nRun 'kubectl --help' for usage.\n"
    );
    // So is a resource type every real cluster has.
    assert_eq!(
        s.type_line("kubectl get serviceaccounts -n kube-system").stderr(),
        "error: the lab does not simulate ServiceAccount objects (v1): it serves Namespaces, Nodes, Pods, ReplicaSets, Deployments, DaemonSets, StatefulSets, ControllerRevisions, ConfigMaps, Secrets, PersistentVolumeClaims, PersistentVolumes, StorageClasses, Services, Endpoints and EndpointSlices\n"
    );
    assert_eq!(
        s.type_line("kubectl frobnicate").stderr(),
        "error: unknown command \"frobnicate\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"
    );
}

#[test]
fn toleration_seconds_keep_a_pod_that_long_and_for_ever_keeps_it() {
    let mut s = common::three_node_lab(3);
    let pod = |name: &str, toleration: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: dev\nspec:\n  nodeName: demo-worker\n  tolerations:\n  - {{key: maintenance, operator: Exists, effect: NoExecute{toleration}}}\n  containers:\n  - name: c\n    image: nginx\n")
    };
    let manifest = format!(
        "{}---\n{}",
        pod("brief", ", tolerationSeconds: 60"),
        pod("steady", "")
    );
    s.type_line(&format!("cat > pods.yaml <<'EOF'\n{manifest}EOF"));
    assert_eq!(s.type_line("kubectl apply -f pods.yaml").status, 0);
    s.type_line("sleep 5");
    s.type_line("kubectl taint nodes demo-worker maintenance=now:NoExecute");
    let alive = |s: &mut Session| {
        s.type_line("kubectl get pods -n dev brief steady --no-headers -o custom-columns=N:.metadata.name,D:.metadata.deletionTimestamp")
            .stdout()
            .lines()
            .filter(|l| l.ends_with("<none>"))
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    // Each command takes a little virtual time too: well within the 60 s, then past them.
    s.type_line("sleep 30");
    assert_eq!(alive(&mut s), ["brief", "steady"]);
    s.type_line("sleep 40");
    assert_eq!(alive(&mut s), ["steady"]);
}

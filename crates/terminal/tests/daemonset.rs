//! DaemonSets as a learner meets them: kind's own two (`kube-proxy`, `kindnet`) in listings,
//! and one of their own applied to the article's cluster — placed on the nodes it may run
//! on, rolled one node at a time, leaving and coming back with a taint, kept on a stopped
//! node, and gone with its pods when deleted.

mod common;

use svclab_terminal::session::Session;

const DAEMONSET: &str = "cat > ds.yaml <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-web
  namespace: dev
spec:
  selector:
    matchLabels:
      app: node-web
  template:
    metadata:
      labels:
        app: node-web
    spec:
      containers:
      - name: nginx
        image: IMAGE
EOF
";

fn write(s: &mut Session, script: &str) {
    let out = s.run_script(script, false);
    assert_eq!(out.status, 0, "{}", out.stderr());
}

fn apply(s: &mut Session, image: &str) -> String {
    write(s, &DAEMONSET.replace("IMAGE", image));
    let out = s.type_line("kubectl apply -f ds.yaml");
    assert_eq!(out.status, 0, "{}", out.stderr());
    out.stdout()
}

/// `NAME NODE` of the DaemonSet's pods.
fn pods_by_node(s: &mut Session) -> Vec<(String, String)> {
    let out = s.type_line(
        "kubectl get pods -n dev -l app=node-web -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}'",
    );
    out.stdout()
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(p, n)| (p.to_string(), n.to_string()))
        .collect()
}

/// `kubectl rollout status` until the DaemonSet has rolled out, which it must.
fn wait_rolled_out(s: &mut Session) {
    let status = s
        .type_line("kubectl rollout status ds/node-web -n dev")
        .stdout();
    assert!(
        status.ends_with("daemon set \"node-web\" successfully rolled out\n"),
        "{status}"
    );
}

/// The reasons of the DaemonSet's events, oldest first.
fn daemon_set_event_reasons(s: &mut Session) -> Vec<String> {
    let events = s.type_line("kubectl get events -n dev -o custom-columns=OBJECT:.involvedObject.kind,REASON:.reason").stdout();
    events
        .lines()
        .filter(|l| l.starts_with("DaemonSet"))
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(String::from)
        .collect()
}

fn nodes_of(s: &mut Session) -> Vec<String> {
    let mut nodes: Vec<String> = pods_by_node(s).into_iter().map(|(_, n)| n).collect();
    nodes.sort();
    nodes
}

#[test]
fn kind_lists_its_two_daemonsets() {
    let mut s = common::three_node_lab(3);
    let out = s.type_line("kubectl get ds -A").stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0].trim_end(),
        "NAMESPACE     NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE"
    );
    for (line, name) in [(lines[1], "kindnet   "), (lines[2], "kube-proxy")] {
        let want = format!("kube-system   {name}   3         3         3       3            3           kubernetes.io/os=linux");
        assert!(line.starts_with(&want), "{line}");
    }
    let all = s.type_line("kubectl get all -n kube-system").stdout();
    assert!(all.contains("\ndaemonset.apps/kube-proxy   3 "), "{all}");
    // Each node's kube-proxy pod carries what the controller gives its pods.
    let pod = s
        .type_line("kubectl -n kube-system get pods -l k8s-app=kube-proxy --field-selector spec.nodeName=demo-worker -o yaml")
        .stdout();
    for expected in [
        "controller-revision-hash: ",
        "pod-template-generation: \"1\"",
        "kind: DaemonSet",
        "- key: metadata.name",
        "- demo-worker\n",
        "key: node.kubernetes.io/network-unavailable",
        "- --hostname-override=$(NODE_NAME)",
    ] {
        assert!(pod.contains(expected), "{expected} in {pod}");
    }
    // drain still refuses them without --ignore-daemonsets.
    let drain = s.type_line("kubectl drain demo-worker");
    assert!(
        drain
            .stderr()
            .contains("cannot delete DaemonSet-managed Pods"),
        "{}",
        drain.stderr()
    );
}

#[test]
fn a_daemonset_runs_one_pod_on_each_node_it_may_use() {
    let mut s = common::three_node_lab(5);
    assert_eq!(
        apply(&mut s, "nginx:1.27"),
        "daemonset.apps/node-web created\n"
    );
    // The control plane's NoSchedule taint keeps it to the two workers.
    assert_eq!(nodes_of(&mut s), ["demo-worker", "demo-worker2"]);
    s.type_line("sleep 10");
    let out = s.type_line("kubectl get ds -n dev").stdout();
    let row: Vec<&str> = out
        .lines()
        .nth(1)
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(row[..7], ["node-web", "2", "2", "2", "2", "2", "<none>"]);
    // A DaemonSet has no scale subresource.
    let scale = s.type_line("kubectl scale ds node-web -n dev --replicas=3");
    assert_eq!(
        (scale.stderr().as_str(), scale.status),
        (
            "Error from server (NotFound): the server could not find the requested resource\n",
            1
        )
    );
}

#[test]
fn a_new_template_rolls_out_one_node_at_a_time() {
    let mut s = common::three_node_lab(5);
    apply(&mut s, "nginx:1.27");
    s.type_line("sleep 10");
    let before = pods_by_node(&mut s);
    assert_eq!(
        apply(&mut s, "nginx:1.28"),
        "daemonset.apps/node-web configured\n"
    );
    wait_rolled_out(&mut s);
    let after = pods_by_node(&mut s);
    assert_eq!(after.len(), 2);
    assert!(
        after.iter().all(|p| !before.contains(p)),
        "every pod replaced"
    );
    // maxUnavailable 1: the second old pod goes only after the first new one is there.
    let reasons = daemon_set_event_reasons(&mut s);
    assert_eq!(
        reasons,
        [
            "SuccessfulCreate",
            "SuccessfulCreate",
            "SuccessfulDelete",
            "SuccessfulCreate",
            "SuccessfulDelete",
            "SuccessfulCreate"
        ],
    );
    let labels = s.type_line("kubectl get pods -n dev -l app=node-web -o jsonpath='{.items[*].metadata.labels.pod-template-generation}'");
    assert_eq!(labels.stdout(), "2 2");
    let annotation = s.type_line("kubectl get ds node-web -n dev -o jsonpath='{.metadata.annotations.deprecated\\.daemonset\\.template\\.generation}'");
    assert_eq!(annotation.stdout(), "2");
}

/// Each template is a ControllerRevision named by the hash its pods carry; `rollout undo`
/// brings the previous one back under the next revision number.
#[test]
fn history_is_kept_in_controller_revisions_and_undo_goes_back() {
    let mut s = common::three_node_lab(6);
    apply(&mut s, "nginx:1.27");
    wait_rolled_out(&mut s);
    apply(&mut s, "nginx:1.28");
    wait_rolled_out(&mut s);
    let revisions = s
        .type_line("kubectl get controllerrevisions -n dev -o custom-columns=NAME:.metadata.name,HASH:.metadata.labels.controller-revision-hash,REVISION:.revision --no-headers")
        .stdout();
    let rows: Vec<Vec<&str>> = revisions
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{revisions}");
    for row in &rows {
        assert_eq!(row[0], format!("node-web-{}", row[1]), "{revisions}");
    }
    let hashes = s
        .type_line("kubectl get pods -n dev -l app=node-web -o jsonpath='{.items[*].metadata.labels.controller-revision-hash}'")
        .stdout();
    let newest = rows
        .iter()
        .find(|r| r[2] == "2")
        .map(|r| r[1])
        .unwrap_or("");
    assert_eq!(hashes, format!("{newest} {newest}"));
    assert_eq!(
        s.type_line("kubectl rollout history ds/node-web -n dev")
            .stdout(),
        "daemonset.apps/node-web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    );
    assert_eq!(
        s.type_line("kubectl rollout undo ds/node-web -n dev")
            .stdout(),
        "daemonset.apps/node-web rolled back\n"
    );
    wait_rolled_out(&mut s);
    let images = s
        .type_line("kubectl get pods -n dev -l app=node-web -o jsonpath='{.items[*].spec.containers[0].image}'")
        .stdout();
    assert_eq!(images, "nginx:1.27 nginx:1.27");
    assert_eq!(
        s.type_line("kubectl rollout history ds/node-web -n dev")
            .stdout(),
        "daemonset.apps/node-web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    );
    // Deleting the DaemonSet takes its revisions too.
    s.type_line("kubectl delete ds node-web -n dev");
    s.type_line("sleep 30");
    let left = s.type_line("kubectl get controllerrevisions -n dev");
    assert_eq!(left.stderr(), "No resources found in dev namespace.\n");
}

#[test]
fn taints_and_stopped_nodes_move_daemon_pods_as_the_controller_does() {
    let mut s = common::three_node_lab(5);
    apply(&mut s, "nginx:1.27");
    s.type_line("sleep 10");
    // NoSchedule: the pod it has stays.
    s.type_line("kubectl taint nodes demo-worker dedicated=x:NoSchedule");
    assert_eq!(nodes_of(&mut s), ["demo-worker", "demo-worker2"]);
    let desired = "kubectl get ds node-web -n dev -o jsonpath='{.status.desiredNumberScheduled}'";
    assert_eq!(s.type_line(desired).stdout(), "1");
    // The kept pod is misscheduled: not current, not ready, in the status.
    let counts = "kubectl get ds node-web -n dev -o jsonpath='{.status.currentNumberScheduled} {.status.numberReady} {.status.numberMisscheduled}'";
    assert_eq!(s.type_line(counts).stdout(), "1 1 1");
    // NoExecute: it leaves, and comes back when the taints go.
    s.type_line("kubectl taint nodes demo-worker dedicated=x:NoExecute");
    s.type_line("sleep 40");
    assert_eq!(nodes_of(&mut s), ["demo-worker2"]);
    s.type_line("kubectl taint nodes demo-worker dedicated-");
    s.type_line("sleep 10");
    assert_eq!(nodes_of(&mut s), ["demo-worker", "demo-worker2"]);
    assert_eq!(s.type_line(desired).stdout(), "2");
    // A stopped node keeps its daemon pod: it tolerates unreachable for ever.
    s.type_line("docker stop demo-worker2");
    s.type_line("sleep 400");
    assert_eq!(nodes_of(&mut s), ["demo-worker", "demo-worker2"]);
    // Deleting the DaemonSet takes its pods with it.
    let out = s.type_line("kubectl delete ds node-web -n dev");
    assert_eq!(out.stdout(), "daemonset.apps \"node-web\" deleted\n");
    s.type_line("sleep 40");
    assert!(
        pods_by_node(&mut s)
            .iter()
            .all(|(_, n)| n == "demo-worker2"),
        "only the stopped node's pod may linger"
    );
}

#[test]
fn a_daemonset_is_validated_as_the_api_server_does() {
    let mut s = common::three_node_lab(5);
    let bad = DAEMONSET
        .replace(
            "      app: node-web\n  template",
            "      app: other\n  template",
        )
        .replace("IMAGE", "nginx");
    write(&mut s, &bad);
    let out = s.type_line("kubectl apply -f ds.yaml");
    assert_eq!(
        out.stderr(),
        "The DaemonSet \"node-web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"node-web\"}: `selector` does not match template `labels`\n"
    );
    let surge = DAEMONSET.replace("IMAGE", "nginx").replace(
        "  selector:",
        "  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 0\n  selector:",
    );
    write(&mut s, &surge);
    let out = s.type_line("kubectl apply -f ds.yaml");
    assert_eq!(
        out.stderr(),
        "The DaemonSet \"node-web\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0\n"
    );
    assert!(s
        .type_line("kubectl get ds -n dev")
        .stderr()
        .starts_with("No resources found"));
}

#[test]
fn set_image_starts_the_same_rollout_as_an_apply() {
    let mut s = common::three_node_lab(5);
    apply(&mut s, "nginx:1.27");
    s.type_line("sleep 10");
    let set = s.type_line("kubectl set image ds/node-web nginx=nginx:1.28 -n dev");
    assert_eq!(set.stdout(), "daemonset.apps/node-web image updated\n");
    // The same image again changes nothing and prints nothing, as kubectl does.
    let again = s.type_line("kubectl set image ds/node-web nginx=nginx:1.28 -n dev");
    assert_eq!((again.stdout().as_str(), again.status), ("", 0));
    let missing = s.type_line("kubectl set image ds/node-web web=nginx -n dev");
    assert_eq!(
        missing.stderr(),
        "error: unable to find container named \"web\"\n"
    );
    s.type_line("kubectl rollout status ds/node-web -n dev");
    let images = s.type_line(
        "kubectl get pods -n dev -l app=node-web -o jsonpath='{.items[*].spec.containers[0].image}'",
    );
    assert_eq!(images.stdout(), "nginx:1.28 nginx:1.28");
    // Deployments take it too.
    let deploy = s.type_line("kubectl create deployment web --image=nginx:1.27 -n dev");
    assert_eq!(deploy.status, 0);
    let set = s.type_line("kubectl set image deployment/web '*=nginx:1.28' -n dev");
    assert_eq!(set.stdout(), "deployment.apps/web image updated\n");
}

/// With maxSurge the new pod starts beside the old one, which goes once the new one is
/// available: a node is never without a ready pod (update.go's surge path).
#[test]
fn a_surge_rollout_starts_the_new_pod_before_deleting_the_old_one() {
    let mut s = common::three_node_lab(5);
    let with_surge = |image: &str| {
        DAEMONSET.replace("IMAGE", image).replace(
            "  selector:",
            "  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 1\n  selector:",
        )
    };
    write(&mut s, &with_surge("nginx:1.27"));
    assert_eq!(s.type_line("kubectl apply -f ds.yaml").status, 0);
    s.type_line("sleep 10");
    let before = pods_by_node(&mut s);
    write(&mut s, &with_surge("nginx:1.28"));
    s.type_line("kubectl apply -f ds.yaml");
    // Soon after the change: a third pod, on a node beside its old one.
    let during = pods_by_node(&mut s);
    assert_eq!(during.len(), 3, "{during:?}");
    let beside_old = during.iter().any(|(pod, node)| {
        !before.iter().any(|(p, _)| p == pod)
            && before
                .iter()
                .any(|(p, n)| n == node && during.iter().any(|(q, _)| q == p))
    });
    assert!(beside_old, "{before:?} {during:?}");
    let ready = s.type_line("kubectl get ds node-web -n dev -o jsonpath='{.status.numberReady}'");
    assert_eq!(ready.stdout(), "2");
    wait_rolled_out(&mut s);
    s.type_line("sleep 40");
    let after = pods_by_node(&mut s);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.iter().all(|p| !before.contains(p)));
    let reasons = daemon_set_event_reasons(&mut s);
    // Two creates (the first rollout); the first node's new pod; then one sync creates the
    // second node's and deletes the first node's old pod (syncNodes creates, then deletes);
    // last, the second node's old pod goes.
    assert_eq!(
        reasons,
        [
            "SuccessfulCreate",
            "SuccessfulCreate",
            "SuccessfulCreate",
            "SuccessfulCreate",
            "SuccessfulDelete",
            "SuccessfulDelete"
        ],
    );
}

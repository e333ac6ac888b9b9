//! StatefulSets as Kubernetes' "StatefulSet Basics" tutorial walks them, on the lab's
//! three-node kind cluster: the headless Service `nginx` and the set `web`, pods made one at a
//! time with stable names and DNS names, scaled down from the top, rolled in reverse order
//! (with a partition, and back with `rollout undo`), and gone with the set.

mod common;

use svclab_terminal::session::Session;

fn lab(seed: u64, web: &str) -> Session {
    common::kind_lab(seed, &[("web.yaml", web)])
}

/// A lab where `web` has rolled out its three pods.
fn rolled_out(seed: u64) -> Session {
    let mut s = lab(seed, common::TUTORIAL_WEB);
    let out = s.type_line("kubectl apply -f web.yaml");
    assert_eq!(
        out.stdout(),
        "service/nginx created\nstatefulset.apps/web created\n"
    );
    wait_rolled_out(&mut s, 3);
    s
}

fn wait_rolled_out(s: &mut Session, updated: usize) {
    let status = s.type_line("kubectl rollout status sts/web");
    assert_eq!(status.status, 0, "{}", status.stderr());
    assert!(
        status.stdout().ends_with(&format!(
            "partitioned roll out complete: {updated} new pods have been updated...\n"
        )),
        "{}",
        status.stdout()
    );
}

/// One jsonpath value per pod of the set: `name value`.
fn per_pod(s: &mut Session, field: &str) -> Vec<String> {
    let line = format!(
        "kubectl get pods -l app=nginx -o jsonpath='{{range .items[*]}}{{.metadata.name}} {field}{{\"\\n\"}}{{end}}'"
    );
    s.type_line(&line)
        .stdout()
        .lines()
        .map(String::from)
        .collect()
}

/// The messages of the set's events, oldest first.
fn event_messages(s: &mut Session) -> Vec<String> {
    let out = s
        .type_line("kubectl get events --sort-by=.metadata.creationTimestamp -o custom-columns=KIND:.involvedObject.kind,MESSAGE:.message")
        .stdout();
    out.lines()
        .filter_map(|l| l.strip_prefix("StatefulSet"))
        .map(|m| m.trim().to_string())
        .collect()
}

#[test]
fn pods_start_one_at_a_time_with_names_and_dns_names_that_stay() {
    let mut s = rolled_out(7);
    assert_eq!(
        per_pod(&mut s, "{.spec.hostname}.{.spec.subdomain}"),
        [
            "web-0 web-0.nginx",
            "web-1 web-1.nginx",
            "web-2 web-2.nginx"
        ]
    );
    // OrderedReady: each pod was created only once the one before it was Ready.
    let ready_at = per_pod(
        &mut s,
        "{.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}",
    );
    let created_at = per_pod(&mut s, "{.metadata.creationTimestamp}");
    for i in 1..3 {
        let before_ready = ready_at[i - 1].split(' ').nth(1).unwrap_or("");
        let created = created_at[i].split(' ').nth(1).unwrap_or("");
        assert!(
            !before_ready.is_empty() && before_ready <= created,
            "{ready_at:?} {created_at:?}"
        );
    }
    let get = s.type_line("kubectl get sts").stdout();
    assert!(
        get.starts_with("NAME   READY   AGE\nweb    3/3     "),
        "{get}"
    );
    // The labels the controller adds, the revision being `web-<hash>`.
    let labels = s
        .type_line("kubectl get pod web-1 -o jsonpath='{.metadata.labels}'")
        .stdout();
    assert!(
        labels.contains("\"apps.kubernetes.io/pod-index\":\"1\"")
            && labels.contains("\"statefulset.kubernetes.io/pod-name\":\"web-1\"")
            && labels.contains("\"controller-revision-hash\":\"web-"),
        "{labels}"
    );
    // -L shows a label as a column headed by its key's last segment.
    let columns = s
        .type_line("kubectl get pods -l app=nginx -L apps.kubernetes.io/pod-index,app --no-headers")
        .stdout();
    let indexes: Vec<Vec<&str>> = columns
        .lines()
        .map(|l| l.split_whitespace().skip(5).collect())
        .collect();
    assert_eq!(
        indexes,
        [["0", "nginx"], ["1", "nginx"], ["2", "nginx"]],
        "{columns}"
    );
    let header = s
        .type_line("kubectl get pods -l app=nginx -L apps.kubernetes.io/pod-index")
        .stdout();
    assert!(
        header.starts_with("NAME    READY   STATUS    RESTARTS   AGE   POD-INDEX\n"),
        "{header}"
    );
    // Inside, each pod knows its name and its domain under the headless Service.
    for i in 0..2 {
        let out = s.type_line(&format!("kubectl exec web-{i} -- sh -c 'hostname'"));
        assert_eq!(out.stdout(), format!("web-{i}\n"));
    }
    assert_eq!(
        s.type_line("kubectl exec web-0 -- hostname -f").stdout(),
        "web-0.nginx.default.svc.cluster.local\n"
    );
    let ip = s
        .type_line("kubectl get pod web-0 -o jsonpath='{.status.podIP}'")
        .stdout();
    let hosts = s.type_line("kubectl exec web-0 -- cat /etc/hosts").stdout();
    assert!(
        hosts.starts_with("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
            && hosts.ends_with(&format!(
                "\n{ip}\tweb-0.nginx.default.svc.cluster.local\tweb-0\n"
            )),
        "{hosts}"
    );
    // CoreDNS answers the pod's own name, and every ready pod for the Service.
    let lookup = s
        .type_line("kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm -- nslookup web-0.nginx")
        .stdout();
    assert!(
        lookup.contains(&format!(
            "Name:      web-0.nginx\nAddress 1: {ip} web-0.nginx.default.svc.cluster.local\n"
        )) || lookup.contains(&format!(
            "web-0.nginx.default.svc.cluster.local\nAddress: {ip}\n"
        )),
        "{lookup}"
    );
    let hostnames = s
        .type_line("kubectl get endpointslices -l kubernetes.io/service-name=nginx -o jsonpath='{.items[*].endpoints[*].hostname}'")
        .stdout();
    assert_eq!(hostnames, "web-0 web-1 web-2");
    assert_eq!(
        event_messages(&mut s),
        [
            "create Claim www-web-0 Pod web-0 in StatefulSet web success",
            "create Pod web-0 in StatefulSet web successful",
            "create Claim www-web-1 Pod web-1 in StatefulSet web success",
            "create Pod web-1 in StatefulSet web successful",
            "create Claim www-web-2 Pod web-2 in StatefulSet web success",
            "create Pod web-2 in StatefulSet web successful",
        ]
    );
}

#[test]
fn a_deleted_pod_comes_back_under_its_name_with_its_dns_name() {
    let mut s = rolled_out(8);
    let out = s.type_line("kubectl delete pod web-0");
    assert_eq!(out.stdout(), "pod \"web-0\" deleted\n");
    wait_rolled_out(&mut s, 3);
    let names = per_pod(&mut s, "{.spec.hostname}");
    assert_eq!(names, ["web-0 web-0", "web-1 web-1", "web-2 web-2"]);
    let ip = s
        .type_line("kubectl get pod web-0 -o jsonpath='{.status.podIP}'")
        .stdout();
    let lookup = s
        .type_line("kubectl run -i --tty --image busybox dns-test --restart=Never --rm -- nslookup web-0.nginx")
        .stdout();
    assert!(lookup.contains(&ip), "{ip} in {lookup}");
}

#[test]
fn scaling_down_removes_the_highest_ordinals_one_at_a_time() {
    let mut s = rolled_out(9);
    assert_eq!(
        s.type_line("kubectl scale sts web --replicas=5").stdout(),
        "statefulset.apps/web scaled\n"
    );
    wait_rolled_out(&mut s, 5);
    s.type_line("kubectl patch sts web -p '{\"spec\":{\"replicas\":3}}'");
    s.type_line("sleep 30");
    let names: Vec<String> = per_pod(&mut s, "")
        .iter()
        .map(|l| l.trim().to_string())
        .collect();
    assert_eq!(names, ["web-0", "web-1", "web-2"]);
    let deletes: Vec<String> = event_messages(&mut s)
        .into_iter()
        .filter(|m| m.starts_with("delete"))
        .collect();
    assert_eq!(
        deletes,
        [
            "delete Pod web-4 in StatefulSet web successful",
            "delete Pod web-3 in StatefulSet web successful",
        ]
    );
    let describe = s.type_line("kubectl describe sts web").stdout();
    assert!(
        describe.contains("\nReplicas:           3 desired | 3 total\nUpdate Strategy:    RollingUpdate\n  Partition:        0\nPods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"),
        "{describe}"
    );
    assert!(
        describe.contains("\nVolume Claims:\n  Name:          www\n  StorageClass:  \n  Labels:        <none>\n  Annotations:   <none>\n  Capacity:      1Gi\n  Access Modes:  [ReadWriteOnce]\n"),
        "{describe}"
    );
}

#[test]
fn an_update_rolls_from_the_top_and_undo_brings_the_old_revision_back() {
    let mut s = rolled_out(10);
    let first = s
        .type_line("kubectl get sts web -o jsonpath='{.status.currentRevision}'")
        .stdout();
    assert!(first.starts_with("web-"), "{first}");
    let out = s.type_line("kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24");
    assert_eq!(out.stdout(), "statefulset.apps/web image updated\n");
    wait_rolled_out(&mut s, 3);
    assert_eq!(
        per_pod(&mut s, "{.spec.containers[0].image}"),
        [
            "web-0 registry.k8s.io/nginx-slim:0.24",
            "web-1 registry.k8s.io/nginx-slim:0.24",
            "web-2 registry.k8s.io/nginx-slim:0.24",
        ]
    );
    // Highest ordinal first, each replaced before the next goes (the recorder folds a
    // repeated create into the first event, so the creations show in the pods' times).
    let deletes: Vec<String> = event_messages(&mut s)
        .into_iter()
        .filter(|m| m.starts_with("delete"))
        .collect();
    assert_eq!(
        deletes,
        [
            "delete Pod web-2 in StatefulSet web successful",
            "delete Pod web-1 in StatefulSet web successful",
            "delete Pod web-0 in StatefulSet web successful",
        ]
    );
    let created: Vec<String> = per_pod(&mut s, "{.metadata.creationTimestamp}")
        .iter()
        .filter_map(|l| l.split(' ').nth(1).map(String::from))
        .collect();
    assert!(
        created.len() == 3 && created[2] < created[1] && created[1] < created[0],
        "{created:?}"
    );
    let status = s
        .type_line(
            "kubectl get sts web -o jsonpath='{.status.currentRevision} {.status.updateRevision}'",
        )
        .stdout();
    let (current, update) = status.split_once(' ').unwrap_or_default();
    assert_eq!(current, update);
    assert_ne!(current, first);
    assert_eq!(
        s.type_line("kubectl rollout history sts/web").stdout(),
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    );
    let old = s
        .type_line("kubectl rollout history sts/web --revision=1")
        .stdout();
    assert!(
        old.starts_with("statefulset.apps/web with revision #1\nPod Template:\n")
            && old.contains("Image:\tregistry.k8s.io/nginx-slim:0.21\n"),
        "{old}"
    );
    assert_eq!(
        s.type_line("kubectl rollout undo sts/web").stdout(),
        "statefulset.apps/web rolled back\n"
    );
    wait_rolled_out(&mut s, 3);
    // The old revision is reused under the next number.
    let revisions = s
        .type_line("kubectl get controllerrevisions -o custom-columns=NAME:.metadata.name,CONTROLLER:.metadata.ownerReferences[0].name,REVISION:.revision --no-headers")
        .stdout();
    assert!(
        revisions
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == [first.as_str(), "web", "3"]),
        "{first} in {revisions}"
    );
    assert_eq!(
        s.type_line("kubectl get sts web -o jsonpath='{.status.currentRevision}'")
            .stdout(),
        first
    );
    assert_eq!(
        s.type_line("kubectl rollout undo sts/web --to-revision=3")
            .stdout(),
        "statefulset.apps/web skipped rollback (current template already matches revision 3)\n"
    );
}

#[test]
fn a_partition_updates_only_the_ordinals_at_or_above_it() {
    let mut s = rolled_out(11);
    let out = s.type_line("kubectl patch statefulset web -p '{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":2}}}}'");
    assert_eq!(out.stdout(), "statefulset.apps/web patched\n");
    s.type_line("kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24");
    wait_rolled_out(&mut s, 1);
    assert_eq!(
        per_pod(&mut s, "{.spec.containers[0].image}"),
        [
            "web-0 registry.k8s.io/nginx-slim:0.21",
            "web-1 registry.k8s.io/nginx-slim:0.21",
            "web-2 registry.k8s.io/nginx-slim:0.24",
        ]
    );
    // A pod below the partition comes back from the current revision.
    s.type_line("kubectl delete pod web-0");
    wait_rolled_out(&mut s, 1);
    let image = s
        .type_line("kubectl get pod web-0 -o jsonpath='{.spec.containers[0].image}'")
        .stdout();
    assert_eq!(image, "registry.k8s.io/nginx-slim:0.21");
}

#[test]
fn on_delete_and_parallel_policies() {
    let on_delete = common::TUTORIAL_WEB.replace(
        "  serviceName: \"nginx\"\n",
        "  serviceName: \"nginx\"\n  podManagementPolicy: Parallel\n  updateStrategy:\n    type: OnDelete\n",
    );
    let mut s = lab(12, &on_delete);
    s.type_line("kubectl apply -f web.yaml");
    // Parallel: every pod is created at once.
    let created = per_pod(&mut s, "{.metadata.creationTimestamp}");
    let times: Vec<&str> = created.iter().filter_map(|l| l.split(' ').nth(1)).collect();
    assert_eq!(times.len(), 3, "{created:?}");
    assert!(times.iter().all(|t| *t == times[0]), "{created:?}");
    let status = s.type_line("kubectl rollout status sts/web");
    assert_eq!(
        (status.stderr().as_str(), status.status),
        (
            "error: rollout status is only available for RollingUpdate strategy type\n",
            1
        )
    );
    s.type_line("sleep 10");
    s.type_line("kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24");
    s.type_line("sleep 30");
    let images = per_pod(&mut s, "{.spec.containers[0].image}");
    assert!(images.iter().all(|l| l.ends_with(":0.21")), "{images:?}");
    s.type_line("kubectl delete pod web-1");
    s.type_line("sleep 10");
    assert_eq!(
        per_pod(&mut s, "{.spec.containers[0].image}"),
        [
            "web-0 registry.k8s.io/nginx-slim:0.21",
            "web-1 registry.k8s.io/nginx-slim:0.24",
            "web-2 registry.k8s.io/nginx-slim:0.21",
        ]
    );
}

#[test]
fn mistakes_get_the_servers_and_kubectls_words() {
    let wrong = common::TUTORIAL_WEB.replace(
        "      labels:\n        app: nginx\n    spec:",
        "      labels:\n        app: web\n    spec:",
    );
    let mut s = lab(13, &wrong);
    let out = s.type_line("kubectl apply -f web.yaml");
    assert_eq!(
        out.stderr(),
        "The StatefulSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`\n"
    );
    let mut s = rolled_out(14);
    let renamed = common::TUTORIAL_WEB.replace("serviceName: \"nginx\"", "serviceName: \"other\"");
    let written = s.run_script(&format!("cat > other.yaml <<'EOF'\n{renamed}EOF\n"), false);
    assert_eq!(written.status, 0, "{}", written.stderr());
    let out = s.type_line("kubectl apply -f other.yaml");
    assert!(
        out.stderr().contains("The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"),
        "{}",
        out.stderr()
    );
    assert_eq!(
        s.type_line("kubectl expose sts web --port=80").stderr(),
        "error: cannot expose a StatefulSet.apps\n"
    );
    assert_eq!(
        s.type_line("kubectl rollout undo sts/web").stderr(),
        "error: no last revision to roll back to\n"
    );
    assert_eq!(
        s.type_line("kubectl scale sts web --replicas=-1").stderr(),
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    );
    assert_eq!(
        s.type_line("kubectl get sts web -o jsonpath='{.spec.replicas}'")
            .stdout(),
        "3"
    );
}

#[test]
fn deleting_the_set_takes_its_pods_and_revisions() {
    let mut s = rolled_out(15);
    assert_eq!(
        s.type_line("kubectl get controllerrevisions --no-headers")
            .stdout()
            .lines()
            .count(),
        1
    );
    assert_eq!(
        s.type_line("kubectl delete -f web.yaml").stdout(),
        "service \"nginx\" deleted\nstatefulset.apps \"web\" deleted\n"
    );
    s.type_line("sleep 30");
    let left = s.type_line("kubectl get pods,controllerrevisions");
    assert_eq!(left.stderr(), "No resources found in default namespace.\n");
}

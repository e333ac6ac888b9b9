//! `kubectl logs` by pod, by selector and by workload, and `kubectl exec` into a workload,
//! as `k8s.io/kubectl/pkg/cmd/logs/logs.go` and `polymorphichelpers` behave.

mod common;

use svclab_terminal::session::Session;

/// The article's cluster with three nginx pods that served a few requests.
fn lab_with_traffic() -> (Session, Vec<String>) {
    let mut s = common::three_node_lab(7);
    for _ in 0..30 {
        s.type_line("docker exec demo-worker curl -s localhost:30000 -o /dev/null");
    }
    let pods: Vec<String> = s
        .type_line("kubectl get pods -n dev -o name")
        .stdout()
        .lines()
        .map(|l| l.trim_start_matches("pod/").to_string())
        .collect();
    assert_eq!(pods.len(), 3);
    (s, pods)
}

#[test]
fn a_selector_shows_the_last_ten_lines_of_every_matching_pod_in_list_order() {
    let (mut s, pods) = lab_with_traffic();
    let out = s.type_line("kubectl logs -n dev -l app=nginx --prefix");
    assert_eq!(out.status, 0, "{}", out.stderr());
    let stdout = out.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        30,
        "10 lines for each of 3 pods:\n{}",
        out.stdout()
    );
    for (i, pod) in pods.iter().enumerate() {
        let prefix = format!("[pod/{pod}/nginx] ");
        assert!(
            lines[i * 10..(i + 1) * 10]
                .iter()
                .all(|l| l.starts_with(&prefix)),
            "{pod}"
        );
    }
    // The 30 requests are spread, so every pod's tail holds access-log lines.
    assert!(lines.iter().any(|l| l.contains("\"GET / HTTP/1.1\" 200")));

    // Without --prefix the same lines carry no source.
    let plain = s
        .type_line("kubectl logs -n dev -l app=nginx --tail=2")
        .stdout();
    assert_eq!(plain.lines().count(), 6);
    assert!(!plain.contains("[pod/"));
}

#[test]
fn a_selector_that_matches_nothing_says_so_and_succeeds() {
    let (mut s, _) = lab_with_traffic();
    let out = s.type_line("kubectl logs -n dev -l app=ngnix");
    assert_eq!(out.status, 0);
    assert_eq!(out.stderr(), "No resources found in dev namespace.\n");
    assert_eq!(out.stdout(), "");
}

#[test]
fn a_workload_shows_one_pod_and_names_it_on_stderr() {
    let (mut s, pods) = lab_with_traffic();
    let out = s.type_line("kubectl logs -n dev rs/nginx-replicaset");
    assert_eq!(out.status, 0, "{}", out.stderr());
    let chosen = out
        .stderr()
        .strip_prefix("Found 3 pods, using pod/")
        .map(|rest| rest.trim_end().to_string())
        .unwrap_or_else(|| panic!("stderr: {}", out.stderr()));
    assert!(pods.contains(&chosen));
    // The whole log of that pod, exactly as asking for it by name prints it.
    let by_name = s.type_line(&format!("kubectl logs -n dev {chosen}"));
    assert_eq!(out.stdout(), by_name.stdout());
    assert!(out
        .stdout()
        .contains("Configuration complete; ready for start up"));

    // A Service stands for its pods too; --all-pods shows each with its source.
    let all = s.type_line("kubectl logs -n dev svc/nginx-service --all-pods --tail 1");
    assert_eq!(all.stderr(), "");
    assert_eq!(all.stdout().lines().count(), 3);
    assert!(all
        .stdout()
        .lines()
        .all(|l| l.starts_with("[pod/nginx-replicaset-")));
}

#[test]
fn wrong_operands_get_kubectls_errors() {
    let (mut s, pods) = lab_with_traffic();
    let cases = [
        (
            format!("kubectl logs -n dev {} -l app=nginx", pods[0]),
            "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n".to_string(),
        ),
        (
            "kubectl logs -n dev deploy/nginx".to_string(),
            "error: error from server (NotFound): deployments.apps \"nginx\" not found in namespace \"dev\"\n".to_string(),
        ),
        (
            "kubectl logs -n dev widget/nginx".to_string(),
            "error: the server doesn't have a resource type \"widget\"\n".to_string(),
        ),
        (
            "kubectl logs -n dev one two three".to_string(),
            "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n".to_string(),
        ),
        (
            "kubectl logs node/demo-worker".to_string(),
            "error: cannot get the logs from *v1.Node: selector for *v1.Node not implemented\n".to_string(),
        ),
        (
            format!("kubectl logs -n dev {} -c web", pods[0]),
            format!("error: container web is not valid for pod {}\n", pods[0]),
        ),
        (
            format!("kubectl logs -n dev {} --tail=-2", pods[0]),
            "error: --tail must be greater than or equal to -1\n".to_string(),
        ),
    ];
    for (line, expected) in cases {
        let out = s.type_line(&line);
        assert_eq!(out.status, 1, "{line}");
        assert_eq!(out.stderr(), expected, "{line}");
    }
}

#[test]
fn exec_into_a_workload_runs_in_one_of_its_pods() {
    let (mut s, pods) = lab_with_traffic();
    let out = s.type_line("kubectl exec -n dev rs/nginx-replicaset -- hostname");
    assert_eq!(out.status, 0, "{}", out.stderr());
    assert!(
        pods.contains(&out.stdout().trim().to_string()),
        "{}",
        out.stdout()
    );
    let missing = s.type_line("kubectl exec -n dev deploy/web -- hostname");
    assert_eq!(
        missing.stderr(),
        "Error from server (NotFound): deployments.apps \"web\" not found\n"
    );
}

#[test]
fn following_is_capped_at_five_streams_unless_raised() {
    let (mut s, _) = lab_with_traffic();
    s.type_line("kubectl scale -n dev rs/nginx-replicaset --replicas=6");
    s.type_line("sleep 10");
    let out = s.type_line("kubectl logs -n dev -f -l app=nginx");
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr(),
        "error: you are attempting to follow 6 log streams, but maximum allowed concurrency is 5, use --max-log-requests to increase the limit\n"
    );
    let raised = s.type_line("kubectl logs -n dev -f -l app=nginx --max-log-requests=6 --tail=1");
    assert_eq!(raised.status, 0, "{}", raised.stderr());
    assert_eq!(raised.stdout().lines().count(), 6);
    // -f stays --filename for the other verbs.
    assert_eq!(
        s.type_line("kubectl apply -f nope.yaml").stderr(),
        "error: the path \"nope.yaml\" does not exist\n"
    );
}

//! `kubectl port-forward … &`: a background job on the learner's machine that carries
//! `localhost:PORT` to one pod (a Service's port translated to its target port), bypassing
//! kube-proxy; bash's job table (`jobs`, `kill`) and its notices when the job ends.

mod common;

use svclab_terminal::session::Session;

fn rows(s: &mut Session, line: &str) -> Vec<String> {
    s.type_line(line)
        .stdout()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn a_background_port_forward_reaches_one_pod_without_kube_proxy() {
    let mut s = common::three_node_lab(3);
    let started = s.type_line("kubectl port-forward -n dev svc/nginx-service 8080:80 &");
    assert_eq!(started.stderr(), "[1] 4243\n");
    assert_eq!(
        started.stdout(),
        "Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n"
    );
    assert_eq!(
        rows(&mut s, "jobs"),
        ["[1]+  Running                 kubectl port-forward -n dev svc/nginx-service 8080:80 &"]
    );
    let rules_before = s
        .type_line(
            "docker exec demo-worker iptables -t nat -L KUBE-SERVICES -v -n | grep nginx-service",
        )
        .stdout();
    for _ in 0..5 {
        let served = s.type_line("curl -s localhost:8080");
        assert_eq!(served.stderr(), "Handling connection for 8080\n");
        assert!(served.stdout().contains("<title>Welcome to nginx!</title>"));
    }
    // Every request went to the same pod, which saw it come from 127.0.0.1 …
    let logs = s
        .type_line("for p in $(kubectl get pods -n dev -o name); do kubectl logs -n dev $p | grep -c '^127.0.0.1 ' ; done")
        .stdout();
    let mut counts: Vec<&str> = logs.lines().collect();
    counts.sort();
    assert_eq!(counts, ["0", "0", "5"], "{logs}");
    // … and no kube-proxy rule counted it.
    assert_eq!(
        s.type_line(
            "docker exec demo-worker iptables -t nat -L KUBE-SERVICES -v -n | grep nginx-service"
        )
        .stdout(),
        rules_before
    );
    let killed = s.type_line("kill %1");
    assert_eq!(
        killed.stderr(),
        "[1]+  Terminated              kubectl port-forward -n dev svc/nginx-service 8080:80\n"
    );
    assert_eq!(
        s.type_line("curl -s localhost:8080").status,
        7,
        "nothing listens any more"
    );
}

#[test]
fn a_forwards_pod_going_away_ends_the_job() {
    let mut s = common::three_node_lab(3);
    s.type_line("kubectl port-forward -n dev rs/nginx-replicaset 9000:80 &");
    let pod = s
        .type_line(
            "kubectl logs -n dev rs/nginx-replicaset 2>&1 >/dev/null | grep -o 'pod/[a-z0-9-]*'",
        )
        .stdout();
    let served = s.type_line("curl -s -o /dev/null -w '%{http_code}' localhost:9000");
    assert_eq!(served.stdout(), "200");
    // Delete every pod: whichever the forward chose is gone.
    let deleted = s.type_line("kubectl delete pods -n dev --all");
    assert!(
        deleted
            .stderr()
            .ends_with("error: lost connection to pod\n[1]+  Exit 1                  kubectl port-forward -n dev rs/nginx-replicaset 9000:80\n"),
        "{pod} {}",
        deleted.stderr()
    );
    assert_eq!(s.type_line("jobs").stdout(), "");
}

#[test]
fn port_forward_errors_are_kubectls_and_bashs() {
    let mut s = common::three_node_lab(3);
    s.type_line("kubectl port-forward -n dev svc/nginx-service 8080:80 &");
    let busy = s.type_line("kubectl port-forward -n dev svc/nginx-service 8080:80 &");
    assert!(
        busy.stderr().starts_with("[2] 4244\nUnable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in use"),
        "{}",
        busy.stderr()
    );
    assert!(busy
        .stderr()
        .ends_with("error: unable to listen on any of the requested ports: [{8080 80}]\n[2]+  Exit 1                  kubectl port-forward -n dev svc/nginx-service 8080:80\n"));
    assert_eq!(
        s.type_line("kubectl port-forward -n dev svc/nginx-service 9090:9999 &")
            .stderr(),
        "[2] 4245\nerror: Service nginx-service does not have a service port 9999\n[2]+  Exit 1                  kubectl port-forward -n dev svc/nginx-service 9090:9999\n"
    );
    assert_eq!(
        s.type_line("kubectl port-forward svc/nginx-service").stderr(),
        "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n"
    );
    assert_eq!(
        s.type_line("kill %4").stderr(),
        "bash: kill: %4: no such job\n"
    );
    assert_eq!(
        s.type_line("kill 12").stderr(),
        "bash: kill: (12) - No such process\n"
    );
    // In the foreground it would listen until Ctrl-C: the lab says how to run it instead.
    let foreground = s.type_line("kubectl port-forward -n dev svc/nginx-service 7070:80");
    assert_eq!(foreground.status, 1);
    assert!(
        foreground.stderr().contains("add & at the end"),
        "{}",
        foreground.stderr()
    );
    // --address picks where it listens.
    assert_eq!(
        s.type_line("kubectl port-forward -n dev rs/nginx-replicaset 6060:80 --address 0.0.0.0 &")
            .stdout(),
        "Forwarding from 0.0.0.0:6060 -> 80\n"
    );
    // A node's shell has no jobs.
    s.type_line("docker exec -it demo-worker bash");
    assert_eq!(s.type_line("jobs").stdout(), "");
    assert_eq!(
        s.type_line("kill %1").stderr(),
        "bash: kill: %1: no such job\n"
    );
}

/// A Service whose targetPort names a container port: the forward goes to that port's number.
#[test]
fn a_named_target_port_is_translated_through_the_pod() {
    let mut s = common::three_node_lab(3);
    s.run_script(
        "cat <<'EOF' > web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: dev}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: dev}
spec:
  selector: {app: web}
  ports: [{name: web, port: 8000, targetPort: http}]
EOF
",
        false,
    );
    s.type_line("kubectl apply -f web.yaml");
    s.type_line("kubectl wait -n dev --for=condition=Available deploy/web");
    // By the Service port's number or its name; the pod's port is 80 either way.
    assert_eq!(
        s.type_line("kubectl port-forward -n dev svc/web 8080:8000 &")
            .stdout(),
        "Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n"
    );
    assert_eq!(
        s.type_line("kubectl port-forward -n dev svc/web 8081:web &")
            .stdout(),
        "Forwarding from 127.0.0.1:8081 -> 80\nForwarding from [::1]:8081 -> 80\n"
    );
    let served = s.type_line("curl -s -o /dev/null -w '%{http_code}' localhost:8081");
    assert_eq!(served.stdout(), "200");
    assert_eq!(
        s.type_line("kubectl port-forward -n dev svc/web 8082:nope &").stderr(),
        "[3] 4245\nerror: Service 'web' does not have a named port 'nope'\n[3]+  Exit 1                  kubectl port-forward -n dev svc/web 8082:nope\n"
    );
}

//! The learner's machine: `localhost` reaches what Docker publishes for the kind nodes — the
//! API server's port and `extraPortMappings` — and nothing else; `docker ps` lists them.

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

const CONFIG: &str = "kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  extraPortMappings:
  - containerPort: 30000
    hostPort: 8080
  - containerPort: 80
    hostPort: 80
    listenAddress: 127.0.0.1
- role: worker
";

fn lab() -> Session {
    let files = BTreeMap::from([("kind-config.yaml".to_string(), CONFIG.to_string())]);
    let mut s = Session::new(4, Workspace::Memory(files));
    for line in [
        "kind create cluster --config kind-config.yaml",
        "kubectl create deployment web --image=nginx",
        "kubectl create service nodeport web --tcp=80:80 --node-port=30000",
        "kubectl wait --for=condition=Available deploy/web",
    ] {
        let out = s.type_line(line);
        assert_eq!(out.status, 0, "{line}: {}", out.stderr());
    }
    s
}

#[test]
fn extra_port_mappings_publish_node_ports_on_localhost() {
    let mut s = lab();
    let ps = s.type_line("docker ps").stdout();
    let control_plane = ps
        .lines()
        .find(|l| l.ends_with("kind-control-plane"))
        .unwrap_or_default();
    // The API server's port, as kind wrote it into the kubeconfig.
    let kubeconfig = s.type_line("kind get kubeconfig").stdout();
    let api_port = kubeconfig
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: https://127.0.0.1:"))
        .unwrap_or_default()
        .to_string();
    assert!(api_port.parse::<u16>().is_ok(), "{kubeconfig}");
    assert!(
        control_plane.contains(&format!(
            "127.0.0.1:80->80/tcp, 127.0.0.1:{api_port}->6443/tcp, 0.0.0.0:8080->30000/tcp"
        )),
        "{ps}"
    );
    // The worker publishes nothing.
    let worker = ps
        .lines()
        .find(|l| l.ends_with("kind-worker"))
        .unwrap_or_default();
    assert!(!worker.contains("->"), "{ps}");
    // localhost:8080 is the control plane's node port 30000, which serves the pod.
    let page = s.type_line("curl -s localhost:8080").stdout();
    assert!(page.contains("<title>Welcome to nginx!</title>"), "{page}");
    let log = s.type_line("kubectl logs deploy/web | tail -1").stdout();
    assert!(log.contains("\"GET / HTTP/1.1\" 200 615"), "{log}");
    // The API server's port speaks TLS.
    assert_eq!(
        s.type_line(&format!("curl localhost:{api_port}")).stdout(),
        "Client sent an HTTP request to an HTTPS server.\n"
    );
}

#[test]
fn nothing_else_listens_on_localhost() {
    let mut s = lab();
    let closed = s.type_line("curl localhost:9999");
    assert_eq!(
        (closed.stderr().as_str(), closed.status),
        (
            "curl: (7) Failed to connect to localhost port 9999 after 0 ms: Couldn't connect to server\n",
            7
        )
    );
    // A stopped node container publishes nothing.
    s.type_line("docker stop kind-control-plane");
    assert_eq!(s.type_line("curl -s localhost:8080").status, 7);
}

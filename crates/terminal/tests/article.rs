//! The whole article as one script, typed line by line into a session, with every step's
//! output checked against what a real kind cluster prints.

use std::collections::BTreeMap;
use std::path::Path;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

fn article_files() -> Workspace {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/article/manifests");
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("content/article/manifests exists") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        files.insert(
            format!("manifests/{name}"),
            std::fs::read_to_string(&path).expect("read"),
        );
    }
    Workspace::Memory(files)
}

fn script() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/article/article.sh");
    std::fs::read_to_string(path).expect("content/article/article.sh exists")
}

#[test]
fn every_step_of_the_article_runs_and_prints_what_kind_prints() {
    let mut session = Session::new(2024, article_files());
    let out = session.run_script(&script(), true);
    let text = out.combined();
    let after = |cmd: &str| -> String {
        let marker = format!("$ {cmd}\n");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("`{cmd}` ran:\n{text}"))
            + marker.len();
        let rest = &text[start..];
        let end = rest.find("\n$ ").map_or(rest.len(), |i| i + 1);
        rest[..end].to_string()
    };
    assert!(after("brew install kind").starts_with("Warning: kind 0.29.0 is already installed"));
    let create =
        after("kind create cluster --name service-demo --config=./manifests/kind-config.yaml");
    assert!(
        create.starts_with("Creating cluster \"service-demo\" ...\n"),
        "{create}"
    );
    assert!(create.contains("kubectl cluster-info --context kind-service-demo\n"));
    assert_eq!(
        after("kubectl config current-context"),
        "kind-service-demo\n"
    );
    assert_eq!(
        after("kubectl config use-context kind-service-demo"),
        "Switched to context \"kind-service-demo\".\n"
    );
    let nodes = after("kubectl get nodes");
    assert!(
        nodes.starts_with("NAME                         STATUS   ROLES           AGE   VERSION\n"),
        "{nodes}"
    );
    assert_eq!(
        after("kubectl create namespace dev"),
        "namespace/dev created\n"
    );
    assert_eq!(
        after("kubectl apply -f ./manifests/nginx-replicaset.yaml"),
        "replicaset.apps/nginx-replicaset created\n"
    );
    let pods = after("kubectl get pod -n dev -o wide");
    assert_eq!(pods.matches("   Running   ").count(), 6, "{pods}");
    assert!(!pods.contains("service-demo-control-plane"), "{pods}");
    let template = after("kubectl create service <サービスのタイプ> <サービスの名前> --tcp=<ホスト側のポート>:<コンテナ側のポート>");
    // `> <` is a redirection with no file name: bash refuses the line before running it.
    assert_eq!(template, "bash: syntax error near unexpected token `<'\n");
    let svc = after("kubectl -n dev get svc");
    assert!(svc.contains("nginx-service   ClusterIP   10.96."), "{svc}");
    assert!(svc.contains("<none>        80/TCP    "), "{svc}");
    assert_eq!(
        after("curl --head --max-time 3 http://10.96.xxx.xxx"),
        "curl: (6) Could not resolve host: 10.96.xxx.xxx\n"
    );
    let head = after("kubectl -n dev run curl-pod --restart=Never -it --rm --image=curlimages/curl:latest -- curl --head http://nginx-service");
    assert!(
        head.starts_with("HTTP/1.1 200 OK\r\nServer: nginx/1.27.0\r\nDate: "),
        "{head}"
    );
    assert!(head.contains("Content-Length: 615\r\nLast-Modified: Tue, 28 May 2024 13:22:30 GMT\r\nConnection: keep-alive\r\nETag: \"6655da96-267\"\r\nAccept-Ranges: bytes\r\n\r\n"), "{head}");
    assert!(head.ends_with("pod \"curl-pod\" deleted\n"), "{head}");
    // Ten answers, each a pod name written into its own index.html, from more than one pod.
    let ten = text
        .split("  sh -c 'for i in $(seq 1 10); do curl -s http://nginx-service; done'\n")
        .nth(1)
        .expect("the loop ran");
    let names: Vec<&str> = ten.lines().take(10).collect();
    assert!(
        names.iter().all(|n| n.starts_with("nginx-replicaset-")),
        "{text}"
    );
    let distinct: std::collections::BTreeSet<&&str> = names.iter().collect();
    assert!(distinct.len() > 1, "spread over pods: {names:?}");
    assert_eq!(
        after("kubectl delete -f ./manifests/nginx-service-clusterip.yaml"),
        "service \"nginx-service\" deleted\n"
    );
    let nodeport_svc = text
        .rsplit("$ kubectl -n dev get svc\n")
        .next()
        .unwrap_or("");
    assert!(nodeport_svc.contains("NodePort   10.96."), "{nodeport_svc}");
    assert!(nodeport_svc.contains("80:30000/TCP"), "{nodeport_svc}");
    // Inside the worker: the for loop answers from pods on both workers.
    assert!(
        text.contains("root@service-demo-worker:/# for i in {1..10}; do\n> "),
        "{text}"
    );
    let grep = text
        .split(
            "root@service-demo-worker:/# iptables -t nat -L -n | grep \"nginx-service:http ->\"\n",
        )
        .nth(1)
        .expect("iptables ran in the node");
    let rules: Vec<&str> = grep.lines().take(6).collect();
    let tails: Vec<&str> = rules
        .iter()
        .map(|l| l.split("*/").nth(1).unwrap_or("").trim())
        .collect();
    assert_eq!(
        tails,
        [
            "statistic mode random probability 0.16666666651",
            "statistic mode random probability 0.20000000019",
            "statistic mode random probability 0.25000000000",
            "statistic mode random probability 0.33333333349",
            "statistic mode random probability 0.50000000000",
            "",
        ],
        "{grep}"
    );
    assert!(rules[0].starts_with("KUBE-SEP-"), "{grep}");
    assert!(
        rules[0].contains("/* dev/nginx-service:http -> 10.244."),
        "{grep}"
    );
    let worker2 = after("docker exec -it service-demo-worker2 iptables -t nat -L -n | grep \"nginx-service:http ->\"");
    assert_eq!(worker2.lines().count(), 6, "{worker2}");
    assert_eq!(
        after("kubectl delete -f ./manifests/nginx-service-nodeport.yaml"),
        "service \"nginx-service\" deleted\n"
    );
}

#[test]
fn the_same_seed_prints_the_same_article_byte_for_byte() {
    let run = |seed| {
        Session::new(seed, article_files())
            .run_script(&script(), false)
            .combined()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn the_downward_api_env_names_the_pod_and_its_node() {
    let mut session = Session::new(5, article_files());
    for line in [
        "kind create cluster --name service-demo --config=./manifests/kind-config.yaml",
        "kubectl create namespace dev",
        "kubectl apply -f ./manifests/nginx-replicaset.yaml",
    ] {
        session.type_line(line);
    }
    let pod = session
        .type_line("kubectl get pod -n dev -o jsonpath='{.items[0].metadata.name}'")
        .stdout();
    let node = session
        .type_line(&format!(
            "kubectl get pod -n dev {pod} -o jsonpath='{{.spec.nodeName}}'"
        ))
        .stdout();
    let env = session
        .type_line(&format!("kubectl exec -n dev {pod} -- env | grep _NAME="))
        .stdout();
    assert_eq!(env, format!("NODE_NAME={node}\nPOD_NAME={pod}\n"));
    let hostname = session
        .type_line(&format!("kubectl exec -n dev {pod} -- hostname"))
        .stdout();
    assert_eq!(hostname, format!("{pod}\n"));
}

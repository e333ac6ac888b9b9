//! `--dry-run`: `client` prints the object kubectl built (the generators' YAML a learner saves
//! to a file), `server` lets the API server validate and default without storing; neither
//! changes the cluster. Verbs whose dry run the lab does not simulate refuse the flag rather
//! than write.

mod common;

use svclab_terminal::session::Session;

fn absent(s: &mut Session, what: &str) -> bool {
    s.type_line(&format!("kubectl get {what}")).status == 1
}

#[test]
fn client_dry_runs_print_what_the_generators_build_and_create_nothing() {
    let mut s = common::three_node_lab(3);
    assert_eq!(
        s.type_line("kubectl create deployment web --image=nginx --replicas=2 --dry-run=client -o yaml").stdout(),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\nstatus: {}\n"
    );
    assert!(absent(&mut s, "deployment web"));
    assert_eq!(
        s.type_line("kubectl run tmp --image=busybox --restart=Never --dry-run=client -o yaml").stdout(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: tmp\n  name: tmp\nspec:\n  containers:\n  - image: busybox\n    name: tmp\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Never\nstatus: {}\n"
    );
    assert!(absent(&mut s, "pod tmp"));
    // -n names the namespace in the object; without it the object has none.
    assert_eq!(
        s.type_line("kubectl create secret generic db -n dev --from-literal=password=x --dry-run=client -o yaml").stdout(),
        "apiVersion: v1\ndata:\n  password: eA==\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: db\n  namespace: dev\n"
    );
    assert_eq!(
        s.type_line("kubectl create configmap cfg --from-literal=a=b --dry-run=client -o json").stdout(),
        "{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"a\": \"b\"\n    },\n    \"kind\": \"ConfigMap\",\n    \"metadata\": {\n        \"creationTimestamp\": null,\n        \"name\": \"cfg\"\n    }\n}\n"
    );
    // expose copies the object's labels and leaves the type to the server's default.
    assert_eq!(
        s.type_line("kubectl expose rs nginx-replicaset -n dev --port=8080 --target-port=80 --dry-run=client -o yaml").stdout(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  ports:\n  - port: 8080\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: nginx\nstatus:\n  loadBalancer: {}\n"
    );
    assert_eq!(
        s.type_line("kubectl create namespace staging --dry-run=client")
            .stdout(),
        "namespace/staging created (dry run)\n"
    );
    assert!(absent(&mut s, "namespace staging"));
    // The saved YAML applies for real.
    s.type_line("kubectl create deployment web --image=nginx --dry-run=client -o yaml > web.yaml");
    assert_eq!(
        s.type_line("kubectl apply -f web.yaml").stdout(),
        "deployment.apps/web created\n"
    );
}

#[test]
fn server_dry_runs_validate_and_default_without_storing() {
    let mut s = common::three_node_lab(3);
    let service = s
        .type_line("kubectl create service nodeport web -n dev --tcp=80:80 --node-port=30000 --dry-run=server")
        .stderr();
    assert!(
        service.contains("provided port is already allocated"),
        "{service}"
    );
    let allocated = s
        .type_line("kubectl create service nodeport web -n dev --tcp=80:80 --dry-run=server -o jsonpath='{.spec.type} {.spec.ports[0].nodePort}'")
        .stdout();
    let (type_, port) = allocated.split_once(' ').unwrap_or_default();
    assert_eq!(type_, "NodePort");
    assert!(
        (30000..=32767).contains(&port.parse::<i32>().unwrap_or(0)),
        "{allocated}"
    );
    assert!(absent(&mut s, "service web -n dev"));
    let invalid = s
        .type_line("kubectl create deployment Web --image=nginx --dry-run=server")
        .stderr();
    assert!(
        invalid.starts_with("The Deployment \"Web\" is invalid: ")
            && invalid
                .contains("metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain"),
        "{invalid}"
    );
}

#[test]
fn apply_and_delete_dry_runs_report_and_keep_the_cluster() {
    let mut s = common::three_node_lab(3);
    let pods_before = s.type_line("kubectl get pods -n dev -o name").stdout();
    assert_eq!(
        s.type_line("kubectl delete rs nginx-replicaset -n dev --dry-run=client")
            .stdout(),
        "replicaset.apps \"nginx-replicaset\" deleted (dry run)\n"
    );
    assert_eq!(
        s.type_line("kubectl delete -f rs.yaml --dry-run=server")
            .stdout(),
        "replicaset.apps \"nginx-replicaset\" deleted (server dry run)\n"
    );
    assert_eq!(
        s.type_line("kubectl delete pod nope -n dev --dry-run=server")
            .stderr(),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
    assert_eq!(
        s.type_line("kubectl get pods -n dev -o name").stdout(),
        pods_before
    );
    assert_eq!(
        s.type_line("kubectl apply -f rs.yaml --dry-run=client")
            .stdout(),
        "replicaset.apps/nginx-replicaset unchanged (dry run)\n"
    );
    s.type_line("kubectl create deployment web --image=nginx --dry-run=client -o yaml > web.yaml");
    assert_eq!(
        s.type_line("kubectl apply -f web.yaml --dry-run=server")
            .stdout(),
        "deployment.apps/web created (server dry run)\n"
    );
    assert!(absent(&mut s, "deployment web"));
}

#[test]
fn dry_run_values_and_verbs_the_lab_does_not_simulate_are_refused() {
    let mut s = common::three_node_lab(3);
    assert_eq!(
        s.type_line("kubectl create namespace x --dry-run=yes")
            .stderr(),
        "error: Invalid dry-run value (yes). Must be \"none\", \"server\", or \"client\".\n"
    );
    let scaled =
        s.type_line("kubectl scale rs nginx-replicaset -n dev --replicas=1 --dry-run=client");
    assert_eq!(scaled.status, 1);
    assert!(
        scaled.stderr().contains("nothing was changed"),
        "{}",
        scaled.stderr()
    );
    let listed =
        s.type_line("kubectl get rs nginx-replicaset -n dev -o jsonpath='{.spec.replicas}'");
    assert_eq!(listed.stdout(), "3");
    assert_eq!(
        s.type_line("kubectl run t --image=nginx -it --rm --dry-run=client").stderr(),
        "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n"
    );
}

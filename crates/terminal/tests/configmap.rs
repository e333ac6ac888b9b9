//! ConfigMaps: the ones kind's components write (an SRE reads kube-proxy's mode from its
//! ConfigMap), the root CA in every namespace, and the learner's own, made with
//! `kubectl create configmap` or applied, with the API server's rules for keys and
//! `immutable`.

mod common;

#[test]
fn kube_proxy_configuration_is_readable_from_its_config_map() {
    let mut s = common::three_node_lab(3);
    let mode = s.type_line(
        "kubectl -n kube-system get cm kube-proxy -o jsonpath='{.data.config\\.conf}' | grep -E '^(mode|clusterCIDR):|minSyncPeriod: 1s'",
    );
    assert_eq!(
        mode.stdout(),
        "clusterCIDR: 10.244.0.0/16\n  minSyncPeriod: 1s\nmode: iptables\n"
    );
    let kubeconfig = s.type_line(
        "kubectl -n kube-system get cm kube-proxy -o jsonpath='{.data.kubeconfig\\.conf}' | grep server",
    );
    assert_eq!(
        kubeconfig.stdout(),
        "    server: https://demo-control-plane:6443\n"
    );
    let corefile = s
        .type_line("kubectl -n kube-system describe cm coredns")
        .stdout();
    assert!(
        corefile.contains("Data\n====\nCorefile:\n----\n.:53 {\n    errors\n"),
        "{corefile}"
    );
    assert!(
        corefile.ends_with("\n\nBinaryData\n====\n\nEvents:  <none>\n"),
        "{corefile}"
    );
}

#[test]
fn every_namespace_gets_the_root_ca_and_keeps_it() {
    let mut s = common::three_node_lab(3);
    let listed = s.type_line("kubectl get cm -n dev").stdout();
    let header_and_row: Vec<Vec<&str>> = listed
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(header_and_row[0], ["NAME", "DATA", "AGE"]);
    assert_eq!(header_and_row[1][..2], ["kube-root-ca.crt", "1"]);
    let ca = "kubectl get cm kube-root-ca.crt -n dev -o jsonpath='{.data.ca\\.crt}'";
    let pem = s.type_line(ca).stdout();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgII"));
    // The same CA in every namespace; the publisher puts a deleted copy back.
    let deleted = s.type_line("kubectl delete cm kube-root-ca.crt -n dev");
    assert_eq!(deleted.stdout(), "configmap \"kube-root-ca.crt\" deleted\n");
    assert_eq!(s.type_line(ca).stdout(), pem);
    let described = s
        .type_line("kubectl describe cm kube-root-ca.crt -n default")
        .stdout();
    assert!(
        described.contains("Annotations:  kubernetes.io/description:\n                Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubern...\n"),
        "{described}"
    );
}

#[test]
fn a_learners_config_map_follows_the_api_servers_rules() {
    let mut s = common::three_node_lab(3);
    let created = s.type_line(
        "kubectl create configmap web -n dev --from-literal=index.html='<h1>hi</h1>' --from-literal=mode=blue",
    );
    assert_eq!(created.stdout(), "configmap/web created\n");
    assert_eq!(
        s.type_line("kubectl describe cm web -n dev").stdout(),
        "Name:         web\nNamespace:    dev\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\nindex.html:\n----\n<h1>hi</h1>\n\nmode:\n----\nblue\n\n\nBinaryData\n====\n\nEvents:  <none>\n"
    );
    let bad_key = s.type_line("kubectl create configmap bad -n dev --from-literal=a/b=1");
    assert_eq!(bad_key.status, 1);
    assert!(
        bad_key
            .stderr()
            .starts_with("error: \"a/b\" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters"),
        "{}",
        bad_key.stderr()
    );
    let frozen = "cat > cm.yaml <<'EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\n  namespace: dev\nimmutable: true\ndata:\n  color: VALUE\nEOF\n";
    s.run_script(&frozen.replace("VALUE", "red"), false);
    assert_eq!(
        s.type_line("kubectl apply -f cm.yaml").stdout(),
        "configmap/frozen created\n"
    );
    s.run_script(&frozen.replace("VALUE", "green"), false);
    let refused = s.type_line("kubectl apply -f cm.yaml");
    assert_eq!(
        refused.stderr(),
        "The ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set\n"
    );
    let kept = s.type_line("kubectl get cm frozen -n dev -o jsonpath='{.data.color}'");
    assert_eq!(kept.stdout(), "red");
}

const WEB: &str = "cat > web.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: dev
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: html
          mountPath: /usr/share/nginx/html
      volumes:
      - name: html
        configMap:
          name: web-html
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: dev
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    nodePort: 30080
EOF
";

#[test]
fn a_config_map_volume_serves_nginxs_page_and_follows_the_config_map() {
    let mut s = common::three_node_lab(3);
    s.run_script(WEB, false);
    s.type_line("kubectl apply -f web.yaml");
    s.type_line("sleep 20");
    // Without its ConfigMap the pods wait, and say why.
    let pods = s.type_line("kubectl get pods -n dev -l app=web").stdout();
    assert_eq!(pods.matches("ContainerCreating").count(), 2, "{pods}");
    let events = s.type_line("kubectl get events -n dev --field-selector reason=FailedMount -o custom-columns=MESSAGE:.message").stdout();
    assert!(
        events.contains(
            "MountVolume.SetUp failed for volume \"html\" : configmap \"web-html\" not found"
        ),
        "{events}"
    );
    s.type_line("kubectl create configmap web-html -n dev --from-literal=index.html='<h1>v1</h1>'");
    s.type_line("sleep 15");
    let curl = "curl -s http://172.18.0.3:30080";
    assert_eq!(s.type_line(curl).stdout(), "<h1>v1</h1>");
    let yaml = s
        .type_line("kubectl get pods -n dev -l app=web -o jsonpath='{.items[0].spec.volumes[0]}'")
        .stdout();
    assert_eq!(
        yaml,
        r#"{"configMap":{"defaultMode":420,"name":"web-html"},"name":"html"}"#
    );
    // The volume is read-only.
    let write = s.type_line(
        "kubectl -n dev exec deploy/web -- sh -c 'echo hi > /usr/share/nginx/html/index.html'",
    );
    assert!(
        write.stderr().contains("Read-only file system"),
        "{}",
        write.stderr()
    );
    // A change reaches the files at the kubelet's next sync of the pod, not at once.
    s.type_line(
        "kubectl -n dev patch cm web-html -p '{\"data\":{\"index.html\":\"<h1>v2</h1>\"}}'",
    );
    assert_eq!(s.type_line(curl).stdout(), "<h1>v1</h1>");
    s.type_line("sleep 70");
    assert_eq!(s.type_line(curl).stdout(), "<h1>v2</h1>");
    // Without index.html, nginx forbids listing the mounted directory.
    s.type_line("kubectl -n dev patch cm web-html --type json -p '[{\"op\":\"remove\",\"path\":\"/data/index.html\"}]'");
    s.type_line("sleep 70");
    let forbidden = s.type_line("curl -s -o /dev/null -w '%{http_code}' http://172.18.0.3:30080");
    assert_eq!(forbidden.stdout(), "403");
    let mounts = s
        .type_line("kubectl -n dev describe pod -l app=web")
        .stdout();
    assert!(
        mounts.contains("    Mounts:\n      /usr/share/nginx/html from html (rw)\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-"),
        "{mounts}"
    );
    assert!(
        mounts.contains("  html:\n    Type:      ConfigMap (a volume populated by a ConfigMap)\n    Name:      web-html\n    Optional:  false\n"),
        "{mounts}"
    );
}

const APP: &str = "cat > app.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: dev
spec:
  replicas: 1
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
      - name: nginx
        image: nginx
        envFrom:
        - configMapRef:
            name: app-config
          prefix: CFG_
        env:
        - name: LEVEL
          valueFrom:
            configMapKeyRef: {name: app-config, key: level}
        - name: EXTRA
          valueFrom:
            configMapKeyRef: {name: app-config, key: extra, optional: true}
        - name: SUMMARY
          value: level $(LEVEL) in $(CFG_color), $(MISSING)
EOF
";

/// A container's ConfigMap variables are read by the kubelet when it starts: a missing
/// ConfigMap or key keeps it in CreateContainerConfigError until a retry finds them, and a
/// later change reaches only a new container.
#[test]
fn config_map_variables_are_read_when_the_container_starts() {
    let mut s = common::three_node_lab(3);
    s.run_script(APP, false);
    assert_eq!(
        s.type_line("kubectl apply -f app.yaml").stdout(),
        "deployment.apps/app created\n"
    );
    s.type_line("sleep 20");
    let status = "kubectl get pods -n dev -l app=app -o jsonpath='{.items[0].status.containerStatuses[0].state.waiting}'";
    assert_eq!(
        s.type_line(status).stdout(),
        r#"{"message":"configmap \"app-config\" not found","reason":"CreateContainerConfigError"}"#
    );
    let listed = s.type_line("kubectl get pods -n dev -l app=app").stdout();
    assert!(
        listed.contains("0/1     CreateContainerConfigError"),
        "{listed}"
    );
    let failed = "kubectl get events -n dev --field-selector reason=Failed -o custom-columns=MESSAGE:.message,COUNT:.count";
    let events = s.type_line(failed).stdout();
    assert!(
        events.contains("Error: configmap \"app-config\" not found"),
        "{events}"
    );
    // The ConfigMap without the key: the next retry fails on the key.
    s.type_line("kubectl create configmap app-config -n dev --from-literal=color=blue");
    s.type_line("sleep 16");
    let events = s.type_line(failed).stdout();
    assert!(
        events.contains("Error: couldn't find key level in ConfigMap dev/app-config"),
        "{events}"
    );
    s.type_line("kubectl -n dev patch cm app-config -p '{\"data\":{\"level\":\"debug\"}}'");
    s.type_line("sleep 16");
    let listed = s.type_line("kubectl get pods -n dev -l app=app").stdout();
    assert!(listed.contains("1/1     Running"), "{listed}");
    let env = "kubectl -n dev exec deploy/app -- env";
    let own = |s: &mut svclab_terminal::session::Session| -> Vec<String> {
        s.type_line(env)
            .stdout()
            .lines()
            .filter(|l| {
                ["CFG_", "LEVEL", "EXTRA", "SUMMARY"]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .map(String::from)
            .collect()
    };
    assert_eq!(
        own(&mut s),
        [
            "CFG_color=blue",
            "CFG_level=debug",
            "LEVEL=debug",
            "SUMMARY=level debug in blue, $(MISSING)",
        ]
    );
    // Values are read at start: a change shows only in a new pod.
    s.type_line(
        "kubectl -n dev patch cm app-config -p '{\"data\":{\"level\":\"info\",\"extra\":\"x\"}}'",
    );
    s.type_line("sleep 70");
    assert!(own(&mut s).contains(&"LEVEL=debug".to_string()));
    s.type_line("kubectl -n dev rollout restart deploy/app");
    s.type_line("sleep 40");
    let after = own(&mut s);
    assert!(after.contains(&"LEVEL=info".to_string()), "{after:?}");
    assert!(after.contains(&"EXTRA=x".to_string()), "{after:?}");
    let described = s.type_line("kubectl -n dev describe deploy app").stdout();
    assert!(
        described.contains("    Environment Variables from:\n      app-config  ConfigMap with prefix 'CFG_'  Optional: false\n    Environment:\n      LEVEL:       <set to the key 'level' of config map 'app-config'>  Optional: false\n      EXTRA:       <set to the key 'extra' of config map 'app-config'>  Optional: true\n      SUMMARY:     level $(LEVEL) in $(CFG_color), $(MISSING)\n    Mounts:        <none>\n"),
        "{described}"
    );
}

const BAD_ENV: &str = "cat > bad.yaml <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: dev}
spec:
  containers:
  - name: c
    image: nginx
    envFrom:
    - prefix: 'A='
    env:
    - name: A
      valueFrom:
        configMapKeyRef: {name: '', key: 'no/slash'}
    - name: B
      value: x
      valueFrom:
        configMapKeyRef: {name: cfg, key: k}
    - name: C
      valueFrom:
        fieldRef: {fieldPath: metadata.name}
        configMapKeyRef: {name: cfg, key: k}
EOF
";

/// The API server's words for env sources (`validateEnvVarValueFrom`, `ValidateEnvFrom`).
#[test]
fn env_sources_are_validated_as_the_api_server_does() {
    let mut s = common::three_node_lab(3);
    s.run_script(BAD_ENV, false);
    let out = s.type_line("kubectl apply -f bad.yaml");
    assert_eq!(
        out.stderr(),
        "The Pod \"bad\" is invalid: \n\
* spec.containers[0].env[0].valueFrom.configMapKeyRef.name: Invalid value: \"\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n\
* spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: \"no/slash\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n\
* spec.containers[0].env[1].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty\n\
* spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not have more than one field specified at a time\n\
* spec.containers[0].envFrom[0].prefix: Invalid value: \"A=\": a valid environment variable name must consist only of printable ASCII characters other than '='\n\
* spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`\n"
    );
}

const SUB_PATH: &str = "cat > sub.yaml <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: page
  namespace: dev
  labels: {app: page}
spec:
  containers:
  - name: nginx
    image: nginx
    volumeMounts:
    - name: html
      mountPath: /usr/share/nginx/html/index.html
      subPath: index.html
  volumes:
  - name: html
    configMap:
      name: page-html
EOF
";

/// A `subPath` mount shows one key of the ConfigMap as one file, beside the image's own, and
/// is bound once: a later change to the ConfigMap never reaches it.
#[test]
fn a_sub_path_mount_is_one_file_and_does_not_follow_the_config_map() {
    let mut s = common::three_node_lab(3);
    s.run_script(SUB_PATH, false);
    s.type_line(
        "kubectl create configmap page-html -n dev --from-literal=index.html='<h1>one</h1>'",
    );
    s.type_line("kubectl apply -f sub.yaml");
    s.type_line("kubectl wait -n dev --for=condition=Ready pod/page");
    let cat = "kubectl -n dev exec page -- cat /usr/share/nginx/html/index.html";
    assert_eq!(s.type_line(cat).stdout(), "<h1>one</h1>");
    let ip = s
        .type_line("kubectl -n dev get pod page -o jsonpath='{.status.podIP}'")
        .stdout();
    let curl = format!("kubectl -n dev exec page -- curl -s http://{ip}/");
    assert_eq!(s.type_line(&curl).stdout(), "<h1>one</h1>");
    s.type_line(
        "kubectl -n dev patch cm page-html -p '{\"data\":{\"index.html\":\"<h1>two</h1>\"}}'",
    );
    s.type_line("sleep 90");
    assert_eq!(s.type_line(cat).stdout(), "<h1>one</h1>");
    let write = s
        .type_line("kubectl -n dev exec page -- sh -c 'echo x > /usr/share/nginx/html/index.html'");
    assert!(
        write.stderr().contains("Read-only file system"),
        "{}",
        write.stderr()
    );
    let described = s.type_line("kubectl -n dev describe pod page").stdout();
    assert!(
        described.contains(
            "      /usr/share/nginx/html/index.html from html (rw,path=\"index.html\")\n"
        ),
        "{described}"
    );
    // A new pod reads the ConfigMap as it is then.
    s.type_line("kubectl -n dev delete pod page");
    s.type_line("kubectl apply -f sub.yaml");
    s.type_line("kubectl wait -n dev --for=condition=Ready pod/page");
    assert_eq!(s.type_line(cat).stdout(), "<h1>two</h1>");
    // The API server keeps a subPath inside the volume.
    s.run_script(
        &SUB_PATH
            .replace("name: page\n", "name: bad\n")
            .replace("subPath: index.html", "subPath: ../../etc/passwd"),
        false,
    );
    let bad = s.type_line("kubectl apply -f sub.yaml");
    assert_eq!(
        bad.stderr(),
        "The Pod \"bad\" is invalid: spec.containers[0].volumeMounts[0].subPath: Invalid value: \"../../etc/passwd\": must not contain '..'\n"
    );
}

const TWO_CONTAINERS: &str = "cat > two.yaml <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: two, namespace: dev}
spec:
  containers:
  - name: web
    image: nginx
  - name: side
    image: nginx
    env:
    - name: LEVEL
      valueFrom:
        configMapKeyRef: {name: side-config, key: level}
EOF
";

/// The kubelet starts a pod's containers one by one: the one whose ConfigMap is missing waits
/// while the other runs (READY 1/2, the pod Pending), and starts alone once it appears.
#[test]
fn one_containers_missing_config_map_does_not_hold_the_other() {
    let mut s = common::three_node_lab(3);
    s.run_script(TWO_CONTAINERS, false);
    s.type_line("kubectl apply -f two.yaml");
    s.type_line("sleep 20");
    let row = s
        .type_line("kubectl get pod two -n dev --no-headers")
        .stdout();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1..3], ["1/2", "CreateContainerConfigError"], "{row}");
    let states = "kubectl get pod two -n dev -o jsonpath='{.status.phase} {range .status.containerStatuses[*]}{.name}={.ready} {end}'";
    assert_eq!(s.type_line(states).stdout(), "Pending side=false web=true ");
    let web_started = "kubectl get pod two -n dev -o jsonpath='{.status.containerStatuses[?(@.name==\"web\")].state.running.startedAt}'";
    let first_start = s.type_line(web_started).stdout();
    s.type_line("kubectl create configmap side-config -n dev --from-literal=level=debug");
    s.type_line("sleep 16");
    assert_eq!(s.type_line(states).stdout(), "Running side=true web=true ");
    // The running container was not started again.
    assert_eq!(s.type_line(web_started).stdout(), first_start);
    let started = s
        .type_line("kubectl get events -n dev -o custom-columns=MSG:.message --no-headers | grep -E 'container (web|side)$'")
        .stdout();
    assert_eq!(started, "Started container web\nStarted container side\n");
    let env = s.type_line("kubectl exec two -n dev -c side -- printenv LEVEL");
    assert_eq!(env.stdout(), "debug\n");
    // Without -c: the first container, said on stderr (it has no LEVEL).
    let first = s.type_line("kubectl exec two -n dev -- printenv LEVEL");
    assert_eq!(
        (
            first.stderr().as_str(),
            first.stdout().as_str(),
            first.status
        ),
        ("Defaulted container \"web\" out of: web, side\n", "", 1)
    );
    let missing = s.type_line("kubectl exec two -n dev -c nope -- true");
    assert_eq!(missing.stderr(), "error: container nope not found\n");
}

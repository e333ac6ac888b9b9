//! Secrets: the one kind's kubeadm leaves, the learner's own (made with `kubectl create secret
//! generic` or applied, `stringData` folded into base64 `data`), read back with `base64 -d`,
//! and used by pods as variables and as files, with the API server's, kubectl's and the
//! kubelet's words for every mistake.

mod common;

use svclab_terminal::session::Session;

#[test]
fn a_fresh_cluster_has_kubeadms_bootstrap_token() {
    let mut s = common::three_node_lab(3);
    let listed = s.type_line("kubectl get secrets -A").stdout();
    let rows: Vec<Vec<&str>> = listed
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0], ["NAMESPACE", "NAME", "TYPE", "DATA", "AGE"]);
    assert_eq!(
        rows[1][..4],
        [
            "kube-system",
            "bootstrap-token-abcdef",
            "bootstrap.kubernetes.io/token",
            "6"
        ]
    );
    assert_eq!(rows.len(), 2, "{listed}");
    let described = s
        .type_line("kubectl describe secret -n kube-system bootstrap-token-abcdef")
        .stdout();
    assert!(
        described.starts_with("Name:         bootstrap-token-abcdef\nNamespace:    kube-system\nLabels:       <none>\nAnnotations:  <none>\n\nType:  bootstrap.kubernetes.io/token\n\nData\n====\nauth-extra-groups:               47 bytes\nexpiration:                      20 bytes\ntoken-id:                        6 bytes\ntoken-secret:                    16 bytes\n"),
        "{described}"
    );
    // The token kind's nodes join with: `abcdef.0123456789abcdef`.
    let token = "kubectl get secret -n kube-system bootstrap-token-abcdef -o jsonpath='{.data.token-id}.{.data.token-secret}'";
    let encoded = s.type_line(token).stdout();
    assert_eq!(encoded, "YWJjZGVm.MDEyMzQ1Njc4OWFiY2RlZg==");
    assert_eq!(
        s.type_line("kubectl get secret -n kube-system bootstrap-token-abcdef -o jsonpath='{.data.token-secret}' | base64 -d").stdout(),
        "0123456789abcdef"
    );
    assert_eq!(
        s.type_line("kubectl get secrets").stdout(),
        "",
        "nothing in default"
    );
}

#[test]
fn kubectl_create_secret_generic_as_kubectl_does() {
    let mut s = common::three_node_lab(3);
    assert_eq!(
        s.type_line("kubectl create secret generic db -n dev --from-literal=user=admin --from-literal=password='s3cr=t!'").stdout(),
        "secret/db created\n"
    );
    let listed = s.type_line("kubectl get secret db -n dev").stdout();
    let rows: Vec<Vec<&str>> = listed
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[1][..3], ["db", "Opaque", "2"]);
    assert_eq!(
        s.type_line("kubectl get secret db -n dev -o jsonpath='{.data.password}'")
            .stdout(),
        "czNjcj10IQ=="
    );
    assert_eq!(
        s.type_line(
            "kubectl get secret db -n dev -o jsonpath='{.data.password}' | base64 --decode"
        )
        .stdout(),
        "s3cr=t!"
    );
    let described = s.type_line("kubectl describe secret db -n dev").stdout();
    assert!(
        described
            .ends_with("\nType:  Opaque\n\nData\n====\npassword:  7 bytes\nuser:      5 bytes\n"),
        "{described}"
    );
    // kubectl's own refusals, then the API server's wrapped in create_secret.go's words.
    for (line, stderr) in [
        (
            "kubectl create secret generic x --from-literal=a=1 --from-literal=a=2",
            "error: cannot add key a, another key by that name already exists\n",
        ),
        (
            "kubectl create secret generic x --from-literal='a b=1'",
            "error: \"a b\" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n",
        ),
        (
            "kubectl create secret generic x --from-literal=novalue",
            "error: invalid literal source novalue, expected key=value\n",
        ),
        (
            "kubectl create secret generic db -n dev --from-literal=a=1",
            "error: failed to create secret secrets \"db\" already exists\n",
        ),
        (
            "kubectl create secret generic Db --from-literal=a=1",
            "error: failed to create secret Secret \"Db\" is invalid: metadata.name: Invalid value: \"Db\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
        ),
        (
            "kubectl create secret generic x --type=kubernetes.io/tls --from-literal=tls.crt=c",
            "error: failed to create secret Secret \"x\" is invalid: data[tls.key]: Required value\n",
        ),
    ] {
        let out = s.type_line(line);
        assert_eq!((out.stderr().as_str(), out.status), (stderr, 1), "{line}");
    }
    // --from-file keys a file by its name; --from-env-file reads KEY=value lines.
    s.run_script(
        "printf 'hunter2' > password.txt\nprintf '# db\\nUSER=admin\\nPORT=5432\\n' > db.env\n",
        false,
    );
    assert_eq!(
        s.type_line(
            "kubectl create secret generic f --from-file=password.txt --from-file=key=password.txt"
        )
        .stdout(),
        "secret/f created\n"
    );
    assert_eq!(
        s.type_line("kubectl get secret f -o jsonpath='{.data}'")
            .stdout(),
        r#"{"key":"aHVudGVyMg==","password.txt":"aHVudGVyMg=="}"#
    );
    s.type_line("kubectl create secret generic e --from-env-file=db.env");
    assert_eq!(
        s.type_line("kubectl get secret e -o jsonpath='{.data.PORT}' | base64 -d")
            .stdout(),
        "5432"
    );
    assert_eq!(
        s.type_line("kubectl create secret generic g --from-env-file=db.env --from-literal=a=b")
            .stderr(),
        "error: from-env-file cannot be combined with from-file or from-literal\n"
    );
}

const APPLIED: &str = "apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: dev
type: Opaque
data:
  user: YWRtaW4=
stringData:
  password: hunter2
";

#[test]
fn applied_secrets_fold_string_data_into_base64_data() {
    let mut s = common::three_node_lab(3);
    s.run_script(&format!("cat <<'EOF' > secret.yaml\n{APPLIED}EOF\n"), false);
    assert_eq!(
        s.type_line("kubectl apply -f secret.yaml").stdout(),
        "secret/db created\n"
    );
    assert_eq!(
        s.type_line("kubectl apply -f secret.yaml").stdout(),
        "secret/db unchanged\n"
    );
    let yaml = s.type_line("kubectl get secret db -n dev -o yaml").stdout();
    assert!(
        yaml.starts_with(
            "apiVersion: v1\ndata:\n  password: aHVudGVyMg==\n  user: YWRtaW4=\nkind: Secret\n"
        ),
        "{yaml}"
    );
    assert!(yaml.ends_with("type: Opaque\n"), "{yaml}");
    // Only the last-applied annotation (kubectl's copy of the file) still has stringData.
    assert_eq!(yaml.matches("stringData").count(), 1, "{yaml}");
    // Text that is not base64 is refused by the API server's decoder.
    s.run_script(
        "cat <<'EOF' > bad.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bad\ndata:\n  password: hunter2\nEOF\n",
        false,
    );
    assert_eq!(
        s.type_line("kubectl apply -f bad.yaml").stderr(),
        "Error from server (BadRequest): error when creating \"bad.yaml\": Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4\n"
    );
    // The type never changes; an immutable Secret keeps its data.
    let changed_type =
        s.type_line("kubectl patch secret db -n dev -p '{\"type\":\"kubernetes.io/basic-auth\"}'");
    assert_eq!(
        changed_type.stderr(),
        "The Secret \"db\" is invalid: type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable\n"
    );
    s.type_line("kubectl patch secret db -n dev -p '{\"immutable\":true}'");
    let changed_data =
        s.type_line("kubectl patch secret db -n dev -p '{\"stringData\":{\"password\":\"x\"}}'");
    assert_eq!(
        changed_data.stderr(),
        "The Secret \"db\" is invalid: data: Forbidden: field is immutable when `immutable` is set\n"
    );
    // A namespace takes its Secrets with it.
    s.type_line("kubectl delete namespace dev");
    s.type_line("sleep 30");
    s.type_line("kubectl create namespace dev");
    assert_eq!(s.type_line("kubectl get secret db -n dev").status, 1);
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: dev
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef: {name: db, key: password}
    envFrom:
    - secretRef: {name: db}
      prefix: DB_
    volumeMounts:
    - name: creds
      mountPath: /etc/creds
  volumes:
  - name: creds
    secret:
      secretName: db
";

fn app(s: &mut Session) {
    s.run_script(&format!("cat <<'EOF' > app.yaml\n{POD}EOF\n"), false);
    assert_eq!(
        s.type_line("kubectl apply -f app.yaml").stdout(),
        "pod/app created\n"
    );
}

/// A Secret volume is set up before the sandbox and the image: while the Secret is missing
/// the pod has no IP and no image is pulled, and FailedMount says why.
#[test]
fn a_missing_secret_volume_holds_the_pod_before_its_sandbox() {
    let mut s = common::three_node_lab(3);
    app(&mut s);
    s.type_line("sleep 20");
    let listed = s.type_line("kubectl get pod app -n dev -o wide").stdout();
    let row: Vec<&str> = listed
        .lines()
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(row[1..3], ["0/1", "ContainerCreating"], "{listed}");
    assert_eq!(row[5], "<none>", "no pod IP yet: {listed}");
    let events = s
        .type_line("kubectl get events -n dev --field-selector involvedObject.name=app -o custom-columns=REASON:.reason,MESSAGE:.message")
        .stdout();
    assert!(
        events.contains(
            "FailedMount   MountVolume.SetUp failed for volume \"creds\" : secret \"db\" not found"
        ),
        "{events}"
    );
    assert!(!events.contains("Pulling"), "{events}");
    let ready_to_start = "kubectl get pod app -n dev -o jsonpath='{.status.conditions[?(@.type==\"PodReadyToStartContainers\")].status}'";
    assert_eq!(s.type_line(ready_to_start).stdout(), "False");
    // Once it exists, the next retry mounts it and the pod starts.
    s.type_line("kubectl create secret generic db -n dev --from-literal=password=hunter2 --from-literal=user=admin");
    s.type_line("sleep 30");
    assert_eq!(s.type_line(ready_to_start).stdout(), "True");
    let listed = s.type_line("kubectl get pod app -n dev").stdout();
    assert!(listed.contains("1/1     Running"), "{listed}");
    let exec =
        |s: &mut Session, cmd: &str| s.type_line(&format!("kubectl exec -n dev app -- {cmd}"));
    assert_eq!(
        exec(&mut s, "printenv DB_PASSWORD DB_password DB_user").stdout(),
        "hunter2\nhunter2\nadmin\n"
    );
    assert_eq!(exec(&mut s, "cat /etc/creds/user").stdout(), "admin");
    assert_eq!(
        exec(&mut s, "sh -c 'echo x > /etc/creds/user'").stderr(),
        "sh: line 1: /etc/creds/user: Read-only file system\n"
    );
    let described = s.type_line("kubectl describe pod app -n dev").stdout();
    assert!(
        described.contains("  creds:\n    Type:        Secret (a volume populated by a Secret)\n    SecretName:  db\n    Optional:    false\n"),
        "{described}"
    );
    assert!(
        described.contains(
            "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false\n"
        ),
        "{described}"
    );
    // A change reaches the files at the kubelet's next sync, the variables never.
    s.type_line("kubectl patch secret db -n dev -p '{\"stringData\":{\"user\":\"root\"}}'");
    s.type_line("sleep 70");
    assert_eq!(exec(&mut s, "cat /etc/creds/user").stdout(), "root");
    assert_eq!(exec(&mut s, "printenv DB_user").stdout(), "admin\n");
}

#[test]
fn secret_variables_wait_for_their_secret_and_key() {
    let mut s = common::three_node_lab(3);
    s.type_line("kubectl create secret generic db -n dev --from-literal=user=admin");
    app(&mut s);
    s.type_line("sleep 20");
    let waiting =
        "kubectl get pod app -n dev -o jsonpath='{.status.containerStatuses[0].state.waiting}'";
    assert_eq!(
        s.type_line(waiting).stdout(),
        r#"{"message":"couldn't find key password in Secret dev/db","reason":"CreateContainerConfigError"}"#
    );
    s.type_line("kubectl delete secret db -n dev");
    s.type_line("kubectl create secret generic db -n dev --from-literal=password=p");
    s.type_line("sleep 20");
    let listed = s.type_line("kubectl get pod app -n dev").stdout();
    assert!(listed.contains("1/1     Running"), "{listed}");
    // A volume item naming a key the Secret lacks fails the mount in the secret plugin's words.
    s.run_script(
        &format!(
            "cat <<'EOF' > items.yaml\n{}      items:\n      - key: nope\n        path: nope.txt\nEOF\n",
            POD.replace("name: app", "name: items")
        ),
        false,
    );
    s.type_line("kubectl apply -f items.yaml");
    s.type_line("sleep 5");
    let events = s
        .type_line("kubectl get events -n dev --field-selector involvedObject.name=items,reason=FailedMount -o custom-columns=MESSAGE:.message")
        .stdout();
    assert!(
        events.contains("MountVolume.SetUp failed for volume \"creds\" : references non-existent secret key: nope"),
        "{events}"
    );
}

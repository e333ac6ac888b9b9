//! Downward API and projected volumes: the pod's own fields as files (labels as `key="value"`
//! lines that follow a relabel), and a Secret, a ConfigMap and pod fields in one directory,
//! described as kubectl describes them and validated with the API server's messages.

mod common;

use svclab_terminal::session::Session;

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: dev
  labels: {app: web, tier: frontend}
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - name: all
      mountPath: /etc/all
    - name: info
      mountPath: /etc/podinfo
  volumes:
  - name: all
    projected:
      sources:
      - secret:
          name: db
          items:
          - {key: password, path: db/password}
      - configMap:
          name: cfg
      - downwardAPI:
          items:
          - path: name
            fieldRef: {fieldPath: metadata.name}
  - name: info
    downwardAPI:
      items:
      - path: labels
        fieldRef: {fieldPath: metadata.labels}
      - path: tier
        fieldRef: {fieldPath: \"metadata.labels['tier']\"}
";

fn exec(s: &mut Session, cmd: &str) -> String {
    s.type_line(&format!("kubectl exec -n dev app -- {cmd}"))
        .stdout()
}

#[test]
fn a_projected_volume_joins_a_secret_a_config_map_and_pod_fields() {
    let mut s = common::three_node_lab(3);
    s.run_script(&format!("cat <<'EOF' > app.yaml\n{POD}EOF\n"), false);
    s.type_line("kubectl apply -f app.yaml");
    s.type_line("sleep 10");
    // Both objects are missing: the projected plugin reports every source's error at once.
    let events = s
        .type_line("kubectl get events -n dev --field-selector reason=FailedMount -o custom-columns=MESSAGE:.message")
        .stdout();
    assert!(
        events.contains("MountVolume.SetUp failed for volume \"all\" : [secret \"db\" not found, configmap \"cfg\" not found]"),
        "{events}"
    );
    s.type_line("kubectl create secret generic db -n dev --from-literal=password=hunter2");
    s.type_line("kubectl create configmap cfg -n dev --from-literal=level=debug");
    s.type_line("sleep 20");
    assert_eq!(
        exec(
            &mut s,
            "cat /etc/all/db/password /etc/all/level /etc/all/name"
        ),
        "hunter2debugapp"
    );
    assert_eq!(
        exec(&mut s, "cat /etc/podinfo/labels"),
        "app=\"web\"\ntier=\"frontend\""
    );
    assert_eq!(exec(&mut s, "cat /etc/podinfo/tier"), "frontend");
    // A relabel reaches the files at the kubelet's next sync.
    s.type_line("kubectl label pod app -n dev tier=backend --overwrite");
    s.type_line("sleep 70");
    assert_eq!(exec(&mut s, "cat /etc/podinfo/tier"), "backend");
    let described = s.type_line("kubectl describe pod app -n dev").stdout();
    assert!(
        described.contains("  all:\n    Type:                Projected (a volume that contains injected data from multiple sources)\n    SecretName:          db\n    SecretOptionalName:  <nil>\n    ConfigMapName:       cfg\n    ConfigMapOptional:   <nil>\n    DownwardAPI:         true\n  info:\n    Type:  DownwardAPI (a volume populated by information about the pod)\n    Items:\n      metadata.labels -> labels\n      metadata.labels['tier'] -> tier\n"),
        "{described}"
    );
    let defaulted = s
        .type_line("kubectl get pod app -n dev -o jsonpath='{.spec.volumes[1].downwardAPI.defaultMode} {.spec.volumes[1].downwardAPI.items[0].fieldRef.apiVersion}'")
        .stdout();
    assert_eq!(defaulted, "420 v1");
}

#[test]
fn downward_and_projected_volumes_are_validated() {
    let mut s = common::three_node_lab(3);
    s.run_script(
        "cat <<'EOF' > bad.yaml
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: web
    image: nginx
  volumes:
  - name: info
    downwardAPI:
      items:
      - path: ip
        fieldRef: {fieldPath: status.podIP}
      - path: ../x
  - name: p
    projected:
      sources:
      - secret: {name: a, items: [{key: k, path: same}]}
        configMap: {name: b}
      - configMap: {name: c, items: [{key: k, path: same}]}
EOF
",
        false,
    );
    assert_eq!(
        s.type_line("kubectl apply -f bad.yaml").stderr(),
        "The Pod \"bad\" is invalid: \n\
         * spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: \"status.podIP\": supported values: \"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\"\n\
         * spec.volumes[0].downwardAPI.items[1].path: Invalid value: \"../x\": must not contain '..'\n\
         * spec.volumes[0].downwardAPI.items[1].path: Invalid value: \"../x\": must not start with '..'\n\
         * spec.volumes[0].downwardAPI.items[1]: Required value: one of fieldRef and resourceFieldRef is required\n\
         * spec.volumes[1].projected.sources[0]: Forbidden: may not specify more than 1 volume type per source\n\
         * spec.volumes[1].projected: Invalid value: \"c\": conflicting duplicate paths\n"
    );
}

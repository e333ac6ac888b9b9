use super::*;
use crate::api::{IntOrString, Object};

/// manifests/nginx-replicaset.yaml of the seed article.
const ARTICLE_REPLICASET: &str = r#"apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: nginx-replicaset      # ReplicaSet の名前
  namespace: dev              # 作成する namespace
spec:
  replicas: 6                 # 作成する Pod の数
  selector:                   # 管理対象の Pod を選択するラベル
    matchLabels:
      app: nginx
  template:                   # Pod のテンプレート
    metadata:
      labels:
        app: nginx            # Pod に付与するラベル（selector と一致させる）
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        env:
        - name: NODE_NAME               # 環境変数 NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName  # Pod が動いている Node 名を取得
        - name: POD_NAME                # 環境変数 POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name  # Pod 自身の名前を取得
"#;

/// manifests/nginx-service-clusterip.yaml of the seed article.
const ARTICLE_CLUSTERIP: &str = r#"apiVersion: v1
kind: Service
metadata:
  labels:
    app: nginx-service
  name: nginx-service         # Service の名前
  namespace: dev
spec:
  ports:
    - name: http              # ポートの名前（任意）
      port: 80                # Service が LISTEN するポート番号
      protocol: TCP
      targetPort: 80          # Pod が LISTEN しているポート番号
  selector:
    app: nginx                # このラベルに一致する Pod にトラフィックを送る
  type: ClusterIP             # Service のタイプ
"#;

/// manifests/nginx-service-nodeport.yaml of the seed article.
const ARTICLE_NODEPORT: &str = r#"apiVersion: v1
kind: Service
metadata:
  labels:
    app: nginx-service
  name: nginx-service         # Service の名前
  namespace: dev
spec:
  ports:
    - name: http              # ポートの名前（任意）
      port: 80                # Service が LISTEN するポート番号
      protocol: TCP
      targetPort: 80          # Pod が LISTEN しているポート番号
      nodePort: 30000         # Node で LISTEN するポート（30000-32767）
  selector:
    app: nginx                # このラベルに一致する Pod にトラフィックを送る
  type: NodePort              # Service のタイプ
"#;

fn one(text: &str) -> DocumentResult {
    let mut r = decode_manifests("x.yaml", text);
    assert_eq!(r.len(), 1, "{r:?}");
    r.remove(0)
}

fn error_of(text: &str) -> ManifestError {
    match one(text) {
        Err(e) => e,
        Ok(d) => panic!("expected an error, got {d:?}"),
    }
}

fn doc_of(text: &str) -> DecodedDocument {
    match one(text) {
        Ok(d) => d,
        Err(e) => panic!("expected a document, got {e:?}"),
    }
}

/// The paths of a document's "not simulated" notes, in order.
fn not_simulated_paths(d: &DecodedDocument) -> Vec<&str> {
    d.notes
        .iter()
        .filter_map(|n| match n {
            Note::NotSimulated { path, .. } => Some(path.as_str()),
            Note::DuplicateKey { .. } => None,
        })
        .collect()
}

fn line_col(e: &ManifestError) -> (usize, usize) {
    e.location
        .as_ref()
        .map_or((0, 0), |l| (l.location.line, l.location.column))
}

#[test]
fn the_article_manifests_decode_without_notes() {
    let rs = doc_of(ARTICLE_REPLICASET);
    assert_eq!(rs.notes, vec![]);
    let Object::ReplicaSet(rs) = rs.object else {
        panic!("not a ReplicaSet")
    };
    assert_eq!(rs.metadata.name, "nginx-replicaset");
    assert_eq!(rs.metadata.namespace, "dev");
    assert_eq!(rs.spec.replicas, Some(6));
    let c = rs
        .spec
        .template
        .spec
        .containers
        .first()
        .cloned()
        .unwrap_or_default();
    assert_eq!(c.image, "nginx:latest");
    assert_eq!(c.env.len(), 2);
    assert_eq!(
        c.env
            .get(1)
            .and_then(|e| e.value_from.clone())
            .and_then(|v| v.field_ref)
            .map(|f| f.field_path),
        Some("metadata.name".to_owned())
    );

    for (text, node_port) in [(ARTICLE_CLUSTERIP, None), (ARTICLE_NODEPORT, Some(30000))] {
        let d = doc_of(text);
        assert_eq!(d.notes, vec![]);
        let Object::Service(svc) = d.object else {
            panic!("not a Service")
        };
        let p = svc.spec.ports.first().cloned().unwrap_or_default();
        assert_eq!(p.port, 80);
        assert_eq!(p.target_port, Some(IntOrString::Int(80)));
        assert_eq!(p.node_port, node_port);
        assert_eq!(p.name, "http");
    }

    // All three in one file, as a learner might paste them.
    let all = format!("{ARTICLE_REPLICASET}---\n{ARTICLE_CLUSTERIP}---\n{ARTICLE_NODEPORT}");
    let r = decode_manifests("all.yaml", &all);
    assert_eq!(r.len(), 3);
    assert!(r.iter().all(Result::is_ok));
    assert_eq!(
        r.iter()
            .filter_map(|d| d.as_ref().ok().map(|d| (d.index, d.start_line)))
            .collect::<Vec<_>>(),
        vec![(0, 1), (1, 29), (2, 46)]
    );
}

/// (name, manifest, kubectl's printed text, line, column, stops the stream)
type Case = (&'static str, &'static str, &'static str, usize, usize, bool);

#[test]
fn kubectl_error_messages() {
    let cases: &[Case] = &[
        (
            "mapping value in a plain scalar (scanner error: line is 1-based)",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80: 1\n",
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context",
            7,
            13,
            true,
        ),
        (
            "bad indentation (parser error: go-yaml v2 prints the 0-based line)",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n labels: {}\n",
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key",
            5,
            2,
            true,
        ),
        (
            "tab indentation",
            "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token",
            4,
            1,
            true,
        ),
        (
            "unknown anchor",
            "apiVersion: v1\nkind: Pod\nmetadata: *meta\n",
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: unknown anchor 'meta' referenced",
            3,
            11,
            true,
        ),
        (
            "NaN cannot be JSON",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  generation: .nan\n",
            "error: error parsing x.yaml: error converting YAML to JSON: json: unsupported value: NaN",
            4,
            15,
            true,
        ),
        (
            "explicit tag that does not fit",
            "apiVersion: v1\nkind: Pod\nspec:\n  priority: !!int high\n",
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: cannot decode !!str `high` as a !!int",
            4,
            13,
            true,
        ),
        (
            "apiVersion and kind missing",
            "metadata:\n  name: web\n",
            "error: error validating \"x.yaml\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false",
            1,
            1,
            true,
        ),
        (
            "kind missing",
            "apiVersion: v1\nmetadata:\n  name: web\n",
            "error: error validating \"x.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false",
            1,
            1,
            true,
        ),
        (
            "kind is a number",
            "apiVersion: v1\nkind: 5\n",
            "error: error validating \"x.yaml\": error validating data: kind isn't string type; if you choose to ignore these errors, turn validation off with --validate=false",
            2,
            1,
            true,
        ),
        (
            "apiVersion with two slashes",
            "apiVersion: apps/v1/x\nkind: Deployment\n",
            "error: error validating \"x.yaml\": error validating data: unexpected GroupVersion string: apps/v1/x; if you choose to ignore these errors, turn validation off with --validate=false",
            1,
            1,
            true,
        ),
        (
            "a list is not an object",
            "- a\n- b\n",
            "error: error validating \"x.yaml\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false",
            1,
            1,
            true,
        ),
        (
            "empty kind",
            "apiVersion: v1\nkind: \"\"\nmetadata:\n  name: a<b\n",
            "error: unable to decode \"x.yaml\": Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"kind\":\"\",\"metadata\":{\"name\":\"a\\u003cb\"}}'",
            2,
            1,
            false,
        ),
        (
            "old API version",
            "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: nginx\n",
            "error: resource mapping not found for name: \"nginx\" namespace: \"\" from \"x.yaml\": no matches for kind \"Deployment\" in version \"apps/v1beta2\"\nensure CRDs are installed first",
            1,
            1,
            false,
        ),
        (
            "kind spelled in lower case",
            "apiVersion: v1\nkind: service\nmetadata:\n  name: web\n  namespace: dev\n",
            "error: resource mapping not found for name: \"web\" namespace: \"dev\" from \"x.yaml\": no matches for kind \"service\" in version \"v1\"\nensure CRDs are installed first",
            1,
            1,
            false,
        ),
        (
            "unknown field",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  foo: 1\n  ports:\n  - port: 80\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.foo\"",
            6,
            3,
            false,
        ),
        (
            "unknown fields, nested, in Go's sorted order",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  lables: {app: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        imagePullPolcy: Always\n        ports:\n        - containerport: 80\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"metadata.lables\", unknown field \"spec.template.spec.containers[0].imagePullPolcy\", unknown field \"spec.template.spec.containers[0].ports[0].containerport\"",
            5,
            3,
            false,
        ),
        (
            "string for an int32",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: \"80\"\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32",
            7,
            11,
            false,
        ),
        (
            "a type error wins over unknown fields",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  foo: 1\n  ports:\n  - port: 80.5\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.port of type int32",
            8,
            11,
            false,
        ),
        (
            "yes is a bool to kubectl's YAML 1.1 reader",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    env:\n    - name: DEBUG\n      value: yes\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string",
            11,
            14,
            false,
        ),
        (
            "a named string type",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: 6\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal number into Go struct field ServicePort.spec.ports.protocol of type v1.Protocol",
            8,
            15,
            false,
        ),
        (
            "int-or-string given a bool",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    targetPort: true\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32",
            8,
            17,
            false,
        ),
        (
            "a list where an object is expected",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: nginx\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container",
            6,
            15,
            false,
        ),
        (
            "replicas as a fraction",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1.5\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
            6,
            13,
            false,
        ),
        (
            "a quantity that is not one",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    resources:\n      limits:\n        memory: 1Gb\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            10,
            17,
            false,
        ),
        (
            "labels must be strings",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n  labels:\n    tier: 1\n",
            "Error from server (BadRequest): error when creating \"x.yaml\": Namespace in version \"v1\" cannot be handled as a Namespace: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
            6,
            11,
            false,
        ),
    ];
    for (name, text, printed, line, column, stops) in cases {
        let e = error_of(text);
        assert_eq!(e.printed(), *printed, "{name}");
        assert_eq!(line_col(&e), (*line, *column), "{name}: {e:?}");
        assert_eq!(e.stops_stream, *stops, "{name}");
    }
}

#[test]
fn every_unknown_field_is_located() {
    let e = error_of(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  foo: 1\n  bar: 2\n",
    );
    let mut places: Vec<(String, usize)> = e
        .location
        .iter()
        .chain(e.related.iter())
        .map(|l| (l.path.clone(), l.location.line))
        .collect();
    places.sort();
    assert_eq!(
        places,
        vec![("spec.bar".to_owned(), 7), ("spec.foo".to_owned(), 6)]
    );
    assert!(e.message.ends_with(
        "strict decoding error: unknown field \"spec.bar\", unknown field \"spec.foo\""
    ));
}

#[test]
fn yaml_lines_count_from_the_document_but_locations_from_the_file() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web: x\n";
    let r = decode_manifests("x.yaml", text);
    assert_eq!(r.len(), 2);
    let e = r.get(1).and_then(|r| r.as_ref().err()).cloned();
    let e = e.unwrap_or_else(|| panic!("{r:?}"));
    assert_eq!(
        e.message,
        "error parsing x.yaml: error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context"
    );
    assert_eq!(line_col(&e), (9, 12));
    assert_eq!(e.location.map(|l| l.document), Some(1));
}

#[test]
fn a_bad_middle_document_does_not_stop_the_others() {
    let text = format!(
        "{ARTICLE_CLUSTERIP}---\napiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: old\n---\n{ARTICLE_REPLICASET}"
    );
    let r = decode_manifests("x.yaml", &text);
    assert_eq!(r.len(), 3);
    assert!(r.first().is_some_and(Result::is_ok));
    assert!(r.get(1).is_some_and(|e| e
        .as_ref()
        .is_err_and(|e| e.kind == ManifestErrorKind::NoKindMatch)));
    assert!(r.get(2).is_some_and(Result::is_ok));
    assert_eq!(kubectl_view(&r).len(), 3);
}

#[test]
fn a_syntax_error_stops_kubectl_but_not_the_editor() {
    let text = format!("{ARTICLE_CLUSTERIP}---\nkind: [\n---\n{ARTICLE_REPLICASET}");
    let r = decode_manifests("x.yaml", &text);
    assert_eq!(r.len(), 3);
    assert!(r.get(2).is_some_and(Result::is_ok));
    assert_eq!(kubectl_view(&r).len(), 2);
    assert_eq!(check_manifests("x.yaml", &text).len(), 1);

    let bad_sep = format!("{ARTICLE_CLUSTERIP}--- x\n{ARTICLE_REPLICASET}");
    let r = decode_manifests("x.yaml", &bad_sep);
    assert_eq!(r.len(), 1);
    let e = r.first().and_then(|r| r.as_ref().err()).cloned();
    assert_eq!(
        e.map(|e| e.printed()),
        Some("error: error parsing x.yaml: invalid Yaml document separator: x".to_owned())
    );
}

#[test]
fn empty_documents_are_skipped() {
    let r = decode_manifests("x.yaml", "---\n# nothing\n---\n\n---\nnull\n---\n");
    assert!(r.is_empty(), "{r:?}");
    assert!(decode_manifests("x.yaml", "").is_empty());
}

#[test]
fn fields_the_lab_ignores_are_noted() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        resources:\n          limits: {cpu: 500m}\n          claims: [{name: gpu}]\n        livenessProbe:\n          httpGet: {path: /, port: 80}\n      volumes:\n      - name: data\n        hostPath: {path: /data}\n      hostNetwork: false\n";
    let d = doc_of(text);
    let paths: Vec<(String, usize, usize)> = d
        .notes
        .iter()
        .filter_map(|n| match n {
            Note::NotSimulated { path, location } => Some((
                path.clone(),
                location.location.line,
                location.location.column,
            )),
            Note::DuplicateKey { .. } => None,
        })
        .collect();
    assert_eq!(
        paths,
        vec![
            (
                "spec.template.spec.containers[0].livenessProbe".to_owned(),
                18,
                9
            ),
            (
                "spec.template.spec.containers[0].resources.claims".to_owned(),
                17,
                11
            ),
            ("spec.template.spec.volumes[0].hostPath".to_owned(), 22, 9),
        ]
    );
}

#[test]
fn duplicate_keys_keep_the_last_value_and_are_noted() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    image: nginx:1.27\n";
    let d = doc_of(text);
    let Object::Pod(p) = &d.object else {
        panic!("not a Pod")
    };
    assert_eq!(
        p.spec.containers.first().map(|c| c.image.as_str()),
        Some("nginx:1.27")
    );
    assert_eq!(
        d.notes,
        vec![Note::DuplicateKey {
            path: "spec.containers[0].image".to_owned(),
            location: ManifestLocation {
                document: 0,
                location: crate::yaml::Location { line: 9, column: 5 },
                path: "spec.containers[0].image".to_owned(),
            },
            first: ManifestLocation {
                document: 0,
                location: crate::yaml::Location { line: 8, column: 5 },
                path: "spec.containers[0].image".to_owned(),
            },
        }]
    );
}

#[test]
fn go_zero_values_fill_fields_the_lab_requires() {
    // `port` is required by the lab's ServicePort but Go decodes a missing one as 0; the API
    // server's validation (not this decoder) refuses it.
    let d = doc_of(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: http\n",
    );
    let Object::Service(s) = d.object else {
        panic!("not a Service")
    };
    assert_eq!(s.spec.ports.first().map(|p| p.port), Some(0));
    assert_eq!(d.notes, vec![]);
}

#[test]
fn other_real_kinds_are_not_simulated() {
    let e = error_of("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: c\n");
    assert_eq!(e.kind, ManifestErrorKind::KindNotSimulated);
    assert!(!e.stops_stream);
}

#[test]
fn daemonsets_and_config_maps_decode_strictly() {
    let cm =
        doc_of("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  index.html: hi\n");
    let Object::ConfigMap(cm) = cm.object else {
        panic!("not a ConfigMap");
    };
    assert_eq!(cm.data.get("index.html").map(String::as_str), Some("hi"));
    let e = error_of("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndat:\n  a: b\n");
    assert!(e.message.contains("unknown field \"dat\""), "{}", e.message);
    let ds = doc_of("apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      affinity:\n        podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: x}]}\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: zone, operator: In, values: [a]}\n      containers:\n      - name: c\n        image: nginx\n");
    assert_eq!(
        not_simulated_paths(&ds),
        ["spec.template.spec.affinity.podAntiAffinity"]
    );
    let Object::DaemonSet(ds) = &ds.object else {
        panic!("not a DaemonSet");
    };
    let required = ds
        .spec
        .template
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.required());
    assert_eq!(required.map(|r| r.node_selector_terms.len()), Some(1));
}

#[test]
fn hostile_input_never_panics() {
    let deep_flow = format!("a: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let deep_block: String = (0..400)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    let huge = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n",
        "x".repeat(4_000_000)
    );
    let self_ref = "apiVersion: v1\nkind: Pod\nmetadata: &m\n  x: *m\n";
    let garbage: String = (0u32..3000)
        .map(|i| char::from_u32((i * 7919) % 0x2FF).unwrap_or('?'))
        .collect();
    let big_numbers = "apiVersion: v1\nkind: Service\nspec:\n  ports:\n  - port: 99999999999999999999999\n    nodePort: 18446744073709551615\n    targetPort: -9223372036854775809\n";
    for text in [
        deep_flow.as_str(),
        deep_block.as_str(),
        laughs,
        huge.as_str(),
        self_ref,
        garbage.as_str(),
        big_numbers,
        "\u{feff}apiVersion: v1\nkind: Namespace\n",
        "? [a]\n: b\n",
        "~: 1\n",
        "--- |\n  text\n",
        "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"j\"}}",
    ] {
        let r = decode_manifests("x.yaml", text);
        let _ = check_manifests("x.yaml", text);
        for d in &r {
            if let Err(e) = d {
                assert!(!e.message.is_empty());
            }
        }
    }
    let r = decode_manifests("x.yaml", laughs);
    assert!(
        matches!(r.first(), Some(Err(e)) if e.message.contains("excessive aliasing")
        || e.kind == ManifestErrorKind::Validation)
    );
}

#[test]
fn the_editor_fast_path_is_fast() {
    let all = format!("{ARTICLE_REPLICASET}---\n{ARTICLE_CLUSTERIP}---\n{ARTICLE_NODEPORT}");
    let start = std::time::Instant::now();
    let runs = 200u32;
    for _ in 0..runs {
        assert!(check_manifests("all.yaml", &all).is_empty());
    }
    let check = start.elapsed() / runs;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        assert_eq!(decode_manifests("all.yaml", &all).len(), 3);
    }
    let full = start.elapsed() / runs;
    eprintln!("article (3 manifests): check {check:?}, full decode {full:?} per run");
    // Well under a 16 ms frame even in a debug build.
    assert!(check.as_millis() < 16 && full.as_millis() < 16);
}

#[test]
fn a_byte_order_mark_is_invisible() {
    let d = doc_of("\u{feff}apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n");
    assert_eq!(d.object.meta().name, "dev");
}

#[test]
fn odd_keys_fail_as_go_yaml_does() {
    for (text, printed) in [
        (
            "? [a]\n: b\n",
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: invalid map key: []interface {}{\"a\"}",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: &m\n  x: *m\n",
            "error: error parsing x.yaml: error converting YAML to JSON: yaml: anchor 'm' value contains itself",
        ),
    ] {
        assert_eq!(error_of(text).printed(), printed);
    }
    let deep = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
    assert_eq!(
        error_of(&deep).printed(),
        "error: the lab reads documents nested at most 256 levels deep"
    );
}

#[test]
fn a_v1_list_is_flattened_into_its_items_with_their_errors() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: b\n    colour: red\nmetadata:\n  resourceVersion: \"\"\n";
    let results = decode_manifests("list.yaml", text);
    assert_eq!(results.len(), 2);
    match &results[0] {
        Ok(doc) => assert_eq!(doc.object.meta().name, "a"),
        Err(e) => panic!("{e:?}"),
    }
    let e = results[1]
        .as_ref()
        .expect_err("the second item has an unknown field");
    assert!(
        e.message.contains("unknown field \"metadata.colour\""),
        "{}",
        e.message
    );
    assert_eq!(line_col(e), (12, 5));
    // An empty List is nothing to apply.
    assert!(decode_manifests("l.yaml", "apiVersion: v1\nkind: List\nitems: []\n").is_empty());
}

#[test]
fn config_map_and_secret_env_are_simulated_and_resource_fields_noted() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    envFrom:\n    - configMapRef: {name: cfg}\n    - secretRef: {name: db}\n    env:\n    - name: A\n      valueFrom:\n        configMapKeyRef: {name: cfg, key: a}\n    - name: B\n      valueFrom:\n        secretKeyRef: {name: db, key: b}\n    - name: C\n      valueFrom:\n        resourceFieldRef: {resource: limits.cpu, divisor: 1m}\n";
    assert_eq!(
        not_simulated_paths(&doc_of(text)),
        ["spec.containers[0].env[2].valueFrom.resourceFieldRef"]
    );
}

#[test]
fn secrets_decode_base64_as_the_api_server_does() {
    let d = doc_of("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  user: YWRtaW4=\n  raw: [104, 105]\nstringData:\n  password: hunter2\n");
    assert!(not_simulated_paths(&d).is_empty(), "{:?}", d.notes);
    let Object::Secret(secret) = d.object else {
        panic!("not a Secret");
    };
    assert_eq!(secret.data.get("user"), Some(&b"admin".to_vec()));
    assert_eq!(secret.data.get("raw"), Some(&b"hi".to_vec()));
    assert_eq!(
        secret.string_data.get("password").map(String::as_str),
        Some("hunter2")
    );
    // Text that is not base64 is the decoder's saved error, without a field's context.
    for (value, printed, column) in [
        ("hunter2", "illegal base64 data at input byte 4", 13),
        ("'my password'", "illegal base64 data at input byte 2", 13),
        (
            "42",
            "json: cannot unmarshal number into Go struct field Secret.data of type []uint8",
            13,
        ),
        // An array's bad element is where the error points.
        (
            "[1, 300]",
            "json: cannot unmarshal number 300 into Go struct field Secret.data of type uint8",
            17,
        ),
    ] {
        let e = error_of(&format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {value}\n"
        ));
        assert_eq!(
            e.printed(),
            format!("Error from server (BadRequest): error when creating \"x.yaml\": Secret in version \"v1\" cannot be handled as a Secret: {printed}")
        );
        assert_eq!(line_col(&e), (6, column), "{value}");
    }
    // A ConfigMap's binaryData is decoded the same way.
    let e =
        error_of("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nbinaryData:\n  a: abc\n");
    assert!(
        e.message.ends_with("illegal base64 data at input byte 0"),
        "{}",
        e.message
    );
}

#[test]
fn null_fields_decode_as_absent_as_go_does() {
    // kubectl's generated YAML (`--dry-run=client -o yaml`) carries these nulls and empties.
    let d = doc_of("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels: {app: web}\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\nstatus: {}\n");
    assert!(not_simulated_paths(&d).is_empty(), "{:?}", d.notes);
    assert_eq!(d.object.meta().name, "web");
    assert!(d.object.meta().creation_timestamp.is_empty());
}

/// A manifest's own finalizers are not kept (nothing in the lab would remove them), so they
/// are reported; the storage protection finalizers come from admission, not from the file.
#[test]
fn a_manifests_finalizers_are_noted_as_not_simulated() {
    let d = doc_of("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers:\n  - example.com/hold\ndata:\n  a: b\n");
    assert_eq!(not_simulated_paths(&d), ["metadata.finalizers"]);
    let Object::ConfigMap(cm) = d.object else {
        panic!("not a ConfigMap");
    };
    assert!(cm.metadata.finalizers.is_empty());
}

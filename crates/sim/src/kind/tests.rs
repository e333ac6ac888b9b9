//! End-to-end tests of the kind module: YAML in, kind's messages, layout and status lines out.

use super::*;
use std::net::Ipv4Addr;

const HEAD: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n";

/// The article's `manifests/kind-config.yaml`, created with `--name service-demo`.
const ARTICLE_CONFIG: &str = "kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
  - role: worker
";

fn loc(line: usize, column: usize) -> Option<Location> {
    Some(Location { line, column })
}

fn create(yaml: Option<&str>, name: Option<&str>) -> Result<CreatePlan, CreateError> {
    plan_create(&CreateRequest {
        config_yaml: yaml,
        name_flag: name,
        ..CreateRequest::default()
    })
}

#[test]
fn load_errors_are_kinds_with_positions() {
    // (what, yaml, kind's message, position of the first problem)
    let cases: &[(&str, String, &str, Option<Location>)] = &[
        ("empty file", String::new(), "unknown apiVersion: ", None),
        ("no apiVersion", "kind: Cluster\n".into(), "unknown apiVersion: ", None),
        (
            "no kind",
            "apiVersion: kind.x-k8s.io/v1alpha4\n".into(),
            "unknown kind  for apiVersion: kind.x-k8s.io/v1alpha4",
            None,
        ),
        (
            "unknown kind",
            "kind: Foo\napiVersion: kind.x-k8s.io/v1alpha4\n".into(),
            "unknown kind Foo for apiVersion: kind.x-k8s.io/v1alpha4",
            loc(1, 7),
        ),
        (
            "dropped apiVersion",
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n".into(),
            "unknown apiVersion: kind.x-k8s.io/v1alpha3",
            loc(2, 13),
        ),
        (
            "not a mapping",
            "- a\n- b\n".into(),
            "could not determine kind / apiVersion for config: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into encoding.typeMeta",
            loc(1, 1),
        ),
        (
            "kind is a list",
            "kind: [Cluster]\n".into(),
            "could not determine kind / apiVersion for config: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into string",
            loc(1, 7),
        ),
        (
            "syntax error",
            format!("{HEAD}name: a\n  b: c\n"),
            "could not determine kind / apiVersion for config: yaml: line 4: mapping values are not allowed in this context",
            loc(4, 4),
        ),
        (
            "unclosed flow sequence",
            format!("{HEAD}nodes: [\n"),
            "could not determine kind / apiVersion for config: yaml: line 3: did not find expected node content",
            loc(4, 1),
        ),
        (
            "tab indentation",
            format!("{HEAD}\tname: x\n"),
            "could not determine kind / apiVersion for config: yaml: line 2: found a tab character that violates indentation",
            loc(3, 1),
        ),
        (
            "duplicate top-level key",
            format!("{HEAD}name: a\nname: b\n"),
            "could not determine kind / apiVersion for config: yaml: unmarshal errors:\n  line 4: mapping key \"name\" already defined at line 3",
            loc(4, 1),
        ),
        (
            "unknown anchor",
            format!("{HEAD}nodes:\n- *b\n"),
            "could not determine kind / apiVersion for config: yaml: unknown anchor 'b' referenced",
            loc(4, 3),
        ),
        (
            "unknown fields and bad types, all reported",
            format!(
                "{HEAD}nodes:\n  - role: control-plane\n    foo: bar\n  - role: worker\n    extraPortMappings:\n    - containerPort: abc\n      hostPort: 80\n"
            ),
            "unable to decode config: yaml: unmarshal errors:\n  line 5: field foo not found in type v1alpha4.Node\n  line 8: cannot unmarshal !!str `abc` into int32",
            loc(5, 5),
        ),
        (
            "unknown top-level field",
            format!("{HEAD}node:\n- role: worker\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 3: field node not found in type v1alpha4.Cluster",
            loc(3, 1),
        ),
        (
            "unknown networking field",
            format!("{HEAD}networking:\n  podCIDR: 10.0.0.0/16\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 4: field podCIDR not found in type v1alpha4.Networking",
            loc(4, 3),
        ),
        (
            "quoted bool, long int, scalar list",
            format!(
                "{HEAD}networking:\n  disableDefaultCNI: \"true\"\n  apiServerPort: 99999999999\n  dnsSearch: foo\n"
            ),
            "unable to decode config: yaml: unmarshal errors:\n  line 4: cannot unmarshal !!str `true` into bool\n  line 5: cannot unmarshal !!int `9999999...` into int32\n  line 6: cannot unmarshal !!str `foo` into []string",
            loc(4, 22),
        ),
        (
            "nodes as a mapping",
            format!("{HEAD}nodes:\n  role: worker\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 4: cannot unmarshal !!map into []v1alpha4.Node",
            loc(4, 3),
        ),
        (
            "labels as a list",
            format!("{HEAD}nodes:\n- labels: [a]\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 4: cannot unmarshal !!seq into map[string]string",
            loc(4, 11),
        ),
        (
            "role as a mapping",
            format!("{HEAD}nodes:\n- role: {{a: b}}\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 4: cannot unmarshal !!map into v1alpha4.NodeRole",
            loc(4, 9),
        ),
        (
            "duplicate key in a node",
            format!("{HEAD}nodes:\n- role: worker\n  role: worker\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 5: mapping key \"role\" already defined at line 4",
            loc(5, 3),
        ),
        (
            "bad explicit tag",
            format!("{HEAD}nodes:\n- role: !!int abc\n"),
            "unable to decode config: yaml: cannot decode !!str `abc` as a !!int",
            loc(4, 9),
        ),
        (
            "self-referencing anchor",
            format!("{HEAD}nodes: &n\n- *n\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!seq into v1alpha4.Node",
            loc(3, 8),
        ),
        (
            "feature gate not a bool",
            format!("{HEAD}featureGates:\n  Foo: maybe\n"),
            "unable to decode config: yaml: unmarshal errors:\n  line 4: cannot unmarshal !!str `maybe` into bool",
            loc(4, 8),
        ),
    ];
    for (what, yaml, want, want_loc) in cases {
        let err = parse_config(yaml).expect_err(what);
        assert_eq!(err.message, *want, "{what}");
        assert_eq!(
            err.problems.first().and_then(|p| p.location),
            *want_loc,
            "{what}"
        );
        let ce = create(Some(yaml), None).expect_err(what);
        assert_eq!(ce.kind, CreateErrorKind::Parse, "{what}");
        assert_eq!(
            ce.cli_message(),
            format!("ERROR: failed to create cluster: {want}"),
            "{what}"
        );
    }
}

#[test]
fn go_yaml_value_rules() {
    let yaml = format!(
        "{HEAD}name: 123
nodes:
- role: control-plane
  labels: {{tier: frontend, empty: ~, n: 1}}
  extraPortMappings:
  - containerPort: 30000
    hostPort: 8080.9
    listenAddress: 127.0.0.1
    protocol: TCP
- ~
- role: worker
networking:
  disableDefaultCNI: yes
  apiServerPort: 0x1A0B
  dnsSearch: []
kubeadmConfigPatches: [~, a]
"
    );
    let c = parse_config(&yaml).expect("valid").cluster;
    // A number is taken as its text for a string field.
    assert_eq!(c.name, "123");
    // A null list item is dropped (goyaml.v3 `sequence` keeps only items that decoded).
    assert_eq!(c.nodes.len(), 2);
    let n0 = &c.nodes[0];
    assert_eq!(n0.labels.get("tier").map(String::as_str), Some("frontend"));
    assert_eq!(n0.labels.get("empty").map(String::as_str), Some(""));
    assert_eq!(n0.labels.get("n").map(String::as_str), Some("1"));
    // Floats are truncated into int32.
    assert_eq!(n0.extra_port_mappings[0].host_port, 8080);
    assert_eq!(n0.extra_port_mappings[0].container_port, 30000);
    assert!(c.networking.disable_default_cni);
    assert_eq!(c.networking.api_server_port, 0x1A0B);
    assert_eq!(c.networking.dns_search, Some(Vec::new()));
    assert_eq!(c.kubeadm_config_patches, vec!["a".to_owned()]);
}

#[test]
fn anchors_and_merge_keys() {
    let yaml = format!(
        "{HEAD}nodes:
- role: control-plane
- &w
  role: worker
  labels: {{pool: a}}
- *w
- <<: *w
  labels: {{pool: b}}
"
    );
    let c = parse_config(&yaml).expect("valid").cluster;
    assert_eq!(c.nodes.len(), 4);
    assert_eq!(c.nodes[2], c.nodes[1]);
    assert_eq!(c.nodes[3].role, "worker");
    assert_eq!(c.nodes[3].labels.get("pool").map(String::as_str), Some("b"));
}

#[test]
fn source_map_positions() {
    let loaded = parse_config(ARTICLE_CONFIG).expect("valid");
    let sm = &loaded.source_map;
    assert_eq!(sm.key("nodes"), loc(3, 1));
    assert_eq!(sm.key("nodes[2]"), loc(6, 5));
    assert_eq!(sm.value("nodes[1].role"), loc(5, 11));
    assert_eq!(sm.get("name"), None);
}

#[test]
fn validation_errors_point_into_the_yaml() {
    let yaml = format!("{HEAD}name: Bad_Name\nnodes:\n- role: master\n");
    let e = create(Some(&yaml), None).expect_err("invalid");
    assert_eq!(e.kind, CreateErrorKind::Validation);
    assert_eq!(
        e.cli_message(),
        "ERROR: failed to create cluster: ['Bad_Name' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`, invalid configuration for node 0: \"master\" is not a valid node role, must have at least one control-plane node]"
    );
    let got: Vec<(&str, Option<Location>)> = e
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.location))
        .collect();
    assert_eq!(
        got,
        vec![
            ("name", loc(3, 7)),
            ("nodes[0].role", loc(5, 9)),
            ("nodes", loc(4, 1))
        ]
    );
    assert_eq!(
        e.problems[1].message,
        "invalid configuration for node 0: \"master\" is not a valid node role"
    );
}

#[test]
fn name_precedence() {
    let with_name = format!("{HEAD}name: from-config\n");
    let name = |req: CreateRequest<'_>| plan_create(&req).map(|p| p.config.name);
    let base = CreateRequest {
        config_yaml: Some(&with_name),
        ..CreateRequest::default()
    };
    assert_eq!(name(base).as_deref(), Ok("from-config"));
    assert_eq!(
        name(CreateRequest {
            name_flag: Some("flag"),
            ..base
        })
        .as_deref(),
        Ok("flag")
    );
    assert_eq!(
        name(CreateRequest {
            env_cluster_name: Some("env"),
            ..base
        })
        .as_deref(),
        Ok("env")
    );
    assert_eq!(
        name(CreateRequest {
            name_flag: Some("flag"),
            env_cluster_name: Some("env"),
            ..base
        })
        .as_deref(),
        Ok("flag")
    );
    // `--name ""` counts as given but overrides nothing.
    assert_eq!(
        name(CreateRequest {
            name_flag: Some(""),
            env_cluster_name: Some("env"),
            ..base
        })
        .as_deref(),
        Ok("from-config")
    );
    assert_eq!(name(CreateRequest::default()).as_deref(), Ok("kind"));
    // --name replaces a bad config name before validation.
    let bad = format!("{HEAD}name: Bad_Name\n");
    assert_eq!(
        create(Some(&bad), Some("ok"))
            .map(|p| p.config.name)
            .as_deref(),
        Ok("ok")
    );
    // A bad --name has no YAML position.
    let e = create(None, Some("Bad")).expect_err("bad name");
    assert_eq!(e.problems[0].location, None);
}

#[test]
fn already_exists_and_long_names() {
    let existing = vec!["kind".to_owned()];
    let e = plan_create(&CreateRequest {
        existing_clusters: &existing,
        ..CreateRequest::default()
    })
    .expect_err("exists");
    assert_eq!(
        e.cli_message(),
        "ERROR: failed to create cluster: node(s) already exist for a cluster with the name \"kind\""
    );
    let long = "a".repeat(51);
    let p = create(None, Some(&long)).expect("valid");
    assert_eq!(
        p.warnings,
        vec![format!(
            "cluster name \"{long}\" is probably too long, this might not work properly on some systems"
        )]
    );
}

#[test]
fn image_flag_replaces_every_image() {
    let p = plan_create(&CreateRequest {
        config_yaml: Some(ARTICLE_CONFIG),
        image_flag: Some("kindest/node:v1.32.5"),
        ..CreateRequest::default()
    })
    .expect("valid");
    assert!(p
        .config
        .nodes
        .iter()
        .all(|n| n.image == "kindest/node:v1.32.5"));
    assert!(p
        .layout
        .nodes
        .iter()
        .all(|n| n.kubernetes_version.as_deref() == Some("v1.32.5")));
}

#[test]
fn article_cluster_layout() {
    let p = create(Some(ARTICLE_CONFIG), Some("service-demo")).expect("valid");
    let l = &p.layout;
    assert_eq!(l.name, "service-demo");
    assert_eq!(l.kubeconfig_context, "kind-service-demo");
    assert_eq!(l.external_load_balancer, None);
    let got: Vec<(&str, NodeRole, Ipv4Addr, Vec<String>)> = l
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), n.role, n.ip, n.pod_cidrs.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "service-demo-control-plane",
                NodeRole::ControlPlane,
                Ipv4Addr::new(172, 18, 0, 2),
                vec!["10.244.0.0/24".to_owned()]
            ),
            (
                "service-demo-worker",
                NodeRole::Worker,
                Ipv4Addr::new(172, 18, 0, 3),
                vec!["10.244.1.0/24".to_owned()]
            ),
            (
                "service-demo-worker2",
                NodeRole::Worker,
                Ipv4Addr::new(172, 18, 0, 4),
                vec!["10.244.2.0/24".to_owned()]
            ),
        ]
    );
    let cp = &l.nodes[0];
    assert_eq!(
        cp.taints,
        vec![Taint {
            key: "node-role.kubernetes.io/control-plane".to_owned(),
            value: String::new(),
            effect: "NoSchedule".to_owned()
        }]
    );
    assert!(cp.labels.contains_key(CONTROL_PLANE_LABEL));
    assert!(cp.labels.contains_key(EXCLUDE_FROM_LB_LABEL));
    assert!(l.nodes[1].taints.is_empty());
    assert_eq!(
        l.nodes[1]
            .labels
            .get("kubernetes.io/hostname")
            .map(String::as_str),
        Some("service-demo-worker")
    );
    assert_eq!(cp.kubernetes_version.as_deref(), Some("v1.33.1"));
    assert_eq!(l.service_subnet, "10.96.0.0/16");
    assert_eq!(l.kube_proxy_mode, "iptables");
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[test]
fn single_node_cluster_is_untainted() {
    let p = create(None, None).expect("valid");
    let n = &p.layout.nodes[0];
    assert_eq!(n.name, "kind-control-plane");
    assert!(n.taints.is_empty());
    assert!(!n.labels.contains_key(EXCLUDE_FROM_LB_LABEL));
    assert!(n.labels.contains_key(CONTROL_PLANE_LABEL));
}

#[test]
fn ha_cluster_layout() {
    let yaml = format!(
        "{HEAD}nodes:\n- role: worker\n- role: control-plane\n- role: control-plane\n- role: worker\n"
    );
    let l = create(Some(&yaml), None).expect("valid").layout;
    let names: Vec<&str> = l.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "kind-worker",
            "kind-control-plane",
            "kind-control-plane2",
            "kind-worker2"
        ]
    );
    // Control planes register first, so they get the first pod CIDRs.
    let cidrs: Vec<&str> = l.nodes.iter().map(|n| n.pod_cidrs[0].as_str()).collect();
    assert_eq!(
        cidrs,
        [
            "10.244.2.0/24",
            "10.244.0.0/24",
            "10.244.1.0/24",
            "10.244.3.0/24"
        ]
    );
    let lb = l.external_load_balancer.expect("lb");
    assert_eq!(lb.name, "kind-external-load-balancer");
    assert_eq!(lb.ip, Ipv4Addr::new(172, 18, 0, 6));
}

#[test]
fn pod_cidr_allocation() {
    assert_eq!(pod_cidrs("10.244.0.0/16", 0), vec!["10.244.0.0/24"]);
    assert_eq!(pod_cidrs("10.244.0.0/16", 255), vec!["10.244.255.0/24"]);
    assert!(pod_cidrs("10.244.0.0/16", 256).is_empty());
    assert!(pod_cidrs("10.244.0.0/25", 0).is_empty());
    assert_eq!(
        pod_cidrs("10.244.0.0/16,fd00:10:244::/56", 1),
        vec!["10.244.1.0/24", "fd00:10:244:1::/64"]
    );
}

#[test]
fn article_status_lines() {
    let p = create(Some(ARTICLE_CONFIG), Some("service-demo")).expect("valid");
    let lines = p.status_lines(&StatusOptions {
        salutation_index: 1,
        ..StatusOptions::default()
    });
    let want = [
        "Creating cluster \"service-demo\" ...",
        " • Ensuring node image (kindest/node:v1.33.1) 🖼  ...",
        " ✓ Ensuring node image (kindest/node:v1.33.1) 🖼",
        " • Preparing nodes 📦 📦 📦   ...",
        " ✓ Preparing nodes 📦 📦 📦 ",
        " • Writing configuration 📜  ...",
        " ✓ Writing configuration 📜",
        " • Starting control-plane 🕹️  ...",
        " ✓ Starting control-plane 🕹️",
        " • Installing CNI 🔌  ...",
        " ✓ Installing CNI 🔌",
        " • Installing StorageClass 💾  ...",
        " ✓ Installing StorageClass 💾",
        " • Joining worker nodes 🚜  ...",
        " ✓ Joining worker nodes 🚜",
        "Set kubectl context to \"kind-service-demo\"",
        "You can now use your cluster with:",
        "",
        "kubectl cluster-info --context kind-service-demo",
        "",
        "Thanks for using kind! 😊",
    ];
    assert_eq!(lines, want);
}

#[test]
fn status_steps_follow_the_config() {
    let yaml = format!(
        "{HEAD}nodes:\n- role: control-plane\n- role: control-plane\n  image: kindest/node:v1.32.5\nnetworking:\n  disableDefaultCNI: true\n"
    );
    let p = create(Some(&yaml), None).expect("valid");
    let steps: Vec<String> = create_steps(&p.config, &StatusOptions::default())
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(
        steps,
        [
            "Ensuring node image (kindest/node:v1.32.5) 🖼",
            "Ensuring node image (kindest/node:v1.33.1) 🖼",
            "Preparing nodes 📦 📦 ",
            "Configuring the external load balancer ⚖️",
            "Writing configuration 📜",
            "Starting control-plane 🕹️",
            "Installing StorageClass 💾",
            "Joining more control-plane nodes 🎮",
        ]
    );
    let notes: Vec<&str> = p.notes.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(notes, ["nodes[1].image", "networking.disableDefaultCNI"]);
}

#[test]
fn wait_and_salutations() {
    let p = create(None, None).expect("valid");
    let lines = p.status_lines(&StatusOptions {
        wait_seconds: 300,
        ready_after_seconds: 17,
        salutation_index: 4,
    });
    assert!(lines.contains(&" • Waiting ≤ 5m0s for control-plane = Ready ⏳  ...".to_owned()));
    assert!(lines.contains(&" ✓ Waiting ≤ 5m0s for control-plane = Ready ⏳".to_owned()));
    assert!(lines.contains(&" • Ready after 17s 💚".to_owned()));
    assert_eq!(
        lines.last().map(String::as_str),
        Some("Have a nice day! 👋")
    );
    assert_eq!(go_duration(0), "0s");
    assert_eq!(go_duration(3600), "1h0m0s");
    assert_eq!(salutation(2), SALUTATIONS[2]);
}

#[test]
fn notes_for_unsimulated_fields() {
    let yaml = format!(
        "{HEAD}featureGates:
  Foo: true
runtimeConfig:
  api/all: \"true\"
kubeadmConfigPatches:
- |
  kind: ClusterConfiguration
containerdConfigPatches:
- x
containerdConfigPatchesJSON6902:
- y
kubeadmConfigPatchesJSON6902:
- {{group: kubeadm.k8s.io, version: v1beta3, kind: ClusterConfiguration, patch: p}}
networking:
  ipFamily: dual
  kubeProxyMode: ipvs
  apiServerAddress: 0.0.0.0
  apiServerPort: 6443
  dnsSearch: [example.com]
nodes:
- role: control-plane
  labels: {{ingress-ready: \"true\"}}
  extraMounts:
  - {{hostPath: /tmp, containerPath: /data, readOnly: true, selinuxRelabel: false, propagation: None}}
  extraPortMappings:
  - {{containerPort: 30000, hostPort: 30000}}
  kubeadmConfigPatches: [a]
  kubeadmConfigPatchesJSON6902: [{{kind: InitConfiguration, patch: p}}]
"
    );
    let p = create(Some(&yaml), None).expect("valid");
    let got: Vec<(&str, Support)> = p
        .notes
        .iter()
        .map(|n| (n.path.as_str(), n.support))
        .collect();
    assert_eq!(
        got,
        vec![
            ("nodes[0].extraMounts", Support::Ignored),
            ("nodes[0].extraPortMappings", Support::Partial),
            ("nodes[0].kubeadmConfigPatches", Support::Ignored),
            ("nodes[0].kubeadmConfigPatchesJSON6902", Support::Ignored),
            ("networking.ipFamily", Support::Partial),
            ("networking.apiServerAddress", Support::Partial),
            ("networking.apiServerPort", Support::Partial),
            ("networking.kubeProxyMode", Support::Ignored),
            ("networking.dnsSearch", Support::Ignored),
            ("featureGates", Support::Ignored),
            ("runtimeConfig", Support::Ignored),
            ("kubeadmConfigPatches", Support::Ignored),
            ("kubeadmConfigPatchesJSON6902", Support::Ignored),
            ("containerdConfigPatches", Support::Ignored),
            ("containerdConfigPatchesJSON6902", Support::Ignored),
        ]
    );
    assert!(
        p.notes.iter().all(|n| n.location.is_some()),
        "{:?}",
        p.notes
    );
    assert_eq!(p.notes[0].location, loc(25, 3));
    // Labels are simulated: they are on the Node, without a note.
    assert_eq!(
        p.layout.nodes[0]
            .labels
            .get("ingress-ready")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(p.layout.nodes[0].port_mappings[0].container_port, 30000);
    assert_eq!(p.config.nodes[0].extra_mounts[0].host_path, "/tmp");
    assert!(p.config.nodes[0].extra_mounts[0].read_only);
}

#[test]
fn hostile_input_never_panics() {
    let deep_flow = "[".repeat(20_000);
    let deep_block: String = (0..300).map(|i| format!("{}- \n", " ".repeat(i))).collect();
    let laughs = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
    let inputs = [
        deep_flow,
        deep_block,
        format!("{HEAD}{laughs}"),
        format!("{HEAD}nodes: *x\n"),
        "\u{feff}kind: Cluster".to_owned(),
        "kind: \"\\xff\\u0000\"\n".to_owned(),
        "%YAML 1.1\n---\nkind: Cluster\n".to_owned(),
        "---\n---\n".to_owned(),
        "? [a]\n: b\n".to_owned(),
        format!("{HEAD}<<: 5\n"),
        format!("{HEAD}name: !!binary \"@@\"\n"),
        format!("{HEAD}nodes:\n- extraPortMappings:\n  - hostPort: .nan\n  - hostPort: -.inf\n"),
        "\x00\x01".to_owned(),
    ];
    for input in inputs {
        let _ = plan_create(&CreateRequest {
            config_yaml: Some(&input),
            ..CreateRequest::default()
        });
    }
    let deep = "[".repeat(20_000);
    let e = parse_config(&deep).expect_err("too deep");
    assert!(
        e.message.contains("exceeded max depth of 10000"),
        "{}",
        e.message
    );
}

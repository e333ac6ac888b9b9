//! The engine as the page drives it: start a lab, type the article's commands, send traffic,
//! check files, and rebuild the same lab from its journal after a "reload".

use svclab_engine::Engine;
use svclab_protocol::{FileEntry, LabView, Reply, Request, Seeded};

const ARTICLE: [(&str, &str); 3] = [
    (
        "manifests/kind-config.yaml",
        include_str!("../../../content/article/manifests/kind-config.yaml"),
    ),
    (
        "manifests/nginx-replicaset.yaml",
        include_str!("../../../content/article/manifests/nginx-replicaset.yaml"),
    ),
    (
        "manifests/nginx-service-nodeport.yaml",
        include_str!("../../../content/article/manifests/nginx-service-nodeport.yaml"),
    ),
];

fn seeded(seed: u64, journal: Vec<Request>) -> Seeded {
    Seeded {
        seed,
        files: ARTICLE
            .iter()
            .map(|(path, text)| FileEntry {
                path: (*path).into(),
                text: (*text).into(),
            })
            .collect(),
        journal,
    }
}

fn article_journal() -> Vec<Request> {
    [
        "kind create cluster --name service-demo --config=./manifests/kind-config.yaml",
        "kubectl create namespace dev",
        "kubectl apply -f ./manifests/nginx-replicaset.yaml",
        "kubectl apply -f ./manifests/nginx-service-nodeport.yaml",
        "kubectl get pods -n dev",
    ]
    .into_iter()
    .map(|l| Request::Line(l.into()))
    .collect()
}

fn last_view(replies: &[Reply]) -> LabView {
    replies
        .iter()
        .rev()
        .find_map(|r| match r {
            Reply::View(v) => Some(v.clone()),
            _ => None,
        })
        .expect("a View reply")
}

fn output_text(replies: &[Reply]) -> String {
    replies
        .iter()
        .filter_map(|r| match r {
            Reply::Output { chunks, .. } => {
                Some(chunks.iter().map(|c| c.text.as_str()).collect::<String>())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_article_typed_line_by_line_shows_its_pods_and_service_on_the_map() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, Vec::new())));
    let mut replies = Vec::new();
    for request in article_journal() {
        replies = engine.handle(request);
    }
    assert!(output_text(&replies).contains("nginx-replicaset-"));
    let view = last_view(&replies);
    let cluster = view.cluster.expect("the current cluster");
    assert_eq!(cluster.name, "service-demo");
    let names: Vec<&str> = cluster.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "service-demo-control-plane",
            "service-demo-worker",
            "service-demo-worker2"
        ]
    );
    assert!(
        cluster.nodes[0].pods.is_empty(),
        "the control plane keeps its taint"
    );
    assert_eq!(
        cluster.nodes[0].taints,
        ["node-role.kubernetes.io/control-plane:NoSchedule"]
    );
    let pods: usize = cluster.nodes.iter().map(|n| n.pods.len()).sum();
    assert_eq!(pods, 6);
    assert!(cluster
        .nodes
        .iter()
        .flat_map(|n| &n.pods)
        .all(|p| p.ready && p.status == "Running" && p.owner == "ReplicaSet/nginx-replicaset"));
    let svc = &cluster.services[0];
    assert_eq!(
        (svc.name.as_str(), svc.kind.as_str()),
        ("nginx-service", "NodePort")
    );
    assert_eq!(svc.ports[0].node_port, 30000);
    assert_eq!(svc.endpoints.len(), 6);
    assert_eq!(svc.problem, None);
}

#[test]
fn traffic_to_a_node_port_is_counted_per_pod_with_the_rules_shares() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, article_journal())));
    let replies = engine.handle(Request::Traffic {
        from: "host".into(),
        to: "172.18.0.3:30000".into(),
        count: 600,
    });
    let Some(Reply::Traffic(report)) = replies.first() else {
        panic!("a Traffic reply first: {replies:?}");
    };
    assert_eq!(report.error, None);
    assert_eq!(report.sent, 600);
    assert_eq!(report.per_pod.iter().map(|(_, n)| n).sum::<u64>(), 600);
    assert_eq!(report.per_pod.len(), 6);
    assert_eq!(report.expected.len(), 6);
    for (pod, share) in &report.expected {
        assert!(pod.starts_with("dev/nginx-replicaset-"), "{pod}");
        assert!((share - 1.0 / 6.0).abs() < 1e-4, "{pod}: {share}");
    }
    let bad = engine.handle(Request::Traffic {
        from: "host".into(),
        to: "nowhere".into(),
        count: 1,
    });
    assert!(matches!(&bad[0], Reply::Traffic(r) if r.error.is_some() && r.sent == 0));
}

#[test]
fn a_journal_replayed_on_start_rebuilds_the_same_lab_and_its_transcript() {
    let mut first = Engine::default();
    first.handle(Request::Start(seeded(7, Vec::new())));
    let mut journal = article_journal();
    journal.push(Request::PutFile(FileEntry {
        path: "manifests/extra.yaml".into(),
        text: "# notes\n".into(),
    }));
    journal.push(Request::Traffic {
        from: "host".into(),
        to: "172.18.0.4:30000".into(),
        count: 10,
    });
    let mut live = Vec::new();
    for request in journal.clone() {
        live = first.handle(request);
    }
    let live_view = last_view(&live);

    let mut reloaded = Engine::default();
    let replies = reloaded.handle(Request::Start(seeded(7, journal.clone())));
    assert!(matches!(
        replies[0],
        Reply::Ready {
            seed: 7,
            replayed: 7,
            ..
        }
    ));
    assert_eq!(last_view(&replies), live_view);
    let transcript = output_text(&replies);
    assert!(transcript.contains("$ kubectl create namespace dev\nnamespace/dev created\n"));
    assert!(replies.iter().any(|r| matches!(r, Reply::Files(files)
        if files.iter().any(|f| f.path == "manifests/extra.yaml" && f.text == "# notes\n"))));
}

#[test]
fn files_are_checked_by_the_tool_that_reads_them() {
    let mut engine = Engine::default();
    let check = |engine: &mut Engine, path: &str, text: &str| match engine
        .handle(Request::Check(FileEntry {
            path: path.into(),
            text: text.into(),
        }))
        .remove(0)
    {
        Reply::Diagnostics { items, .. } => items,
        other => panic!("{other:?}"),
    };
    let broken = check(
        &mut engine,
        "manifests/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: 80\n    nodPort: 30000\n",
    );
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!((broken[0].line, broken[0].note), (8, false));
    assert!(broken[0]
        .message
        .contains("unknown field \"spec.ports[0].nodPort\""));
    let kind = check(
        &mut engine,
        "manifests/kind-config.yaml",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: boss\n",
    );
    assert_eq!(kind.len(), 2, "{kind:?}");
    assert_eq!((kind[0].line, kind[0].column), (4, 9));
    assert!(kind[0]
        .message
        .contains("\"boss\" is not a valid node role"));
    let one = check(
        &mut engine,
        "manifests/kind-config.yaml",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  - role: worker\n",
    );
    assert_eq!(one.len(), 1, "{one:?}");
    assert_eq!(one[0].line, 5);
    assert!(one[0]
        .message
        .starts_with("ERROR: failed to create cluster: "));
    assert!(check(&mut engine, ARTICLE[2].0, ARTICLE[2].1).is_empty());
}

#[test]
fn a_command_writing_a_file_sends_the_new_files() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, Vec::new())));
    let replies = engine.handle(Request::Line("echo hello > notes.txt".into()));
    assert!(replies.iter().any(|r| matches!(r, Reply::Files(files)
        if files.iter().any(|f| f.path == "notes.txt" && f.text == "hello\n"))));
    let quiet = engine.handle(Request::Line("echo hello".into()));
    assert!(!quiet.iter().any(|r| matches!(r, Reply::Files(_))));
}

#[test]
fn a_load_balancer_gets_its_ip_and_traffic_to_it_reaches_the_pods() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, article_journal())));
    for line in [
        "kubectl expose replicaset nginx-replicaset -n dev --name=nginx-lb --type=LoadBalancer --port=80",
        "sleep 15",
    ] {
        engine.handle(Request::Line(line.into()));
    }
    let replies = engine.handle(Request::Line("kubectl get svc -n dev".into()));
    let view = last_view(&replies);
    let lb = view
        .cluster
        .expect("cluster")
        .services
        .into_iter()
        .find(|s| s.name == "nginx-lb")
        .expect("the LoadBalancer Service");
    assert_eq!(lb.kind, "LoadBalancer");
    assert!(
        lb.external_ip.starts_with("172.18.0."),
        "{}",
        lb.external_ip
    );
    let replies = engine.handle(Request::Traffic {
        from: "host".into(),
        to: format!("{}:80", lb.external_ip),
        count: 60,
    });
    let Some(Reply::Traffic(report)) = replies.first() else {
        panic!("{replies:?}");
    };
    assert_eq!(report.error, None);
    assert_eq!(
        report.per_pod.iter().map(|(_, n)| n).sum::<u64>(),
        60,
        "{report:?}"
    );
}

#[test]
fn a_trace_through_a_load_balancer_starts_at_the_balancer() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, article_journal())));
    engine.handle(Request::Line(
        "kubectl expose replicaset nginx-replicaset -n dev --name=nginx-lb --type=LoadBalancer --port=80".into(),
    ));
    engine.handle(Request::Line("sleep 15".into()));
    let view = last_view(&engine.handle(Request::Line("true".into())));
    let ip = view.cluster.expect("cluster").services[0]
        .external_ip
        .clone();
    let replies = engine.handle(Request::Trace {
        from: "host".into(),
        to: format!("{ip}:80"),
    });
    let Some(Reply::Trace(trace)) = replies.first() else {
        panic!("{replies:?}");
    };
    assert!(
        trace
            .ending
            .starts_with("answered by dev/nginx-replicaset-"),
        "{trace:?}"
    );
    assert!(trace
        .hops
        .iter()
        .any(|h| h.rules.iter().any(|r| r.chain == "KUBE-NODEPORTS")));
}

#[test]
fn the_hand_made_alb_spreads_over_the_workers_and_routes_around_a_stopped_one() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, article_journal())));
    let send = |engine: &mut Engine| match engine
        .handle(Request::Traffic {
            from: "alb".into(),
            to: "172.18.0.3:30000".into(),
            count: 100,
        })
        .remove(0)
    {
        Reply::Traffic(report) => report,
        other => panic!("{other:?}"),
    };
    let both = send(&mut engine);
    assert_eq!(
        both.entered,
        vec![
            ("service-demo-worker".to_string(), 50),
            ("service-demo-worker2".to_string(), 50)
        ]
    );
    assert_eq!(both.per_pod.iter().map(|(_, n)| n).sum::<u64>(), 100);
    engine.handle(Request::Line("docker stop service-demo-worker".into()));
    let one = send(&mut engine);
    assert_eq!(one.entered, vec![("service-demo-worker2".to_string(), 100)]);
    // Right after the stop, kube-proxy on worker2 still lists the stopped node's pods (the node
    // is NotReady only after 50 s): those requests are lost, as on a real cluster.
    assert_eq!(one.sent, 100);
    engine.handle(Request::Line("sleep 60".into()));
    let later = send(&mut engine);
    assert_eq!(
        later.per_pod.iter().map(|(_, n)| n).sum::<u64>(),
        100,
        "{later:?}"
    );
    assert!(later
        .per_node
        .iter()
        .all(|(node, _)| node == "service-demo-worker2"));
}

#[test]
fn a_local_policy_expects_the_entry_nodes_own_pods_only() {
    let mut journal = article_journal();
    journal.push(Request::Line(
        "kubectl patch svc nginx-service -n dev -p '{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}'".into(),
    ));
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, journal)));
    let mut send = |from: &str, to: &str| match engine
        .handle(Request::Traffic {
            from: from.into(),
            to: to.into(),
            count: 300,
        })
        .remove(0)
    {
        Reply::Traffic(report) => report,
        other => panic!("{other:?}"),
    };
    // From outside, a worker's node port reaches only its own three pods (KUBE-SVL), each a
    // third, and they take every request.
    let outside = send("host", "172.18.0.3:30000");
    assert_eq!(outside.expected.len(), 3, "{outside:?}");
    assert!(outside
        .expected
        .iter()
        .all(|(_, s)| (s - 1.0 / 3.0).abs() < 1e-4));
    let expected: Vec<&String> = outside.expected.iter().map(|(p, _)| p).collect();
    assert!(outside
        .per_pod
        .iter()
        .all(|(pod, n)| *n == 0 || expected.contains(&pod)));
    // From the node itself, KUBE-EXT sends it to KUBE-SVC: all six pods.
    let inside = send("node service-demo-worker", "172.18.0.3:30000");
    assert_eq!(inside.expected.len(), 6, "{inside:?}");
}

#[test]
fn a_service_name_resolves_from_a_pod_but_not_from_the_host() {
    let mut journal = article_journal();
    journal.push(Request::Line(
        "kubectl run client --image=curlimages/curl -n dev -- sleep 3600".into(),
    ));
    journal.push(Request::Line("true".into()));
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, journal)));
    let send = |engine: &mut Engine, from: &str, to: &str| match engine
        .handle(Request::Traffic {
            from: from.into(),
            to: to.into(),
            count: 30,
        })
        .remove(0)
    {
        Reply::Traffic(report) => report,
        other => panic!("{other:?}"),
    };
    let from_pod = send(&mut engine, "pod dev/client", "nginx-service:80");
    assert_eq!(from_pod.error, None);
    assert_eq!(from_pod.per_pod.iter().map(|(_, n)| n).sum::<u64>(), 30);
    assert_eq!(from_pod.expected.len(), 6, "{from_pod:?}");
    let from_host = send(&mut engine, "host", "nginx-service.dev:80");
    assert_eq!(
        from_host.error.as_deref(),
        Some("curl: (6) Could not resolve host: nginx-service.dev")
    );
    assert_eq!(from_host.sent, 0);
}

#[test]
fn a_small_batch_carries_each_requests_own_trace_and_a_large_one_does_not() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, article_journal())));
    let send = |engine: &mut Engine, count: u32| match engine
        .handle(Request::Traffic {
            from: "host".into(),
            to: "172.18.0.3:30000".into(),
            count,
        })
        .remove(0)
    {
        Reply::Traffic(report) => report,
        other => panic!("{other:?}"),
    };
    let small = send(&mut engine, 40);
    assert_eq!(small.traces.len(), 40);
    for (pod, n) in &small.per_pod {
        let traced = small
            .traces
            .iter()
            .filter(|t| t.served.as_ref().map(|(p, _)| p) == Some(pod))
            .count() as u64;
        assert_eq!(traced, *n, "{pod}");
    }
    let first = &small.traces[0];
    assert_eq!(first.entered.as_deref(), Some("service-demo-worker"));
    assert!(first
        .hops
        .iter()
        .any(|h| h.rules.iter().any(|r| r.chain.starts_with("KUBE-SEP-"))));
    let large = send(&mut engine, 1000);
    assert!(large.traces.is_empty());
    assert_eq!(large.per_pod.iter().map(|(_, n)| n).sum::<u64>(), 1000);
}

fn editing_of(replies: &[Reply]) -> Option<svclab_protocol::Editing> {
    replies.iter().find_map(|r| match r {
        Reply::Output { editing, .. } => Some(editing.clone()),
        _ => None,
    })?
}

#[test]
fn kubectl_edit_opens_the_editor_and_a_save_is_journaled_and_replayed() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(4, Vec::new())));
    let mut journal = article_journal();
    for request in journal.clone() {
        engine.handle(request);
    }
    let edit = Request::Line("kubectl edit svc nginx-service -n dev".into());
    let opened = engine.handle(edit.clone());
    let editing = editing_of(&opened).expect("the editor opens");
    assert!(editing.text.contains("nodePort: 30000"));
    let saved = Request::FinishEdit(Some(
        editing.text.replace("nodePort: 30000", "nodePort: 30080"),
    ));
    let replies = engine.handle(saved.clone());
    assert_eq!(output_text(&replies), "service/nginx-service edited\n");
    assert_eq!(editing_of(&replies), None);
    let port = |view: &LabView| {
        view.cluster
            .as_ref()
            .and_then(|c| c.services.iter().find(|s| s.name == "nginx-service"))
            .map(|s| s.ports.clone())
    };
    let live = port(&last_view(&replies));
    assert!(format!("{live:?}").contains("30080"), "{live:?}");

    // A reload replays the edit: same Service, and no editor left open.
    journal.push(edit.clone());
    journal.push(saved);
    let mut reloaded = Engine::default();
    let replies = reloaded.handle(Request::Start(seeded(4, journal.clone())));
    assert_eq!(port(&last_view(&replies)), live);
    assert_eq!(editing_of(&replies), None);

    // A reload while the editor was open opens it again.
    journal.push(edit);
    let replies = Engine::default().handle(Request::Start(seeded(4, journal)));
    assert!(editing_of(&replies).is_some());
}

#[test]
fn a_service_port_names_the_kube_svc_chain_the_nodes_list() {
    let mut engine = Engine::default();
    engine.handle(Request::Start(seeded(1, article_journal())));
    let replies = engine.handle(Request::Line(
        "docker exec service-demo-worker iptables -t nat -S KUBE-SERVICES".into(),
    ));
    let listing = output_text(&replies);
    let view = last_view(&replies);
    let port = view
        .cluster
        .as_ref()
        .and_then(|c| c.services.iter().find(|s| s.name == "nginx-service"))
        .and_then(|s| s.ports.first().cloned())
        .expect("the article's Service port");
    assert!(port.svc_chain.starts_with("KUBE-SVC-") && port.svc_chain.len() == 25);
    let rule = listing
        .lines()
        .find(|l| l.contains("dev/nginx-service:http cluster IP"))
        .expect("the Service's rule in KUBE-SERVICES");
    assert!(rule.ends_with(&format!("-j {}", port.svc_chain)), "{rule}");
}

/// A headless Service's pods are offered by their own DNS names, and traffic to one goes
/// straight to that pod: no KUBE-SVC chain, so no expected shares either.
#[test]
fn a_stateful_pods_own_name_reaches_that_pod_alone() {
    let mut journal = vec![Request::Line(
        "kind create cluster --name service-demo --config=./manifests/kind-config.yaml".into(),
    )];
    for line in [
        "cat <<EOF | kubectl apply -f -",
        "apiVersion: v1",
        "kind: Service",
        "metadata: {name: nginx}",
        "spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}",
        "---",
        "apiVersion: apps/v1",
        "kind: StatefulSet",
        "metadata: {name: web}",
        "spec:",
        "  serviceName: nginx",
        "  replicas: 2",
        "  selector: {matchLabels: {app: web}}",
        "  template:",
        "    metadata: {labels: {app: web}}",
        "    spec: {containers: [{name: nginx, image: nginx}]}",
        "EOF",
        "kubectl rollout status sts/web",
    ] {
        journal.push(Request::Line(line.into()));
    }
    let mut engine = Engine::default();
    let replies = engine.handle(Request::Start(seeded(1, journal)));
    let view = last_view(&replies);
    let cluster = view.cluster.expect("a cluster");
    let nginx = cluster
        .services
        .iter()
        .find(|s| s.name == "nginx")
        .expect("the Service");
    assert_eq!(nginx.cluster_ip, "None");
    assert_eq!(nginx.hostnames, ["web-0", "web-1"]);
    let report = match engine
        .handle(Request::Traffic {
            from: "pod default/web-1".into(),
            to: "web-0.nginx.default:80".into(),
            count: 20,
        })
        .remove(0)
    {
        Reply::Traffic(report) => report,
        other => panic!("{other:?}"),
    };
    assert_eq!(report.error, None);
    assert_eq!(report.per_pod, [("default/web-0".to_string(), 20)]);
    assert!(report.expected.is_empty(), "{report:?}");
}

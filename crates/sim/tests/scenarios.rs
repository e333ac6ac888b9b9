//! Behaviour a learner drives: LoadBalancer provisioning, traffic policies, affinity,
//! selectorless Services, rolling updates, DNS, and a hand-made ALB in front of node ports.

mod common;

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use svclab_sim::api::{Deployment, EndpointSlice, Pod, ReplicaSet, Service};
use svclab_sim::cluster::Cluster;
use svclab_sim::network::dns::{resolve, Answer};
use svclab_sim::network::nginx::Request;
use svclab_sim::network::send::{send, Ending, Source};

fn get() -> Request {
    Request {
        method: "GET".into(),
        path: "/".into(),
        host: "nginx-service".into(),
        user_agent: "curl/8.9.1".into(),
    }
}

fn service(cluster: &Cluster, name: &str) -> Service {
    cluster
        .store
        .get::<Service>("dev", name)
        .cloned()
        .expect("service")
}

const LB: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-lb\n  namespace: dev\nspec:\n  type: LoadBalancer\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n    targetPort: 80\n";

#[test]
fn a_load_balancer_is_pending_then_gets_an_ip_on_the_kind_network() {
    let mut lab = common::lab(2);
    common::apply(&mut lab, LB);
    let cluster = lab.cluster("service-demo").expect("cluster");
    assert!(
        service(cluster, "web-lb")
            .status
            .load_balancer
            .ingress
            .is_empty(),
        "<pending> at first"
    );
    lab.advance_ms(svclab_sim::cluster::timing::LOAD_BALANCER_MS + 1_000);
    let cluster = lab.cluster("service-demo").expect("cluster");
    let svc = service(cluster, "web-lb");
    let ip: Ipv4Addr = svc.status.load_balancer.ingress[0]
        .ip
        .parse()
        .expect("an IP");
    // After the three nodes (.2, .3, .4) on 172.18.0.0/16.
    assert_eq!(ip, Ipv4Addr::new(172, 18, 0, 5));
    assert!(
        svc.spec.ports[0].node_port.is_some(),
        "LoadBalancer Services get node ports"
    );
}

#[test]
fn local_external_policy_keeps_the_client_ip_and_drops_on_nodes_without_pods() {
    let mut lab = common::lab(2);
    common::apply(
        &mut lab,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: local\n  namespace: dev\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n    nodePort: 30080\n",
    );
    lab.advance_ms(1_000);
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let cp = cluster.nodes["service-demo-control-plane"].ip;
    let worker = cluster.nodes["service-demo-worker"].ip;
    // No nginx pod runs on the control plane: Local policy drops there.
    assert_eq!(
        send(cluster, &Source::Host, cp, 30080, &get()).ending,
        Ending::TimedOut
    );
    for _ in 0..20 {
        match send(cluster, &Source::Host, worker, 30080, &get()).ending {
            Ending::Served { node, client, .. } => {
                assert_eq!(node, "service-demo-worker", "only local pods serve");
                assert_eq!(
                    client,
                    Ipv4Addr::new(172, 18, 0, 1),
                    "the client IP is kept"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn client_ip_affinity_sticks_to_one_pod() {
    let mut lab = common::lab(2);
    common::apply(
        &mut lab,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: sticky\n  namespace: dev\nspec:\n  sessionAffinity: ClientIP\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n",
    );
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let vip: Ipv4Addr = service(cluster, "sticky")
        .spec
        .cluster_ip
        .parse()
        .expect("ip");
    let client = cluster
        .store
        .list::<Pod>(Some("dev"))
        .next()
        .cloned()
        .expect("pod");
    let source = Source::Pod {
        namespace: "dev".into(),
        name: client.metadata.name,
    };
    let served: BTreeSet<String> = (0..30)
        .filter_map(|_| match send(cluster, &source, vip, 80, &get()).ending {
            Ending::Served { pod, .. } => Some(pod),
            _ => None,
        })
        .collect();
    assert_eq!(served.len(), 1, "{served:?}");
}

#[test]
fn a_selector_typo_leaves_no_endpoints_and_the_rules_reject() {
    let mut lab = common::lab(2);
    common::apply(
        &mut lab,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: typo\n  namespace: dev\nspec:\n  selector:\n    app: ngnix\n  ports:\n  - port: 80\n",
    );
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let vip: Ipv4Addr = service(cluster, "typo")
        .spec
        .cluster_ip
        .parse()
        .expect("ip");
    let ep = cluster
        .store
        .get::<svclab_sim::api::Endpoints>("dev", "typo")
        .expect("Endpoints exist");
    assert!(ep.subsets.is_empty());
    let outcome = send(
        cluster,
        &Source::Node("service-demo-worker".into()),
        vip,
        80,
        &get(),
    );
    assert_eq!(outcome.ending, Ending::Refused);
    let rules: Vec<String> = outcome
        .hops
        .iter()
        .flat_map(|h| h.rules.iter().map(|r| r.line()))
        .collect();
    assert!(
        rules
            .iter()
            .any(|r| r.contains("has no endpoints") && r.contains("REJECT")),
        "{rules:#?}"
    );
}

#[test]
fn hand_written_endpoints_are_mirrored_into_a_slice() {
    let mut lab = common::lab(2);
    common::apply(
        &mut lab,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: external-db\n  namespace: dev\nspec:\n  ports:\n  - port: 5432\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: external-db\n  namespace: dev\nsubsets:\n- addresses:\n  - ip: 172.18.0.100\n  ports:\n  - port: 5432\n",
    );
    let cluster = lab.cluster("service-demo").expect("cluster");
    let slices: Vec<&EndpointSlice> = cluster
        .store
        .list::<EndpointSlice>(Some("dev"))
        .filter(|s| {
            s.metadata
                .labels
                .get("kubernetes.io/service-name")
                .map(String::as_str)
                == Some("external-db")
        })
        .collect();
    assert_eq!(slices.len(), 1);
    assert_eq!(
        slices[0].metadata.labels["endpointslice.kubernetes.io/managed-by"],
        "endpointslicemirroring-controller.k8s.io"
    );
    assert_eq!(slices[0].endpoints[0].addresses, ["172.18.0.100"]);
}

#[test]
fn a_deployment_rolls_out_a_new_template() {
    let mut lab = common::lab(2);
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: dev\nspec:\n  replicas: 4\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";
    common::apply(&mut lab, deploy);
    lab.advance_ms(10_000);
    common::apply(&mut lab, &deploy.replace("nginx:1.27", "nginx:1.27.1"));
    for _ in 0..12 {
        lab.advance_ms(5_000);
    }
    let cluster = lab.cluster("service-demo").expect("cluster");
    let sets: Vec<&ReplicaSet> = cluster
        .store
        .list::<ReplicaSet>(Some("dev"))
        .filter(|rs| rs.metadata.name.starts_with("web-"))
        .collect();
    assert_eq!(sets.len(), 2, "the old ReplicaSet is kept for rollback");
    let current = sets
        .iter()
        .find(|rs| rs.spec.template.spec.containers[0].image == "nginx:1.27.1")
        .expect("new ReplicaSet");
    assert_eq!(current.spec.replicas, Some(4));
    assert_eq!(
        current.metadata.annotations["deployment.kubernetes.io/revision"],
        "2"
    );
    let hash = &current.metadata.labels["pod-template-hash"];
    assert!(hash.bytes().all(|b| b"456789bcdf".contains(&b)));
    let pods: Vec<&Pod> = cluster
        .store
        .list::<Pod>(Some("dev"))
        .filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("web"))
        .collect();
    assert_eq!(pods.len(), 4);
    assert!(pods
        .iter()
        .all(|p| p.spec.containers[0].image == "nginx:1.27.1"));
    let d = cluster
        .store
        .get::<Deployment>("dev", "web")
        .expect("deployment");
    assert_eq!(
        (d.status.updated_replicas, d.status.available_replicas),
        (4, 4)
    );
}

#[test]
fn dns_answers_cluster_ips_headless_pods_and_cnames() {
    let mut lab = common::lab(2);
    common::apply(
        &mut lab,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: headless\n  namespace: dev\nspec:\n  clusterIP: None\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: docs\n  namespace: dev\nspec:\n  type: ExternalName\n  externalName: kubernetes.io\n",
    );
    let cluster = lab.cluster("service-demo").expect("cluster");
    match resolve(cluster, "headless", Some("dev")) {
        Answer::Addresses { fqdn, ips } => {
            assert_eq!(fqdn, "headless.dev.svc.cluster.local");
            assert_eq!(ips.len(), 6);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        resolve(cluster, "docs", Some("dev")),
        Answer::Alias {
            fqdn: "docs.dev.svc.cluster.local".into(),
            target: "kubernetes.io".into()
        }
    );
}

#[test]
fn a_hand_made_alb_spreads_over_nodes_and_routes_around_a_stopped_one() {
    let mut lab = common::lab(2);
    common::apply(
        &mut lab,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-service\n  namespace: dev\nspec:\n  type: NodePort\n  selector:\n    app: nginx\n  ports:\n  - name: http\n    port: 80\n    nodePort: 30000\n",
    );
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let alb = Ipv4Addr::new(172, 18, 0, 50);
    let targets: Vec<(String, Ipv4Addr)> = cluster
        .nodes
        .values()
        .map(|n| (n.name.clone(), n.ip))
        .collect();
    for (name, ip) in &targets {
        let source = Source::Balancer {
            ip: alb,
            node: name.clone(),
        };
        let outcome = send(cluster, &source, *ip, 30000, &get());
        assert!(
            matches!(outcome.ending, Ending::Served { .. }),
            "via {name}: {:?}",
            outcome.hops
        );
    }
    assert!(svclab_sim::controllers::stop_node(
        cluster,
        "service-demo-worker"
    ));
    let (name, ip) = &targets[1];
    assert_eq!(name, "service-demo-worker");
    let source = Source::Balancer {
        ip: alb,
        node: name.clone(),
    };
    assert_eq!(
        send(cluster, &source, *ip, 30000, &get()).ending,
        Ending::TimedOut
    );
}

#[test]
fn the_load_balancer_proxies_to_workers_and_skips_a_stopped_one() {
    use svclab_sim::network::load_balancer::proxy_target;
    let mut lab = common::lab(2);
    common::apply(&mut lab, LB);
    lab.advance_ms(svclab_sim::cluster::timing::LOAD_BALANCER_MS + 1_000);
    let cluster = lab.cluster_mut("service-demo").expect("cluster");
    let lb_ip: Ipv4Addr = service(cluster, "web-lb").status.load_balancer.ingress[0]
        .ip
        .parse()
        .expect("ip");
    let mut backends = BTreeSet::new();
    for _ in 0..40 {
        let (source, node_ip, node_port) = proxy_target(cluster, lb_ip, 80).expect("a backend");
        if let Source::Balancer { node, .. } = &source {
            backends.insert(node.clone());
        }
        let outcome = send(cluster, &source, node_ip, node_port, &get());
        assert!(matches!(outcome.ending, Ending::Served { .. }));
    }
    // kubeadm labels the control plane exclude-from-external-load-balancers.
    assert_eq!(
        backends,
        BTreeSet::from([
            "service-demo-worker".to_string(),
            "service-demo-worker2".to_string()
        ])
    );
    assert!(svclab_sim::controllers::stop_node(
        cluster,
        "service-demo-worker"
    ));
    let later = cluster.now_ms() + 60_000;
    cluster.advance_to(later);
    for _ in 0..20 {
        let (source, _, _) = proxy_target(cluster, lb_ip, 80).expect("a backend");
        assert_eq!(
            source,
            Source::Balancer {
                ip: lb_ip,
                node: "service-demo-worker2".into()
            }
        );
    }
}

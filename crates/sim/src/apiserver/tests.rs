//! The write path end to end on the article's cluster: what kubectl would print for each
//! outcome, and that a rejected write changes nothing.

use crate::api::{Namespace, Object, ResourceKind, Service, ServicePort};
use crate::cluster::tests::article_cluster;
use crate::cluster::Cluster;

use super::errors::kubectl_error_output;
use super::rest::{apply, create, delete, Applied};

fn namespace(name: &str) -> Object {
    let mut ns = Namespace::default();
    ns.metadata.name = name.into();
    Object::Namespace(ns)
}

fn service(name: &str, type_: &str, node_port: Option<i32>) -> Object {
    let mut svc = Service::default();
    svc.metadata.name = name.into();
    svc.metadata.namespace = "dev".into();
    svc.spec.type_ = type_.into();
    svc.spec.selector.insert("app".into(), "nginx".into());
    svc.spec.ports = vec![ServicePort {
        name: "http".into(),
        protocol: "TCP".into(),
        port: 80,
        target_port: Some(crate::api::IntOrString::Int(80)),
        node_port,
    }];
    Object::Service(svc)
}

fn with_dev() -> Cluster {
    let mut cluster = article_cluster(4);
    create(&mut cluster, namespace("dev"), "default").expect("namespace");
    cluster
}

fn stored_service(cluster: &Cluster, name: &str) -> Service {
    cluster
        .store
        .get::<Service>("dev", name)
        .cloned()
        .expect("stored")
}

#[test]
fn a_missing_namespace_is_reported_as_kubectl_shows_it() {
    let mut cluster = article_cluster(4);
    let err = create(&mut cluster, service("web", "ClusterIP", None), "default")
        .expect_err("dev does not exist");
    assert_eq!(
        kubectl_error_output(&err, Some(("creating", "x.yaml"))),
        "Error from server (NotFound): error when creating \"x.yaml\": namespaces \"dev\" not found\n"
    );
}

#[test]
fn services_get_a_cluster_ip_from_the_upper_range_and_apply_is_idempotent() {
    let mut cluster = with_dev();
    let (outcome, _) =
        apply(&mut cluster, service("web", "ClusterIP", None), "default").expect("created");
    assert_eq!(outcome, Applied::Created);
    let svc = stored_service(&cluster, "web");
    let ip: std::net::Ipv4Addr = svc.spec.cluster_ip.parse().expect("an IP");
    let octets = ip.octets();
    assert_eq!((octets[0], octets[1]), (10, 96));
    assert!(
        octets[2] >= 1,
        "dynamic IPs come from 10.96.1.1 upwards: {ip}"
    );
    assert_eq!(svc.spec.cluster_ips, vec![svc.spec.cluster_ip.clone()]);
    assert_eq!(svc.spec.session_affinity, "None");
    let (again, _) =
        apply(&mut cluster, service("web", "ClusterIP", None), "default").expect("unchanged");
    assert_eq!(again, Applied::Unchanged);
    let (changed, _) =
        apply(&mut cluster, service("web", "NodePort", None), "default").expect("configured");
    assert_eq!(changed, Applied::Configured);
    let svc2 = stored_service(&cluster, "web");
    assert_eq!(
        svc2.spec.cluster_ip, svc.spec.cluster_ip,
        "the ClusterIP is kept"
    );
    let port = svc2.spec.ports[0].node_port.expect("a node port");
    assert!((30086..=32767).contains(&port), "{port}");
}

#[test]
fn a_taken_node_port_is_refused_and_nothing_changes() {
    let mut cluster = with_dev();
    create(
        &mut cluster,
        service("first", "NodePort", Some(30000)),
        "default",
    )
    .expect("created");
    let before = cluster.store.list::<Service>(Some("dev")).count();
    let used_ips = cluster.cluster_ips.used();
    let err = create(
        &mut cluster,
        service("second", "NodePort", Some(30000)),
        "default",
    )
    .expect_err("taken");
    assert_eq!(
        kubectl_error_output(&err, Some(("creating", "x.yaml"))),
        "The Service \"second\" is invalid: spec.ports[0].nodePort: Invalid value: 30000: provided port is already allocated\n"
    );
    assert_eq!(cluster.store.list::<Service>(Some("dev")).count(), before);
    assert_eq!(
        cluster.cluster_ips.used(),
        used_ips,
        "the ClusterIP taken for it is released"
    );
    let err = create(
        &mut cluster,
        service("third", "NodePort", Some(8080)),
        "default",
    )
    .expect_err("out of range");
    assert!(kubectl_error_output(&err, None).contains(
        "provided port is not in the valid range. The range of valid ports is 30000-32767"
    ));
}

#[test]
fn deleting_releases_and_missing_objects_are_not_found() {
    let mut cluster = with_dev();
    create(
        &mut cluster,
        service("web", "NodePort", Some(30000)),
        "default",
    )
    .expect("created");
    delete(&mut cluster, ResourceKind::Service, "dev", "web").expect("deleted");
    create(
        &mut cluster,
        service("web2", "NodePort", Some(30000)),
        "default",
    )
    .expect("port is free again");
    let err = delete(&mut cluster, ResourceKind::Service, "dev", "nope").expect_err("missing");
    assert_eq!(
        kubectl_error_output(&err, None),
        "Error from server (NotFound): services \"nope\" not found\n"
    );
}

#[test]
fn deleting_a_namespace_takes_its_contents() {
    let mut cluster = with_dev();
    create(&mut cluster, service("web", "ClusterIP", None), "default").expect("created");
    delete(&mut cluster, ResourceKind::Namespace, "", "dev").expect("deleted");
    let later = cluster.now_ms() + 5_000;
    cluster.advance_to(later);
    assert!(cluster.store.get::<Namespace>("", "dev").is_none());
    assert_eq!(cluster.store.list::<Service>(Some("dev")).count(), 0);
}

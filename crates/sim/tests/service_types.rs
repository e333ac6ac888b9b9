//! Golden tests: for each Service type, the nat and filter tables of a worker as
//! `iptables-save` prints them, and `iptables -t nat -L -n` as kind's iptables 1.8.9 prints it.

mod common;

use svclab_sim::iptables::{list_table, save_table, IptablesVersion, ListOptions};
use svclab_sim::netfilter::kind_save_header;

fn rules_after(service_yaml: &str, settle_ms: u64) -> (String, String) {
    let mut lab = common::lab(1);
    common::apply(&mut lab, service_yaml);
    lab.advance_ms(settle_ms);
    let cluster = lab.cluster("service-demo").expect("cluster");
    let node = &cluster.nodes["service-demo-worker"];
    let header = kind_save_header("Tue Aug 13 22:55:00 2024");
    let save = format!(
        "{}{}",
        save_table(&node.filter, &header),
        save_table(&node.nat, &header)
    );
    let list = list_table(
        &node.nat,
        None,
        &ListOptions {
            numeric: true,
            version: IptablesVersion::V1_8_9,
            ..Default::default()
        },
    )
    .expect("listing");
    (save, list)
}

const PORTS: &str =
    "  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n    targetPort: 80\n";

fn service(spec_extra: &str, ports: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-service\n  namespace: dev\nspec:\n{ports}  selector:\n    app: nginx\n{spec_extra}"
    )
}

#[test]
fn cluster_ip() {
    let (save, list) = rules_after(&service("  type: ClusterIP\n", PORTS), 1_000);
    common::golden("clusterip.save", &save);
    common::golden("clusterip.list", &list);
}

#[test]
fn node_port() {
    let ports = "  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n    targetPort: 80\n    nodePort: 30000\n";
    let (save, list) = rules_after(&service("  type: NodePort\n", ports), 1_000);
    common::golden("nodeport.save", &save);
    common::golden("nodeport.list", &list);
}

#[test]
fn load_balancer_after_its_ip_arrives() {
    let (save, _) = rules_after(&service("  type: LoadBalancer\n", PORTS), 10_000);
    common::golden("loadbalancer.save", &save);
}

#[test]
fn local_traffic_policy_and_session_affinity() {
    let extra = "  type: NodePort\n  externalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n";
    let (save, _) = rules_after(&service(extra, PORTS), 1_000);
    common::golden("local-affinity.save", &save);
}

#[test]
fn named_target_port_and_no_endpoints() {
    let named = "  ports:\n  - name: http\n    port: 80\n    targetPort: web\n";
    let (save, _) = rules_after(&service("  type: ClusterIP\n", named), 1_000);
    assert!(
        save.contains("--to-destination 10.244."),
        "named port resolves to 80:\n{save}"
    );
    let none = service("  type: ClusterIP\n", PORTS).replace("app: nginx\n", "app: nginy\n");
    let (save, _) = rules_after(&none, 1_000);
    common::golden("no-endpoints.save", &save);
}

#[test]
fn external_name_and_headless_services_have_no_rules() {
    let (base, _) = rules_after(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\n  namespace: dev\nspec:\n  type: ExternalName\n  externalName: example.com\n",
        1_000,
    );
    assert!(!base.contains("dev/ext"), "ExternalName makes no rules");
    let (headless, _) = rules_after(&service("  clusterIP: None\n", PORTS), 1_000);
    assert!(
        !headless.contains("dev/nginx-service"),
        "headless makes no rules"
    );
}

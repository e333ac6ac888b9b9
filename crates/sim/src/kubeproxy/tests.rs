//! Golden tests against pkg/proxy/iptables/proxier_test.go expectations and the article.

use std::net::Ipv4Addr;

use super::*;
use crate::iptables::{list_table, parse_rule_line, Ipv4Cidr, ListOptions, Table, TableName};

/// proxier_test.go `NewFakeProxier`: pod CIDR 10.0.0.0/8, mark 0x4000, node test-node at
/// 192.168.0.2, localhostNodePorts, nfacct counters, no --random-fully (fake iptables).
fn test_view() -> NodeView {
    NodeView {
        node_name: "test-node".into(),
        node_ip: Ipv4Addr::new(192, 168, 0, 2),
        nodeport_addresses: None,
        cluster_cidr: Ipv4Cidr::parse("10.0.0.0/8"),
        masquerade_mark: "0x4000".into(),
        masquerade_all: false,
        localhost_nodeports: true,
        nfacct: true,
        random_fully: false,
        conntrack_tcp_be_liberal: false,
        iptables_version: Default::default(),
    }
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn svc(ns: &str, name: &str, port_name: &str, cluster_ip: &str, port: u16) -> ServicePortInput {
    ServicePortInput {
        namespace: ns.into(),
        name: name.into(),
        port_name: port_name.into(),
        cluster_ip: Some(ip(cluster_ip)),
        port,
        ..Default::default()
    }
}

fn ep(addr: &str, port: u16, node: Option<&str>) -> Endpoint {
    Endpoint::ready(ip(addr), port, node)
}

/// A port of proxier_test.go `sortIPTablesRules` (with `orderByCommentServiceName`).
fn sort_iptables_rules(text: &str) -> String {
    struct T {
        name: String,
        chains: Vec<(String, Vec<String>)>,
    }
    let mut tables: Vec<T> = Vec::new();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix('*') {
            tables.push(T {
                name: n.into(),
                chains: Vec::new(),
            });
        } else if let Some(decl) = line.strip_prefix(':') {
            let name = decl.split(' ').next().unwrap().to_string();
            tables.last_mut().unwrap().chains.push((name, Vec::new()));
        } else if line.starts_with("-A ") {
            let chain = line.split(' ').nth(1).unwrap();
            let t = tables.last_mut().unwrap();
            let c = t.chains.iter_mut().find(|c| c.0 == chain).unwrap();
            c.1.push(line.to_string());
        }
    }
    let key = |name: &str| -> (u8, String) {
        match name {
            "KUBE-NODEPORTS" => (0, String::new()),
            "KUBE-SERVICES" => (1, String::new()),
            n if n.starts_with("KUBE-") => (2, n.to_string()),
            n => (3, n.to_string()),
        }
    };
    let svc_name = |line: &str| -> String {
        let (_, r) = parse_rule_line(line).unwrap();
        let c = r.comment().unwrap_or("").to_string();
        match c.find([' ', ':']) {
            Some(i) => c[..i].to_string(),
            None => c,
        }
    };
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = String::new();
    for t in &mut tables {
        t.chains.sort_by_key(|c| key(&c.0));
        for (name, rules) in &mut t.chains {
            if name == "KUBE-NODEPORTS" || name == "KUBE-SERVICES" {
                let is_nat = t.name == "nat";
                rules.sort_by_cached_key(|l| {
                    let last = is_nat && l.contains("must be the last rule");
                    (last, svc_name(l))
                });
            }
        }
        out.push_str(&format!("*{}\n", t.name));
        for (name, _) in &t.chains {
            out.push_str(&format!(":{name} - [0:0]\n"));
        }
        for (_, rules) in &t.chains {
            for r in rules {
                out.push_str(r);
                out.push('\n');
            }
        }
        out.push_str("COMMIT\n");
    }
    out
}

fn rules_for(view: NodeView, services: &[ServicePortInput]) -> ProxyRules {
    let mut p = ProxyRules::new(view);
    p.sync_all(services).unwrap();
    p
}

/// KUBERNETES.md §1.4 (a): TestSyncProxyRulesRepeated, first sync.
#[test]
fn golden_two_cluster_ip_services() {
    let mut s1 = svc("ns1", "svc1", "p80", "172.30.0.41", 80);
    s1.endpoints = vec![ep("10.0.1.1", 80, None)];
    let mut s2 = svc("ns2", "svc2", "p8080", "172.30.0.42", 8080);
    s2.endpoints = vec![ep("10.0.2.1", 8080, None)];
    let p = rules_for(test_view(), &[s1, s2]);
    let expected = r#"*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-SNQ3ZNILQDEJNDQO - [0:0]
:KUBE-SEP-UHEGFW77JX3KXTOV - [0:0]
:KUBE-SVC-2VJB64SDSIJUP5T6 - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 -j KUBE-SVC-2VJB64SDSIJUP5T6
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
-A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -s 10.0.2.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -m tcp -p tcp -j DNAT --to-destination 10.0.2.1:8080
-A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 -> 10.0.2.1:8080" -j KUBE-SEP-UHEGFW77JX3KXTOV
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO
COMMIT
"#;
    assert_eq!(sort_iptables_rules(&p.restore_text()), expected);
}

fn overall_services() -> Vec<ServicePortInput> {
    let mut s1 = svc("ns1", "svc1", "p80", "172.30.0.41", 80);
    s1.endpoints = vec![ep("10.180.0.1", 80, None)];

    let mut s2 = svc("ns2", "svc2", "p80", "172.30.0.42", 80);
    s2.service_type = ServiceType::LoadBalancer;
    s2.external_traffic_policy = TrafficPolicy::Local;
    s2.node_port = 3001;
    s2.load_balancer_ips = vec!["1.2.3.4".into()];
    s2.external_ips = vec!["192.168.99.22".into()];
    s2.health_check_node_port = 30000;
    s2.endpoints = vec![ep("10.180.0.2", 80, None)];

    let mut s3 = svc("ns3", "svc3", "p80", "172.30.0.43", 80);
    s3.service_type = ServiceType::NodePort;
    s3.node_port = 3003;
    s3.endpoints = vec![ep("10.180.0.3", 80, None)];

    let mut s4 = svc("ns4", "svc4", "p80", "172.30.0.44", 80);
    s4.service_type = ServiceType::NodePort;
    s4.external_ips = vec!["192.168.99.33".into()];
    s4.endpoints = vec![
        ep("10.180.0.4", 80, None),
        ep("10.180.0.5", 80, Some("test-node")),
    ];

    let mut s5 = svc("ns5", "svc5", "p80", "172.30.0.45", 80);
    s5.service_type = ServiceType::LoadBalancer;
    s5.node_port = 3002;
    s5.load_balancer_ips = vec!["5.6.7.8".into()];
    s5.health_check_node_port = 30000;
    s5.load_balancer_source_ranges = vec![" 203.0.113.0/25".into()];
    s5.session_affinity_timeout = Some(10800);
    s5.endpoints = vec![ep("10.180.0.3", 80, None)];

    let s6 = svc("ns6", "svc6", "p80", "172.30.0.46", 80);
    vec![s1, s2, s3, s4, s5, s6]
}

/// proxier_test.go TestOverallIPTablesRules: ClusterIP, LoadBalancer+Local without local
/// endpoints, NodePort, externalIPs, LoadBalancer with source ranges and ClientIP affinity,
/// and a service with no endpoints.
#[test]
fn golden_overall_iptables_rules() {
    let p = rules_for(test_view(), &overall_services());
    let expected = r#"*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
:KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
:KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
:KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
:KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
COMMIT
"#;
    let got = sort_iptables_rules(&p.restore_text());
    for (i, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
        assert_eq!(g, e, "line {i}");
    }
    assert_eq!(got, expected);
}

fn apply_fresh(p: &mut ProxyRules) -> (Table, Table) {
    let mut filter = Table::new(TableName::Filter);
    let mut nat = Table::new(TableName::Nat);
    p.apply(&mut filter, &mut nat, None).unwrap();
    (filter, nat)
}

fn nginx_service() -> ServicePortInput {
    let mut s = svc("dev", "nginx-service", "http", "10.96.100.10", 80);
    s.endpoints = [
        ("10.244.2.4", "service-demo-worker"),
        ("10.244.1.3", "service-demo-worker2"),
        ("10.244.2.2", "service-demo-worker"),
        ("10.244.1.2", "service-demo-worker2"),
        ("10.244.2.3", "service-demo-worker"),
        ("10.244.1.4", "service-demo-worker2"),
    ]
    .iter()
    .map(|(a, n)| ep(a, 80, Some(n)))
    .collect();
    s
}

/// The article's `iptables -t nat -L -n | grep "nginx-service:http ->"` on a worker
/// (seed/000_996da59380d081d8.txt): six endpoints in ip:port order, probabilities as
/// iptables prints the kernel's stored value.
#[test]
fn article_nginx_probabilities() {
    let view = NodeView::kind("service-demo-worker", ip("172.18.0.3"));
    let mut p = rules_for(view, &[nginx_service()]);
    let (_, nat) = apply_fresh(&mut p);
    let opts = ListOptions {
        numeric: true,
        ..Default::default()
    };
    let out = list_table(&nat, None, &opts).unwrap();
    let grep: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("nginx-service:http ->"))
        .collect();
    let tails = [
        "/* dev/nginx-service:http -> 10.244.1.2:80 */ statistic mode random probability 0.16666666651",
        "/* dev/nginx-service:http -> 10.244.1.3:80 */ statistic mode random probability 0.20000000019",
        "/* dev/nginx-service:http -> 10.244.1.4:80 */ statistic mode random probability 0.25000000000",
        "/* dev/nginx-service:http -> 10.244.2.2:80 */ statistic mode random probability 0.33333333349",
        "/* dev/nginx-service:http -> 10.244.2.3:80 */ statistic mode random probability 0.50000000000",
        "/* dev/nginx-service:http -> 10.244.2.4:80 */",
    ];
    assert_eq!(grep.len(), 6, "{out}");
    for (line, tail) in grep.iter().zip(tails) {
        assert!(line.ends_with(tail), "{line:?} should end with {tail:?}");
        let sep = sep_chain("dev/nginx-service:http", "tcp", &tail[29..42]);
        assert!(
            line.starts_with(&format!(
                "{sep}  all  --  0.0.0.0/0            0.0.0.0/0            /* "
            )),
            "{line:?}"
        );
    }
    // 1.8.9 (kind v0.21-v0.31) prints the protocol number in the same lines.
    let old = ListOptions {
        version: crate::iptables::IptablesVersion::V1_8_9,
        ..opts
    };
    let out9 = list_table(&nat, None, &old).unwrap();
    assert!(out9
        .lines()
        .filter(|l| l.contains("nginx-service:http ->"))
        .all(|l| l.contains("  0    --  ")));
}

/// Applying builds the jump rules (Prepend order) and the chain reference counts `-L` shows.
#[test]
fn apply_creates_jumps_and_references() {
    let view = NodeView::kind("service-demo-worker", ip("172.18.0.3"));
    let mut p = rules_for(view, &[nginx_service()]);
    let (filter, nat) = apply_fresh(&mut p);
    let input: Vec<&str> = filter
        .chain("INPUT")
        .unwrap()
        .rules
        .iter()
        .map(|r| r.target.name())
        .collect();
    assert_eq!(
        input,
        [
            "KUBE-FIREWALL",
            "KUBE-PROXY-FIREWALL",
            "KUBE-NODEPORTS",
            "KUBE-EXTERNAL-SERVICES"
        ]
    );
    let opts = ListOptions {
        numeric: true,
        ..Default::default()
    };
    let out = list_table(&nat, Some("KUBE-SERVICES"), &opts).unwrap();
    assert!(out.starts_with("Chain KUBE-SERVICES (2 references)\n"));
    assert!(out.contains("KUBE-SVC-"));
    let out = list_table(&nat, Some("KUBE-MARK-MASQ"), &opts).unwrap();
    // Referenced by the SVC masquerade rule and six SEP rules.
    assert!(
        out.starts_with("Chain KUBE-MARK-MASQ (7 references)\n"),
        "{out}"
    );
    assert!(out.contains(
        "MARK       all  --  0.0.0.0/0            0.0.0.0/0            MARK or 0x4000\n"
    ));
    let post = list_table(&nat, Some("KUBE-POSTROUTING"), &opts).unwrap();
    assert!(
        post.ends_with("/* kubernetes service traffic requiring SNAT */ random-fully\n"),
        "{post}"
    );
    assert!(nat.chain("KUBE-PROXY-CANARY").is_some());
    let fwd = list_table(&filter, Some("FORWARD"), &opts).unwrap();
    assert!(fwd.contains("KUBE-PROXY-FIREWALL  all  --  0.0.0.0/0            0.0.0.0/0            ctstate NEW /* kubernetes load balancer firewall */\n"), "{fwd}");
}

/// One endpoint change regenerates one service; the result equals a fresh full sync, and
/// chains of removed endpoints are deleted.
#[test]
fn incremental_update_matches_full_sync() {
    let view = NodeView::kind("service-demo-worker", ip("172.18.0.3"));
    let mut other = svc("default", "kubernetes", "https", "10.96.0.1", 443);
    other.endpoints = vec![ep("172.18.0.2", 6443, Some("service-demo-control-plane"))];
    let mut p = rules_for(view.clone(), &[nginx_service(), other.clone()]);
    let (mut filter, mut nat) = apply_fresh(&mut p);
    let removed = sep_chain("dev/nginx-service:http", "tcp", "10.244.2.4:80");
    assert!(nat.chain(&removed).is_some());

    let mut changed = nginx_service();
    changed.endpoints.retain(|e| e.ip != ip("10.244.2.4"));
    p.upsert(changed.clone()).unwrap();
    p.apply(&mut filter, &mut nat, None).unwrap();
    assert!(nat.chain(&removed).is_none());

    let mut fresh = rules_for(view, &[changed, other]);
    let (f2, n2) = apply_fresh(&mut fresh);
    assert_eq!(nat, n2);
    assert_eq!(filter, f2);
    assert_eq!(p.restore_text(), fresh.restore_text());

    p.remove("default/kubernetes:https").unwrap();
    p.apply(&mut filter, &mut nat, None).unwrap();
    assert!(nat
        .chain(&svc_chain("default/kubernetes:https", "tcp"))
        .is_none());
}

/// Above largeClusterEndpointsThreshold the SVC->SEP and SEP rules lose their comments;
/// crossing it regenerates every service.
#[test]
fn large_cluster_mode_drops_endpoint_comments() {
    let mut big = svc("ns", "big", "p", "10.96.0.50", 80);
    big.endpoints = (0..1000u32)
        .map(|i| ep(&Ipv4Addr::from(0x0af4_0000 + i).to_string(), 80, None))
        .collect();
    let mut small = svc("ns", "small", "p", "10.96.0.51", 80);
    small.endpoints = vec![ep("10.245.0.1", 80, None)];
    let mut p = rules_for(test_view(), &[big.clone(), small.clone()]);
    assert!(p.large_cluster_mode());
    let text = p.restore_text();
    let sep = sep_chain("ns/small:p", "tcp", "10.245.0.1:80");
    assert!(text.contains(&format!("-A {sep} -s 10.245.0.1 -j KUBE-MARK-MASQ\n")));
    assert!(text.contains(&format!("-A {} -j {sep}\n", svc_chain("ns/small:p", "tcp"))));
    // The cluster IP capture keeps its comment.
    assert!(text.contains("--comment \"ns/small:p cluster IP\""));

    big.endpoints.pop();
    p.upsert(big).unwrap();
    assert!(!p.large_cluster_mode());
    assert!(p.restore_text().contains(&format!(
        "-A {sep} -m comment --comment ns/small:p -s 10.245.0.1 -j KUBE-MARK-MASQ\n"
    )));
}

/// externalTrafficPolicy Local with a local endpoint: KUBE-EXT jumps to KUBE-SVL, which only
/// holds the local endpoint; internalTrafficPolicy Local without local endpoints: DROP.
#[test]
fn local_policies() {
    let mut s = svc("ns", "web", "", "172.30.0.60", 80);
    s.service_type = ServiceType::NodePort;
    s.node_port = 30080;
    s.external_traffic_policy = TrafficPolicy::Local;
    s.endpoints = vec![
        ep("10.0.1.1", 8080, Some("test-node")),
        ep("10.0.2.1", 8080, Some("other")),
    ];
    let mut i = svc("ns", "internal", "p", "172.30.0.61", 80);
    i.internal_traffic_policy = TrafficPolicy::Local;
    i.endpoints = vec![ep("10.0.2.2", 80, Some("other"))];
    let p = rules_for(test_view(), &[s, i]);
    let text = p.restore_text();
    let ext = ext_chain("ns/web", "tcp");
    let svl = svl_chain("ns/web", "tcp");
    assert!(text.contains(&format!("-A {ext} -j {svl}\n")));
    assert!(text.contains(&format!(
        "-A {svl} -m comment --comment \"ns/web -> 10.0.1.1:8080\" -j {}\n",
        sep_chain("ns/web", "tcp", "10.0.1.1:8080")
    )));
    assert!(!text.contains(&format!(
        "-A {svl} -m comment --comment \"ns/web -> 10.0.2.1:8080\""
    )));
    assert!(text.contains("-A KUBE-SERVICES -m comment --comment \"ns/internal:p has no local endpoints\" -m tcp -p tcp -d 172.30.0.61 --dport 80 -j DROP\n"));
    assert!(!text.contains(&svc_chain("ns/internal:p", "tcp")));
}

#[test]
fn node_flags_change_fixed_rules() {
    let mut v = test_view();
    v.localhost_nodeports = false;
    v.nfacct = false;
    v.conntrack_tcp_be_liberal = true;
    v.random_fully = true;
    let mut np = svc("ns", "np", "p", "172.30.0.70", 80);
    np.service_type = ServiceType::NodePort;
    np.node_port = 30070;
    np.endpoints = vec![ep("10.0.3.1", 80, None)];
    let text = rules_for(v.clone(), std::slice::from_ref(&np)).restore_text();
    assert!(text.contains("-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS\n"));
    assert!(!text.contains("KUBE-FIREWALL"));
    assert!(!text.contains("127.0.0.0/8 --dport 30070"));
    assert!(!text.contains("--ctstate INVALID"));
    assert!(text.contains("-j MASQUERADE --random-fully\n"));
    v.nodeport_addresses = Some(vec![ip("192.168.0.2")]);
    let text = rules_for(v, &[np]).restore_text();
    assert!(text.contains("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -d 192.168.0.2 -j KUBE-NODEPORTS\n"));
    assert_eq!(masquerade_mark(14), "0x00004000");
}

#[test]
fn skipped_and_odd_inputs_do_not_panic() {
    let mut headless = svc("ns", "h", "p", "10.96.0.9", 80);
    headless.cluster_ip = None;
    let mut ext = svc("ns", "e", "p", "10.96.0.8", 80);
    ext.service_type = ServiceType::ExternalName;
    let mut odd = svc("ns", "o", "p", "10.96.0.7", 0);
    odd.external_ips = vec!["not-an-ip".into(), "fd00::1".into()];
    odd.load_balancer_source_ranges = vec!["garbage".into()];
    odd.endpoints = vec![ep("10.0.0.1", 80, None), ep("10.0.0.1", 80, None)];
    let p = rules_for(test_view(), &[headless, ext, odd]);
    assert_eq!(p.service_ports().count(), 1);
    let text = p.restore_text();
    // Duplicate endpoints collapse to one (EndpointSliceCache dedups by ip:port).
    assert_eq!(text.matches("DNAT --to-destination 10.0.0.1:80").count(), 1);
    assert_eq!(compute_probability(0), "+Inf");
}

/// The typed rules the generator builds equal what iptables-restore parses from the restore
/// lines it writes, chain by chain, across every rule shape (policies, affinity, LB source
/// ranges, no endpoints, UDP, masquerade-all, large-cluster mode).
#[test]
fn typed_rules_equal_parsed_text() {
    use super::rule_sink::{TypedRules, SHARED_CHAINS};
    use super::service_rules::write_service_port;
    use std::collections::BTreeMap;

    let mut inputs = overall_services();
    let mut udp = svc("ns7", "dns", "dns", "172.30.0.47", 53);
    udp.protocol = L4Protocol::Udp;
    udp.service_type = ServiceType::NodePort;
    udp.node_port = 30053;
    udp.external_traffic_policy = TrafficPolicy::Local;
    udp.endpoints = vec![
        ep("10.0.9.1", 53, Some("test-node")),
        ep("10.0.9.2", 53, None),
    ];
    inputs.push(udp);
    let mut local = svc("ns8", "int", "p", "172.30.0.48", 80);
    local.internal_traffic_policy = TrafficPolicy::Local;
    local.endpoints = vec![ep("10.0.8.1", 80, Some("test-node"))];
    inputs.push(local);
    let mut lb = overall_services().swap_remove(4);
    lb.load_balancer_source_ranges = vec!["192.168.0.0/16".into()];
    lb.name = "svc5b".into();
    inputs.push(lb);

    let mut all_view = test_view();
    all_view.masquerade_all = true;
    for view in [test_view(), all_view] {
        for large in [false, true] {
            for input in &inputs {
                let mut probs = ProbabilityCache::default();
                let mut ctx = SyncContext {
                    view: &view,
                    large_cluster: large,
                    probabilities: &mut probs,
                };
                let Some(text) = service_port_rules(input, &mut ctx) else {
                    continue;
                };
                let mut typed = TypedRules::default();
                write_service_port(input, &text.name, &mut ctx, &mut typed).unwrap();
                assert_eq!(typed.error, None);

                let mut want: BTreeMap<(TableName, String), Vec<_>> = BTreeMap::new();
                for (table, lines) in [
                    (TableName::Filter, &text.filter_rules),
                    (TableName::Nat, &text.nat_rules),
                ] {
                    for line in lines {
                        let (chain, rule) = parse_rule_line(line).unwrap();
                        want.entry((table, chain)).or_default().push(rule);
                    }
                }
                let mut got: BTreeMap<(TableName, String), Vec<_>> = BTreeMap::new();
                for (i, rule) in &typed.shared {
                    let (table, chain) = SHARED_CHAINS[*i];
                    got.entry((table, chain.to_string()))
                        .or_default()
                        .push(rule.clone());
                }
                for (chain, rules) in &typed.own {
                    if !rules.is_empty() {
                        got.insert((TableName::Nat, chain.clone()), rules.clone());
                    }
                }
                assert_eq!(got, want, "{}", text.name);
                let own: Vec<&String> = typed.own.iter().map(|(c, _)| c).collect();
                assert_eq!(own, text.nat_chains.iter().collect::<Vec<_>>());
            }
        }
    }
    // SCTP Services get the same chains, with `-m sctp -p sctp` (libxt_sctp).
    let mut sctp = svc("ns", "s", "p", "172.30.0.49", 80);
    sctp.protocol = L4Protocol::Sctp;
    sctp.endpoints = vec![ep("10.0.7.1", 80, None)];
    let mut rules = ProxyRules::new(test_view());
    rules.sync_all(&[sctp]).expect("an SCTP Service syncs");
    let saved = rules.restore_text();
    assert!(
        saved.contains("-A KUBE-SERVICES -m comment --comment \"ns/s:p cluster IP\" -m sctp -p sctp -d 172.30.0.49 --dport 80 -j KUBE-SVC-"),
        "{saved}"
    );
    assert!(
        saved.contains(
            "-m comment --comment ns/s:p -m sctp -p sctp -j DNAT --to-destination 10.0.7.1:80"
        ),
        "{saved}"
    );
}

/// `n` ClusterIP Services with 15 endpoints each, every fourth a NodePort.
fn scale_services(n: u32) -> Vec<ServicePortInput> {
    (0..n)
        .map(|i| {
            let mut s = svc(
                "scale",
                &format!("svc{i}"),
                "http",
                &Ipv4Addr::from(0x0a60_0000 + i).to_string(),
                80,
            );
            if i % 4 == 0 {
                s.service_type = ServiceType::NodePort;
                s.node_port = 30_000 + i as u16;
            }
            s.endpoints = (0..15u32)
                .map(|j| {
                    let node = if j % 2 == 0 { "test-node" } else { "other" };
                    let addr = Ipv4Addr::from(0x0af4_0000 + i * 16 + j).to_string();
                    ep(&addr, 8080, Some(node))
                })
                .collect();
            s
        })
        .collect()
}

/// Partial applies (endpoint readiness flips, a Service losing every endpoint, removals,
/// additions, a NodePort change, an edited shared chain) leave the same tables and restore
/// text as a full sync of the final Services, at a moderate scale (400 x 15 endpoints,
/// largeClusterMode on).
#[test]
fn incremental_applies_match_full_sync_at_scale() {
    let mut services = scale_services(400);
    let mut p = rules_for(test_view(), &services);
    let (mut filter, mut nat) = apply_fresh(&mut p);
    let check = |p: &ProxyRules, filter: &Table, nat: &Table, services: &[ServicePortInput]| {
        let mut fresh = rules_for(test_view(), services);
        let (f2, n2) = apply_fresh(&mut fresh);
        assert!(*nat == n2, "nat differs from a full sync");
        assert!(*filter == f2, "filter differs from a full sync");
        assert_eq!(p.restore_text(), fresh.restore_text());
    };

    // One endpoint turns not ready, then ready again, in a NodePort Service.
    for ready in [false, true] {
        services[100].endpoints[3].ready = ready;
        p.upsert(services[100].clone()).unwrap();
        p.apply(&mut filter, &mut nat, None).unwrap();
        check(&p, &filter, &nat, &services);
    }

    // Several changes in one sync: no endpoints (filter REJECT), a removal, a new Service,
    // a NodePort change and two upserts of the same Service.
    for e in &mut services[7].endpoints {
        e.ready = false;
    }
    p.upsert(services[7].clone()).unwrap();
    let gone = services.remove(250);
    p.remove(&gone.port_name_string()).unwrap();
    let mut added = scale_services(401).pop().unwrap();
    added.name = "zz-new".into();
    p.upsert(added.clone()).unwrap();
    services.push(added);
    services[0].node_port = 31_999;
    p.upsert(services[0].clone()).unwrap();
    services[0].endpoints.truncate(5);
    p.upsert(services[0].clone()).unwrap();
    p.apply(&mut filter, &mut nat, None).unwrap();
    check(&p, &filter, &nat, &services);

    // A rule added to KUBE-SERVICES by hand is gone after the next sync, as in a real
    // iptables-restore of the chain.
    nat.append(
        "KUBE-SERVICES",
        parse_rule_line("-A KUBE-SERVICES -j ACCEPT").unwrap().1,
    )
    .unwrap();
    services[7].endpoints[0].ready = true;
    p.upsert(services[7].clone()).unwrap();
    p.apply(&mut filter, &mut nat, None).unwrap();
    check(&p, &filter, &nat, &services);
}

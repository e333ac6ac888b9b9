//! Scenario tests: the article's worker node (service-demo-worker, 172.18.0.3, pod CIDR
//! 10.244.1.0/24) with its base rules and kube-proxy's rules, and packets walked through it.

use std::net::Ipv4Addr;

use super::*;
use crate::iptables::{
    list_table, save_table, IptablesVersion, Ipv4Cidr, ListOptions, RejectWith, Table, TableName,
};
use crate::kubeproxy::{
    ext_chain, sep_chain, svc_chain, Endpoint, NodeView, ProxyRules, ServicePortInput, ServiceType,
};
use crate::random::LabRng;

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

const WORKER_IP: &str = "172.18.0.3";
const CLIENT_POD: &str = "10.244.1.9";
const ENDPOINTS: [(&str, &str); 3] = [
    ("10.244.1.2", "service-demo-worker"),
    ("10.244.1.3", "service-demo-worker"),
    ("10.244.2.2", "service-demo-worker2"),
];

fn service(name: &str, cluster_ip: &str, with_endpoints: bool) -> ServicePortInput {
    ServicePortInput {
        namespace: "dev".into(),
        name: name.into(),
        port_name: "http".into(),
        cluster_ip: Some(ip(cluster_ip)),
        port: 80,
        endpoints: if with_endpoints {
            ENDPOINTS
                .iter()
                .map(|(a, n)| Endpoint::ready(ip(a), 80, Some(n)))
                .collect()
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

fn services() -> Vec<ServicePortInput> {
    let cluster = service("nginx-service", "10.96.183.1", true);
    let mut nodeport = service("nginx-nodeport", "10.96.27.20", true);
    nodeport.service_type = ServiceType::NodePort;
    nodeport.node_port = 30000;
    let mut sticky = service("sticky", "10.96.50.50", true);
    sticky.session_affinity_timeout = Some(60);
    let empty = service("empty", "10.96.9.9", false);
    vec![cluster, nodeport, sticky, empty]
}

/// One node's state, owned.
struct Node {
    filter: Table,
    nat: Table,
    mangle: Table,
    conntrack: Conntrack,
    recent: RecentTables,
    routing: NodeRouting,
    route_localnet: bool,
}

impl Node {
    fn net(&mut self) -> NodeNet<'_> {
        NodeNet {
            filter: &mut self.filter,
            nat: &mut self.nat,
            mangle: &mut self.mangle,
            conntrack: &mut self.conntrack,
            recent: &mut self.recent,
            routing: &self.routing,
            route_localnet: self.route_localnet,
        }
    }

    fn send(
        &mut self,
        pkt: Packet,
        ingress: &Ingress,
        rng: &mut LabRng,
        now_ms: u64,
    ) -> PathOutcome {
        traverse(&mut self.net(), pkt, ingress, rng, now_ms)
    }
}

fn client_veth() -> String {
    veth_name("sandbox-client")
}

fn worker() -> Node {
    worker_with(&services())
}

fn worker_with(services: &[ServicePortInput]) -> Node {
    let mut filter = Table::new(TableName::Filter);
    let mut nat = Table::new(TableName::Nat);
    let mut mangle = Table::new(TableName::Mangle);
    let base = NodeBaseRules::kind_default(ip(WORKER_IP));
    let missing = install_node_base_rules(&mut filter, &mut nat, &mut mangle, &base);
    assert!(missing.iter().all(|l| l.contains("-j SNAT")), "{missing:?}");
    let mut proxy = ProxyRules::new(NodeView::kind("service-demo-worker", ip(WORKER_IP)));
    proxy.sync_all(services).unwrap();
    proxy
        .apply(&mut filter, &mut nat, Some(&mut mangle))
        .unwrap();
    let routing = NodeRouting::kind_node(&KindNodeNetwork {
        node_ip: ip(WORKER_IP),
        docker_subnet: Ipv4Cidr::parse("172.18.0.0/16").unwrap(),
        gateway: ip("172.18.0.1"),
        pod_cidr: Ipv4Cidr::parse("10.244.1.0/24"),
        peers: vec![
            PeerNode {
                pod_cidr: Ipv4Cidr::parse("10.244.0.0/24").unwrap(),
                node_ip: ip("172.18.0.2"),
            },
            PeerNode {
                pod_cidr: Ipv4Cidr::parse("10.244.2.0/24").unwrap(),
                node_ip: ip("172.18.0.4"),
            },
        ],
        pods: vec![
            PodVeth {
                ip: ip("10.244.1.2"),
                veth: veth_name("sandbox-a"),
            },
            PodVeth {
                ip: ip("10.244.1.3"),
                veth: veth_name("sandbox-b"),
            },
            PodVeth {
                ip: ip(CLIENT_POD),
                veth: client_veth(),
            },
        ],
    });
    Node {
        filter,
        nat,
        mangle,
        conntrack: Conntrack::new(),
        recent: RecentTables::new(),
        routing,
        route_localnet: true,
    }
}

fn chains(o: &PathOutcome) -> Vec<String> {
    o.trace.iter().map(|t| t.chain.clone()).collect()
}

fn from_pod(dst: &str, sport: u16) -> Packet {
    Packet::tcp(ip(CLIENT_POD), sport, ip(dst), 80)
}

#[test]
fn pod_to_cluster_ip_walks_services_svc_sep_and_dnats() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(1);
    let o = node.send(
        from_pod("10.96.183.1", 40000),
        &Ingress::Iface(client_veth()),
        &mut rng,
        0,
    );
    assert_eq!(o.verdict, Verdict::Accept, "{:#?}", o.trace_lines());
    let svc = svc_chain("dev/nginx-service:http", "tcp");
    let c = chains(&o);
    let nat: Vec<&String> = o
        .trace
        .iter()
        .filter(|t| t.table == TableName::Nat && t.hook == Hook::Prerouting)
        .map(|t| &t.chain)
        .collect();
    assert_eq!(nat[0], "PREROUTING");
    assert_eq!(nat[1], "KUBE-SERVICES");
    assert_eq!(nat[2], &svc);
    assert!(nat[3].starts_with("KUBE-SEP-"));
    let last = o
        .trace
        .iter()
        .rfind(|t| t.hook == Hook::Prerouting)
        .unwrap();
    assert_eq!(last.target, "DNAT");
    assert!(last.text.contains("--to-destination"));
    assert!(ENDPOINTS.iter().any(|(a, _)| o.packet.dst == ip(a)));
    // Pod traffic is not masqueraded: KIND-MASQ-AGENT returns for the pod subnet.
    assert_eq!(o.packet.src, ip(CLIENT_POD));
    assert!(c.contains(&"KIND-MASQ-AGENT".to_string()));
    assert_eq!(
        o.hooks,
        [Hook::Prerouting, Hook::Forward, Hook::Postrouting]
    );
    assert_eq!(node.conntrack.len(), 1);
    assert!(node.conntrack.entries()[0].dst_nat);
}

/// 30,000 first packets: the three endpoints must be chosen with the probabilities the rules
/// store (1/3 as 715827883/2^31, then 1/2 of the rest, then the rest).
#[test]
fn statistic_split_converges_chi_square() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(2025);
    let n = 30_000u32;
    let mut counts = [0u32; 3];
    for i in 0..n {
        node.conntrack.flush();
        let sport = 20_000 + (i % 40_000) as u16;
        let o = node.send(
            from_pod("10.96.183.1", sport),
            &Ingress::Iface(client_veth()),
            &mut rng,
            0,
        );
        let k = ENDPOINTS
            .iter()
            .position(|(a, _)| o.packet.dst == ip(a))
            .expect("DNAT to an endpoint");
        counts[k] += 1;
    }
    let p1 = 715_827_883f64 / 2_147_483_648f64;
    let probs = [p1, (1.0 - p1) / 2.0, (1.0 - p1) / 2.0];
    let chi2: f64 = counts
        .iter()
        .zip(probs)
        .map(|(&o, p)| {
            let e = f64::from(n) * p;
            (f64::from(o) - e).powi(2) / e
        })
        .sum();
    // 2 degrees of freedom: P(chi2 > 13.82) = 0.001.
    assert!(chi2 < 13.82, "chi2 = {chi2}, counts = {counts:?}");
    // Every connection went through the cluster IP rule: its counters say so.
    let svc = svc_chain("dev/nginx-service:http", "tcp");
    let services = node.nat.chain("KUBE-SERVICES").unwrap();
    let rule = services
        .rules
        .iter()
        .find(|r| matches!(&r.target, crate::iptables::Target::Jump(t) if *t == svc))
        .unwrap();
    assert_eq!(rule.counters.packets, u64::from(n));
    assert_eq!(rule.counters.bytes, u64::from(n) * 60);
    // The SVC→SEP rules count what they sent.
    let sent: Vec<u64> = node
        .nat
        .chain(&svc)
        .unwrap()
        .rules
        .iter()
        .filter(|r| r.target.name().starts_with("KUBE-SEP-"))
        .map(|r| r.counters.packets)
        .collect();
    assert_eq!(sent, counts.map(u64::from));
}

#[test]
fn nodeport_from_outside_marks_and_masquerades_and_replies_are_un_natted() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(3);
    let ext = ext_chain("dev/nginx-nodeport:http", "tcp");
    let svc = svc_chain("dev/nginx-nodeport:http", "tcp");
    let (mut local, mut remote) = (None, None);
    for i in 0..200u16 {
        let pkt = Packet::tcp(ip("172.18.0.1"), 50_000 + i, ip(WORKER_IP), 30000);
        let o = node.send(pkt, &Ingress::Iface("eth0".into()), &mut rng, 0);
        assert_eq!(o.verdict, Verdict::Accept, "{:#?}", o.trace_lines());
        let c = chains(&o);
        let pos = |name: &str| c.iter().position(|x| x == name).unwrap_or(usize::MAX);
        assert!(pos("KUBE-SERVICES") < pos("KUBE-NODEPORTS"));
        assert!(pos("KUBE-NODEPORTS") < pos(&ext));
        assert!(pos(&ext) < pos("KUBE-MARK-MASQ"));
        assert!(pos("KUBE-MARK-MASQ") < pos(&svc));
        // The nodeport rule is the addrtype LOCAL one, the last of KUBE-SERVICES.
        assert!(o
            .trace
            .iter()
            .any(|t| t.chain == "KUBE-SERVICES" && t.text.contains("--dst-type LOCAL")));
        // KUBE-POSTROUTING saw the mark, cleared it, masqueraded.
        assert!(o
            .trace
            .iter()
            .any(|t| t.chain == "KUBE-POSTROUTING" && t.target == "MASQUERADE"));
        assert_eq!(o.packet.mark, 0, "the xor-mark cleared the masquerade bit");
        assert!(o.packet.ct.src_nat && o.packet.ct.dst_nat);
        // The FORWARD accept comes from KUBE-FORWARD's mark rule.
        assert!(o.trace.iter().any(|t| t.chain == "KUBE-FORWARD"
            && t.comment.as_deref() == Some("kubernetes forwarding rules")));
        match o.delivery {
            Some(Delivery::Out { ref dev, .. }) if dev == "eth0" => {
                assert_eq!(o.packet.src, ip(WORKER_IP));
                assert_eq!(o.packet.dst, ip("10.244.2.2"));
                remote.get_or_insert(o);
            }
            Some(Delivery::Out { .. }) => {
                // To a local pod through its veth: the veth's address (10.244.1.1).
                assert_eq!(o.packet.src, ip("10.244.1.1"));
                local.get_or_insert(o);
            }
            ref d => panic!("unexpected delivery {d:?}"),
        }
        if local.is_some() && remote.is_some() {
            break;
        }
    }
    let remote = remote.expect("some connection went to worker2");
    assert!(local.is_some());
    // The reply from worker2's pod comes back over eth0: conntrack, not rules, un-NATs it.
    let mut reply = remote.packet.reply();
    reply.scrub();
    let back = node.send(reply, &Ingress::Iface("eth0".into()), &mut rng, 1);
    assert_eq!(back.verdict, Verdict::Accept);
    assert_eq!(back.packet.ct.state, CtState::Established);
    assert!(back.packet.ct.reply);
    assert_eq!((back.packet.src, back.packet.sport), (ip(WORKER_IP), 30000));
    assert_eq!(back.packet.dst, ip("172.18.0.1"));
    assert!(back.trace.iter().all(|t| t.table != TableName::Nat));
    assert!(back
        .trace
        .iter()
        .any(|t| t.comment.as_deref() == Some("kubernetes forwarding conntrack rule")));
}

#[test]
fn localhost_nodeport_from_the_node_needs_route_localnet() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(4);
    let pkt = Packet::tcp(Ipv4Addr::UNSPECIFIED, 41_000, Ipv4Addr::LOCALHOST, 30000);
    let o = node.send(pkt, &Ingress::LocalProcess, &mut rng, 0);
    assert_eq!(o.verdict, Verdict::Accept, "{:#?}", o.trace_lines());
    assert_eq!(o.hooks, [Hook::Output, Hook::Postrouting]);
    // KUBE-NODEPORTS' first rule is the 127.0.0.0/8 one with the nfacct counter.
    assert!(o.trace.iter().any(|t| t.chain == "KUBE-NODEPORTS"
        && t.text.contains("-d 127.0.0.0/8")
        && t.text.contains("localhost_nps_accepted_pkts")));
    assert!(!o.packet.src.is_loopback(), "masqueraded off 127.0.0.1");
    assert!(!o.trace.iter().any(|t| t.chain == "KUBE-FIREWALL"));

    // Without route_localnet the rerouted packet keeps a 127.0.0.1 source off lo: EINVAL.
    let mut strict = worker();
    strict.route_localnet = false;
    let o = strict.send(pkt, &Ingress::LocalProcess, &mut rng, 0);
    assert_eq!(o.verdict, Verdict::Drop);
    assert!(o.drop_reason.as_deref().unwrap().contains("route_localnet"));
    // The nat OUTPUT walk happened (and counted) before the routing failure.
    assert!(o.visited("KUBE-NODEPORTS"));
}

#[test]
fn session_affinity_sticks_within_the_timeout_and_is_reaped_after() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(5);
    let svc = svc_chain("dev/sticky:http", "tcp");
    let first = node.send(
        from_pod("10.96.50.50", 30_000),
        &Ingress::Iface(client_veth()),
        &mut rng,
        0,
    );
    let chosen = first.packet.dst;
    let sep = sep_chain("dev/sticky:http", "tcp", &format!("{chosen}:80"));
    assert!(node.recent.contains(&sep, ip(CLIENT_POD)));
    let mut t = 0;
    for i in 1..=20u16 {
        t = u64::from(i) * 2_000;
        let o = node.send(
            from_pod("10.96.50.50", 30_000 + i),
            &Ingress::Iface(client_veth()),
            &mut rng,
            t,
        );
        assert_eq!(
            o.packet.dst, chosen,
            "connection {i} left the sticky endpoint"
        );
        assert!(o
            .trace
            .iter()
            .any(|e| e.chain == svc && e.text.contains("--rcheck") && e.target == sep));
    }
    // 61 s after the last --set, the rcheck fails and --reap drops the stale entry.
    let later = t + 61_000;
    let o = node.send(
        from_pod("10.96.50.50", 31_000),
        &Ingress::Iface(client_veth()),
        &mut rng,
        later,
    );
    assert!(!o.trace.iter().any(|e| e.text.contains("--rcheck")));
    let new_sep = sep_chain("dev/sticky:http", "tcp", &format!("{}:80", o.packet.dst));
    if new_sep != sep {
        assert!(!node.recent.contains(&sep, ip(CLIENT_POD)));
    }
    assert!(node.recent.contains(&new_sep, ip(CLIENT_POD)));
}

#[test]
fn service_without_endpoints_is_rejected_in_filter() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(6);
    let o = node.send(
        from_pod("10.96.9.9", 33_000),
        &Ingress::Iface(client_veth()),
        &mut rng,
        0,
    );
    assert_eq!(o.verdict, Verdict::Reject(RejectWith::IcmpPortUnreachable));
    let hit = o.trace.last().unwrap();
    assert_eq!((hit.hook, hit.table), (Hook::Forward, TableName::Filter));
    assert_eq!(hit.chain, "KUBE-SERVICES");
    assert_eq!(
        hit.comment.as_deref(),
        Some("dev/empty:http has no endpoints")
    );
    assert!(o.delivery.is_none());
    assert_eq!(node.conntrack.len(), 0);

    let o = node.send(
        Packet::tcp(Ipv4Addr::UNSPECIFIED, 33_001, ip("10.96.9.9"), 80),
        &Ingress::LocalProcess,
        &mut rng,
        0,
    );
    assert_eq!(o.verdict, Verdict::Reject(RejectWith::IcmpPortUnreachable));
    let hit = o.trace.last().unwrap();
    assert_eq!((hit.hook, hit.table), (Hook::Output, TableName::Filter));
    assert_eq!(
        o.packet.src,
        ip(WORKER_IP),
        "source chosen by the default route"
    );
}

#[test]
fn counters_show_in_list_verbose() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(7);
    for i in 0..10u16 {
        node.send(
            from_pod("10.96.183.1", 45_000 + i),
            &Ingress::Iface(client_veth()),
            &mut rng,
            0,
        );
    }
    let opts = ListOptions {
        numeric: true,
        verbose: true,
        version: IptablesVersion::V1_8_9,
        ..Default::default()
    };
    let svc = svc_chain("dev/nginx-service:http", "tcp");
    let out = list_table(&node.nat, Some("KUBE-SERVICES"), &opts).unwrap();
    let line = out.lines().find(|l| l.contains(&svc)).unwrap();
    assert!(line.starts_with("   10   600 KUBE-SVC-"), "{line:?}");
    let out = list_table(&node.filter, Some("FORWARD"), &opts).unwrap();
    assert!(
        out.starts_with("Chain FORWARD (policy ACCEPT 10 packets, 600 bytes)\n"),
        "{out}"
    );
    let out = list_table(&node.nat, Some("PREROUTING"), &opts).unwrap();
    assert!(out.contains("   10   600 KUBE-SERVICES"), "{out}");
}

#[test]
fn pod_dns_to_the_gateway_is_dnatted_to_dockers_resolver() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(8);
    let q = Packet::udp(ip(CLIENT_POD), 53_535, ip("172.18.0.1"), 53);
    let o = node.send(q, &Ingress::Iface(client_veth()), &mut rng, 0);
    assert_eq!(o.verdict, Verdict::Accept, "{:#?}", o.trace_lines());
    assert_eq!(o.delivery, Some(Delivery::Local));
    assert_eq!(
        (o.packet.dst, o.packet.dport),
        (
            DOCKER_EMBEDDED_DNS,
            NodeBaseRules::kind_default(ip(WORKER_IP)).dns_udp_port
        )
    );
    // KUBE-FIREWALL let it through because the connection is DNAT'ed.
    assert!(o.packet.ct.state_bits() & (1 << 6) != 0);
    assert!(!o.trace.iter().any(|t| t.chain == "KUBE-FIREWALL"));
    // Without route_localnet, the DNAT to 127.0.0.11 makes it a martian.
    let mut strict = worker();
    strict.route_localnet = false;
    let o = strict.send(q, &Ingress::Iface(client_veth()), &mut rng, 0);
    assert_eq!(o.verdict, Verdict::Drop);
}

#[test]
fn pod_to_the_internet_is_masqueraded_by_kindnetd() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(9);
    let o = node.send(
        from_pod("93.184.215.14", 44_000),
        &Ingress::Iface(client_veth()),
        &mut rng,
        0,
    );
    assert_eq!(o.packet.src, ip(WORKER_IP));
    assert_eq!(
        o.packet.sport, 44_000,
        "KIND-MASQ-AGENT has no --random-fully"
    );
    let hit = o.trace.iter().find(|t| t.target == "MASQUERADE").unwrap();
    assert_eq!(hit.chain, "KIND-MASQ-AGENT");
    assert_eq!(
        o.delivery,
        Some(Delivery::Out {
            dev: "eth0".into(),
            next_hop: ip("172.18.0.1")
        })
    );
}

#[test]
fn jump_loops_and_missing_chains_do_not_panic() {
    let mut node = worker();
    let mut rng = LabRng::from_seed(10);
    for l in [
        "-A PREROUTING -j LOOP-A",
        "-A LOOP-A -j LOOP-B",
        "-A LOOP-B -j LOOP-A",
    ] {
        let (chain, rule) = crate::iptables::parse_rule_line(l).unwrap();
        node.mangle.ensure_chain("LOOP-A");
        node.mangle.ensure_chain("LOOP-B");
        node.mangle.append(&chain, rule).unwrap();
    }
    let o = node.send(
        from_pod("10.96.183.1", 1),
        &Ingress::Iface(client_veth()),
        &mut rng,
        0,
    );
    assert_eq!(o.verdict, Verdict::Drop);
    assert!(!o.warnings.is_empty());

    let mut node = worker();
    let (chain, rule) = crate::iptables::parse_rule_line("-A PREROUTING -j NOWHERE").unwrap();
    node.mangle.append(&chain, rule).unwrap();
    let o = node.send(
        from_pod("10.96.183.1", 2),
        &Ingress::Iface(client_veth()),
        &mut rng,
        0,
    );
    assert_eq!(o.verdict, Verdict::Accept);
    assert!(o.warnings.iter().any(|w| w.contains("NOWHERE")));
}

#[test]
fn mark_target_and_return_to_policy() {
    let mut t = Table::new(TableName::Mangle);
    t.ensure_chain("M");
    for l in [
        "-A OUTPUT -j M",
        "-A M -j MARK --set-xmark 0x10/0xff",
        "-A M -j MARK --or-mark 0x4000",
        "-A M -m mark --mark 0x4010 -j RETURN",
        "-A M -j DROP",
        "-A OUTPUT -j RETURN",
        "-A OUTPUT -j DROP",
    ] {
        let (c, r) = crate::iptables::parse_rule_line(l).unwrap();
        t.append(&c, r).unwrap();
    }
    let mut node = worker();
    node.mangle = t;
    let mut rng = LabRng::from_seed(11);
    let mut pkt = Packet::tcp(ip(WORKER_IP), 1000, ip("10.0.0.1"), 80);
    pkt.mark = 0x1ff;
    let r = run_hook(
        &mut node.net(),
        Hook::Output,
        &mut pkt,
        &HookIfaces::default(),
        &mut rng,
        0,
    );
    // (0x1ff & !0xff) ^ 0x10 = 0x110, then | 0x4000 = 0x4110: not 0x4010, so M's DROP hits.
    assert_eq!(pkt.mark, 0x4110);
    assert_eq!(r.verdict, Verdict::Drop);
    assert_eq!(r.trace.last().map(|e| e.target.as_str()), Some("DROP"));
    // From mark 0 the value is exactly 0x4010: RETURN to OUTPUT, whose own RETURN applies
    // the policy (the underflow entry) and counts it.
    let mut pkt2 = Packet::tcp(ip(WORKER_IP), 1000, ip("10.0.0.1"), 80);
    let r2 = run_hook(
        &mut node.net(),
        Hook::Output,
        &mut pkt2,
        &HookIfaces::default(),
        &mut rng,
        0,
    );
    assert_eq!(pkt2.mark, 0x4010);
    assert_eq!(r2.verdict, Verdict::Accept);
    let last = r2
        .trace
        .iter()
        .rfind(|e| e.table == TableName::Mangle)
        .unwrap();
    assert_eq!(last.rule, None);
    assert_eq!(last.text, "-P OUTPUT ACCEPT");
    assert_eq!(last.line(), "mangle OUTPUT policy -P OUTPUT ACCEPT");
    assert_eq!(
        node.mangle.chain("OUTPUT").unwrap().policy_counters.packets,
        1
    );
    // Rule counters: OUTPUT's jump saw both packets, its RETURN only the second.
    let counts: Vec<u64> = node
        .mangle
        .chain("OUTPUT")
        .unwrap()
        .rules
        .iter()
        .map(|r| r.counters.packets)
        .collect();
    assert_eq!(counts, [2, 1, 0]);
}

/// The article's worker before kube-proxy: `iptables-save -t nat`.
const WORKER_NAT_SAVE: &str = "\
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Jun 14 09:00:00 2025
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
:KIND-MASQ-AGENT - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
-A PREROUTING -d 172.18.0.1/32 -j DOCKER_OUTPUT
-A OUTPUT -d 172.18.0.1/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 172.18.0.1/32 -j DOCKER_POSTROUTING
-A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment \"kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain\" -j KIND-MASQ-AGENT
-A DOCKER_OUTPUT -d 172.18.0.1/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:37919
-A DOCKER_OUTPUT -d 172.18.0.1/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:46567
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 37919 -j SNAT --to-source 172.18.0.1:53
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 46567 -j SNAT --to-source 172.18.0.1:53
-A KIND-MASQ-AGENT -d 10.244.0.0/16 -m comment --comment \"kind-masq-agent: local traffic is not subject to MASQUERADE\" -j RETURN
-A KIND-MASQ-AGENT -m comment --comment \"kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)\" -j MASQUERADE
COMMIT
# Completed on Sat Jun 14 09:00:00 2025
";

const WORKER_FILTER_SAVE: &str = "\
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Jun 14 09:00:00 2025
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
-A INPUT -j KUBE-FIREWALL
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment \"block incoming localnet connections\" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
COMMIT
# Completed on Sat Jun 14 09:00:00 2025
";

const WORKER_MANGLE_SAVE: &str = "\
# Generated by iptables-save v1.8.9 (nf_tables) on Sat Jun 14 09:00:00 2025
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-IPTABLES-HINT - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
COMMIT
# Completed on Sat Jun 14 09:00:00 2025
";

#[test]
fn golden_base_rules_iptables_save() {
    let node = NodeBaseRules::kind_default(ip(WORKER_IP));
    let header = kind_save_header("Sat Jun 14 09:00:00 2025");
    assert_eq!(
        base_rules_save_text(&node, TableName::Nat, &header),
        WORKER_NAT_SAVE
    );
    assert_eq!(
        base_rules_save_text(&node, TableName::Filter, &header),
        WORKER_FILTER_SAVE
    );
    assert_eq!(
        base_rules_save_text(&node, TableName::Mangle, &header),
        WORKER_MANGLE_SAVE
    );

    // The installed tables print the same, minus what the model cannot hold (SNAT).
    let (mut f, mut n, mut m) = (
        Table::new(TableName::Filter),
        Table::new(TableName::Nat),
        Table::new(TableName::Mangle),
    );
    let missing = install_node_base_rules(&mut f, &mut n, &mut m, &node);
    assert!(
        missing.iter().all(|l| l.contains(" -j SNAT ")),
        "{missing:?}"
    );
    let without = |golden: &str| -> String {
        golden
            .lines()
            .filter(|l| !missing.iter().any(|x| x == l))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    assert_eq!(save_table(&n, &header), without(WORKER_NAT_SAVE));
    assert_eq!(save_table(&f, &header), WORKER_FILTER_SAVE);
    assert_eq!(save_table(&m, &header), WORKER_MANGLE_SAVE);
    // Installing twice changes nothing.
    install_node_base_rules(&mut f, &mut n, &mut m, &node);
    assert_eq!(save_table(&f, &header), WORKER_FILTER_SAVE);
    assert_eq!(save_table(&n, &header), without(WORKER_NAT_SAVE));
}

#[test]
fn kube_proxy_jumps_go_above_the_base_rules() {
    let node = worker();
    let header = kind_save_header("x");
    let nat = save_table(&node.nat, &header);
    let pre: Vec<&str> = nat
        .lines()
        .filter(|l| l.starts_with("-A PREROUTING"))
        .collect();
    assert_eq!(
        pre,
        [
            "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
            "-A PREROUTING -d 172.18.0.1/32 -j DOCKER_OUTPUT",
        ]
    );
    let filter = save_table(&node.filter, &header);
    let input: Vec<&str> = filter
        .lines()
        .filter(|l| l.starts_with("-A INPUT"))
        .collect();
    // kubelet's KUBE-FIREWALL jump was there first, so kube-proxy's -C finds it and it stays last.
    assert_eq!(input.last(), Some(&"-A INPUT -j KUBE-FIREWALL"));
    assert_eq!(input.len(), 4);
}

#[test]
fn dns_ports_are_seeded_and_in_the_ephemeral_range() {
    let a =
        NodeBaseRules::kind_default(ip(WORKER_IP)).with_dns_ports_from(&mut LabRng::from_seed(1));
    let b =
        NodeBaseRules::kind_default(ip(WORKER_IP)).with_dns_ports_from(&mut LabRng::from_seed(1));
    assert_eq!(a, b);
    for p in [a.dns_tcp_port, a.dns_udp_port] {
        assert!((32768..=60999).contains(&p));
    }
    assert_ne!(a.dns_tcp_port, a.dns_udp_port);
}

/// A long KUBE-SERVICES is walked through its destination index: the same verdicts, DNATs,
/// traces, counters, affinity entries and random draws as testing every rule in turn.
#[test]
fn the_destination_index_walks_as_every_rule_would() {
    let mut many = services();
    for i in 0..120u8 {
        let mut svc = service(&format!("svc-{i}"), &format!("10.96.7.{i}"), i % 3 != 0);
        if i % 5 == 0 {
            svc.session_affinity_timeout = Some(30);
        }
        many.push(svc);
    }
    let run = |walk_every_rule: bool| {
        run::WALK_EVERY_RULE.with(|c| c.set(walk_every_rule));
        let mut node = worker_with(&many);
        let mut rng = LabRng::from_seed(7);
        let mut seen = Vec::new();
        for i in 0..600u32 {
            let dst = match i % 4 {
                0 => format!("10.96.7.{}", i % 130),
                1 => "10.96.183.1".to_string(),
                2 => WORKER_IP.to_string(),
                _ => "10.244.2.2".to_string(),
            };
            let mut pkt = from_pod(&dst, 20_000 + (i % 7) as u16);
            if i % 4 == 2 {
                pkt.dport = 30000;
            }
            let o = node.send(
                pkt,
                &Ingress::Iface(client_veth()),
                &mut rng,
                u64::from(i) * 100,
            );
            seen.push((format!("{:?} {:?}", o.verdict, o.packet.dst), chains(&o)));
        }
        run::WALK_EVERY_RULE.with(|c| c.set(false));
        (seen, [node.filter, node.nat, node.mangle])
    };
    let indexed = run(false);
    let every_rule = run(true);
    let services_len = indexed.1[1]
        .chain("KUBE-SERVICES")
        .map_or(0, |c| c.rules.len());
    assert!(
        services_len > super::dst_index::MIN_INDEXED_RULES,
        "{services_len}"
    );
    // Rules skipped by the index counted nothing; the ones tested did.
    assert!(indexed.1[1].chain("KUBE-SERVICES").is_some_and(|c| c
        .rules
        .iter()
        .filter(|r| r.counters.packets > 0)
        .count()
        > 30));
    assert!(indexed == every_rule, "the walks differ");
}

/// Untraced walks replay remembered walks (`walk_memo`): every verdict, packet, counter,
/// `recent` entry, warning and random draw is the one walking every rule gives. The node has
/// statistic splits, session affinity, a NodePort's mark and masquerade, a REJECT, and
/// rules added by hand: a source-port match after a statistic draw, a statistic draw before
/// a fixed match that fails (drawn, never matching), a MARK, a draw on marked packets only,
/// and a jump to a missing chain (a warning each time, so never remembered).
#[test]
fn remembered_walks_count_and_draw_as_walking_every_rule() {
    let run = |remember: bool| {
        run::FORGET_WALKS.with(|c| c.set(!remember));
        let mut node = worker();
        for l in [
            "-A PREROUTING -p tcp -m statistic --mode random --probability 0.5 -m tcp --sport 20000:20003 -j MARK --set-xmark 0x100/0x100",
            "-A PREROUTING -m statistic --mode random --probability 0.3 -m mark --mark 0x7 -j DROP",
            "-A PREROUTING -m mark --mark 0x100/0x100 -m statistic --mode random --probability 0.05 -j DROP",
            "-A PREROUTING -d 10.96.9.9/32 -j NOWHERE",
        ] {
            let (chain, rule) = crate::iptables::parse_rule_line(l).unwrap();
            node.mangle.append(&chain, rule).unwrap();
        }
        let mut rng = LabRng::from_seed(11);
        let mut seen = Vec::new();
        let mut notes = eval::Notes::default();
        let mut net = node.net();
        let mut view = run::NodeView::of(&mut net);
        for i in 0..3000u32 {
            let sport = 20_000 + (i % 9) as u16;
            let (pkt, ingress) = match i % 5 {
                0 => (from_pod("10.96.183.1", sport), client_veth()),
                1 => (from_pod("10.96.50.50", sport), client_veth()),
                2 => (from_pod("10.96.9.9", sport), client_veth()),
                3 => (
                    Packet::tcp(ip("172.18.0.1"), sport, ip(WORKER_IP), 30000),
                    "eth0".to_string(),
                ),
                _ => (
                    Packet::tcp(
                        ip(&format!("172.18.0.{}", 1 + i % 3)),
                        sport,
                        ip("10.96.27.20"),
                        80,
                    ),
                    "eth0".to_string(),
                ),
            };
            if view.conntrack.len() > 500 {
                view.conntrack.flush();
            }
            let walked = path::traverse_in(
                &mut view,
                pkt,
                path::IngressRef::Iface(&ingress),
                &mut rng,
                u64::from(i) * 50,
                &mut notes,
            );
            seen.push(format!(
                "{:?} {:?} {:?} {:?}",
                walked.verdict, walked.packet, walked.delivery, notes.warnings
            ));
            notes.warnings.clear();
        }
        let deltas = view.into_deltas();
        let recent = format!("{:?}", net.recent);
        deltas.apply(&mut node.filter, &mut node.nat, &mut node.mangle);
        run::FORGET_WALKS.with(|c| c.set(false));
        (
            seen,
            [node.filter, node.nat, node.mangle],
            recent,
            rng.next_u32(),
        )
    };
    let remembered = run(true);
    let walked = run(false);
    assert!(
        walked.0.iter().any(|s| s.contains("NOWHERE")),
        "the missing chain warns"
    );
    assert!(walked.0.iter().any(|s| s.starts_with("Drop")));
    assert!(walked.0.iter().any(|s| s.starts_with("Reject")));
    assert!(walked.0.iter().any(|s| s.contains("mark: 256")));
    for (i, (a, b)) in remembered.0.iter().zip(&walked.0).enumerate() {
        assert_eq!(a, b, "packet {i}");
    }
    assert!(remembered.1 == walked.1, "the counters differ");
    assert_eq!(remembered.2, walked.2, "the recent lists differ");
    assert_eq!(remembered.3, walked.3, "the random draws differ");
}

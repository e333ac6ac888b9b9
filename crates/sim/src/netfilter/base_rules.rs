//! The rules a kind v0.29.0 node (kindest/node:v1.33.1) has before kube-proxy writes its own,
//! built the way the node gets them, in this order:
//!
//! 1. **Docker's embedded DNS** (moby `libnetwork/resolver_unix.go` `setupIPTable`): when the
//!    container starts, dockerd creates nat chains `DOCKER_OUTPUT` and `DOCKER_POSTROUTING`,
//!    inserts `-I OUTPUT -d 127.0.0.11 -j DOCKER_OUTPUT` and `-I POSTROUTING -d 127.0.0.11 -j
//!    DOCKER_POSTROUTING`, then with `-I` (so the last inserted is first) DNAT rules sending
//!    127.0.0.11:53 to the resolver's real UDP/TCP ports and SNAT rules rewriting the replies'
//!    source port back to 53. The ports are ephemeral and differ per container.
//! 2. **kind's entrypoint** (`images/base/files/usr/local/bin/entrypoint`,
//!    `enable_network_magic`): pipes `iptables-save` through sed and back into
//!    `iptables-restore`: `-d 127.0.0.11` becomes `-d <docker host ip>` (the default gateway
//!    when `host.docker.internal` does not resolve, as on Linux), every
//!    `-A OUTPUT … -j DOCKER_OUTPUT` gets a `-A PREROUTING …` twin so pods' DNS queries are
//!    caught too, and `--to-source :53` becomes `--to-source <docker host ip>:53`. It also
//!    rewrites /etc/resolv.conf to the same IP.
//! 3. **kubelet** (kubernetes v1.33 `pkg/kubelet/kubelet_network_linux.go` `syncIPTablesRules`
//!    and the `Monitor` canary): mangle `KUBE-IPTABLES-HINT`; filter `KUBE-FIREWALL` with the
//!    "block incoming localnet connections" rule, jumped to from the top of INPUT and OUTPUT
//!    (`EnsureRule(Prepend, …)`); `KUBE-KUBELET-CANARY` in mangle, nat and filter.
//! 4. **kindnetd** (kind v0.29.0 `images/kindnetd/cmd/kindnetd/masq.go` `SyncRules`, with
//!    `POD_SUBNET` = the cluster's podSubnet): nat `KIND-MASQ-AGENT` = RETURN for the pod
//!    subnet, then MASQUERADE; appended to POSTROUTING for non-LOCAL destinations.
//!
//! Built-in chain policies are all ACCEPT. The text below is what `iptables-save` prints for
//! these rules on the node (iptables 1.8.9, nf_tables), in its canonical option order.

use std::net::Ipv4Addr;

use crate::iptables::{parse_rule_line, Ipv4Cidr, SaveHeader, Table, TableName, Target};
use crate::random::LabRng;

/// Docker's embedded DNS server address inside every container on a user-defined network.
pub const DOCKER_EMBEDDED_DNS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 11);

/// The first port of Linux's default `net.ipv4.ip_local_port_range` (32768–60999), from
/// which the embedded DNS resolver's listening ports come.
pub const EPHEMERAL_PORT_MIN: u16 = 32768;
/// The last port of that range.
pub const EPHEMERAL_PORT_MAX: u16 = 60999;

/// Documented fixed DNS resolver ports for callers without a seed.
pub const DEFAULT_DNS_TCP_PORT: u16 = 37_919;
/// See [`DEFAULT_DNS_TCP_PORT`].
pub const DEFAULT_DNS_UDP_PORT: u16 = 46_567;

/// What the base rules of one node depend on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeBaseRules {
    /// The node's address on the docker network (not in the rules themselves: MASQUERADE
    /// picks it at run time; kept so callers describe the node in one place).
    pub node_ip: Ipv4Addr,
    /// The cluster's podSubnet (kindnetd's `POD_SUBNET`, `10.244.0.0/16` by default).
    pub pod_subnet: Ipv4Cidr,
    /// The docker network's subnet (used for routes, not rules).
    pub docker_network_subnet: Ipv4Cidr,
    /// The docker network's gateway: the entrypoint's `docker_host_ip` on Linux.
    pub gateway: Ipv4Addr,
    /// The embedded DNS resolver's TCP port.
    pub dns_tcp_port: u16,
    /// The embedded DNS resolver's UDP port.
    pub dns_udp_port: u16,
}

impl NodeBaseRules {
    /// A kind node on `172.18.0.0/16` (gateway `.1`) with the default podSubnet and the
    /// documented fixed DNS ports.
    pub fn kind_default(node_ip: Ipv4Addr) -> Self {
        Self {
            node_ip,
            pod_subnet: Ipv4Cidr::new(Ipv4Addr::new(10, 244, 0, 0), 16),
            docker_network_subnet: Ipv4Cidr::new(Ipv4Addr::new(172, 18, 0, 0), 16),
            gateway: Ipv4Addr::new(172, 18, 0, 1),
            dns_tcp_port: DEFAULT_DNS_TCP_PORT,
            dns_udp_port: DEFAULT_DNS_UDP_PORT,
        }
    }

    /// Draws the two resolver ports from the lab's generator (TCP first, then UDP, distinct),
    /// uniformly from the ephemeral range, so a seed fixes them.
    pub fn with_dns_ports_from(mut self, rng: &mut LabRng) -> Self {
        let span = u64::from(EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN) + 1;
        let draw = |rng: &mut LabRng| {
            u16::try_from(u64::from(EPHEMERAL_PORT_MIN) + rng.below(span))
                .unwrap_or(EPHEMERAL_PORT_MIN)
        };
        self.dns_tcp_port = draw(rng);
        let mut udp = draw(rng);
        // Both sockets bind 127.0.0.11 but TCP and UDP ports never clash; still, keep them
        // distinct so the two DNAT rules read differently, as they do on real nodes.
        for _ in 0..8 {
            if udp != self.dns_tcp_port {
                break;
            }
            udp = draw(rng);
        }
        self.dns_udp_port = udp;
        self
    }
}

/// The base rules of one table as `iptables-save` prints them: user chains (besides the
/// built-ins) and `-A` lines in chain order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableRules {
    /// User chains, sorted as iptables-save lists them.
    pub chains: Vec<String>,
    /// `-A` lines, grouped by chain (built-ins in hook order first, then user chains).
    pub rules: Vec<String>,
}

/// The base rules of all three tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BaseRules {
    /// mangle.
    pub mangle: TableRules,
    /// filter.
    pub filter: TableRules,
    /// nat.
    pub nat: TableRules,
}

/// The `iptables-save` lines Docker leaves for its embedded DNS, before kind touches them
/// (rules inserted with `-I` come out in reverse order of insertion: TCP before UDP).
pub fn docker_dns_save_lines(node: &NodeBaseRules) -> Vec<String> {
    let dns = DOCKER_EMBEDDED_DNS;
    let (tcp, udp) = (node.dns_tcp_port, node.dns_udp_port);
    vec![
        format!("-A OUTPUT -d {dns}/32 -j DOCKER_OUTPUT"),
        format!("-A POSTROUTING -d {dns}/32 -j DOCKER_POSTROUTING"),
        format!("-A DOCKER_OUTPUT -d {dns}/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination {dns}:{tcp}"),
        format!("-A DOCKER_OUTPUT -d {dns}/32 -p udp -m udp --dport 53 -j DNAT --to-destination {dns}:{udp}"),
        format!("-A DOCKER_POSTROUTING -s {dns}/32 -p tcp -m tcp --sport {tcp} -j SNAT --to-source :53"),
        format!("-A DOCKER_POSTROUTING -s {dns}/32 -p udp -m udp --sport {udp} -j SNAT --to-source :53"),
    ]
}

/// kind's `enable_network_magic` sed program applied to iptables-save lines.
pub fn entrypoint_network_magic(lines: &[String], docker_host_ip: Ipv4Addr) -> Vec<String> {
    let dns = DOCKER_EMBEDDED_DNS.to_string();
    let mut out = Vec::with_capacity(lines.len() + 1);
    for line in lines {
        // s/-d ${docker_embedded_dns_ip}/-d ${docker_host_ip}/g
        let mut l = line.replace(&format!("-d {dns}"), &format!("-d {docker_host_ip}"));
        // s/--to-source :53/--to-source ${docker_host_ip}:53/g
        l = l.replace(
            "--to-source :53",
            &format!("--to-source {docker_host_ip}:53"),
        );
        // s/p -j DNAT --to-destination ${dns}/p --dport 53 -j DNAT --to-destination ${dns}/g
        // (only for rules that lost their --dport, kind issue #3054; a no-op here).
        l = l.replace(
            &format!("p -j DNAT --to-destination {dns}"),
            &format!("p --dport 53 -j DNAT --to-destination {dns}"),
        );
        // s/-A OUTPUT \(.*\) -j DOCKER_OUTPUT/\0\n-A PREROUTING \1 -j DOCKER_OUTPUT/
        let twin = l
            .strip_prefix("-A OUTPUT ")
            .and_then(|rest| rest.strip_suffix(" -j DOCKER_OUTPUT"))
            .map(|mid| format!("-A PREROUTING {mid} -j DOCKER_OUTPUT"));
        out.push(l);
        out.extend(twin);
    }
    out
}

/// The base rules of a node, table by table, exactly as iptables-save prints them.
pub fn base_rules(node: &NodeBaseRules) -> BaseRules {
    let magic = entrypoint_network_magic(&docker_dns_save_lines(node), node.gateway);
    let rule_of = |chain: &str| -> Vec<String> {
        magic
            .iter()
            .filter(|l| l.split(' ').nth(1) == Some(chain))
            .cloned()
            .collect()
    };
    let pod = node.pod_subnet;
    let mut nat_rules = Vec::new();
    nat_rules.extend(rule_of("PREROUTING"));
    nat_rules.extend(rule_of("OUTPUT"));
    nat_rules.extend(rule_of("POSTROUTING"));
    nat_rules.push("-A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment \"kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain\" -j KIND-MASQ-AGENT".to_string());
    nat_rules.extend(rule_of("DOCKER_OUTPUT"));
    nat_rules.extend(rule_of("DOCKER_POSTROUTING"));
    nat_rules.push(format!("-A KIND-MASQ-AGENT -d {pod} -m comment --comment \"kind-masq-agent: local traffic is not subject to MASQUERADE\" -j RETURN"));
    nat_rules.push("-A KIND-MASQ-AGENT -m comment --comment \"kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)\" -j MASQUERADE".to_string());
    BaseRules {
        mangle: TableRules {
            chains: vec!["KUBE-IPTABLES-HINT".into(), "KUBE-KUBELET-CANARY".into()],
            rules: Vec::new(),
        },
        filter: TableRules {
            chains: vec!["KUBE-FIREWALL".into(), "KUBE-KUBELET-CANARY".into()],
            rules: vec![
                "-A INPUT -j KUBE-FIREWALL".into(),
                "-A OUTPUT -j KUBE-FIREWALL".into(),
                "-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment \"block incoming localnet connections\" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP".into(),
            ],
        },
        nat: TableRules {
            chains: vec![
                "DOCKER_OUTPUT".into(),
                "DOCKER_POSTROUTING".into(),
                "KIND-MASQ-AGENT".into(),
                "KUBE-KUBELET-CANARY".into(),
            ],
            rules: nat_rules,
        },
    }
}

/// Writes a node's base rules into its tables at boot (idempotent: a rule already present is
/// not added twice, as `-C`/AppendUnique/EnsureRule check first).
///
/// Returns the lines the table model cannot hold yet: Docker's two `-j SNAT --to-source`
/// rules (the model has no SNAT target). They only match replies from 127.0.0.11, which the
/// lab never sends, so the walk is unaffected; `iptables-save` will miss them until the
/// model grows `Target::Snat`, at which point they install like the rest.
pub fn install_node_base_rules(
    filter: &mut Table,
    nat: &mut Table,
    mangle: &mut Table,
    node: &NodeBaseRules,
) -> Vec<String> {
    let rules = base_rules(node);
    let mut unsupported = Vec::new();
    for (table, tr) in [
        (mangle, &rules.mangle),
        (filter, &rules.filter),
        (nat, &rules.nat),
    ] {
        for c in &tr.chains {
            table.ensure_chain(c);
        }
        for line in &tr.rules {
            let parsed = parse_rule_line(line)
                .ok()
                .filter(|(_, r)| !matches!(&r.target, Target::Jump(t) if t == "SNAT"));
            let Some((chain, rule)) = parsed else {
                unsupported.push(line.clone());
                continue;
            };
            let present = table
                .chain(&chain)
                .is_some_and(|c| c.rules.iter().any(|r| same_rule(r, &rule)));
            if !present && table.append(&chain, rule).is_err() {
                unsupported.push(line.clone());
            }
        }
    }
    unsupported
}

fn same_rule(a: &crate::iptables::Rule, b: &crate::iptables::Rule) -> bool {
    a.src == b.src
        && a.dst == b.dst
        && a.in_iface == b.in_iface
        && a.out_iface == b.out_iface
        && a.protocol == b.protocol
        && a.matches == b.matches
        && a.target == b.target
}

/// The base rules as the full `iptables-save` output of one table (header, built-in chains
/// with zero counters, user chains, rules, COMMIT), for golden comparisons and for callers
/// that want the text without tables.
pub fn base_rules_save_text(node: &NodeBaseRules, table: TableName, header: &SaveHeader) -> String {
    let rules = base_rules(node);
    let tr = match table {
        TableName::Mangle => &rules.mangle,
        TableName::Filter => &rules.filter,
        TableName::Nat => &rules.nat,
    };
    let mut out = format!(
        "# Generated by {} v{} on {}\n*{}\n",
        header.program,
        header.version,
        header.timestamp,
        table.as_str()
    );
    for b in table.builtin_chains() {
        out.push_str(&format!(":{b} ACCEPT [0:0]\n"));
    }
    for c in &tr.chains {
        out.push_str(&format!(":{c} - [0:0]\n"));
    }
    for r in &tr.rules {
        out.push_str(r);
        out.push('\n');
    }
    out.push_str(&format!("COMMIT\n# Completed on {}\n", header.timestamp));
    out
}

/// The header kind v0.29.0's node prints: `iptables-save` is the nf_tables variant of
/// iptables 1.8.9 (debian bookworm), whose `xtables-save.c` appends " (nf_tables)" to the
/// version.
pub fn kind_save_header(timestamp: &str) -> SaveHeader {
    SaveHeader {
        program: "iptables-save".into(),
        version: "1.8.9 (nf_tables)".into(),
        timestamp: timestamp.into(),
    }
}

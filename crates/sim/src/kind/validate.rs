//! Config validation, message for message as `pkg/internal/apis/config/validate.go` (kind v0.29.0).
//!
//! Errors are collected in kind's order (name, apiServerPort, ipFamily, pod subnet, service
//! subnet, kubeProxyMode, each node, control-plane count) and combined with kind's aggregate.

use super::config::{Cluster, Node, PortMapping, SourceMap};
use super::error::{aggregate, go_quote, Location, Problem};
use super::netparse::{format_ip, parse_cidr, parse_ip, GoIp};
use std::collections::BTreeMap;

/// The pattern kind prints for a bad cluster name (`validNameRE`).
const NAME_PATTERN: &str = "^[a-z0-9.-]+$";

/// A failed validation: kind's combined message and the individual problems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The text kind prints after `ERROR: failed to create cluster: `.
    pub message: String,
    /// One entry per leaf problem, with its field path and YAML position when known.
    pub problems: Vec<Problem>,
}

/// `^[a-z0-9.-]+$`, by hand.
pub fn is_valid_cluster_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// `Cluster.Validate()`; `name_path` is `Some("name")` when the name came from the config.
pub fn validate(
    c: &Cluster,
    sm: &SourceMap,
    name_path: Option<&str>,
) -> Result<(), ValidationError> {
    let mut out = Collector::default();
    if !is_valid_cluster_name(&c.name) {
        let path = name_path.unwrap_or("");
        let loc = name_path.and_then(|p| sm.value(p));
        out.add(
            format!(
                "'{}' is not a valid cluster name, cluster names must match `{NAME_PATTERN}`",
                c.name
            ),
            path,
            loc,
        );
    }

    let net = &c.networking;
    // Port 0 means "pick one at runtime" and is not checked.
    if net.api_server_port != 0 {
        if let Err(e) = validate_port(net.api_server_port) {
            let p = "networking.apiServerPort";
            out.add(format!("invalid apiServerPort: {e}"), p, sm.value(p));
        }
    }
    if !matches!(net.ip_family.as_str(), "ipv4" | "ipv6" | "dual") {
        let p = "networking.ipFamily";
        out.add(
            format!("invalid ipFamily: {}", net.ip_family),
            p,
            sm.value(p),
        );
    }
    if let Err(e) = validate_subnets(&net.pod_subnet, &net.ip_family) {
        let p = "networking.podSubnet";
        out.add(format!("invalid pod subnet {e}"), p, sm.value(p));
    }
    if let Err(e) = validate_subnets(&net.service_subnet, &net.ip_family) {
        let p = "networking.serviceSubnet";
        out.add(format!("invalid service subnet {e}"), p, sm.value(p));
    }
    if !matches!(
        net.kube_proxy_mode.as_str(),
        "iptables" | "ipvs" | "none" | "nftables"
    ) {
        let p = "networking.kubeProxyMode";
        out.add(
            format!("invalid kubeProxyMode: {}", net.kube_proxy_mode),
            p,
            sm.value(p),
        );
    }

    let mut control_planes = 0usize;
    for (i, n) in c.nodes.iter().enumerate() {
        let (node_msgs, node_problems) = validate_node(n, i, sm);
        if let Some(m) = aggregate(&node_msgs) {
            out.msgs
                .push(format!("invalid configuration for node {i}: {m}"));
            out.problems.extend(node_problems);
        }
        if n.role == "control-plane" {
            control_planes += 1;
        }
    }
    if control_planes < 1 {
        let loc = sm.key("nodes");
        out.add(
            "must have at least one control-plane node".to_owned(),
            "nodes",
            loc,
        );
    }

    match aggregate(&out.msgs) {
        None => Ok(()),
        Some(message) => Err(ValidationError {
            message,
            problems: out.problems,
        }),
    }
}

/// Messages in kind's order, and the matching problems.
#[derive(Default)]
struct Collector {
    msgs: Vec<String>,
    problems: Vec<Problem>,
}

impl Collector {
    fn add(&mut self, msg: String, path: &str, location: Option<Location>) {
        self.problems.push(Problem {
            message: msg.clone(),
            path: path.to_owned(),
            location,
        });
        self.msgs.push(msg);
    }
}

/// `Node.Validate()`: its messages, and the problems (paths relative to the config root).
fn validate_node(n: &Node, i: usize, sm: &SourceMap) -> (Vec<String>, Vec<Problem>) {
    let base = format!("nodes[{i}]");
    let mut out = Collector::default();
    let mut add = |msg: String, path: String| {
        let location = sm.value(&path).or_else(|| sm.key(&base));
        out.add(msg, &path, location);
    };
    if n.role != "control-plane" && n.role != "worker" {
        add(
            format!("{} is not a valid node role", go_quote(&n.role)),
            format!("{base}.role"),
        );
    }
    if n.image.is_empty() {
        add(
            "image is a required field".to_owned(),
            format!("{base}.image"),
        );
    }
    for (j, m) in n.extra_port_mappings.iter().enumerate() {
        let pm = format!("{base}.extraPortMappings[{j}]");
        if let Err(e) = validate_port(m.host_port) {
            add(format!("invalid hostPort: {e}"), format!("{pm}.hostPort"));
        }
        if let Err(e) = validate_port(m.container_port) {
            add(
                format!("invalid containerPort: {e}"),
                format!("{pm}.containerPort"),
            );
        }
    }
    if let Err((j, e)) = validate_port_mappings(&n.extra_port_mappings) {
        add(
            format!("invalid portMapping: {e}"),
            format!("{base}.extraPortMappings[{j}]"),
        );
    }
    // Problems carry the node prefix so each reads on its own.
    for p in &mut out.problems {
        p.message = format!("invalid configuration for node {i}: {}", p.message);
    }
    (out.msgs, out.problems)
}

/// `validatePort`: -1 (let the backend pick) to 65535.
fn validate_port(port: i32) -> Result<(), String> {
    if !(-1..=65535).contains(&port) {
        return Err(format!("invalid port number: {port}"));
    }
    Ok(())
}

/// `validatePortMappings`: the first clash of listen address, host port and protocol, with the
/// index of the mapping that clashed.
///
/// Kept as kind v0.29.0 has it: an empty or unparsable listenAddress is Go's nil IP and prints as
/// `<nil>` (kind v0.30 later treats empty as 0.0.0.0).
fn validate_port_mappings(mappings: &[PortMapping]) -> Result<(), (usize, String)> {
    const ERR: &str = "port mapping with same listen address, port and protocol already configured";
    let wildcard4: GoIp = match parse_ip("0.0.0.0") {
        Some(ip) => ip,
        None => return Ok(()),
    };
    let wildcard6 = parse_ip("::");
    let mut binds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (j, m) in mappings.iter().enumerate() {
        // -1 and 0 pick a random host port, so they never clash.
        if m.host_port == -1 || m.host_port == 0 {
            continue;
        }
        let mut addr = parse_ip(&m.listen_address);
        let mut addr_string = format_ip(addr.as_ref());
        let port_protocol = format!("{}/{}", m.host_port, m.protocol);
        let possible = format!("{ERR}: {addr_string}:{port_protocol}");
        // Go treats [::] like 0.0.0.0 here.
        if addr.is_some() && addr == wildcard6 {
            addr = Some(wildcard4);
            addr_string = format_ip(addr.as_ref());
        }
        let wildcard_string = format_ip(Some(&wildcard4));
        match binds.get_mut(&port_protocol) {
            Some(set) => {
                if addr == Some(wildcard4) && !set.is_empty() {
                    return Err((j, possible));
                }
                if set.contains(&addr_string) || set.contains(&wildcard_string) {
                    return Err((j, possible));
                }
                set.push(addr_string);
            }
            None => {
                binds.insert(port_protocol, vec![addr_string]);
            }
        }
    }
    Ok(())
}

/// `validateSubnets`: the inner message, wrapped by the caller as `invalid pod subnet %v`.
fn validate_subnets(subnets: &str, family: &str) -> Result<(), String> {
    let mut parsed = Vec::new();
    for s in subnets.split(',') {
        match parse_cidr(s) {
            Ok(c) => parsed.push(c),
            Err(e) => {
                return Err(format!(
                    "failed to parse cidr value:{} with error: {e}",
                    go_quote(s)
                ));
            }
        }
    }
    let dual = family == "dual";
    const DUAL_MSG: &str =
        "expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking";
    let first_v4 = parsed.first().map(|c| c.is_v4());
    if parsed.is_empty() {
        Err("no subnets defined".to_owned())
    } else if dual && parsed.len() > 2 {
        Err(DUAL_MSG.to_owned())
    } else if dual && parsed.len() == 2 {
        let v4 = parsed.iter().any(|c| c.is_v4());
        let v6 = parsed.iter().any(|c| !c.is_v4());
        if v4 && v6 {
            Ok(())
        } else {
            Err(DUAL_MSG.to_owned())
        }
    } else if !dual && parsed.len() > 1 {
        Err("only one CIDR allowed for single-stack networking".to_owned())
    } else if family == "ipv4" && first_v4 == Some(false) {
        Err("expected IPv4 CIDR for IPv4 family".to_owned())
    } else if family == "ipv6" && first_v4 == Some(true) {
        Err("expected IPv6 CIDR for IPv6 family".to_owned())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::defaults::set_defaults;

    fn base() -> Cluster {
        let mut c = Cluster {
            name: "kind".to_owned(),
            ..Cluster::default()
        };
        set_defaults(&mut c);
        c
    }

    fn msg(c: &Cluster) -> Option<String> {
        validate(c, &SourceMap::default(), Some("name"))
            .err()
            .map(|e| e.message)
    }

    fn pm(host: i32, container: i32, addr: &str, proto: &str) -> PortMapping {
        PortMapping {
            container_port: container,
            host_port: host,
            listen_address: addr.to_owned(),
            protocol: proto.to_owned(),
        }
    }

    #[test]
    fn every_validation_message() {
        type Edit = fn(&mut Cluster);
        let cases: &[(&str, Edit, &str)] = &[
            ("name", |c| c.name = "My_Cluster".into(),
             "'My_Cluster' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`"),
            ("empty name", |c| c.name = String::new(),
             "'' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`"),
            ("apiServerPort", |c| c.networking.api_server_port = 70000,
             "invalid apiServerPort: invalid port number: 70000"),
            ("apiServerPort below -1", |c| c.networking.api_server_port = -2,
             "invalid apiServerPort: invalid port number: -2"),
            ("ipFamily", |c| c.networking.ip_family = "ipv5".into(), "invalid ipFamily: ipv5"),
            ("pod subnet parse", |c| c.networking.pod_subnet = "10.244.0.0".into(),
             "invalid pod subnet failed to parse cidr value:\"10.244.0.0\" with error: invalid CIDR address: 10.244.0.0"),
            ("pod subnet two for single stack", |c| c.networking.pod_subnet = "10.244.0.0/16,10.245.0.0/16".into(),
             "invalid pod subnet only one CIDR allowed for single-stack networking"),
            ("service subnet v6 for v4", |c| c.networking.service_subnet = "fd00::/112".into(),
             "invalid service subnet expected IPv4 CIDR for IPv4 family"),
            ("v4 subnet for v6", |c| { c.networking.ip_family = "ipv6".into(); c.networking.service_subnet = "fd00:10:96::/112".into(); c.networking.pod_subnet = "10.244.0.0/16".into(); },
             "invalid pod subnet expected IPv6 CIDR for IPv6 family"),
            ("dual needs both families", |c| { c.networking.ip_family = "dual".into(); c.networking.pod_subnet = "10.244.0.0/16,10.245.0.0/16".into(); },
             "invalid pod subnet expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking"),
            ("dual three", |c| { c.networking.ip_family = "dual".into(); c.networking.pod_subnet = "10.244.0.0/16,fd00::/56,10.1.0.0/16".into(); },
             "invalid pod subnet expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking"),
            ("kubeProxyMode", |c| c.networking.kube_proxy_mode = "userspace".into(),
             "invalid kubeProxyMode: userspace"),
            ("role", |c| c.nodes.push(Node { role: "master".into(), image: "x".into(), ..Node::default() }),
             "invalid configuration for node 1: \"master\" is not a valid node role"),
            ("image", |c| c.nodes[0].image = String::new(),
             "invalid configuration for node 0: image is a required field"),
            ("hostPort", |c| c.nodes[0].extra_port_mappings.push(pm(70000, 80, "", "TCP")),
             "invalid configuration for node 0: invalid hostPort: invalid port number: 70000"),
            ("containerPort", |c| c.nodes[0].extra_port_mappings.push(pm(8080, -5, "", "TCP")),
             "invalid configuration for node 0: invalid containerPort: invalid port number: -5"),
            ("duplicate mapping", |c| { c.nodes[0].extra_port_mappings = vec![pm(80, 30000, "127.0.0.1", "TCP"), pm(80, 30001, "127.0.0.1", "TCP")]; },
             "invalid configuration for node 0: invalid portMapping: port mapping with same listen address, port and protocol already configured: 127.0.0.1:80/TCP"),
            ("wildcard after specific", |c| { c.nodes[0].extra_port_mappings = vec![pm(80, 1, "127.0.0.1", "TCP"), pm(80, 2, "0.0.0.0", "TCP")]; },
             "invalid configuration for node 0: invalid portMapping: port mapping with same listen address, port and protocol already configured: 0.0.0.0:80/TCP"),
            ("v6 wildcard printed as written", |c| { c.nodes[0].extra_port_mappings = vec![pm(80, 1, "0.0.0.0", "TCP"), pm(80, 2, "::", "TCP")]; },
             "invalid configuration for node 0: invalid portMapping: port mapping with same listen address, port and protocol already configured: :::80/TCP"),
            ("empty address is nil in v0.29.0", |c| { c.nodes[0].extra_port_mappings = vec![pm(80, 1, "", ""), pm(80, 2, "", "")]; },
             "invalid configuration for node 0: invalid portMapping: port mapping with same listen address, port and protocol already configured: <nil>:80/"),
            ("no control plane", |c| c.nodes[0].role = "worker".into(),
             "must have at least one control-plane node"),
            ("several errors", |c| { c.nodes[0].role = "master".into(); c.networking.kube_proxy_mode = "x".into(); },
             "[invalid kubeProxyMode: x, invalid configuration for node 0: \"master\" is not a valid node role, must have at least one control-plane node]"),
            ("several in one node", |c| { c.nodes[0].role = "boss".into(); c.nodes[0].image = String::new(); c.nodes.push(Node { role: "control-plane".into(), image: "x".into(), ..Node::default() }); },
             "invalid configuration for node 0: [\"boss\" is not a valid node role, image is a required field]"),
        ];
        for (what, edit, want) in cases {
            let mut c = base();
            edit(&mut c);
            assert_eq!(msg(&c).as_deref(), Some(*want), "{what}");
        }
    }

    #[test]
    fn valid_configs_pass() {
        type Edit = fn(&mut Cluster);
        let cases: &[(&str, Edit)] = &[
            ("defaults", |_| {}),
            ("port -1", |c| c.networking.api_server_port = -1),
            ("random host ports may repeat", |c| {
                c.nodes[0].extra_port_mappings = vec![pm(0, 1, "", "TCP"), pm(0, 2, "", "TCP")]
            }),
            ("different protocols", |c| {
                c.nodes[0].extra_port_mappings =
                    vec![pm(80, 1, "0.0.0.0", "TCP"), pm(80, 2, "0.0.0.0", "UDP")]
            }),
            ("different addresses", |c| {
                c.nodes[0].extra_port_mappings =
                    vec![pm(80, 1, "127.0.0.1", "TCP"), pm(80, 2, "127.0.0.2", "TCP")]
            }),
            ("dual", |c| {
                c.networking.ip_family = "dual".into();
                c.networking.pod_subnet = "10.244.0.0/16,fd00:10:244::/56".into();
                c.networking.service_subnet = "10.96.0.0/16,fd00:10:96::/112".into();
            }),
            ("dual with one", |c| c.networking.ip_family = "dual".into()),
            ("name with dots", |c| c.name = "a.b-1".into()),
            ("none proxy", |c| {
                c.networking.kube_proxy_mode = "none".into()
            }),
        ];
        for (what, edit) in cases {
            let mut c = base();
            edit(&mut c);
            assert_eq!(msg(&c), None, "{what}");
        }
    }

    #[test]
    fn name_check_by_hand() {
        for ok in ["kind", "service-demo", "a.b", "0"] {
            assert!(is_valid_cluster_name(ok), "{ok}");
        }
        for bad in ["", "Kind", "a_b", "a b", "ké"] {
            assert!(!is_valid_cluster_name(bad), "{bad}");
        }
    }
}

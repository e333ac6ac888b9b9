//! The rules of one service port: the body of the `for svcName, svc := range
//! proxier.svcPortMap` loop in syncProxyRules (pkg/proxy/iptables/proxier.go), plus
//! `writeServiceToEndpointRules`. Lines are kube-proxy's restore input, argument order kept.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use super::categorize::{
    categorize, external_policy_local, externally_accessible, internal_policy_local,
};
use super::chain_names::{
    port_proto_hash, sep_chain, EXT_PREFIX, FW_PREFIX, SVC_PREFIX, SVL_PREFIX,
};
use super::model::{Endpoint, NodeView, ServicePortInput, ServiceType};
use super::probability::ProbabilityCache;
use crate::iptables::Ipv4Cidr;

/// Chain constants from proxier.go.
pub const KUBE_SERVICES: &str = "KUBE-SERVICES";
/// `kubeExternalServicesChain`.
pub const KUBE_EXTERNAL_SERVICES: &str = "KUBE-EXTERNAL-SERVICES";
/// `kubeNodePortsChain`.
pub const KUBE_NODEPORTS: &str = "KUBE-NODEPORTS";
/// `kubePostroutingChain`.
pub const KUBE_POSTROUTING: &str = "KUBE-POSTROUTING";
/// `kubeMarkMasqChain`.
pub const KUBE_MARK_MASQ: &str = "KUBE-MARK-MASQ";
/// `kubeForwardChain`.
pub const KUBE_FORWARD: &str = "KUBE-FORWARD";
/// `kubeProxyFirewallChain`.
pub const KUBE_PROXY_FIREWALL: &str = "KUBE-PROXY-FIREWALL";
/// `kubeProxyCanaryChain`.
pub const KUBE_PROXY_CANARY: &str = "KUBE-PROXY-CANARY";
/// `kubeletFirewallChain`.
pub const KUBE_FIREWALL: &str = "KUBE-FIREWALL";
/// `largeClusterEndpointsThreshold`: above this many endpoints, SVC->SEP and SEP comments go.
pub const LARGE_CLUSTER_ENDPOINTS_THRESHOLD: usize = 1000;

/// The restore lines one service port contributes, in the order kube-proxy writes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServicePortRules {
    /// `svcPortNameString` (`ns/name:port`), the key services are ordered by.
    pub name: String,
    /// Lines appended to the filter table's `filterRules` buffer.
    pub filter_rules: Vec<String>,
    /// Chains this service port declares in nat (`:NAME - [0:0]`), in creation order.
    pub nat_chains: Vec<String>,
    /// Lines appended to the nat table's `natRules` buffer.
    pub nat_rules: Vec<String>,
    /// Number of endpoints counted towards largeClusterMode (all endpoints of the port).
    pub endpoint_count: usize,
}

/// Everything per-sync that the per-service generation reads.
pub struct SyncContext<'a> {
    /// The node's view.
    pub view: &'a NodeView,
    /// `largeClusterMode`.
    pub large_cluster: bool,
    /// The probability cache.
    pub probabilities: &'a mut ProbabilityCache,
}

/// Sorts by `ip:port` and drops duplicates, as EndpointSliceCache's `byEndpoint` sort does.
pub fn normalize_endpoints(endpoints: &[Endpoint]) -> Vec<Endpoint> {
    let mut v: Vec<(String, Endpoint)> = endpoints.iter().map(|e| (e.key(), e.clone())).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.dedup_by(|a, b| a.0 == b.0);
    v.into_iter().map(|(_, e)| e).collect()
}

fn parse_ipv4_list(list: &[String]) -> Vec<Ipv4Addr> {
    list.iter().filter_map(|s| s.trim().parse().ok()).collect()
}

/// Builds one service port's rules. Returns `None` for ports kube-proxy skips
/// (ExternalName, headless or missing clusterIP: `ShouldSkipService`).
pub fn service_port_rules(
    svc: &ServicePortInput,
    ctx: &mut SyncContext<'_>,
) -> Option<ServicePortRules> {
    if svc.service_type == ServiceType::ExternalName {
        return None;
    }
    let cluster_ip = svc.cluster_ip?;
    let view = ctx.view;
    let name = svc.port_name_string();
    let proto = svc.protocol.lower();
    let port = svc.port;
    let mut out = ServicePortRules {
        name: name.clone(),
        endpoint_count: svc.endpoints.len(),
        ..Default::default()
    };

    // newBaseServiceInfo: family filtering, VIP-mode LB IPs, source ranges, health check.
    let external_ips = parse_ipv4_list(&svc.external_ips);
    let lb_ips = parse_ipv4_list(&svc.load_balancer_ips);
    let source_ranges: Vec<Ipv4Cidr> = svc
        .load_balancer_source_ranges
        .iter()
        .filter_map(|s| Ipv4Cidr::parse(s))
        .collect();
    let ext_local = external_policy_local(svc);
    let int_local = internal_policy_local(svc);
    let health_check_port = if svc.service_type == ServiceType::LoadBalancer && ext_local {
        svc.health_check_node_port
    } else {
        0
    };
    let accessible = externally_accessible(svc.node_port, lb_ips.len(), external_ips.len());

    let endpoints = normalize_endpoints(&svc.endpoints);
    let cat = categorize(
        &endpoints,
        &view.node_name,
        int_local,
        ext_local,
        accessible,
    );

    // portProtoHash is shared by SVC/SVL/EXT/FW: hash once.
    let hash = port_proto_hash(&name, proto);
    let cluster_chain = format!("{SVC_PREFIX}{hash}");
    let local_chain = format!("{SVL_PREFIX}{hash}");
    let uses_cluster_chain = !cat.cluster.is_empty() && (!int_local || accessible);
    let uses_local_chain = !cat.local.is_empty() && (int_local || (ext_local && accessible));

    let has_endpoints = cat.has_any;
    let (internal_chain, has_internal) = if int_local {
        (&local_chain, has_endpoints && !cat.local.is_empty())
    } else {
        (&cluster_chain, has_endpoints)
    };
    let (external_policy_chain, has_external) = if ext_local {
        (&local_chain, has_endpoints && !cat.local.is_empty())
    } else {
        (&cluster_chain, has_endpoints)
    };
    let external_chain = format!("{EXT_PREFIX}{hash}");
    let uses_external_chain = has_endpoints && accessible;
    let fw = format!("{FW_PREFIX}{hash}");
    let uses_fw = has_endpoints && !lb_ips.is_empty() && !source_ranges.is_empty();
    let lb_chain = if uses_fw { &fw } else { &external_chain };

    let (mut int_target, mut int_comment) = ("", String::new());
    let (mut ext_target, mut ext_comment) = ("", String::new());
    if !has_endpoints {
        int_target = "REJECT";
        int_comment = format!("\"{name} has no endpoints\"");
        ext_target = "REJECT";
        ext_comment = int_comment.clone();
    } else {
        if !has_internal {
            int_target = "DROP";
            int_comment = format!("\"{name} has no local endpoints\"");
        }
        if !has_external {
            ext_target = "DROP";
            ext_comment = format!("\"{name} has no local endpoints\"");
        }
    }

    let filter = &mut out.filter_rules;
    let nat = &mut out.nat_rules;

    // Capture the clusterIP.
    if has_internal {
        nat.push(format!("-A {KUBE_SERVICES} -m comment --comment \"{name} cluster IP\" -m {proto} -p {proto} -d {cluster_ip} --dport {port} -j {internal_chain}"));
    } else {
        filter.push(format!("-A {KUBE_SERVICES} -m comment --comment {int_comment} -m {proto} -p {proto} -d {cluster_ip} --dport {port} -j {int_target}"));
    }

    // Capture externalIPs.
    for ip in &external_ips {
        if has_endpoints {
            nat.push(format!("-A {KUBE_SERVICES} -m comment --comment \"{name} external IP\" -m {proto} -p {proto} -d {ip} --dport {port} -j {external_chain}"));
        }
        if !has_external {
            filter.push(format!("-A {KUBE_EXTERNAL_SERVICES} -m comment --comment {ext_comment} -m {proto} -p {proto} -d {ip} --dport {port} -j {ext_target}"));
        }
    }

    // Capture load-balancer ingress.
    for ip in &lb_ips {
        if has_endpoints {
            nat.push(format!("-A {KUBE_SERVICES} -m comment --comment \"{name} loadbalancer IP\" -m {proto} -p {proto} -d {ip} --dport {port} -j {lb_chain}"));
        }
        if uses_fw {
            filter.push(format!("-A {KUBE_PROXY_FIREWALL} -m comment --comment \"{name} traffic not accepted by {fw}\" -m {proto} -p {proto} -d {ip} --dport {port} -j DROP"));
        }
    }
    if !has_external {
        for ip in &lb_ips {
            filter.push(format!("-A {KUBE_EXTERNAL_SERVICES} -m comment --comment {ext_comment} -m {proto} -p {proto} -d {ip} --dport {port} -j {ext_target}"));
        }
    }

    // Capture nodeports.
    let np = svc.node_port;
    if np != 0 {
        if has_endpoints {
            if view.localhost_nodeports && view.nfacct {
                nat.push(format!("-A {KUBE_NODEPORTS} -m comment --comment {name} -m {proto} -p {proto} -d 127.0.0.0/8 --dport {np} -m nfacct --nfacct-name localhost_nps_accepted_pkts -j {external_chain}"));
            }
            nat.push(format!("-A {KUBE_NODEPORTS} -m comment --comment {name} -m {proto} -p {proto} --dport {np} -j {external_chain}"));
        }
        if !has_external {
            filter.push(format!("-A {KUBE_EXTERNAL_SERVICES} -m comment --comment {ext_comment} -m addrtype --dst-type LOCAL -m {proto} -p {proto} --dport {np} -j {ext_target}"));
        }
    }

    // Capture healthCheckNodePorts (always tcp).
    if health_check_port != 0 {
        filter.push(format!("-A {KUBE_NODEPORTS} -m comment --comment \"{name} health check node port\" -m tcp -p tcp --dport {health_check_port} -j ACCEPT"));
    }

    // Internal traffic handling: masquerade off-cluster sources.
    if has_internal {
        let base = format!("-A {internal_chain} -m comment --comment \"{name} cluster IP\" -m {proto} -p {proto} -d {cluster_ip} --dport {port}");
        if view.masquerade_all {
            nat.push(format!("{base} -j {KUBE_MARK_MASQ}"));
        } else if let Some(cidr) = view.cluster_cidr {
            nat.push(format!("{base} ! -s {cidr} -j {KUBE_MARK_MASQ}"));
        }
    }

    // External traffic handling.
    if uses_external_chain {
        out.nat_chains.push(external_chain.clone());
        if !ext_local {
            nat.push(format!("-A {external_chain} -m comment --comment \"masquerade traffic for {name} external destinations\" -j {KUBE_MARK_MASQ}"));
        } else {
            if let Some(cidr) = view.cluster_cidr {
                nat.push(format!("-A {external_chain} -m comment --comment \"pod traffic for {name} external destinations\" -s {cidr} -j {cluster_chain}"));
            }
            nat.push(format!("-A {external_chain} -m comment --comment \"masquerade LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j {KUBE_MARK_MASQ}"));
            nat.push(format!("-A {external_chain} -m comment --comment \"route LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j {cluster_chain}"));
        }
        if has_external {
            nat.push(format!("-A {external_chain} -j {external_policy_chain}"));
        }
    }

    // Firewall chain for loadBalancerSourceRanges.
    if uses_fw {
        out.nat_chains.push(fw.clone());
        let base = format!("-A {fw} -m comment --comment \"{name} loadbalancer IP\"");
        let mut allow_from_node = false;
        for cidr in &source_ranges {
            nat.push(format!("{base} -s {cidr} -j {external_chain}"));
            allow_from_node |= cidr.contains(view.node_ip);
        }
        if allow_from_node {
            for ip in &lb_ips {
                nat.push(format!("{base} -s {ip} -j {external_chain}"));
            }
        }
        nat.push(format!("-A {fw} -m comment --comment \"other traffic to {name} will be dropped by KUBE-PROXY-FIREWALL\""));
    }

    // allLocallyReachableEndpoints is a superset of both policy lists: hash each name once.
    let sep_names: HashMap<String, String> = cat
        .all_reachable
        .iter()
        .map(|e| {
            let key = e.key();
            let sep = sep_chain(&name, proto, &key);
            (key, sep)
        })
        .collect();
    let names = EndpointNames {
        service: &name,
        proto,
        seps: &sep_names,
    };
    if uses_cluster_chain {
        out.nat_chains.push(cluster_chain.clone());
        write_service_to_endpoint_rules(nat, &names, svc, &cluster_chain, &cat.cluster, ctx);
    }
    if uses_local_chain {
        out.nat_chains.push(local_chain.clone());
        write_service_to_endpoint_rules(nat, &names, svc, &local_chain, &cat.local, ctx);
    }

    // Per-endpoint chains.
    for ep in &cat.all_reachable {
        let key = ep.key();
        let sep = names.sep(&key);
        out.nat_chains.push(sep.clone());
        let comment = if ctx.large_cluster {
            String::new()
        } else {
            format!(" -m comment --comment {name}")
        };
        nat.push(format!(
            "-A {sep}{comment} -s {} -j {KUBE_MARK_MASQ}",
            ep.ip
        ));
        let recent = if svc.session_affinity_timeout.is_some() {
            format!(" -m recent --name {sep} --set")
        } else {
            String::new()
        };
        nat.push(format!(
            "-A {sep}{comment}{recent} -m {proto} -p {proto} -j DNAT --to-destination {key}"
        ));
    }
    Some(out)
}

/// SEP chain names of one service port, computed once per endpoint.
struct EndpointNames<'a> {
    service: &'a str,
    proto: &'a str,
    seps: &'a HashMap<String, String>,
}

impl EndpointNames<'_> {
    fn sep(&self, key: &str) -> String {
        match self.seps.get(key) {
            Some(s) => s.clone(),
            None => sep_chain(self.service, self.proto, key),
        }
    }
}

/// `writeServiceToEndpointRules`: affinity checks first, then the probability cascade.
fn write_service_to_endpoint_rules(
    nat: &mut Vec<String>,
    names: &EndpointNames<'_>,
    svc: &ServicePortInput,
    chain: &str,
    endpoints: &[Endpoint],
    ctx: &mut SyncContext<'_>,
) {
    let name = names.service;
    let large = ctx.large_cluster;
    let comment_for = |key: &str| {
        if large {
            String::new()
        } else {
            format!(" -m comment --comment \"{name} -> {key}\"")
        }
    };
    if let Some(timeout) = svc.session_affinity_timeout {
        for ep in endpoints {
            let key = ep.key();
            let sep = names.sep(&key);
            let comment = comment_for(&key);
            nat.push(format!(
                "-A {chain}{comment} -m recent --name {sep} --rcheck --seconds {timeout} --reap -j {sep}"
            ));
        }
    }
    let n = endpoints.len();
    for (i, ep) in endpoints.iter().enumerate() {
        let key = ep.key();
        let sep = names.sep(&key);
        let comment = comment_for(&key);
        let stat = if i + 1 < n {
            format!(
                " -m statistic --mode random --probability {}",
                ctx.probabilities.get(n - i)
            )
        } else {
            String::new()
        };
        nat.push(format!("-A {chain}{comment}{stat} -j {sep}"));
    }
}

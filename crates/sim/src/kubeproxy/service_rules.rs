//! The rules of one service port: the body of the `for svcName, svc := range
//! proxier.svcPortMap` loop in syncProxyRules (pkg/proxy/iptables/proxier.go), plus
//! `writeServiceToEndpointRules`. Lines are kube-proxy's restore input, argument order kept.

use std::borrow::Cow;
use std::net::Ipv4Addr;

use super::categorize::{
    categorize_indices, external_policy_local, externally_accessible, internal_policy_local,
};
use super::chain_names::{
    port_proto_hash, sep_chain, EXT_PREFIX, FW_PREFIX, SVC_PREFIX, SVL_PREFIX,
};
use super::model::{Endpoint, L4Protocol, NodeView, ServicePortInput, ServiceType};
use super::probability::ProbabilityCache;
use super::rule_sink::RuleSink;
use super::rule_spec::{Addr, Arg, RuleSpec, Verdict};
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
    keyed_endpoints(endpoints)
        .into_iter()
        .map(|(_, e)| e.clone())
        .collect()
}

/// [`normalize_endpoints`] without cloning, keeping each `ip:port` (it names the SEP chain,
/// its comments and its DNAT target, so it is formatted once).
fn keyed_endpoints(endpoints: &[Endpoint]) -> Vec<(String, &Endpoint)> {
    let mut v: Vec<(String, &Endpoint)> = endpoints.iter().map(|e| (e.key(), e)).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

fn parse_ipv4_list(list: &[String]) -> Vec<Ipv4Addr> {
    list.iter().filter_map(|s| s.trim().parse().ok()).collect()
}

/// Builds one service port's restore lines. Returns `None` for ports kube-proxy skips
/// (ExternalName, headless or missing clusterIP: `ShouldSkipService`).
pub fn service_port_rules(
    svc: &ServicePortInput,
    ctx: &mut SyncContext<'_>,
) -> Option<ServicePortRules> {
    let name = svc.port_name_string();
    let mut out = ServicePortRules {
        endpoint_count: svc.endpoints.len(),
        ..Default::default()
    };
    write_service_port(svc, &name, ctx, &mut out)?;
    out.name = name;
    Some(out)
}

/// `-m comment --comment "TEXT"`.
fn quoted(text: &str) -> Arg<'_> {
    Arg::Comment { text, quoted: true }
}

/// `-A chain args -j verdict`, with `args` past its first `skip` entries (an optional
/// leading comment is left out by skipping it).
fn spec<'a>(
    chain: &'a str,
    args: &'a [Arg<'a>],
    skip: usize,
    verdict: Verdict<'a>,
) -> RuleSpec<'a> {
    RuleSpec {
        chain,
        args: args.get(skip..).unwrap_or_default(),
        verdict,
    }
}

/// Writes one service port's rules into `sink` in kube-proxy's order; `name` is its
/// `svcPortNameString`. Returns `None` (writing nothing) for ports kube-proxy skips.
pub(crate) fn write_service_port(
    svc: &ServicePortInput,
    name: &str,
    ctx: &mut SyncContext<'_>,
    sink: &mut impl RuleSink,
) -> Option<()> {
    if svc.service_type == ServiceType::ExternalName {
        return None;
    }
    let cluster_ip = svc.cluster_ip?;
    let view = ctx.view;
    let p = svc.protocol;
    let proto = p.lower();
    let port = svc.port;

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

    let endpoints = keyed_endpoints(&svc.endpoints);
    let refs: Vec<&Endpoint> = endpoints.iter().map(|(_, e)| *e).collect();
    let cat = categorize_indices(&refs, &view.node_name, int_local, ext_local, accessible);

    // portProtoHash is shared by SVC/SVL/EXT/FW: hash once.
    let hash = port_proto_hash(name, proto);
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

    // allLocallyReachableEndpoints is a superset of both policy lists: hash each name once.
    let mut seps: Vec<Option<String>> = vec![None; endpoints.len()];
    for &i in &cat.all_reachable {
        if let (Some(slot), Some((key, _))) = (seps.get_mut(i), endpoints.get(i)) {
            *slot = Some(sep_chain(name, proto, key));
        }
    }
    let names = EndpointNames {
        service: name,
        proto,
        endpoints: &endpoints,
        seps: &seps,
    };

    // The nat chains this port owns, in the order kube-proxy declares them.
    if uses_external_chain {
        sink.declare(&external_chain);
    }
    if uses_fw {
        sink.declare(&fw);
    }
    if uses_cluster_chain {
        sink.declare(&cluster_chain);
    }
    if uses_local_chain {
        sink.declare(&local_chain);
    }
    for &i in &cat.all_reachable {
        sink.declare(&names.sep(i));
    }

    // The REJECT/DROP rules for traffic no usable endpoint can take (internal or external).
    let unusable = if has_endpoints {
        Verdict::Drop
    } else {
        Verdict::Reject
    };
    let unusable_comment = match (has_internal && has_external, has_endpoints) {
        (true, _) => String::new(),
        (false, true) => format!("{name} has no local endpoints"),
        (false, false) => format!("{name} has no endpoints"),
    };
    let unusable_c = Arg::Comment {
        text: &unusable_comment,
        quoted: true,
    };
    let cluster_ip_comment = format!("{name} cluster IP");
    let cluster_ip_c = Arg::Comment {
        text: &cluster_ip_comment,
        quoted: true,
    };
    let pr = Arg::Proto(p);
    let dport = Arg::Dport(port);

    // Capture the clusterIP.
    let dst = Arg::Dst(Addr::Ip(cluster_ip));
    if has_internal {
        let args = [cluster_ip_c, pr, dst, dport];
        sink.nat(spec(KUBE_SERVICES, &args, 0, Verdict::Jump(internal_chain)));
    } else {
        let args = [unusable_c, pr, dst, dport];
        sink.filter(spec(KUBE_SERVICES, &args, 0, unusable));
    }

    // Capture externalIPs.
    let external_ip_comment = format!("{name} external IP");
    for ip in &external_ips {
        let dst = Arg::Dst(Addr::Ip(*ip));
        if has_endpoints {
            let c = Arg::Comment {
                text: &external_ip_comment,
                quoted: true,
            };
            let args = [c, pr, dst, dport];
            sink.nat(spec(
                KUBE_SERVICES,
                &args,
                0,
                Verdict::Jump(&external_chain),
            ));
        }
        if !has_external {
            let args = [unusable_c, pr, dst, dport];
            sink.filter(spec(KUBE_EXTERNAL_SERVICES, &args, 0, unusable));
        }
    }

    // Capture load-balancer ingress.
    if !lb_ips.is_empty() {
        let lb_comment = format!("{name} loadbalancer IP");
        let fw_comment = format!("{name} traffic not accepted by {fw}");
        for ip in &lb_ips {
            let dst = Arg::Dst(Addr::Ip(*ip));
            if has_endpoints {
                let c = Arg::Comment {
                    text: &lb_comment,
                    quoted: true,
                };
                let args = [c, pr, dst, dport];
                sink.nat(spec(KUBE_SERVICES, &args, 0, Verdict::Jump(lb_chain)));
            }
            if uses_fw {
                let c = Arg::Comment {
                    text: &fw_comment,
                    quoted: true,
                };
                let args = [c, pr, dst, dport];
                sink.filter(spec(KUBE_PROXY_FIREWALL, &args, 0, Verdict::Drop));
            }
        }
        if !has_external {
            for ip in &lb_ips {
                let args = [unusable_c, pr, Arg::Dst(Addr::Ip(*ip)), dport];
                sink.filter(spec(KUBE_EXTERNAL_SERVICES, &args, 0, unusable));
            }
        }
    }

    // Capture nodeports.
    let np = svc.node_port;
    if np != 0 {
        let name_c = Arg::Comment {
            text: name,
            quoted: false,
        };
        let to_ext = Verdict::Jump(&external_chain);
        if has_endpoints {
            if view.localhost_nodeports && view.nfacct {
                let localhost = Arg::Dst(Addr::Net(Ipv4Cidr::new(Ipv4Addr::new(127, 0, 0, 0), 8)));
                let nfacct = Arg::Nfacct("localhost_nps_accepted_pkts");
                let args = [name_c, pr, localhost, Arg::Dport(np), nfacct];
                sink.nat(spec(KUBE_NODEPORTS, &args, 0, to_ext));
            }
            let args = [name_c, pr, Arg::Dport(np)];
            sink.nat(spec(KUBE_NODEPORTS, &args, 0, to_ext));
        }
        if !has_external {
            let args = [unusable_c, Arg::DstTypeLocal, pr, Arg::Dport(np)];
            sink.filter(spec(KUBE_EXTERNAL_SERVICES, &args, 0, unusable));
        }
    }

    // Capture healthCheckNodePorts (always tcp).
    if health_check_port != 0 {
        let comment = format!("{name} health check node port");
        let c = Arg::Comment {
            text: &comment,
            quoted: true,
        };
        let args = [
            c,
            Arg::Proto(L4Protocol::Tcp),
            Arg::Dport(health_check_port),
        ];
        sink.filter(spec(KUBE_NODEPORTS, &args, 0, Verdict::Accept));
    }

    // Internal traffic handling: masquerade off-cluster sources.
    let mark_masq = Verdict::Jump(KUBE_MARK_MASQ);
    if has_internal {
        if view.masquerade_all {
            let args = [cluster_ip_c, pr, dst, dport];
            sink.nat(spec(internal_chain, &args, 0, mark_masq));
        } else if let Some(cidr) = view.cluster_cidr {
            let args = [
                cluster_ip_c,
                pr,
                dst,
                dport,
                Arg::Src(Addr::Net(cidr), true),
            ];
            sink.nat(spec(internal_chain, &args, 0, mark_masq));
        }
    }

    // External traffic handling.
    if uses_external_chain {
        let ext = external_chain.as_str();
        if !ext_local {
            let comment = format!("masquerade traffic for {name} external destinations");
            sink.nat(spec(ext, &[quoted(&comment)], 0, mark_masq));
        } else {
            let to_cluster = Verdict::Jump(&cluster_chain);
            if let Some(cidr) = view.cluster_cidr {
                let comment = format!("pod traffic for {name} external destinations");
                let args = [quoted(&comment), Arg::Src(Addr::Net(cidr), false)];
                sink.nat(spec(ext, &args, 0, to_cluster));
            }
            let comment = format!("masquerade LOCAL traffic for {name} external destinations");
            sink.nat(spec(
                ext,
                &[quoted(&comment), Arg::SrcTypeLocal],
                0,
                mark_masq,
            ));
            let comment = format!("route LOCAL traffic for {name} external destinations");
            sink.nat(spec(
                ext,
                &[quoted(&comment), Arg::SrcTypeLocal],
                0,
                to_cluster,
            ));
        }
        if has_external {
            sink.nat(spec(ext, &[], 0, Verdict::Jump(external_policy_chain)));
        }
    }

    // Firewall chain for loadBalancerSourceRanges.
    if uses_fw {
        let comment = format!("{name} loadbalancer IP");
        let c = Arg::Comment {
            text: &comment,
            quoted: true,
        };
        let to_ext = Verdict::Jump(&external_chain);
        let mut allow_from_node = false;
        for cidr in &source_ranges {
            sink.nat(spec(
                &fw,
                &[c, Arg::Src(Addr::Net(*cidr), false)],
                0,
                to_ext,
            ));
            allow_from_node |= cidr.contains(view.node_ip);
        }
        if allow_from_node {
            for ip in &lb_ips {
                sink.nat(spec(&fw, &[c, Arg::Src(Addr::Ip(*ip), false)], 0, to_ext));
            }
        }
        let comment = format!("other traffic to {name} will be dropped by KUBE-PROXY-FIREWALL");
        let c = Arg::Comment {
            text: &comment,
            quoted: true,
        };
        sink.nat(spec(&fw, &[c], 0, Verdict::None));
    }

    if uses_cluster_chain {
        write_service_to_endpoint_rules(sink, &names, svc, &cluster_chain, &cat.cluster, ctx);
    }
    if uses_local_chain {
        write_service_to_endpoint_rules(sink, &names, svc, &local_chain, &cat.local, ctx);
    }

    // Per-endpoint chains; above largeClusterEndpointsThreshold without comments.
    let skip = usize::from(ctx.large_cluster);
    let name_c = Arg::Comment {
        text: name,
        quoted: false,
    };
    for &i in &cat.all_reachable {
        let Some((_, ep)) = endpoints.get(i) else {
            continue;
        };
        let sep = names.sep(i);
        let sep: &str = &sep;
        let args = [name_c, Arg::Src(Addr::Ip(ep.ip), false)];
        sink.nat(spec(sep, &args, skip, mark_masq));
        let dnat = Verdict::Dnat(ep.ip, ep.port);
        if svc.session_affinity_timeout.is_some() {
            let args = [name_c, Arg::RecentSet(sep), pr];
            sink.nat(spec(sep, &args, skip, dnat));
        } else {
            sink.nat(spec(sep, &[name_c, pr], skip, dnat));
        }
    }
    Some(())
}

/// The sorted endpoints of one service port with their SEP chain names, hashed once.
struct EndpointNames<'a> {
    service: &'a str,
    proto: &'a str,
    endpoints: &'a [(String, &'a Endpoint)],
    seps: &'a [Option<String>],
}

impl EndpointNames<'_> {
    /// `ip:port` of endpoint `i`.
    fn key(&self, i: usize) -> &str {
        self.endpoints.get(i).map_or("", |(k, _)| k.as_str())
    }

    /// The SEP chain of endpoint `i` (every policy list is within allLocallyReachable, so
    /// the fallback hash never runs; it keeps a bad index harmless).
    fn sep(&self, i: usize) -> Cow<'_, str> {
        match self.seps.get(i) {
            Some(Some(s)) => Cow::Borrowed(s),
            _ => Cow::Owned(sep_chain(self.service, self.proto, self.key(i))),
        }
    }
}

/// `writeServiceToEndpointRules`: affinity checks first, then the probability cascade.
fn write_service_to_endpoint_rules(
    sink: &mut impl RuleSink,
    names: &EndpointNames<'_>,
    svc: &ServicePortInput,
    chain: &str,
    endpoints: &[usize],
    ctx: &mut SyncContext<'_>,
) {
    let name = names.service;
    // Above largeClusterEndpointsThreshold the comment is left out: skip it.
    let skip = usize::from(ctx.large_cluster);
    let comments: Vec<String> = if ctx.large_cluster {
        Vec::new()
    } else {
        endpoints
            .iter()
            .map(|&i| format!("{name} -> {}", names.key(i)))
            .collect()
    };
    let comment = |k: usize| Arg::Comment {
        text: comments.get(k).map_or("", String::as_str),
        quoted: true,
    };
    if let Some(timeout) = svc.session_affinity_timeout {
        for (k, &i) in endpoints.iter().enumerate() {
            let sep = names.sep(i);
            let sep: &str = &sep;
            let args = [comment(k), Arg::RecentCheck(sep, timeout)];
            sink.nat(spec(chain, &args, skip, Verdict::Jump(sep)));
        }
    }
    let n = endpoints.len();
    for (k, &i) in endpoints.iter().enumerate() {
        let sep = names.sep(i);
        let sep: &str = &sep;
        if k + 1 < n {
            let (text, value) = ctx.probabilities.get_with_value(n - k);
            let args = [comment(k), Arg::Probability(text, value)];
            sink.nat(spec(chain, &args, skip, Verdict::Jump(sep)));
        } else {
            sink.nat(spec(chain, &[comment(k)], skip, Verdict::Jump(sep)));
        }
    }
}

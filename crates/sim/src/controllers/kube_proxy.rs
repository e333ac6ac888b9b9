//! kube-proxy's informers: Services and EndpointSlices become service-port inputs, and only
//! the ports that changed are handed to each node's rule generator (a partial sync).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::api::{EndpointSlice, Service};
use crate::cluster::{Cluster, KeptTables, NodeRuntime};
use crate::kubeproxy::{
    Endpoint, L4Protocol, ProxyRules, ServicePortInput, ServiceType, TrafficPolicy,
};

use super::endpoints::SERVICE_NAME_LABEL;

/// `sessionAffinityConfig.clientIP.timeoutSeconds` default (core/v1 `DefaultClientIPServiceAffinitySeconds`).
const DEFAULT_AFFINITY_SECONDS: u32 = 10_800;

/// What kube-proxy sees of one Service: one input per port, with that port's endpoints.
/// Headless and ExternalName Services are skipped (`ShouldSkipService`).
pub fn service_port_inputs(cluster: &Cluster, svc: &Service) -> Vec<ServicePortInput> {
    let spec = &svc.spec;
    let Ok(cluster_ip) = spec.cluster_ip.parse::<Ipv4Addr>() else {
        return Vec::new();
    };
    let service_type = match spec.type_.as_str() {
        "NodePort" => ServiceType::NodePort,
        "LoadBalancer" => ServiceType::LoadBalancer,
        "ExternalName" => return Vec::new(),
        _ => ServiceType::ClusterIp,
    };
    let policy = |p: Option<&str>| match p {
        Some("Local") => TrafficPolicy::Local,
        _ => TrafficPolicy::Cluster,
    };
    // The slices labelled with this Service, in name order (the store's list order).
    let ns = &svc.metadata.namespace;
    let slices: Vec<&EndpointSlice> = cluster
        .store
        .tracker()
        .slices_by_service
        .get(&(ns.clone(), svc.metadata.name.clone()))
        .into_iter()
        .flatten()
        .filter_map(|name| cluster.store.get::<EndpointSlice>(ns, name))
        .filter(|s| s.metadata.labels.get(SERVICE_NAME_LABEL) == Some(&svc.metadata.name))
        .collect();
    spec.ports
        .iter()
        .map(|port| {
            let protocol = match port.protocol.as_str() {
                "UDP" => L4Protocol::Udp,
                "SCTP" => L4Protocol::Sctp,
                _ => L4Protocol::Tcp,
            };
            let protocol_name = if port.protocol.is_empty() {
                "TCP"
            } else {
                &port.protocol
            };
            let mut endpoints = Vec::new();
            for slice in &slices {
                let Some(slice_port) = slice.ports.iter().find(|p| {
                    p.name.as_deref().unwrap_or("") == port.name
                        && p.protocol.as_deref().unwrap_or("TCP") == protocol_name
                }) else {
                    continue;
                };
                let Some(number) = slice_port.port.and_then(|n| u16::try_from(n).ok()) else {
                    continue;
                };
                for ep in &slice.endpoints {
                    let Some(ip) = ep.addresses.first().and_then(|a| a.parse().ok()) else {
                        continue;
                    };
                    // nil conditions: ready counts as true, serving as ready, terminating false.
                    let ready = ep.conditions.ready.unwrap_or(true);
                    endpoints.push(Endpoint {
                        ip,
                        port: number,
                        node_name: ep.node_name.clone(),
                        ready,
                        serving: ep.conditions.serving.unwrap_or(ready),
                        terminating: ep.conditions.terminating.unwrap_or(false),
                    });
                }
            }
            ServicePortInput {
                namespace: svc.metadata.namespace.clone(),
                name: svc.metadata.name.clone(),
                port_name: port.name.clone(),
                protocol,
                cluster_ip: Some(cluster_ip),
                port: u16::try_from(port.port).unwrap_or(0),
                node_port: port
                    .node_port
                    .and_then(|n| u16::try_from(n).ok())
                    .unwrap_or(0),
                service_type,
                external_ips: spec.external_ips.clone(),
                load_balancer_ips: svc
                    .status
                    .load_balancer
                    .ingress
                    .iter()
                    .filter(|i| i.ip_mode.as_deref() != Some("Proxy"))
                    .map(|i| i.ip.clone())
                    .filter(|ip| !ip.is_empty())
                    .collect(),
                load_balancer_source_ranges: spec.load_balancer_source_ranges.clone(),
                external_traffic_policy: policy(Some(spec.external_traffic_policy.as_str())),
                internal_traffic_policy: policy(spec.internal_traffic_policy.as_deref()),
                session_affinity_timeout: (spec.session_affinity == "ClientIP").then(|| {
                    spec.session_affinity_config
                        .as_ref()
                        .and_then(|c| c.client_ip.as_ref())
                        .and_then(|c| c.timeout_seconds)
                        .and_then(|t| u32::try_from(t).ok())
                        .unwrap_or(DEFAULT_AFFINITY_SECONDS)
                }),
                health_check_node_port: spec
                    .health_check_node_port
                    .and_then(|n| u16::try_from(n).ok())
                    .unwrap_or(0),
                endpoints,
            }
        })
        .collect()
}

/// The `proxied` keys of one Service's ports: `ns/name` (an unnamed port) and `ns/name:port`.
fn proxied_keys_of(
    proxied: &BTreeMap<String, ServicePortInput>,
    ns: &str,
    name: &str,
) -> Vec<String> {
    let bare = format!("{ns}/{name}");
    let prefix = format!("{bare}:");
    let mut keys: Vec<String> = proxied
        .get_key_value(&bare)
        .map(|(k, _)| k.clone())
        .into_iter()
        .collect();
    keys.extend(
        proxied
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone()),
    );
    keys
}

/// Recomputes the inputs of the Services marked dirty (by the store, when a Service or one of
/// its slices was written), updates `cluster.proxied`, and hands the changed and removed ports
/// to every node that keeps every rule (a partial sync), or everything to a node that needs a
/// full one. Nodes not built yet are left alone: [`materialize`] brings one up to date on
/// demand.
pub(super) fn sync(cluster: &mut Cluster) {
    let dirty = std::mem::take(&mut cluster.store.tracker_mut().dirty_proxy);
    let mut changed: BTreeMap<String, ServicePortInput> = BTreeMap::new();
    let mut removed: Vec<String> = Vec::new();
    for (ns, name) in &dirty {
        let inputs = match cluster.store.get::<Service>(ns, name) {
            Some(svc) => service_port_inputs(cluster, svc),
            None => Vec::new(),
        };
        let mut stale = proxied_keys_of(&cluster.proxied, ns, name);
        for input in inputs {
            let key = input.port_name_string();
            stale.retain(|k| *k != key);
            if cluster.proxied.get(&key) != Some(&input) {
                changed.insert(key, input);
            }
        }
        removed.extend(stale);
    }
    // Same order as a comparison of the whole maps: changed ports by name, then removed ones.
    removed.sort();
    for key in &removed {
        cluster.proxied.remove(key);
    }
    for (key, input) in &changed {
        cluster.proxied.insert(key.clone(), input.clone());
    }
    let anything_changed = !changed.is_empty() || !removed.is_empty();
    let mut all: Option<Vec<ServicePortInput>> = None;
    for node in cluster.nodes.values_mut() {
        match node.kept {
            KeptTables::Pending => continue,
            KeptTables::Full if node.needs_full_sync => {
                let all = all.get_or_insert_with(|| cluster.proxied.values().cloned().collect());
                let _ = node.proxy.sync_all(all);
                node.needs_full_sync = false;
            }
            KeptTables::Fixed if node.needs_full_sync => {
                let _ = node.proxy.sync_all(&[]);
                node.needs_full_sync = false;
            }
            KeptTables::Full if anything_changed => {
                for input in changed.values() {
                    let _ = node.proxy.upsert(input.clone());
                }
                for key in &removed {
                    let _ = node.proxy.remove(key);
                }
            }
            // A node keeping only the fixed chains is synced whenever a full one is, so
            // that its chains' counters restart at the same moments (every restore
            // rewrites kube-proxy's top-level chains).
            KeptTables::Fixed if anything_changed => {}
            KeptTables::Fixed | KeptTables::Full => continue,
        }
        node.sync_proxy();
    }
}

/// Brings one node's kube-proxy up to date with `cluster.proxied` (a full sync, as kube-proxy
/// does when it starts) and keeps it so, so later changes reach it incrementally. A node that
/// kept only the fixed chains keeps their counters: on a node that had every rule all along
/// the same rules would have counted the same packets (see [`KeptTables::Fixed`]).
pub(super) fn materialize(cluster: &mut Cluster, node: &str) {
    let Some(runtime) = cluster.nodes.get_mut(node) else {
        return;
    };
    let was = std::mem::replace(&mut runtime.kept, KeptTables::Full);
    // A lazy node's base rules come first, as at boot on an eager one.
    runtime.install_pending_base_rules();
    if was == KeptTables::Fixed {
        runtime.needs_full_sync = true;
    }
    if !runtime.needs_full_sync {
        return;
    }
    let counted = (was == KeptTables::Fixed)
        .then(|| runtime.proxy.top_level_rules(&runtime.filter, &runtime.nat));
    let all: Vec<ServicePortInput> = cluster.proxied.values().cloned().collect();
    let _ = runtime.proxy.sync_all(&all);
    runtime.needs_full_sync = false;
    runtime.sync_proxy();
    if let Some(counted) = counted {
        ProxyRules::restore_counters(&mut runtime.filter, &mut runtime.nat, counted);
    }
}

/// Builds a lazy node's base rules and kube-proxy's service-independent chains
/// ([`KeptTables::Fixed`]), as kube-proxy's first sync would write them with no Services. The
/// node's routes are the caller's to set.
pub(crate) fn keep_fixed_chains(runtime: &mut NodeRuntime) {
    if runtime.kept != KeptTables::Pending {
        return;
    }
    runtime.kept = KeptTables::Fixed;
    runtime.install_pending_base_rules();
    let _ = runtime.proxy.sync_all(&[]);
    runtime.needs_full_sync = false;
    runtime.sync_proxy();
}

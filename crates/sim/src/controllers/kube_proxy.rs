//! kube-proxy's informers: Services and EndpointSlices become service-port inputs, and only
//! the ports that changed are handed to each node's rule generator (a partial sync).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::api::{EndpointSlice, Service};
use crate::cluster::Cluster;
use crate::kubeproxy::{Endpoint, L4Protocol, ServicePortInput, ServiceType, TrafficPolicy};

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
    let slices: Vec<&EndpointSlice> = cluster
        .store
        .list::<EndpointSlice>(Some(&svc.metadata.namespace))
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

pub(super) fn sync(cluster: &mut Cluster) {
    let mut next: BTreeMap<String, ServicePortInput> = BTreeMap::new();
    for svc in cluster.store.list::<Service>(None) {
        for input in service_port_inputs(cluster, svc) {
            next.insert(input.port_name_string(), input);
        }
    }
    let changed: Vec<&ServicePortInput> = next
        .iter()
        .filter(|(k, v)| cluster.proxied.get(*k) != Some(*v))
        .map(|(_, v)| v)
        .collect();
    let removed: Vec<&String> = cluster
        .proxied
        .keys()
        .filter(|k| !next.contains_key(*k))
        .collect();
    let anything_changed = !changed.is_empty() || !removed.is_empty();
    let all: Vec<ServicePortInput> = next.values().cloned().collect();
    for node in cluster.nodes.values_mut() {
        if node.needs_full_sync {
            let _ = node.proxy.sync_all(&all);
            node.needs_full_sync = false;
        } else if anything_changed {
            for input in &changed {
                let _ = node.proxy.upsert((*input).clone());
            }
            for key in &removed {
                let _ = node.proxy.remove(key);
            }
        } else {
            continue;
        }
        node.sync_proxy();
    }
    cluster.proxied = next;
}

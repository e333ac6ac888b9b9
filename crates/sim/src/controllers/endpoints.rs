//! The EndpointSlice controller (pkg/controller/endpointslice), the legacy Endpoints controller
//! (pkg/controller/endpoint), the EndpointSlice mirroring controller
//! (pkg/controller/endpointslicemirroring), and the API server's own `kubernetes` endpoints.

use std::net::Ipv4Addr;

use crate::api::{
    map_selector_matches, Endpoint, EndpointAddress, EndpointConditions, EndpointPort,
    EndpointSlice, EndpointSubset, Endpoints, IntOrString, ObjectMeta, ObjectReference, Pod,
    Service, ServicePort, StringMap,
};
use crate::cluster::{drain_in_order, rfc3339, Cluster};

use super::kubelet::pod_is_ready;
use super::owner_ref;

/// The label naming a slice's Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// The label naming a slice's manager.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
const SLICE_CONTROLLER: &str = "endpointslice-controller.k8s.io";
const MIRRORING_CONTROLLER: &str = "endpointslicemirroring-controller.k8s.io";
const SKIP_MIRROR_LABEL: &str = "endpointslice.kubernetes.io/skip-mirror";
/// `--max-endpoints-per-slice` default.
const MAX_ENDPOINTS_PER_SLICE: usize = 100;

/// Recomputes the slices and Endpoints of the Services the store marked (the Service, one of
/// its pods, or one of its slices or Endpoints was written), in key order; then mirrors
/// hand-written Endpoints and cleans up after deleted Services.
pub(super) fn reconcile(cluster: &mut Cluster) {
    drain_in_order(
        cluster,
        |c| &mut c.store.tracker_mut().dirty_services,
        |cluster, (ns, name)| {
            let Some(svc) = cluster.store.get::<Service>(&ns, &name).cloned() else {
                return;
            };
            if svc.spec.selector.is_empty() || svc.spec.type_ == "ExternalName" {
                return;
            }
            // Both are computed from the pods borrowed in place before either is written:
            // copying every selected pod on every pass was a large share of the build time.
            let (groups, subsets) = {
                let pods = selected_pods(cluster, &svc);
                (slice_groups(&svc, &pods), endpoint_subsets(&svc, &pods))
            };
            write_slices(cluster, &svc, groups);
            write_endpoints(cluster, &svc, subsets);
        },
    );
    let selectorless: Vec<Service> = cluster
        .store
        .tracker()
        .selectorless_services
        .iter()
        .filter_map(|(ns, name)| cluster.store.get::<Service>(ns, name).cloned())
        .collect();
    mirror_manual_endpoints(cluster, &selectorless);
    remove_endpoints_of_deleted_services(cluster);
}

/// The Service's pods with an IP that have not finished, in name order: the candidates come
/// from the store's label index under the selector's first pair.
fn selected_pods<'a>(cluster: &'a Cluster, svc: &Service) -> Vec<&'a Pod> {
    let ns = &svc.metadata.namespace;
    let Some((k, v)) = svc.spec.selector.iter().next() else {
        return Vec::new();
    };
    cluster
        .store
        .tracker()
        .pods_by_label
        .get(&(ns.clone(), k.clone(), v.clone()))
        .into_iter()
        .flatten()
        .filter_map(|name| cluster.store.get::<Pod>(ns, name))
        .filter(|p| map_selector_matches(&svc.spec.selector, &p.metadata.labels))
        .filter(|p| !p.status.pod_ip.is_empty())
        .filter(|p| p.status.phase != "Succeeded" && p.status.phase != "Failed")
        .collect()
}

/// The pod's port for a Service port: a number, or a named container port of that protocol
/// (`podutil.FindPort`). `None` when the name does not exist on the pod.
pub fn target_port(pod: &Pod, port: &ServicePort) -> Option<i32> {
    let protocol = if port.protocol.is_empty() {
        "TCP"
    } else {
        &port.protocol
    };
    match &port.target_port {
        None => Some(port.port),
        Some(IntOrString::Int(0)) => Some(port.port),
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => pod
            .spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|cp| {
                cp.name == *name
                    && (cp.protocol.is_empty() && protocol == "TCP" || cp.protocol == protocol)
            })
            .map(|cp| cp.container_port),
    }
}

fn endpoint_ports(svc: &Service, pod: Option<&Pod>) -> Vec<EndpointPort> {
    svc.spec
        .ports
        .iter()
        .filter_map(|p| {
            let number = match pod {
                Some(pod) => target_port(pod, p)?,
                None => p.port,
            };
            Some(EndpointPort {
                name: Some(p.name.clone()),
                port: Some(number),
                protocol: Some(if p.protocol.is_empty() {
                    "TCP".into()
                } else {
                    p.protocol.clone()
                }),
                app_protocol: None,
            })
        })
        .collect()
}

/// The endpoint's hostname: the pod's, when its subdomain names this Service
/// (endpointslice utils.go `podToEndpoint`, endpoints controller `podToEndpointAddressForService`).
fn endpoint_hostname(svc: &Service, pod: &Pod) -> Option<String> {
    (!pod.spec.hostname.is_empty()
        && pod.spec.subdomain == svc.metadata.name
        && pod.metadata.namespace == svc.metadata.namespace)
        .then(|| pod.spec.hostname.clone())
}

fn pod_ref(pod: &Pod) -> ObjectReference {
    ObjectReference {
        kind: "Pod".into(),
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
    }
}

/// The endpoints grouped by port set, from the Service's selected pods.
type SliceGroups = Vec<(Vec<EndpointPort>, Vec<Endpoint>)>;

fn slice_groups(svc: &Service, pods: &[&Pod]) -> SliceGroups {
    let mut groups: SliceGroups = Vec::new();
    for &pod in pods {
        let ports = endpoint_ports(svc, Some(pod));
        if ports.is_empty() && !svc.spec.ports.is_empty() {
            continue;
        }
        let terminating = pod.metadata.deletion_timestamp.is_some();
        let ready = pod_is_ready(pod);
        let endpoint = Endpoint {
            addresses: vec![pod.status.pod_ip.clone()],
            conditions: EndpointConditions {
                ready: Some(ready && !terminating),
                serving: Some(ready),
                terminating: Some(terminating),
            },
            hostname: endpoint_hostname(svc, pod),
            node_name: Some(pod.spec.node_name.clone()),
            target_ref: Some(pod_ref(pod)),
            zone: None,
        };
        match groups.iter_mut().find(|(p, _)| *p == ports) {
            Some((_, eps)) => eps.push(endpoint),
            None => groups.push((ports, vec![endpoint])),
        }
    }
    groups
}

/// One slice per distinct port set (pods whose named ports resolve differently land in
/// different slices), at most 100 endpoints each.
fn write_slices(cluster: &mut Cluster, svc: &Service, mut groups: SliceGroups) {
    let ns = svc.metadata.namespace.clone();
    if groups.is_empty() {
        // A Service with no endpoints still gets one empty slice carrying its ports.
        groups.push((endpoint_ports(svc, None), Vec::new()));
    }
    let mut wanted: Vec<(Vec<EndpointPort>, Vec<Endpoint>)> = Vec::new();
    for (ports, eps) in groups {
        for chunk in eps.chunks(MAX_ENDPOINTS_PER_SLICE) {
            wanted.push((ports.clone(), chunk.to_vec()));
        }
        if eps.is_empty() {
            wanted.push((ports, Vec::new()));
        }
    }
    let existing = slices_of(cluster, &ns, &svc.metadata.name, SLICE_CONTROLLER);
    let mut labels = svc.metadata.labels.clone();
    labels.insert(SERVICE_NAME_LABEL.into(), svc.metadata.name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), SLICE_CONTROLLER.into());
    for (i, (ports, endpoints)) in wanted.iter().enumerate() {
        match existing.get(i) {
            Some(name) => update_slice(cluster, &ns, name, &labels, ports, endpoints),
            None => {
                let mut meta = ObjectMeta {
                    namespace: ns.clone(),
                    generate_name: format!("{}-", svc.metadata.name),
                    labels: labels.clone(),
                    ..Default::default()
                };
                meta.owner_references = vec![owner_ref(
                    "v1",
                    "Service",
                    &svc.metadata.name,
                    &svc.metadata.uid,
                )];
                meta.generation = 1;
                cluster.stamp_new(&mut meta);
                cluster.store.put(EndpointSlice {
                    metadata: meta,
                    address_type: "IPv4".into(),
                    endpoints: endpoints.clone(),
                    ports: ports.clone(),
                });
            }
        }
    }
    for stale in existing.iter().skip(wanted.len()) {
        cluster.store.remove::<EndpointSlice>(&ns, stale);
        cluster.store.next_resource_version();
    }
}

/// The names of a Service's slices written by `manager`, oldest first (the order the
/// controllers fill them in).
pub(super) fn slices_of(cluster: &Cluster, ns: &str, service: &str, manager: &str) -> Vec<String> {
    let mut slices: Vec<&EndpointSlice> = cluster
        .store
        .tracker()
        .slices_by_service
        .get(&(ns.to_string(), service.to_string()))
        .into_iter()
        .flatten()
        .filter_map(|name| cluster.store.get::<EndpointSlice>(ns, name))
        .filter(|s| {
            s.metadata
                .labels
                .get(SERVICE_NAME_LABEL)
                .map(String::as_str)
                == Some(service)
                && s.metadata.labels.get(MANAGED_BY_LABEL).map(String::as_str) == Some(manager)
        })
        .collect();
    slices.sort_by(|a, b| {
        a.metadata
            .creation_timestamp
            .cmp(&b.metadata.creation_timestamp)
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    slices
        .into_iter()
        .map(|s| s.metadata.name.clone())
        .collect()
}

/// Brings an existing slice to `labels`, `ports` and `endpoints`; one already there is left
/// alone without being copied (the threshold's hot path).
fn update_slice(
    cluster: &mut Cluster,
    ns: &str,
    name: &str,
    labels: &StringMap,
    ports: &[EndpointPort],
    endpoints: &[Endpoint],
) {
    let current = cluster.store.get::<EndpointSlice>(ns, name);
    let same = current.is_some_and(|s| {
        s.metadata.labels == *labels && s.ports == ports && s.endpoints == endpoints
    });
    if !same {
        cluster.modify::<EndpointSlice>(ns, name, |s| {
            s.metadata.labels = labels.clone();
            s.ports = ports.to_vec();
            s.endpoints = endpoints.to_vec();
        });
    }
}

/// The legacy Endpoints object: ready pods in `addresses`, the rest in `notReadyAddresses`,
/// terminating pods left out, addresses sorted by IP (`endpoints.RepackSubsets`).
fn endpoint_subsets(svc: &Service, pods: &[&Pod]) -> Vec<EndpointSubset> {
    let publish_not_ready = svc.spec.publish_not_ready_addresses == Some(true);
    let mut subsets: Vec<EndpointSubset> = Vec::new();
    for &pod in pods {
        if pod.metadata.deletion_timestamp.is_some() && !publish_not_ready {
            continue;
        }
        let ports = endpoint_ports(svc, Some(pod));
        if ports.is_empty() {
            continue;
        }
        let address = EndpointAddress {
            ip: pod.status.pod_ip.clone(),
            hostname: endpoint_hostname(svc, pod).unwrap_or_default(),
            node_name: Some(pod.spec.node_name.clone()),
            target_ref: Some(pod_ref(pod)),
        };
        let subset = match subsets.iter_mut().find(|s| s.ports == ports) {
            Some(s) => s,
            None => {
                subsets.push(EndpointSubset {
                    ports,
                    ..Default::default()
                });
                let last = subsets.len() - 1;
                &mut subsets[last]
            }
        };
        if pod_is_ready(pod) || publish_not_ready {
            subset.addresses.push(address);
        } else {
            subset.not_ready_addresses.push(address);
        }
    }
    let by_ip = |a: &EndpointAddress, b: &EndpointAddress| {
        let ip = |x: &EndpointAddress| x.ip.parse::<Ipv4Addr>().ok();
        ip(a).cmp(&ip(b)).then(a.ip.cmp(&b.ip))
    };
    for s in &mut subsets {
        s.addresses.sort_by(by_ip);
        s.not_ready_addresses.sort_by(by_ip);
        // Stored as built: drop the room the pushes left (it adds up over 10,000 Services).
        s.addresses.shrink_to_fit();
        s.not_ready_addresses.shrink_to_fit();
    }
    subsets.shrink_to_fit();
    subsets
}

/// Writes the Service's Endpoints object with these subsets (only if they changed).
fn write_endpoints(cluster: &mut Cluster, svc: &Service, subsets: Vec<EndpointSubset>) {
    let ns = svc.metadata.namespace.clone();
    let name = svc.metadata.name.clone();
    let labels = svc.metadata.labels.clone();
    let now = rfc3339(cluster.now_ms());
    match cluster.store.get::<Endpoints>(&ns, &name) {
        Some(current) if current.subsets == subsets && current.metadata.labels == labels => {}
        Some(_) => {
            cluster.modify::<Endpoints>(&ns, &name, |e| {
                e.metadata.labels = labels;
                e.metadata
                    .annotations
                    .insert(MANAGED_ANNOTATION.into(), now);
                e.subsets = subsets;
            });
        }
        None => {
            let mut meta = ObjectMeta {
                namespace: ns,
                name,
                labels,
                ..Default::default()
            };
            meta.annotations.insert(MANAGED_ANNOTATION.into(), now);
            cluster.stamp_new(&mut meta);
            cluster.store.put(Endpoints {
                metadata: meta,
                subsets,
            });
        }
    }
}

/// Endpoints written by hand for a Service without a selector are mirrored into slices.
fn mirror_manual_endpoints(cluster: &mut Cluster, services: &[Service]) {
    for svc in services.iter().filter(|s| s.spec.selector.is_empty()) {
        let (ns, name) = (&svc.metadata.namespace, &svc.metadata.name);
        let Some(eps) = cluster.store.get::<Endpoints>(ns, name).cloned() else {
            continue;
        };
        if eps.metadata.labels.contains_key(SKIP_MIRROR_LABEL) {
            continue;
        }
        let mut wanted: Vec<(Vec<EndpointPort>, Vec<Endpoint>)> = Vec::new();
        for subset in &eps.subsets {
            let endpoint = |a: &EndpointAddress, ready: bool| Endpoint {
                addresses: vec![a.ip.clone()],
                conditions: EndpointConditions {
                    ready: Some(ready),
                    serving: Some(ready),
                    terminating: Some(false),
                },
                hostname: (!a.hostname.is_empty()).then(|| a.hostname.clone()),
                node_name: a.node_name.clone(),
                target_ref: a.target_ref.clone(),
                zone: None,
            };
            let mut list: Vec<Endpoint> =
                subset.addresses.iter().map(|a| endpoint(a, true)).collect();
            list.extend(
                subset
                    .not_ready_addresses
                    .iter()
                    .map(|a| endpoint(a, false)),
            );
            wanted.push((subset.ports.clone(), list));
        }
        let existing = slices_of(cluster, ns, name, MIRRORING_CONTROLLER);
        let mut labels: StringMap = eps.metadata.labels.clone();
        labels.insert(SERVICE_NAME_LABEL.into(), name.clone());
        labels.insert(MANAGED_BY_LABEL.into(), MIRRORING_CONTROLLER.into());
        for (i, (ports, endpoints)) in wanted.iter().enumerate() {
            match existing.get(i) {
                Some(name) => update_slice(cluster, ns, name, &labels, ports, endpoints),
                None => {
                    let mut meta = ObjectMeta {
                        namespace: ns.clone(),
                        generate_name: format!("{name}-"),
                        labels: labels.clone(),
                        ..Default::default()
                    };
                    meta.owner_references =
                        vec![owner_ref("v1", "Endpoints", name, &eps.metadata.uid)];
                    meta.generation = 1;
                    cluster.stamp_new(&mut meta);
                    cluster.store.put(EndpointSlice {
                        metadata: meta,
                        address_type: "IPv4".into(),
                        endpoints: endpoints.clone(),
                        ports: ports.clone(),
                    });
                }
            }
        }
        for stale in existing.iter().skip(wanted.len()) {
            cluster.store.remove::<EndpointSlice>(ns, stale);
            cluster.store.next_resource_version();
        }
    }
}

/// A Service's controller-managed Endpoints and slices go with it. Only the slices and
/// Endpoints the store marked (written, or their Service went) can have become stale.
fn remove_endpoints_of_deleted_services(cluster: &mut Cluster) {
    let exists =
        |cluster: &Cluster, ns: &str, name: &str| cluster.store.get::<Service>(ns, name).is_some();
    let candidates = std::mem::take(&mut cluster.store.tracker_mut().cleanup_slices);
    let stale_slices: Vec<(String, String)> = candidates
        .into_iter()
        .filter(|(ns, name)| {
            cluster
                .store
                .get::<EndpointSlice>(ns, name)
                .is_some_and(|s| {
                    let svc = s.metadata.labels.get(SERVICE_NAME_LABEL);
                    let managed = s.metadata.labels.get(MANAGED_BY_LABEL).map(String::as_str);
                    managed == Some(MIRRORING_CONTROLLER)
                        && svc.is_none_or(|svc| !exists(cluster, &s.metadata.namespace, svc))
                })
        })
        .collect();
    for (ns, name) in stale_slices {
        cluster.store.remove::<EndpointSlice>(&ns, &name);
        cluster.store.next_resource_version();
    }
    let candidates = std::mem::take(&mut cluster.store.tracker_mut().gc_endpoints);
    let stale_endpoints: Vec<(String, String)> = candidates
        .into_iter()
        .filter(|(ns, name)| {
            // Only controller-made Endpoints (those of selector Services) go; hand-made stay.
            cluster.store.get::<Endpoints>(ns, name).is_some_and(|e| {
                !exists(cluster, ns, name)
                    && e.metadata.annotations.contains_key(MANAGED_ANNOTATION)
            })
        })
        .collect();
    for (ns, name) in stale_endpoints {
        cluster.store.remove::<Endpoints>(&ns, &name);
        cluster.store.next_resource_version();
    }
}

/// Marks Endpoints the controller wrote (the real controller tracks them through its
/// Service informer; the lab keeps the mark on the object).
const MANAGED_ANNOTATION: &str = "endpoints.kubernetes.io/last-change-trigger-time";

/// The API server's own endpoints for `default/kubernetes`: the control plane at :6443.
pub fn set_api_server_endpoints(cluster: &mut Cluster, control_plane_ip: Ipv4Addr) {
    let port = EndpointPort {
        name: Some("https".into()),
        port: Some(6443),
        protocol: Some("TCP".into()),
        app_protocol: None,
    };
    let mut meta = ObjectMeta {
        namespace: "default".into(),
        name: "kubernetes".into(),
        ..Default::default()
    };
    meta.labels.insert(SKIP_MIRROR_LABEL.into(), "true".into());
    cluster.stamp_new(&mut meta);
    cluster.store.put(Endpoints {
        metadata: meta,
        subsets: vec![EndpointSubset {
            addresses: vec![EndpointAddress {
                ip: control_plane_ip.to_string(),
                ..Default::default()
            }],
            not_ready_addresses: Vec::new(),
            ports: vec![port.clone()],
        }],
    });
    let mut meta = ObjectMeta {
        namespace: "default".into(),
        name: "kubernetes".into(),
        ..Default::default()
    };
    meta.labels
        .insert(SERVICE_NAME_LABEL.into(), "kubernetes".into());
    meta.generation = 1;
    cluster.stamp_new(&mut meta);
    cluster.store.put(EndpointSlice {
        metadata: meta,
        address_type: "IPv4".into(),
        endpoints: vec![Endpoint {
            addresses: vec![control_plane_ip.to_string()],
            conditions: EndpointConditions {
                ready: Some(true),
                serving: None,
                terminating: None,
            },
            ..Default::default()
        }],
        ports: vec![port],
    });
}

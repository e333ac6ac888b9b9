//! The lab as the page draws it, read from the simulator with kubectl's own column rules
//! (STATUS, ROLES, EXTERNAL-IP come from the terminal's printers, so map and terminal agree).

use svclab_protocol::{
    ClaimView, ClusterView, LabView, NodeView, PodView, PortView, ServiceProblem, ServiceView,
    WorkloadView,
};
use svclab_sim::api::{
    map_selector_matches, Deployment, Endpoints, Node, PersistentVolumeClaim, Pod, ReplicaSet,
    Service,
};
use svclab_sim::cluster::Cluster;
use svclab_sim::lab::Lab;
use svclab_terminal::kubectl::printers::{
    node_roles, node_status, pod_status, service_external_ip, target_port_string,
};

/// Namespaces whose pods and Services are the cluster's own, not the learner's.
pub(crate) fn is_system(namespace: &str) -> bool {
    matches!(namespace, "kube-system" | "local-path-storage")
}

/// The lab's current state, for the page.
pub fn lab_view(lab: &Lab) -> LabView {
    let cluster = lab
        .current_cluster_name()
        .and_then(|name| lab.cluster(&name))
        .map(cluster_view);
    LabView {
        seed: lab.seed(),
        now_ms: lab.now_ms(),
        clusters: lab.cluster_names(),
        cluster,
        lessons: Vec::new(),
    }
}

fn cluster_view(cluster: &Cluster) -> ClusterView {
    let nodes = cluster
        .store
        .list::<Node>(None)
        .map(|node| node_view(cluster, node))
        .collect();
    let services = cluster
        .store
        .list::<Service>(None)
        .filter(|s| !is_system(&s.metadata.namespace))
        .filter(|s| !(s.metadata.namespace == "default" && s.metadata.name == "kubernetes"))
        .map(|s| service_view(cluster, s))
        .collect();
    ClusterView {
        name: cluster.name().to_owned(),
        nodes,
        services,
        workloads: workloads(cluster),
    }
}

fn workloads(cluster: &Cluster) -> Vec<WorkloadView> {
    let deployments = cluster
        .store
        .list::<Deployment>(None)
        .filter(|d| !is_system(&d.metadata.namespace))
        .map(|d| WorkloadView {
            namespace: d.metadata.namespace.clone(),
            resource: "deployment".to_owned(),
            name: d.metadata.name.clone(),
            desired: d.spec.replicas.unwrap_or(1),
            ready: d.status.ready_replicas,
        });
    let replica_sets = cluster
        .store
        .list::<ReplicaSet>(None)
        .filter(|r| !is_system(&r.metadata.namespace) && r.metadata.controller_ref().is_none())
        .map(|r| WorkloadView {
            namespace: r.metadata.namespace.clone(),
            resource: "replicaset".to_owned(),
            name: r.metadata.name.clone(),
            desired: r.spec.replicas.unwrap_or(1),
            ready: r.status.ready_replicas,
        });
    deployments.chain(replica_sets).collect()
}

fn node_view(cluster: &Cluster, node: &Node) -> NodeView {
    let name = &node.metadata.name;
    let runtime = cluster.nodes.get(name);
    let roles = node_roles(node);
    let mut pods = Vec::new();
    let mut system_pods = Vec::new();
    for pod in cluster.store.list::<Pod>(None) {
        if &pod.spec.node_name != name {
            continue;
        }
        if is_system(&pod.metadata.namespace) {
            system_pods.push(pod.metadata.name.clone());
        } else {
            pods.push(pod_view(cluster, pod));
        }
    }
    NodeView {
        name: name.clone(),
        ip: runtime.map(|r| r.ip.to_string()).unwrap_or_default(),
        role: if roles.is_empty() {
            "<none>".to_owned()
        } else {
            roles.join(",")
        },
        status: node_status(node),
        running: runtime.is_some_and(|r| r.running),
        taints: node
            .spec
            .taints
            .iter()
            .map(|t| format!("{}:{}", t.key, t.effect))
            .collect(),
        pods,
        system_pods,
        kube_chains: runtime
            .map(|r| {
                r.nat
                    .chains()
                    .map(|c| c.name.clone())
                    .filter(|n| n.starts_with("KUBE-"))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn pod_view(cluster: &Cluster, pod: &Pod) -> PodView {
    PodView {
        claims: claim_views(cluster, pod),
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        ip: pod.status.pod_ip.clone(),
        status: pod_status(pod),
        ready: pod
            .status
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True"),
        owner: pod
            .metadata
            .controller_ref()
            .map(|o| format!("{}/{}", o.kind, o.name))
            .unwrap_or_default(),
    }
}

/// The claims a pod mounts, as they are now.
fn claim_views(cluster: &Cluster, pod: &Pod) -> Vec<ClaimView> {
    pod.spec
        .claims()
        .map(|source| {
            let claim = cluster
                .store
                .get::<PersistentVolumeClaim>(&pod.metadata.namespace, &source.claim_name);
            ClaimView {
                name: source.claim_name.clone(),
                phase: claim.map_or("missing".to_string(), |c| c.status.phase.clone()),
                volume: claim
                    .map(|c| c.spec.volume_name.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn service_view(cluster: &Cluster, svc: &Service) -> ServiceView {
    let ns = &svc.metadata.namespace;
    let ready = cluster
        .store
        .get::<Endpoints>(ns, &svc.metadata.name)
        .into_iter()
        .flat_map(|ep| ep.subsets.iter().flat_map(|s| &s.addresses));
    let endpoints: Vec<String> = ready
        .clone()
        .map(|a| {
            a.target_ref
                .as_ref()
                .map_or(a.ip.clone(), |r| r.name.clone())
        })
        .collect();
    let hostnames: Vec<String> = ready
        .filter(|a| !a.hostname.is_empty())
        .map(|a| a.hostname.clone())
        .collect();
    ServiceView {
        namespace: ns.clone(),
        name: svc.metadata.name.clone(),
        kind: if svc.spec.type_.is_empty() {
            "ClusterIP".to_owned()
        } else {
            svc.spec.type_.clone()
        },
        cluster_ip: if svc.spec.cluster_ip.is_empty() {
            "<none>".to_owned()
        } else {
            svc.spec.cluster_ip.clone()
        },
        external_ip: service_external_ip(svc, false),
        ports: svc
            .spec
            .ports
            .iter()
            .map(|p| PortView {
                port: u16::try_from(p.port).unwrap_or(0),
                node_port: p.node_port.and_then(|n| u16::try_from(n).ok()).unwrap_or(0),
                protocol: if p.protocol.is_empty() {
                    "TCP".to_owned()
                } else {
                    p.protocol.clone()
                },
                target_port: target_port_string(p.target_port.as_ref(), p.port),
                svc_chain: svc_chain_of(svc, p),
            })
            .collect(),
        problem: problem(cluster, svc, endpoints.is_empty()),
        endpoints,
        hostnames,
    }
}

/// Why a Service has nobody behind it.
fn problem(cluster: &Cluster, svc: &Service, no_endpoints: bool) -> Option<ServiceProblem> {
    if svc.spec.type_ == "ExternalName" || !no_endpoints {
        return None;
    }
    let selector = &svc.spec.selector;
    if selector.is_empty() {
        return Some(ServiceProblem::NoSelector);
    }
    let ns = &svc.metadata.namespace;
    let matching = cluster
        .store
        .list::<Pod>(Some(ns))
        .filter(|p| map_selector_matches(selector, &p.metadata.labels))
        .count();
    let wanted = selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    Some(if matching == 0 {
        ServiceProblem::NoMatch {
            selector: wanted,
            namespace: ns.clone(),
        }
    } else {
        ServiceProblem::NoneReady {
            matching,
            selector: wanted,
        }
    })
}

/// `KUBE-SVC-…` for a Service port, hashed from `ServicePortName.String()` and the lower-case
/// protocol as kube-proxy names it; empty for a Service kube-proxy writes no chain for.
fn svc_chain_of(svc: &Service, port: &svclab_sim::api::ServicePort) -> String {
    let headless = svc.spec.cluster_ip.is_empty() || svc.spec.cluster_ip == "None";
    if headless || svc.spec.type_ == "ExternalName" {
        return String::new();
    }
    let mut name = format!("{}/{}", svc.metadata.namespace, svc.metadata.name);
    if !port.name.is_empty() {
        name = format!("{name}:{}", port.name);
    }
    let protocol = if port.protocol.is_empty() {
        "tcp".to_owned()
    } else {
        port.protocol.to_ascii_lowercase()
    };
    svclab_sim::kubeproxy::svc_chain(&name, &protocol)
}

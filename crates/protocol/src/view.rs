//! The lab as the page draws it: the current cluster's nodes, pods and Services, in the words
//! `kubectl get` uses.

use serde::{Deserialize, Serialize};

/// The whole lab.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabView {
    /// The lab's seed.
    pub seed: u64,
    /// Virtual time since the lab started, in milliseconds.
    pub now_ms: u64,
    /// The clusters `kind get clusters` lists.
    pub clusters: Vec<String>,
    /// The cluster of the current kubectl context.
    pub cluster: Option<ClusterView>,
    /// Each loaded lesson's progress by id: for each step, which of its checks hold.
    pub lessons: Vec<(String, Vec<Vec<bool>>)>,
}

impl LabView {
    /// The `KUBE-SVC-…` chain kube-proxy writes for the Service `NS/NAME` (its first port
    /// that has one), if the Service is on the map and has endpoints.
    pub fn svc_chain(&self, service: &str) -> Option<String> {
        self.cluster
            .as_ref()?
            .services
            .iter()
            .find(|s| format!("{}/{}", s.namespace, s.name) == service)?
            .ports
            .iter()
            .map(|p| p.svc_chain.clone())
            .find(|c| !c.is_empty())
    }
}

/// One kind cluster.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterView {
    /// The cluster's name (`service-demo`).
    pub name: String,
    /// Its nodes, control plane first.
    pub nodes: Vec<NodeView>,
    /// Services outside kube-system and `default/kubernetes`, by namespace and name.
    pub services: Vec<ServiceView>,
    /// Deployments, and ReplicaSets no Deployment owns, outside kube-system: what can be scaled.
    pub workloads: Vec<WorkloadView>,
}

/// Something `kubectl scale` can scale.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadView {
    /// Its namespace.
    pub namespace: String,
    /// `deployment` or `replicaset`, as kubectl names the resource.
    pub resource: String,
    /// Its name.
    pub name: String,
    /// `spec.replicas`.
    pub desired: i32,
    /// `status.readyReplicas`.
    pub ready: i32,
}

/// A node and what runs on it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeView {
    /// `service-demo-worker2`.
    pub name: String,
    /// Its address on the kind network.
    pub ip: String,
    /// `control-plane` or `<none>`, as `kubectl get nodes` prints ROLES.
    pub role: String,
    /// kubectl's STATUS column (`Ready`, `NotReady`, `Ready,SchedulingDisabled`).
    pub status: String,
    /// Whether its container runs (`docker stop` stops it).
    pub running: bool,
    /// Taints as `key:Effect`.
    pub taints: Vec<String>,
    /// The learner's pods on it (not kube-system's).
    pub pods: Vec<PodView>,
    /// kube-system pods on it, by name.
    pub system_pods: Vec<String>,
    /// kube-proxy's chains in its nat table (`KUBE-SERVICES`, `KUBE-SVC-…`, …), in
    /// `iptables-save` order.
    pub kube_chains: Vec<String>,
}

/// A pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodView {
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Its IP, empty before it has one.
    pub ip: String,
    /// kubectl's STATUS column (`Running`, `ContainerCreating`, `Terminating`, …).
    pub status: String,
    /// Whether it is Ready (and so in its Services' endpoints).
    pub ready: bool,
    /// The controller owning it, as `ReplicaSet/nginx-replicaset`; empty for a bare pod.
    pub owner: String,
    /// The PersistentVolumeClaims it mounts, with their phase (`Bound`, `Pending`, or
    /// `missing`).
    #[serde(default)]
    pub claims: Vec<ClaimView>,
}

/// A PersistentVolumeClaim a pod mounts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimView {
    /// The claim's name.
    pub name: String,
    /// `Bound`, `Pending`, or `missing` when no such claim exists.
    pub phase: String,
    /// The bound volume's name, empty before binding.
    pub volume: String,
}

/// A Service port.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortView {
    /// The Service port.
    pub port: u16,
    /// The node port, 0 when none.
    pub node_port: u16,
    /// TCP, UDP or SCTP.
    pub protocol: String,
    /// The target port as written (a number or a name).
    pub target_port: String,
    /// kube-proxy's `KUBE-SVC-…` chain for this port; empty when it has none (headless,
    /// ExternalName).
    #[serde(default)]
    pub svc_chain: String,
}

/// A Service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// ClusterIP, NodePort, LoadBalancer or ExternalName.
    pub kind: String,
    /// kubectl's CLUSTER-IP column.
    pub cluster_ip: String,
    /// kubectl's EXTERNAL-IP column.
    pub external_ip: String,
    /// Its ports.
    pub ports: Vec<PortView>,
    /// Ready endpoints as `pod-name` (or the address, for an endpoint with no pod).
    pub endpoints: Vec<String>,
    /// The hostnames of its ready endpoints (a StatefulSet's pods under their headless
    /// Service), each a DNS name `HOST.SERVICE.NAMESPACE` that pods can resolve.
    #[serde(default)]
    pub hostnames: Vec<String>,
    /// Why nothing answers, when nothing does.
    pub problem: Option<ServiceProblem>,
}

/// Why a Service has no endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceProblem {
    /// No selector, and no Endpoints written by hand.
    NoSelector,
    /// The selector (`app=nginx`) matches no pod in the namespace.
    NoMatch {
        /// The selector as `k=v,…`.
        selector: String,
        /// The Service's namespace.
        namespace: String,
    },
    /// Pods match, but none is Ready.
    NoneReady {
        /// How many match.
        matching: usize,
        /// The selector as `k=v,…`.
        selector: String,
    },
}

//! Pods and their templates (k8s.io/api/core/v1/types.go: `Pod`, `PodSpec`, `Container`, `PodStatus`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::env::{EnvFromSource, EnvVar};
use super::meta::{ObjectMeta, StringMap};
use super::quantity::Quantity;
use super::shared::Shared;

/// A Pod: one or more containers scheduled onto a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: PodSpec,
    /// `status`, written by the scheduler and the kubelet.
    #[serde(default)]
    pub status: PodStatus,
}

/// `spec.template` of workloads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTemplateSpec {
    /// The pods' metadata (labels, annotations).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The pods' spec.
    #[serde(default)]
    pub spec: PodSpec,
}

/// The part of `PodSpec` the lab simulates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// Volumes the containers may mount (ConfigMap, Secret, downward API, projected, emptyDir
    /// and claim sources are simulated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<super::volume::Volume>,
    /// The containers; a pod has at least one (shared: a template's pods hold its list).
    #[serde(default)]
    pub containers: Shared<Vec<Container>>,
    /// `Always`, `OnFailure` or `Never`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub restart_policy: String,
    /// Seconds the kubelet waits before killing a terminating pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// Nodes must carry all these labels.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub node_selector: StringMap,
    /// The node the pod is bound to, set by the scheduler (or by hand).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub node_name: String,
    /// Use the node's network namespace (kube-proxy, kindnet and the control plane do).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host_network: bool,
    /// The pod's hostname (defaults to the pod name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// With `hostname`, gives the pod a DNS name under a headless Service.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subdomain: String,
    /// Where the pod may run (required node affinity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Box<super::affinity::Affinity>>,
    /// Taints this pod tolerates (shared: pods of one template hold the same list).
    #[serde(default, skip_serializing_if = "super::shared::no_items")]
    pub tolerations: Shared<Vec<Toleration>>,
}

impl PodSpec {
    /// The PersistentVolumeClaims the pod mounts, in volume order.
    pub fn claims(
        &self,
    ) -> impl Iterator<Item = &super::volume::PersistentVolumeClaimVolumeSource> {
        self.volumes
            .iter()
            .filter_map(|v| v.persistent_volume_claim.as_ref())
    }

    /// Whether the pod mounts the claim `name` (of its own namespace).
    pub fn mounts_claim(&self, name: &str) -> bool {
        self.claims().any(|c| c.claim_name == name)
    }
}

/// A container of a pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// The container's name, unique in the pod.
    pub name: String,
    /// The image, e.g. `nginx:latest`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// The entrypoint (overrides the image's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Arguments to the entrypoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Ports the container listens on (informational, but named ones back `targetPort` names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    /// Environment variables, including downward-API ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// Variables from every key of a ConfigMap.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_from: Vec<EnvFromSource>,
    /// CPU and memory the container asks for and may use.
    #[serde(default, skip_serializing_if = "ResourceRequirements::is_empty")]
    pub resources: ResourceRequirements,
    /// Where the pod's volumes appear in this container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<super::volume::VolumeMount>,
    /// `Always`, `IfNotPresent` or `Never`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image_pull_policy: String,
}

/// `containers[].resources`: quantities by resource name (`cpu`, `memory`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirements {
    /// At most this much.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, Quantity>,
    /// At least this much; the scheduler counts these.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, Quantity>,
}

impl ResourceRequirements {
    /// Neither limits nor requests.
    pub fn is_empty(&self) -> bool {
        self.limits.is_empty() && self.requests.is_empty()
    }
}

/// `containers[].ports[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// An IANA_SVC_NAME that Services can target by name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The port number in the container.
    pub container_port: i32,
    /// `TCP`, `UDP` or `SCTP`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
}

/// `tolerations[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    /// The taint key; empty with `Exists` tolerates every taint.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// `Equal` (the default) or `Exists`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operator: String,
    /// The taint value for `Equal`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// The taint effect; empty matches every effect.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub effect: String,
    /// For `NoExecute`: how long the pod stays bound after the taint appears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

/// `status` of a pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// PodScheduled, Initialized, ContainersReady, Ready, in that order (shared: pods that
    /// changed at the same moment hold the same list).
    #[serde(default, skip_serializing_if = "super::shared::no_items")]
    pub conditions: Shared<Vec<Condition>>,
    /// The node's IP.
    #[serde(rename = "hostIP", default, skip_serializing_if = "String::is_empty")]
    pub host_ip: String,
    /// The pod's IP, from the node's pod CIDR.
    #[serde(rename = "podIP", default, skip_serializing_if = "String::is_empty")]
    pub pod_ip: String,
    /// When the kubelet started the pod.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub start_time: String,
    /// One entry per container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_statuses: Vec<ContainerStatus>,
    /// Why the pod is in this state (e.g. `Evicted`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// A status condition (pods and nodes share the shape the lab needs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// e.g. `Ready`.
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_transition_time: String,
    /// A one-word reason.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// A sentence for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// `status.containerStatuses[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    /// The container's name.
    pub name: String,
    /// Whether its readiness probe passes.
    pub ready: bool,
    /// How often it restarted.
    pub restart_count: i32,
    /// The image.
    pub image: String,
    /// Whether it has started.
    #[serde(default)]
    pub started: bool,
    /// `waiting` (with a reason such as ContainerCreating), `running` or `terminated`.
    #[serde(default)]
    pub state: ContainerState,
}

/// `containerStatuses[].state`, reduced to what the lab shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerState {
    /// Set while waiting: the reason, e.g. `ContainerCreating`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<StateDetail>,
    /// Set while running: since when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<StateDetail>,
    /// Set once terminated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated: Option<StateDetail>,
}

/// The detail of one container state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateDetail {
    /// e.g. `ContainerCreating`, `Completed`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Why, in words: e.g. `configmap "web-env" not found` for `CreateContainerConfigError`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// When the state began.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub started_at: String,
}

impl Pod {
    /// `PodRequestsAndLimits` (containers only): the pod's requests and limits by resource,
    /// each sum in the format of its first term.
    pub fn requests_and_limits(&self) -> [BTreeMap<String, Quantity>; 2] {
        let mut totals = [BTreeMap::new(), BTreeMap::new()];
        for c in self.spec.containers.iter() {
            let lists = [&c.resources.requests, &c.resources.limits];
            for (total, list) in totals.iter_mut().zip(lists) {
                add_quantities(total, list);
            }
        }
        totals
    }

    /// The QoS class the kubelet reports (`ComputePodQOS`, pkg/apis/core/v1/helper/qos):
    /// `BestEffort` without any CPU or memory request or limit; `Guaranteed` when every
    /// container limits both and requests equal limits; `Burstable` otherwise.
    pub fn qos_class(&self) -> &'static str {
        let mut requests: BTreeMap<&str, Quantity> = BTreeMap::new();
        let mut limits: BTreeMap<&str, Quantity> = BTreeMap::new();
        let mut guaranteed = true;
        let counted =
            |name: &str, q: &Quantity| matches!(name, "cpu" | "memory") && q > &Quantity::ZERO;
        for c in self.spec.containers.iter() {
            for (name, q) in &c.resources.requests {
                if counted(name, q) {
                    let sum = requests.get(name.as_str()).map_or(*q, |s| s.add(q));
                    requests.insert(name, sum);
                }
            }
            let mut limited = 0;
            for (name, q) in &c.resources.limits {
                if counted(name, q) {
                    limited += 1;
                    let sum = limits.get(name.as_str()).map_or(*q, |s| s.add(q));
                    limits.insert(name, sum);
                }
            }
            if limited < 2 {
                guaranteed = false;
            }
        }
        if requests.is_empty() && limits.is_empty() {
            return "BestEffort";
        }
        let equal = requests.iter().all(|(name, req)| {
            limits
                .get(name)
                .is_some_and(|lim| lim.partial_cmp(req) == Some(std::cmp::Ordering::Equal))
        });
        if guaranteed && equal && requests.len() == limits.len() {
            "Guaranteed"
        } else {
            "Burstable"
        }
    }
}

/// Adds each quantity of `list` to `total` under its name (`Quantity.Add`: the sum keeps the
/// format of what was there first).
pub fn add_quantities(total: &mut BTreeMap<String, Quantity>, list: &BTreeMap<String, Quantity>) {
    for (name, q) in list {
        let sum = total.get(name).map_or(*q, |t| t.add(q));
        total.insert(name.clone(), sum);
    }
}

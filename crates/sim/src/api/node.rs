//! Nodes (core/v1 `Node`) and Namespaces (core/v1 `Namespace`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::meta::ObjectMeta;
use super::pod::Condition;

/// A node: one kind container running a kubelet and kube-proxy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// `metadata`; the role labels live here.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: NodeSpec,
    /// `status`.
    #[serde(default)]
    pub status: NodeStatus,
}

/// `spec` of a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSpec {
    /// The node's pod CIDR, from the node IPAM controller.
    #[serde(rename = "podCIDR", default, skip_serializing_if = "String::is_empty")]
    pub pod_cidr: String,
    /// The node's pod CIDRs (one per family).
    #[serde(rename = "podCIDRs", default, skip_serializing_if = "Vec::is_empty")]
    pub pod_cidrs: Vec<String>,
    /// `kind://docker/<cluster>/<node>`.
    #[serde(
        rename = "providerID",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub provider_id: String,
    /// Taints, such as the control-plane's NoSchedule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    /// Set by `kubectl cordon`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unschedulable: bool,
}

/// `spec.taints[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    /// e.g. `node-role.kubernetes.io/control-plane`.
    pub key: String,
    /// Usually empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
    /// When a NoExecute taint was added.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub time_added: String,
}

/// `status` of a node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// What the node has (cpu, memory, ephemeral-storage, hugepages, pods); shared by
    /// nodes alike.
    #[serde(default, skip_serializing_if = "super::shared::Shared::is_empty")]
    pub capacity: ResourceList,
    /// What pods may use of it (the same on a kind node: no reservations).
    #[serde(default, skip_serializing_if = "super::shared::Shared::is_empty")]
    pub allocatable: ResourceList,
    /// Ready and the pressure conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// InternalIP and Hostname.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<NodeAddress>,
    /// Versions of the kubelet, OS and runtime.
    #[serde(default)]
    pub node_info: NodeSystemInfo,
}

/// `status.addresses[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeAddress {
    /// `InternalIP` or `Hostname`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The address.
    pub address: String,
}

/// `status.nodeInfo`, as `kubectl get nodes -o wide` shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSystemInfo {
    /// e.g. `6.8.0-generic`.
    #[serde(default)]
    pub kernel_version: String,
    /// e.g. `Debian GNU/Linux 12 (bookworm)`.
    #[serde(default)]
    pub os_image: String,
    /// e.g. `containerd://2.1.1`.
    #[serde(default)]
    pub container_runtime_version: String,
    /// e.g. `v1.33.1`.
    #[serde(default)]
    pub kubelet_version: String,
    /// `linux`.
    #[serde(default)]
    pub operating_system: String,
    /// `amd64`.
    #[serde(default)]
    pub architecture: String,
}

/// A Namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `status`.
    #[serde(default)]
    pub status: NamespaceStatus,
}

/// `status` of a Namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceStatus {
    /// `Active` or `Terminating`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
}

/// Quantities by resource name, held once for nodes alike.
pub type ResourceList = super::shared::Shared<BTreeMap<String, super::quantity::Quantity>>;

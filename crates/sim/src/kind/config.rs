//! The kind `Cluster` config, `kind.x-k8s.io/v1alpha4`, field for field.
//!
//! Mirrors `pkg/apis/config/v1alpha4/types.go` (kind v0.29.0). Enum-like fields stay strings,
//! as in Go, because validation must print whatever the user wrote (`"master" is not a valid
//! node role`).

use super::error::Location;
use std::collections::BTreeMap;

/// The only apiVersion kind v0.29.0 reads.
pub const API_VERSION: &str = "kind.x-k8s.io/v1alpha4";
/// The only kind of that apiVersion.
pub const KIND: &str = "Cluster";

/// A kind cluster config (`v1alpha4.Cluster`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cluster {
    /// `name`: the cluster name; `--name` and `KIND_CLUSTER_NAME` override it.
    pub name: String,
    /// `nodes`: the node containers; one control plane when empty.
    pub nodes: Vec<Node>,
    /// `networking`: cluster-wide network settings.
    pub networking: Networking,
    /// `featureGates`: Kubernetes feature gates.
    pub feature_gates: BTreeMap<String, bool>,
    /// `runtimeConfig`: kube-apiserver `--runtime-config` entries.
    pub runtime_config: BTreeMap<String, String>,
    /// `kubeadmConfigPatches`: merge patches for the generated kubeadm config.
    pub kubeadm_config_patches: Vec<String>,
    /// `kubeadmConfigPatchesJSON6902`: JSON 6902 patches for the kubeadm config.
    pub kubeadm_config_patches_json6902: Vec<PatchJson6902>,
    /// `containerdConfigPatches`: TOML merge patches for containerd.
    pub containerd_config_patches: Vec<String>,
    /// `containerdConfigPatchesJSON6902`: JSON 6902 patches for containerd.
    pub containerd_config_patches_json6902: Vec<String>,
}

/// One node (`v1alpha4.Node`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    /// `role`: `control-plane` or `worker` (anything else fails validation).
    pub role: String,
    /// `image`: the node image.
    pub image: String,
    /// `labels`: labels the node registers with.
    pub labels: BTreeMap<String, String>,
    /// `extraMounts`: host paths mounted into the node container.
    pub extra_mounts: Vec<Mount>,
    /// `extraPortMappings`: host ports forwarded to the node container.
    pub extra_port_mappings: Vec<PortMapping>,
    /// `kubeadmConfigPatches`: node-level kubeadm merge patches.
    pub kubeadm_config_patches: Vec<String>,
    /// `kubeadmConfigPatchesJSON6902`: node-level kubeadm JSON 6902 patches.
    pub kubeadm_config_patches_json6902: Vec<PatchJson6902>,
}

/// Cluster networking (`v1alpha4.Networking`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Networking {
    /// `ipFamily`: `ipv4`, `ipv6` or `dual`.
    pub ip_family: String,
    /// `apiServerPort`: host port of the API server; 0 = kind picks, -1 = the backend picks.
    pub api_server_port: i32,
    /// `apiServerAddress`: host address of the API server.
    pub api_server_address: String,
    /// `podSubnet`: the pod CIDR(s), comma-separated for dual stack.
    pub pod_subnet: String,
    /// `serviceSubnet`: the service CIDR(s).
    pub service_subnet: String,
    /// `disableDefaultCNI`: do not install kindnetd.
    pub disable_default_cni: bool,
    /// `kubeProxyMode`: `iptables`, `ipvs`, `nftables` or `none`.
    pub kube_proxy_mode: String,
    /// `dnsSearch`: DNS search domains for the nodes; `None` inherits the host's.
    pub dns_search: Option<Vec<String>>,
}

/// A host mount (`v1alpha4.Mount`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mount {
    /// `containerPath`.
    pub container_path: String,
    /// `hostPath`.
    pub host_path: String,
    /// `readOnly`.
    pub read_only: bool,
    /// `selinuxRelabel`.
    pub selinux_relabel: bool,
    /// `propagation`: `None`, `HostToContainer` or `Bidirectional`.
    pub propagation: String,
}

/// A host port forwarded into the node container (`v1alpha4.PortMapping`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortMapping {
    /// `containerPort`: the port inside the node container (e.g. a NodePort).
    pub container_port: i32,
    /// `hostPort`: the port on the host; 0 = random.
    pub host_port: i32,
    /// `listenAddress`: the host address; empty means all (Docker's 0.0.0.0).
    pub listen_address: String,
    /// `protocol`: `TCP`, `UDP` or `SCTP`; empty behaves as TCP in Docker.
    pub protocol: String,
}

/// A JSON 6902 patch target and body (`v1alpha4.PatchJSON6902`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatchJson6902 {
    /// `group`.
    pub group: String,
    /// `version`.
    pub version: String,
    /// `kind`.
    pub kind: String,
    /// `patch`.
    pub patch: String,
}

/// Where a config field was written: its key, and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpan {
    /// The key (for list items, the item itself).
    pub key: Location,
    /// The value.
    pub value: Location,
}

/// Positions of the fields present in the YAML, by path (`networking.podSubnet`, `nodes[1].role`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    spans: BTreeMap<String, FieldSpan>,
}

impl SourceMap {
    /// The span of the field at `path`, if the YAML set it.
    pub fn get(&self, path: &str) -> Option<FieldSpan> {
        self.spans.get(path).copied()
    }

    /// The key location of `path`.
    pub fn key(&self, path: &str) -> Option<Location> {
        self.get(path).map(|s| s.key)
    }

    /// The value location of `path`.
    pub fn value(&self, path: &str) -> Option<Location> {
        self.get(path).map(|s| s.value)
    }

    /// All recorded paths with their spans, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, FieldSpan)> {
        self.spans.iter().map(|(k, v)| (k.as_str(), *v))
    }

    pub(crate) fn insert(&mut self, path: String, span: FieldSpan) {
        self.spans.insert(path, span);
    }
}

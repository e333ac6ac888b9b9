//! The cluster a (defaulted, valid) config builds: containers, addresses, pod CIDRs, taints.
//!
//! Sources: node names `providers/common/namer.go`; taints and the single-node label removal
//! `create/actions/kubeadminit/init.go`; pod CIDRs from kube-controller-manager's range allocator
//! (`allocate-node-cidrs=true`, /24 per IPv4 node and /64 per IPv6 node, handed out in
//! registration order, kubernetes `pkg/controller/nodeipam/ipam/cidrset/cidr_set.go`).
//!
//! Deterministic choices where real kind is not:
//! - Node IPs: Docker IPAM gives the `kind` network 172.18.0.0/16 (gateway .1) on a typical
//!   host; kind starts all containers at once, so which node gets .2, .3, … varies from run to
//!   run. The lab hands them out in config order, the external load balancer (if any) last.
//! - Pod CIDRs: the bootstrap control plane registers first (`kubeadm init`), then the other
//!   control planes (joined one by one), then the workers (joined concurrently in kind; config
//!   order here).

use super::config::{Cluster, PortMapping};
use super::defaults::CONTROL_PLANE_ROLE;
use super::naming::{kubeconfig_context, NodeNamer, EXTERNAL_LOAD_BALANCER_ROLE};
use super::netparse::parse_cidr;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The Docker network kind's nodes join (`providers/docker/network.go`, name `kind`).
pub const DOCKER_NETWORK_NAME: &str = "kind";
/// The subnet Docker IPAM typically gives that network (172.17/16 being the default bridge).
pub const DOCKER_NETWORK_SUBNET: &str = "172.18.0.0/16";
/// The network's gateway (the host side).
pub const DOCKER_NETWORK_GATEWAY: Ipv4Addr = Ipv4Addr::new(172, 18, 0, 1);
/// The first address handed to a container.
const FIRST_NODE_IP: Ipv4Addr = Ipv4Addr::new(172, 18, 0, 2);

/// kubeadm's control-plane taint key; kind keeps it unless the cluster has a single node.
pub const CONTROL_PLANE_TAINT_KEY: &str = "node-role.kubernetes.io/control-plane";
/// kubeadm's control-plane role label.
pub const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";
/// kubeadm's label that keeps control planes out of cloud load balancers; kind removes it on a
/// single-node cluster.
pub const EXCLUDE_FROM_LB_LABEL: &str = "node.kubernetes.io/exclude-from-external-load-balancers";

/// A node's role in the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRole {
    /// Runs the control plane (the first one bootstraps the cluster).
    ControlPlane,
    /// Runs workloads only.
    Worker,
}

impl NodeRole {
    /// The role as kind writes it (`control-plane`, `worker`).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeRole::ControlPlane => "control-plane",
            NodeRole::Worker => "worker",
        }
    }
}

/// A node taint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taint {
    /// The key.
    pub key: String,
    /// The value (empty for kubeadm's taints).
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
}

/// One node container and the Kubernetes Node it registers as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeLayout {
    /// Container name, which is also the Node name and hostname (`service-demo-worker2`).
    pub name: String,
    /// The role.
    pub role: NodeRole,
    /// Index of this node in the config's `nodes`.
    pub config_index: usize,
    /// The node image.
    pub image: String,
    /// The Kubernetes version read from the image tag (`v1.33.1`), if it has one.
    pub kubernetes_version: Option<String>,
    /// The container's address on the `kind` Docker network.
    pub ip: Ipv4Addr,
    /// The Node's pod CIDRs (one per family), empty when the pod subnet has no room for it.
    pub pod_cidrs: Vec<String>,
    /// 0-based registration order (the order pod CIDRs were allocated in).
    pub registration_order: usize,
    /// The Node's labels: kubelet's well-known ones, kubeadm's role labels, then the config's.
    pub labels: BTreeMap<String, String>,
    /// The Node's taints.
    pub taints: Vec<Taint>,
    /// The config's `extraPortMappings` for this node (host port → container port).
    pub port_mappings: Vec<PortMapping>,
}

/// The implicit HAProxy container kind adds in front of several control planes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadBalancerLayout {
    /// Container name (`<cluster>-external-load-balancer`).
    pub name: String,
    /// Its address on the `kind` network.
    pub ip: Ipv4Addr,
}

/// Everything about a cluster's shape that later code (Nodes, kubeconfig, kube-proxy) needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterLayout {
    /// The cluster name.
    pub name: String,
    /// The kubeconfig cluster/user/context name (`kind-<name>`).
    pub kubeconfig_context: String,
    /// Nodes in config order.
    pub nodes: Vec<NodeLayout>,
    /// The external load balancer, with more than one control plane.
    pub external_load_balancer: Option<LoadBalancerLayout>,
    /// The pod subnet(s), as configured.
    pub pod_subnet: String,
    /// The service subnet(s), as configured.
    pub service_subnet: String,
    /// `ipFamily`.
    pub ip_family: String,
    /// `apiServerAddress` (host side).
    pub api_server_address: String,
    /// `apiServerPort`: 0 means kind picks a free port, -1 that Docker does.
    pub api_server_port: i32,
    /// `kubeProxyMode`.
    pub kube_proxy_mode: String,
    /// Whether kindnetd is installed (`!disableDefaultCNI`).
    pub default_cni: bool,
}

impl ClusterLayout {
    /// The node called `name`.
    pub fn node(&self, name: &str) -> Option<&NodeLayout> {
        self.nodes.iter().find(|n| n.name == name)
    }
}

/// Lays out a cluster from a defaulted, validated config (unknown roles count as workers).
pub fn layout(c: &Cluster) -> ClusterLayout {
    let mut namer = NodeNamer::new(&c.name);
    let control_planes = c
        .nodes
        .iter()
        .filter(|n| n.role == CONTROL_PLANE_ROLE)
        .count();
    // kubeadminit/init.go counts every container, load balancer included: with several
    // control planes there is one, so only a one-node config is "single node".
    let single_node = c.nodes.len() == 1;

    let mut order: Vec<usize> = (0..c.nodes.len()).collect();
    order.sort_by_key(|&i| match c.nodes.get(i).map(|n| n.role.as_str()) {
        Some(CONTROL_PLANE_ROLE) => 0,
        _ => 1,
    });
    let mut registration = vec![0usize; c.nodes.len()];
    for (pos, &i) in order.iter().enumerate() {
        if let Some(slot) = registration.get_mut(i) {
            *slot = pos;
        }
    }

    let mut nodes = Vec::with_capacity(c.nodes.len());
    for (i, n) in c.nodes.iter().enumerate() {
        let role = if n.role == CONTROL_PLANE_ROLE {
            NodeRole::ControlPlane
        } else {
            NodeRole::Worker
        };
        let name = namer.next_name(role.as_str());
        let reg = registration.get(i).copied().unwrap_or(i);
        let mut labels = BTreeMap::new();
        // Set by the kubelet on every node (the lab assumes an amd64 host).
        for (k, v) in [
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", name.as_str()),
            ("kubernetes.io/os", "linux"),
        ] {
            labels.insert(k.to_owned(), v.to_owned());
        }
        let mut taints = Vec::new();
        if role == NodeRole::ControlPlane {
            labels.insert(CONTROL_PLANE_LABEL.to_owned(), String::new());
            if !single_node {
                labels.insert(EXCLUDE_FROM_LB_LABEL.to_owned(), String::new());
                taints.push(Taint {
                    key: CONTROL_PLANE_TAINT_KEY.to_owned(),
                    value: String::new(),
                    effect: "NoSchedule".to_owned(),
                });
            }
        }
        for (k, v) in &n.labels {
            labels.insert(k.clone(), v.clone());
        }
        nodes.push(NodeLayout {
            name,
            role,
            config_index: i,
            image: n.image.clone(),
            kubernetes_version: kubernetes_version_from_image(&n.image),
            ip: nth_ip(i),
            pod_cidrs: pod_cidrs(&c.networking.pod_subnet, reg),
            registration_order: reg,
            labels,
            taints,
            port_mappings: n.extra_port_mappings.clone(),
        });
    }

    let external_load_balancer = (control_planes > 1).then(|| LoadBalancerLayout {
        name: namer.next_name(EXTERNAL_LOAD_BALANCER_ROLE),
        ip: nth_ip(c.nodes.len()),
    });

    ClusterLayout {
        name: c.name.clone(),
        kubeconfig_context: kubeconfig_context(&c.name),
        nodes,
        external_load_balancer,
        pod_subnet: c.networking.pod_subnet.clone(),
        service_subnet: c.networking.service_subnet.clone(),
        ip_family: c.networking.ip_family.clone(),
        api_server_address: c.networking.api_server_address.clone(),
        api_server_port: c.networking.api_server_port,
        kube_proxy_mode: c.networking.kube_proxy_mode.clone(),
        default_cni: !c.networking.disable_default_cni,
    }
}

/// 172.18.0.2 + `i` (saturating at the top of the address space).
fn nth_ip(i: usize) -> Ipv4Addr {
    let offset = u32::try_from(i).unwrap_or(u32::MAX);
    Ipv4Addr::from(u32::from(FIRST_NODE_IP).saturating_add(offset))
}

/// The `index`-th node CIDR out of each pod subnet (/24 for IPv4, /64 for IPv6).
pub fn pod_cidrs(pod_subnet: &str, index: usize) -> Vec<String> {
    let mut out = Vec::new();
    for s in pod_subnet.split(',') {
        let Ok(c) = parse_cidr(s) else { continue };
        let idx = u128::try_from(index).unwrap_or(u128::MAX);
        if c.v4 {
            let (bits, mask) = (32u32, 24u32);
            let prefix = u32::from(c.prefix);
            if prefix > mask || idx >= 1u128 << (mask - prefix) {
                continue;
            }
            let net =
                u32::from_be_bytes([c.network[12], c.network[13], c.network[14], c.network[15]]);
            let step = 1u32 << (bits - mask);
            let Ok(i) = u32::try_from(idx) else { continue };
            let addr = net.wrapping_add(i.wrapping_mul(step));
            out.push(format!("{}/{mask}", Ipv4Addr::from(addr)));
        } else {
            let (bits, mask) = (128u32, 64u32);
            let prefix = u32::from(c.prefix);
            if prefix > mask || idx >= 1u128 << (mask - prefix) {
                continue;
            }
            let net = u128::from_be_bytes(c.network);
            let addr = net.wrapping_add(idx << (bits - mask));
            out.push(format!("{}/{mask}", Ipv6Addr::from(addr)));
        }
    }
    out
}

/// The Kubernetes version in a node image tag: `kindest/node:v1.33.1@sha256:…` → `v1.33.1`.
pub fn kubernetes_version_from_image(image: &str) -> Option<String> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let (_, tag) = last.split_once(':')?;
    (tag.starts_with('v') && tag.len() > 1).then(|| tag.to_owned())
}

//! Inputs of the rule generator: the node's view and the service ports with their endpoints.

use std::net::Ipv4Addr;

use crate::iptables::{IptablesVersion, Ipv4Cidr};

/// A Service's `spec.type`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ServiceType {
    /// `ClusterIP`.
    #[default]
    ClusterIp,
    /// `NodePort`.
    NodePort,
    /// `LoadBalancer`.
    LoadBalancer,
    /// `ExternalName` (kube-proxy ignores these).
    ExternalName,
}

/// `externalTrafficPolicy` / `internalTrafficPolicy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TrafficPolicy {
    /// `Cluster`.
    #[default]
    Cluster,
    /// `Local`.
    Local,
}

/// A service port's protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum L4Protocol {
    /// `TCP`.
    #[default]
    Tcp,
    /// `UDP`.
    Udp,
    /// `SCTP`.
    Sctp,
}

impl L4Protocol {
    /// `strings.ToLower(string(protocol))`.
    pub fn lower(self) -> &'static str {
        match self {
            L4Protocol::Tcp => "tcp",
            L4Protocol::Udp => "udp",
            L4Protocol::Sctp => "sctp",
        }
    }
}

/// One endpoint of a service port (from its EndpointSlices).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// Pod IP.
    pub ip: Ipv4Addr,
    /// Target port.
    pub port: u16,
    /// `nodeName` of the endpoint, if set.
    pub node_name: Option<String>,
    /// `conditions.ready` (nil counts as true upstream).
    pub ready: bool,
    /// `conditions.serving`.
    pub serving: bool,
    /// `conditions.terminating`.
    pub terminating: bool,
}

impl Endpoint {
    /// A ready endpoint on `node`.
    pub fn ready(ip: Ipv4Addr, port: u16, node: Option<&str>) -> Self {
        Self {
            ip,
            port,
            node_name: node.map(str::to_string),
            ready: true,
            serving: true,
            terminating: false,
        }
    }

    /// `BaseEndpointInfo.String()`: `ip:port`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.ip, self.port)
    }
}

/// One port of one Service, with what kube-proxy needs of the Service around it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ServicePortInput {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `spec.ports[].name` (may be empty).
    pub port_name: String,
    /// `spec.ports[].protocol`.
    pub protocol: L4Protocol,
    /// `spec.clusterIP` (None for headless / unset: kube-proxy skips the service).
    pub cluster_ip: Option<Ipv4Addr>,
    /// `spec.ports[].port`.
    pub port: u16,
    /// `spec.ports[].nodePort` (0 = none).
    pub node_port: u16,
    /// `spec.type`.
    pub service_type: ServiceType,
    /// `spec.externalIPs` (non-IPv4 entries are ignored, as for another IP family).
    pub external_ips: Vec<String>,
    /// `status.loadBalancer.ingress[].ip` in VIP mode.
    pub load_balancer_ips: Vec<String>,
    /// `spec.loadBalancerSourceRanges` (whitespace trimmed, invalid entries ignored).
    pub load_balancer_source_ranges: Vec<String>,
    /// `spec.externalTrafficPolicy`.
    pub external_traffic_policy: TrafficPolicy,
    /// `spec.internalTrafficPolicy`.
    pub internal_traffic_policy: TrafficPolicy,
    /// `Some(timeoutSeconds)` when `sessionAffinity: ClientIP` (default 10800).
    pub session_affinity_timeout: Option<u32>,
    /// `spec.healthCheckNodePort` (used only for LoadBalancer + Local).
    pub health_check_node_port: u16,
    /// The endpoints for this port.
    pub endpoints: Vec<Endpoint>,
}

impl ServicePortInput {
    /// `ServicePortName.String()`: `ns/name:port`, or `ns/name` when the port is unnamed.
    pub fn port_name_string(&self) -> String {
        if self.port_name.is_empty() {
            format!("{}/{}", self.namespace, self.name)
        } else {
            format!("{}/{}:{}", self.namespace, self.name, self.port_name)
        }
    }
}

/// What kube-proxy on one node knows about itself (flags, sysctls, node object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    /// `--hostname-override` / node name, used to tell local endpoints.
    pub node_name: String,
    /// The node's primary IPv4 (the `nodeIP` used for the LB source-range check).
    pub node_ip: Ipv4Addr,
    /// `--nodeport-addresses` resolved to IPs; `None` = all local addresses (the default).
    pub nodeport_addresses: Option<Vec<Ipv4Addr>>,
    /// Cluster (pod) CIDR of the LocalTrafficDetector; `None` = no detector.
    pub cluster_cidr: Option<Ipv4Cidr>,
    /// The masquerade mark as kube-proxy writes it (`%#08x` of 1<<bit: `0x00004000`).
    pub masquerade_mark: String,
    /// `--masquerade-all`.
    pub masquerade_all: bool,
    /// `iptables.localhostNodePorts` (default true).
    pub localhost_nodeports: bool,
    /// Whether the nfacct counters could be created.
    pub nfacct: bool,
    /// `HasRandomFully()` of the iptables binary.
    pub random_fully: bool,
    /// `net.netfilter.nf_conntrack_tcp_be_liberal` != 0.
    pub conntrack_tcp_be_liberal: bool,
    /// The iptables release in the node image.
    pub iptables_version: IptablesVersion,
}

impl NodeView {
    /// kind's defaults for a node: pod CIDR 10.244.0.0/16, mark bit 14, localhost NodePorts on,
    /// nfacct and `--random-fully` available.
    pub fn kind(node_name: &str, node_ip: Ipv4Addr) -> Self {
        Self {
            node_name: node_name.to_string(),
            node_ip,
            nodeport_addresses: None,
            cluster_cidr: Ipv4Cidr::parse("10.244.0.0/16"),
            masquerade_mark: masquerade_mark(14),
            masquerade_all: false,
            localhost_nodeports: true,
            nfacct: true,
            random_fully: true,
            conntrack_tcp_be_liberal: false,
            iptables_version: IptablesVersion::default(),
        }
    }
}

/// `fmt.Sprintf("%#08x", 1<<bit)` as Go renders it (`0x00004000` for bit 14).
pub fn masquerade_mark(bit: u8) -> String {
    format!("0x{:08x}", 1u32.checked_shl(u32::from(bit)).unwrap_or(0))
}

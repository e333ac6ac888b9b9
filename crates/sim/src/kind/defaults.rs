//! kind's config defaults (`pkg/apis/config/v1alpha4/default.go`,
//! `pkg/internal/apis/config/default.go`, kind v0.29.0).

use super::config::{Cluster, Node};

/// The node image every node gets unless the config or `--image` says otherwise.
///
/// The lab simulates kind v0.29.0, whose default is Kubernetes v1.33.1; that node image is built
/// on Debian bookworm, which ships iptables 1.8.9 (what the lab's `iptables` output follows).
/// Verbatim from `pkg/apis/config/defaults/image.go` at tag v0.29.0.
pub const DEFAULT_NODE_IMAGE: &str =
    "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f";

/// The kind release whose behaviour the lab follows.
pub const KIND_VERSION: &str = "v0.29.0";

/// `pkg/cluster/constants/constants.go: DefaultClusterName`.
pub const DEFAULT_CLUSTER_NAME: &str = "kind";

/// The control-plane role value.
pub const CONTROL_PLANE_ROLE: &str = "control-plane";
/// The worker role value.
pub const WORKER_ROLE: &str = "worker";

/// The default IP family.
pub const DEFAULT_IP_FAMILY: &str = "ipv4";
/// The default kube-proxy mode ("using iptables as it's already the default").
pub const DEFAULT_KUBE_PROXY_MODE: &str = "iptables";

/// v1alpha4 `SetDefaultsCluster`: everything but the name, which kind defaults only after
/// `--name` had its chance (create.go `fixupOptions`).
pub fn set_defaults(c: &mut Cluster) {
    if c.nodes.is_empty() {
        c.nodes.push(Node {
            role: CONTROL_PLANE_ROLE.to_owned(),
            image: DEFAULT_NODE_IMAGE.to_owned(),
            ..Node::default()
        });
    }
    for n in &mut c.nodes {
        if n.image.is_empty() {
            n.image = DEFAULT_NODE_IMAGE.to_owned();
        }
        if n.role.is_empty() {
            n.role = CONTROL_PLANE_ROLE.to_owned();
        }
    }
    let net = &mut c.networking;
    if net.ip_family.is_empty() {
        net.ip_family = DEFAULT_IP_FAMILY.to_owned();
    }
    let v6 = net.ip_family == "ipv6";
    let dual = net.ip_family == "dual";
    if net.api_server_address.is_empty() {
        net.api_server_address = if v6 { "::1" } else { "127.0.0.1" }.to_owned();
    }
    if net.pod_subnet.is_empty() {
        // IPv6 uses a /56 because the per-node mask is /64.
        net.pod_subnet = match (v6, dual) {
            (true, _) => "fd00:10:244::/56",
            (_, true) => "10.244.0.0/16,fd00:10:244::/56",
            _ => "10.244.0.0/16",
        }
        .to_owned();
    }
    if net.service_subnet.is_empty() {
        // kubeadm's default is a /12; kind uses a /16 (65535 services are plenty).
        net.service_subnet = match (v6, dual) {
            (true, _) => "fd00:10:96::/112",
            (_, true) => "10.96.0.0/16,fd00:10:96::/112",
            _ => "10.96.0.0/16",
        }
        .to_owned();
    }
    if net.kube_proxy_mode.is_empty() {
        net.kube_proxy_mode = DEFAULT_KUBE_PROXY_MODE.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_gets_one_control_plane_and_network_defaults() {
        let mut c = Cluster::default();
        set_defaults(&mut c);
        assert_eq!(c.name, "", "the name is defaulted later, after --name");
        assert_eq!(c.nodes.len(), 1);
        assert_eq!(c.nodes[0].role, "control-plane");
        assert_eq!(c.nodes[0].image, DEFAULT_NODE_IMAGE);
        let n = &c.networking;
        assert_eq!(n.ip_family, "ipv4");
        assert_eq!(n.api_server_address, "127.0.0.1");
        assert_eq!(n.api_server_port, 0);
        assert_eq!(n.pod_subnet, "10.244.0.0/16");
        assert_eq!(n.service_subnet, "10.96.0.0/16");
        assert_eq!(n.kube_proxy_mode, "iptables");
    }

    #[test]
    fn family_specific_defaults() {
        let cases = [
            ("ipv6", "::1", "fd00:10:244::/56", "fd00:10:96::/112"),
            (
                "dual",
                "127.0.0.1",
                "10.244.0.0/16,fd00:10:244::/56",
                "10.96.0.0/16,fd00:10:96::/112",
            ),
        ];
        for (family, addr, pods, services) in cases {
            let mut c = Cluster::default();
            c.networking.ip_family = family.to_owned();
            set_defaults(&mut c);
            assert_eq!(c.networking.api_server_address, addr, "{family}");
            assert_eq!(c.networking.pod_subnet, pods, "{family}");
            assert_eq!(c.networking.service_subnet, services, "{family}");
        }
    }

    #[test]
    fn node_role_and_image_default_per_node() {
        let mut c = Cluster {
            nodes: vec![
                Node::default(),
                Node {
                    role: "worker".to_owned(),
                    image: "kindest/node:v1.32.5".to_owned(),
                    ..Node::default()
                },
            ],
            ..Cluster::default()
        };
        set_defaults(&mut c);
        assert_eq!(c.nodes[0].role, "control-plane");
        assert_eq!(c.nodes[0].image, DEFAULT_NODE_IMAGE);
        assert_eq!(c.nodes[1].role, "worker");
        assert_eq!(c.nodes[1].image, "kindest/node:v1.32.5");
    }
}

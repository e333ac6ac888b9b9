//! What listens on the learner's machine: the ports Docker publishes for the kind node
//! containers. kind publishes each control plane's API server on `127.0.0.1:<port>` and every
//! `extraPortMappings` entry as `--publish=<listenAddress>:<hostPort>:<containerPort>/<proto>`
//! (kind v0.29.0 pkg/cluster/internal/providers/docker/provision.go `generatePortMappings`,
//! `0.0.0.0` when no address is given); docker-proxy carries a connection to the container's
//! address, so it enters the node from the Docker bridge like any host traffic.

use std::net::Ipv4Addr;

use super::Context;

/// One published port of a running node container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The cluster.
    pub cluster: String,
    /// The node container.
    pub node: String,
    /// The node's address on the kind network.
    pub node_ip: Ipv4Addr,
    /// The host address it listens on (`0.0.0.0`, `127.0.0.1`).
    pub listen: String,
    /// The port on the host.
    pub host_port: u16,
    /// The port inside the node.
    pub container_port: u16,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
}

impl Published {
    /// Docker's `PORTS` cell: `0.0.0.0:8080->30000/tcp`.
    pub fn cell(&self) -> String {
        format!(
            "{}:{}->{}/{}",
            self.listen, self.host_port, self.container_port, self.protocol
        )
    }

    /// Whether this is the API server's port.
    pub fn is_api_server(&self) -> bool {
        self.container_port == 6443 && self.listen == "127.0.0.1"
    }
}

/// Every port the running node containers publish, cluster by cluster, node by node.
pub fn published(ctx: &Context<'_>) -> Vec<Published> {
    let mut out = Vec::new();
    for (name, cluster, node, running) in super::docker::node_containers(ctx) {
        if !running {
            continue;
        }
        let entry = |listen: &str, host_port: u16, container_port: u16, protocol: &str| Published {
            cluster: name.clone(),
            node: node.name.clone(),
            node_ip: node.ip,
            listen: listen.to_string(),
            host_port,
            container_port,
            protocol: protocol.to_string(),
        };
        if node.role == svclab_sim::kind::NodeRole::ControlPlane {
            out.push(entry(
                "127.0.0.1",
                super::kind::api_server_port(cluster),
                6443,
                "tcp",
            ));
        }
        for (i, m) in node.port_mappings.iter().enumerate() {
            let container_port = u16::try_from(m.container_port).unwrap_or(0);
            // hostPort 0: Docker picks a free ephemeral port.
            let host_port = match u16::try_from(m.host_port) {
                Ok(p) if p > 0 => p,
                _ => {
                    let key = format!("{}/{i}", node.name);
                    32768 + (svclab_sim::names::fnv32a(key.as_bytes()) % 28000) as u16
                }
            };
            let listen = if m.listen_address.is_empty() {
                "0.0.0.0"
            } else {
                m.listen_address.as_str()
            };
            let protocol = if m.protocol.is_empty() {
                "tcp".to_string()
            } else {
                m.protocol.to_ascii_lowercase()
            };
            out.push(entry(listen, host_port, container_port, &protocol));
        }
    }
    out
}

/// The published TCP port a connection to `localhost:port` (or `127.0.0.1`) reaches.
pub fn local_tcp(ctx: &Context<'_>, port: u16) -> Option<Published> {
    published(ctx).into_iter().find(|p| {
        p.host_port == port
            && p.protocol == "tcp"
            && matches!(p.listen.as_str(), "0.0.0.0" | "127.0.0.1")
    })
}

//! The Service allocators: ClusterIPs from the service CIDR and node ports from the node-port
//! range, both drawing their randomness from the lab's seeded [`crate::random::LabRng`].

pub mod bitmap;
pub mod cluster_ip;
pub mod node_port;

pub use cluster_ip::{
    dynamic_cluster_ip_error, static_cluster_ip_error, ClusterIpAllocator, ClusterIpError,
};
pub use node_port::{
    dynamic_node_port_error, node_port_field_error, static_node_port_error, NodePortAllocator,
    NodePortError,
};

//! kube-proxy's iptables mode: chain-name hashing, endpoint selection and the rules
//! `syncProxyRules` writes (pkg/proxy/iptables/proxier.go, pkg/proxy/topology.go,
//! pkg/proxy/serviceport.go), applied to the [`crate::iptables`] model.
//!
//! ```
//! use svclab_sim::kubeproxy::{svc_chain, compute_probability};
//! assert_eq!(svc_chain("default/kubernetes:https", "tcp"), "KUBE-SVC-NPX46M4PTMTKRN6Y");
//! assert_eq!(compute_probability(3), "0.3333333333");
//! ```

mod categorize;
mod chain_names;
mod fixed;
mod model;
mod probability;
mod proxy_rules;
mod rule_sink;
mod rule_spec;
mod service_rules;

pub use categorize::{categorize, Categorized};
pub use chain_names::{
    base32_std, ext_chain, fw_chain, is_service_chain_name, port_proto_hash, sep_chain, svc_chain,
    svl_chain,
};
pub use fixed::{JumpChain, JUMP_CHAINS};
pub use model::{
    masquerade_mark, Endpoint, L4Protocol, NodeView, ServicePortInput, ServiceType, TrafficPolicy,
};
pub use probability::{compute_probability, ProbabilityCache};
pub use proxy_rules::ProxyRules;
pub use service_rules::{
    normalize_endpoints, service_port_rules, ServicePortRules, SyncContext,
    LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
};

#[cfg(test)]
mod tests;

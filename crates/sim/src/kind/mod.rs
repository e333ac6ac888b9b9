//! kind, as the lab simulates it: reading a `kind create cluster --config` file and laying out
//! the cluster it would build.
//!
//! The lab follows kind v0.29.0 (Kubernetes v1.33.1 nodes). Text goes one way:
//! YAML → [`parse_config`] (strict, kind's own error texts, line/column for the editor) →
//! defaults and `--name` → [`validate`] → [`ClusterLayout`] (node names, IPs, pod CIDRs, taints)
//! and the `kind create cluster` status lines. [`plan_create`] runs the whole chain.

mod config;
mod config_decode;
mod create;
mod defaults;
mod error;
mod layout;
mod load;
mod naming;
mod netparse;
mod notes;
mod status;
mod validate;
mod yaml_decode;

pub use config::{
    Cluster, FieldSpan, Mount, Networking, Node, PatchJson6902, PortMapping, SourceMap,
    API_VERSION, KIND,
};
pub use create::{plan_create, CreatePlan, CreateRequest, CLUSTER_NAME_MAX};
pub use defaults::{
    set_defaults, CONTROL_PLANE_ROLE, DEFAULT_CLUSTER_NAME, DEFAULT_IP_FAMILY,
    DEFAULT_KUBE_PROXY_MODE, DEFAULT_NODE_IMAGE, KIND_VERSION, WORKER_ROLE,
};
pub use error::{CreateError, CreateErrorKind, Location, Problem, CREATE_ERROR_PREFIX};
pub use layout::{
    kubernetes_version_from_image, layout, pod_cidrs, ClusterLayout, LoadBalancerLayout,
    NodeLayout, NodeRole, Taint, CONTROL_PLANE_LABEL, CONTROL_PLANE_TAINT_KEY,
    DOCKER_NETWORK_GATEWAY, DOCKER_NETWORK_NAME, DOCKER_NETWORK_SUBNET, EXCLUDE_FROM_LB_LABEL,
};
pub use load::{parse_config, LoadError, LoadedConfig};
pub use naming::{kubeconfig_context, NodeNamer, EXTERNAL_LOAD_BALANCER_ROLE};
pub use notes::{unsupported_notes, ConfigNote, Support};
pub use status::{
    create_status_lines, create_steps, go_duration, salutation, StatusOptions, StatusStep,
    SALUTATIONS,
};
pub use validate::{is_valid_cluster_name, validate, ValidationError};

#[cfg(test)]
mod tests;

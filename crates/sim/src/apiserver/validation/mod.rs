//! Per-kind validation with the API server's paths and messages, and the defaulting that runs
//! before it. Each function returns the field errors in upstream's order; wrap a non-empty list
//! with [`crate::apiserver::errors::StatusError::invalid`].

pub mod configmap;
pub mod daemonset;
pub mod defaults;
pub mod endpoints;
pub mod env;
pub mod ip;
pub mod meta;
pub mod namespace;
pub mod pod;
pub mod resources;
pub mod secret;
pub mod service;
pub mod service_type_change;
pub mod statefulset;
pub mod storage;
pub mod volumes;
pub mod workload;

pub use configmap::{validate_config_map, validate_config_map_update};
pub use daemonset::{validate_daemon_set, validate_daemon_set_update};
pub use defaults::{
    add_default_tolerations, default_daemon_set, default_deployment, default_endpoint_slice,
    default_endpoints, default_image_pull_policy, default_namespace, default_persistent_volume,
    default_persistent_volume_claim, default_pod, default_pod_spec, default_replica_set,
    default_service, default_stateful_set, default_storage_class, init_service_ip_families,
    patch_allocated_values,
};
pub use endpoints::{validate_endpoint_slice, validate_endpoints};
pub use namespace::{validate_namespace, validate_namespace_update};
pub use pod::{validate_pod, validate_pod_spec, validate_pod_template_spec};
pub use secret::{validate_secret, validate_secret_update};
pub use service::{validate_service, validate_service_update};
pub use service_type_change::drop_type_dependent_fields;
pub use statefulset::{
    validate_controller_revision, validate_controller_revision_update, validate_stateful_set,
    validate_stateful_set_update,
};
pub use storage::{
    validate_persistent_volume, validate_persistent_volume_claim,
    validate_persistent_volume_claim_update, validate_persistent_volume_update,
    validate_storage_class, validate_storage_class_update,
};
pub use workload::{
    validate_deployment, validate_deployment_update, validate_replica_set,
    validate_replica_set_update,
};

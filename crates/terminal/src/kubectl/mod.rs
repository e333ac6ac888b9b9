//! kubectl's output, byte for byte: tables (`get`), `describe`, and
//! `-o name|json|yaml|jsonpath|custom-columns`, as pure functions from the simulator's objects
//! (plus the lab's `now_ms` for ages) to text.
//!
//! - [`tabwriter`]: `github.com/liggitt/tabwriter` with kubectl's two configurations.
//! - [`duration`]: `duration.HumanDuration`, timestamp parsing and Go's RFC 1123Z layout.
//! - [`selector`]: `-l` selectors (`labels.Parse`) and the printers' selector formatting.
//! - [`table`]: the table printer's decorations (`-A`, `--show-labels`, `-o wide`, kind
//!   prefixes), multi-kind output and the "No resources found" messages.
//! - [`printers`]: the server-side column definitions and rows of every kind the lab serves.
//! - [`value`], [`json`], [`yaml`]: the unstructured object tree and its two encodings.
//! - [`jsonpath`], [`custom_columns`]: template outputs.
//! - [`describe`]: `kubectl describe` for pods, services, nodes, replica sets, deployments,
//!   daemon sets and config maps.
//!
//! Sources are kubernetes/kubernetes at v1.33 (`pkg/printers/internalversion/printers.go`,
//! `staging/src/k8s.io/kubectl/pkg/describe/describe.go`, `staging/src/k8s.io/kubectl/pkg/cmd/
//! get/get.go`, `staging/src/k8s.io/cli-runtime/pkg/printers/`), client-go's jsonpath and
//! gopkg.in/yaml.v2; each file names its own.

pub mod custom_columns;
pub mod derived_pod;
pub mod describe;
pub mod duration;
pub mod event_value;
pub mod field_selector;
pub mod generic_describe;
pub mod json;
pub mod jsonpath;
pub mod merge_patch;
pub mod printers;
pub mod selector;
pub mod statefulset;
pub mod storage;
pub mod table;
pub mod tabwriter;
pub mod value;
pub mod yaml;

#[cfg(test)]
mod tests;

pub use custom_columns::CustomColumns;
pub use describe::{
    describe_config_map, describe_daemon_set, describe_deployment, describe_endpoint_slice,
    describe_endpoints, describe_namespace, describe_node, describe_pod, describe_replica_set,
    describe_secret, describe_service,
};
pub use duration::{age, human_duration};
pub use json::to_json_pretty;
pub use jsonpath::jsonpath_output;
pub use printers::{
    config_maps_table, daemon_sets_table, deployments_table, endpoint_slices_table,
    endpoints_table, events_table, namespaces_table, nodes_table, pods_table, print_get_all,
    replica_sets_table, secrets_table, services_table, AllObjects,
};
pub use selector::{parse_selector, Selector};
pub use table::{
    no_resources_found, print_sections, print_table, PrintOptions, Table,
    ENDPOINTS_DEPRECATION_WARNING,
};
pub use value::{list_value, object_name, object_value, own_value, with_type_meta, Value};
pub use yaml::to_yaml;

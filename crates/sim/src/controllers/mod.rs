//! The control loops that settle a cluster after every change, as kube-controller-manager,
//! the scheduler, the kubelets, kube-proxy and the cloud provider do on a real one.
//!
//! Each `reconcile` is level-triggered and idempotent: it writes only when what it wants
//! differs from what is stored, so running them in a loop reaches a fixed point.

mod container_config;
mod daemonset;
mod deployment;
pub mod deployment_annotations;
mod endpoints;
mod gc;
pub mod history;
mod kube_proxy;
mod kubelet;
mod lifecycle;
pub mod persistent_volumes;
pub mod pod_hosts;
mod replicaset;
mod resource_fit;
mod root_ca;
mod routes;
pub(crate) use kube_proxy::keep_fixed_chains;
pub(crate) use routes::{kind_node_routing, peer_nodes, pod_veths};
mod scheduler;
mod service_lb;
mod statefulset;
mod taint_eviction;
mod volume_binding;
mod volumes;

pub(crate) use daemonset::DaemonSetCache;
pub use daemonset::{daemon_hash, daemon_pod, daemon_tolerations};
pub use endpoints::set_api_server_endpoints;
pub use endpoints::target_port;
pub use kube_proxy::service_port_inputs;
pub use kubelet::{delete_pod, pod_is_ready};
pub use lifecycle::{start_node, stop_node};
pub use root_ca::ROOT_CA_CONFIGMAP;
pub(crate) use scheduler::NodeCache as SchedulerNodes;
pub use service_lb::LoadBalancerPool;
pub(crate) use taint_eviction::NoExecuteNodes;
pub use volumes::{keep_in_volume, mount_marker};

use crate::api::OwnerReference;
use crate::cluster::{Cluster, KeptTables, Timer};

/// One round of every controller; whether anything was written.
pub fn reconcile_all(cluster: &mut Cluster) -> bool {
    let before = cluster.store.next_resource_version_peek();
    deployment::reconcile(cluster);
    replicaset::reconcile(cluster);
    daemonset::reconcile(cluster);
    statefulset::reconcile(cluster);
    root_ca::reconcile(cluster);
    gc::reconcile(cluster);
    persistent_volumes::reconcile(cluster);
    scheduler::reconcile(cluster);
    kubelet::reconcile(cluster);
    volumes::reconcile(cluster);
    taint_eviction::reconcile(cluster);
    endpoints::reconcile(cluster);
    service_lb::reconcile(cluster);
    cluster.store.next_resource_version_peek() != before
}

/// Runs one due timer.
pub fn fire(cluster: &mut Cluster, timer: Timer) {
    match timer {
        Timer::PodRunning {
            namespace,
            name,
            uid,
            pulled_in_ms,
        } => kubelet::containers_ready(cluster, &namespace, &name, &uid, pulled_in_ms),
        Timer::PodGone {
            namespace,
            name,
            uid,
        } => kubelet::remove_pod(cluster, &namespace, &name, &uid),
        Timer::PodVolumes {
            namespace,
            name,
            uid,
        } => kubelet::retry_volumes(cluster, &namespace, &name, &uid),
        Timer::VolumesSync {
            namespace,
            name,
            uid,
        } => volumes::sync(cluster, &namespace, &name, &uid),
        Timer::LoadBalancerReady { namespace, name } => {
            service_lb::assign(cluster, &namespace, &name)
        }
        Timer::NodeMonitor { node } => lifecycle::node_monitor(cluster, &node),
        Timer::EvictPods { node } => lifecycle::evict_pods(cluster, &node),
        Timer::TaintToleranceEnds {
            namespace,
            name,
            uid,
        } => taint_eviction::tolerance_ends(cluster, &namespace, &name, &uid),
    }
}

/// Hands every changed service port to every node's kube-proxy and syncs their tables.
/// Also refreshes each node's routes when pods or nodes changed since the last time.
pub fn sync_kube_proxies(cluster: &mut Cluster) {
    kube_proxy::sync(cluster);
    let version = cluster.store.next_resource_version_peek();
    if cluster.routes_version != Some(version) {
        routes::refresh(cluster);
        cluster.routes_version = Some(version);
    }
}

/// Brings one node's kube-proxy and routes up to date and keeps them so
/// (`Cluster::node_tables_ready`). Cheap for a node already kept up to date.
pub fn materialize_node(cluster: &mut Cluster, node: &str) {
    let already = cluster
        .nodes
        .get(node)
        .is_some_and(|n| n.kept == KeptTables::Full && !n.needs_full_sync);
    if already {
        return;
    }
    let fresh = cluster
        .nodes
        .get(node)
        .is_some_and(|n| n.kept == KeptTables::Pending);
    kube_proxy::materialize(cluster, node);
    if fresh {
        routes::refresh_nodes(cluster, &[node.to_string()]);
    }
}

/// A pod made from a controller's template (controller_utils.go `GetPodFromTemplate`):
/// `generateName` `<owner>-`, the template's labels, annotations and spec, the owner as its
/// controller, Pending.
pub(crate) fn pod_from_template(
    template: &crate::api::PodTemplateSpec,
    owner_meta: &crate::api::ObjectMeta,
    owner_kind: &str,
) -> crate::api::Pod {
    let mut pod = crate::api::Pod::default();
    pod.metadata.namespace = owner_meta.namespace.clone();
    pod.metadata.generate_name = format!("{}-", owner_meta.name);
    pod.metadata.labels = template.metadata.labels.clone();
    pod.metadata.annotations = template.metadata.annotations.clone();
    pod.metadata.owner_references = vec![owner_ref(
        "apps/v1",
        owner_kind,
        &owner_meta.name,
        &owner_meta.uid,
    )];
    pod.spec = template.spec.clone();
    pod.status.phase = "Pending".into();
    pod
}

/// Creates a controller's pod through the API server and records the controller's
/// `SuccessfulCreate` event on `owner` (`replicaset/web-…`), from `source`.
pub(crate) fn create_pod(cluster: &mut Cluster, pod: crate::api::Pod, owner: &str, source: &str) {
    let ns = pod.metadata.namespace.clone();
    let name = put_new_pod(cluster, pod);
    let message = format!("Created pod: {name}");
    cluster.record_event(&ns, owner, false, "SuccessfulCreate", &message, source);
}

/// Stores a controller's new pod (named, or named from its `generateName`); returns its name.
pub(crate) fn put_new_pod(cluster: &mut Cluster, mut pod: crate::api::Pod) -> String {
    // Pods of one template end with the same list: hold it once.
    pod.spec.tolerations = cluster
        .interned
        .tolerations
        .intern(pod.spec.tolerations.to_vec());
    cluster.stamp_new(&mut pod.metadata);
    let name = pod.metadata.name.clone();
    cluster.store.put(pod);
    name
}

/// The text a template's hash is computed from (`controller.ComputeHash` hashes Go's spew
/// dump of it; the lab hashes its own canonical YAML, see `names::pod_template_hash`).
pub(crate) fn canonical_template(template: &crate::api::PodTemplateSpec) -> String {
    serde_yaml_ng::to_string(template).unwrap_or_default()
}

/// intstr `GetScaledValueFromIntOrPercent`: an integer as is (not below 0), or a percentage
/// of `total`, rounded up or down.
pub(crate) fn scaled_int_or_percent(
    value: &crate::api::IntOrString,
    total: i32,
    round_up: bool,
) -> i32 {
    match value {
        crate::api::IntOrString::Int(n) => (*n).max(0),
        crate::api::IntOrString::String(s) => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            let numerator = pct.saturating_mul(i64::from(total));
            let value = if round_up {
                (numerator + 99) / 100
            } else {
                numerator / 100
            };
            value.clamp(0, i64::from(i32::MAX)) as i32
        }
    }
}

/// A controller owner reference (`controller: true`, `blockOwnerDeletion: true`).
pub fn owner_ref(api_version: &str, kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

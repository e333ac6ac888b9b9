//! The kubelets: they start the pods bound to their node (sandbox, pod IP, containers), report
//! them Running and Ready, and tear them down after a graceful deletion.

use std::net::Ipv4Addr;

use crate::api::{Condition, ContainerState, ContainerStatus, Pod, StateDetail};
use crate::cluster::{rfc3339, timing, Cluster, Timer};

use super::container_config::{self, CONFIG_RETRY_MS, CREATE_CONTAINER_CONFIG_ERROR};

/// Whether the pod's Ready condition is True.
pub fn pod_is_ready(pod: &Pod) -> bool {
    pod.status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

pub(super) fn reconcile(cluster: &mut Cluster) {
    // The store's index of bound, unstarted, non-terminating pods, in store order.
    let to_start: Vec<(String, String)> = cluster
        .store
        .tracker()
        .unstarted_pods
        .iter()
        .cloned()
        .collect();
    for (ns, name) in to_start {
        start(cluster, &ns, &name);
    }
}

/// Starts a pod bound to a running node. Its ConfigMap and Secret volumes come first
/// (`SyncPod` waits for them in `WaitForAttachAndMount` before the runtime creates the sandbox
/// or pulls an image): while one cannot be set up the pod waits without a pod IP, with a
/// FailedMount event, and the volume manager retries. Then the sandbox: a pod IP from the
/// node's range (or the node's own for host-network pods), and containers in
/// ContainerCreating until their start delay passes.
fn start(cluster: &mut Cluster, ns: &str, name: &str) {
    let Some(pod) = cluster.store.get::<Pod>(ns, name).cloned() else {
        return;
    };
    let node_name = pod.spec.node_name.clone();
    if !cluster.nodes.get(&node_name).is_some_and(|n| n.running) {
        return;
    }
    let mounts_objects = pod.spec.volumes.iter().any(|v| v.is_kubelet_written());
    if mounts_objects {
        if let Err(message) = super::volumes::mount(cluster, ns, name, false) {
            wait_for_volumes(cluster, &pod, &message);
            return;
        }
    }
    let Some(node) = cluster.nodes.get_mut(&node_name) else {
        return;
    };
    let host_ip = node.ip;
    let pod_ip: Option<Ipv4Addr> = if pod.spec.host_network {
        Some(host_ip)
    } else {
        node.ipam.allocate()
    };
    let Some(pod_ip) = pod_ip else {
        return;
    };
    let cached = pod
        .spec
        .containers
        .iter()
        .all(|c| node.images.contains(&c.image));
    for c in &pod.spec.containers {
        node.images.insert(c.image.clone());
    }
    let delay = if cached {
        timing::CACHED_START_MS
    } else {
        timing::FIRST_START_MS
    };
    let now_ms = cluster.now_ms();
    let now = rfc3339(now_ms);
    let uid = pod.metadata.uid.clone();
    let conditions = cluster.interned.pod_conditions.intern(pod_conditions(
        &pod.status.conditions,
        true,
        false,
        &now,
    ));
    cluster.modify::<Pod>(ns, name, |p| {
        p.status.pod_ip = pod_ip.to_string();
        p.status.conditions = conditions;
        set_creating(p, host_ip, &now);
    });
    let node = pod.spec.node_name.clone();
    for c in &pod.spec.containers {
        let (reason, message) = if cached {
            ("Pulled", image_present(&c.image))
        } else {
            ("Pulling", format!("Pulling image \"{}\"", c.image))
        };
        cluster.record_container_event(ns, name, &c.name, &node, reason, &message);
    }
    cluster.timers.set(
        now_ms.saturating_add(delay),
        Timer::PodRunning {
            namespace: ns.into(),
            name: name.into(),
            uid,
            pulled_in_ms: if cached { 0 } else { delay },
        },
    );
}

/// The status of a pod whose containers are being created: Pending on its node, started now
/// unless an earlier sync started it, each container waiting in ContainerCreating.
fn set_creating(p: &mut Pod, host_ip: Ipv4Addr, now: &str) {
    p.status.phase = "Pending".into();
    p.status.host_ip = host_ip.to_string();
    if p.status.start_time.is_empty() {
        p.status.start_time = now.to_string();
    }
    p.status.container_statuses = p
        .spec
        .containers
        .iter()
        .map(|c| ContainerStatus {
            name: c.name.clone(),
            ready: false,
            restart_count: 0,
            image: c.image.clone(),
            started: false,
            state: ContainerState {
                waiting: Some(StateDetail {
                    reason: "ContainerCreating".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
        })
        .collect();
    // The kubelet reports them sorted by name (`kubetypes.SortedContainerStatuses`).
    p.status
        .container_statuses
        .sort_by(|a, b| a.name.cmp(&b.name));
}

/// A volume of the pod cannot be set up yet: the pod is Pending on its node with no sandbox
/// (no pod IP, `PodReadyToStartContainers` False), a FailedMount event says why, and the
/// volume manager tries again.
fn wait_for_volumes(cluster: &mut Cluster, pod: &Pod, message: &str) {
    let (ns, name) = (&pod.metadata.namespace, &pod.metadata.name);
    let Some(host_ip) = cluster.nodes.get(&pod.spec.node_name).map(|n| n.ip) else {
        return;
    };
    let now_ms = cluster.now_ms();
    let now = rfc3339(now_ms);
    let conditions = cluster.interned.pod_conditions.intern(pod_conditions(
        &pod.status.conditions,
        false,
        false,
        &now,
    ));
    cluster.modify::<Pod>(ns, name, |p| {
        p.status.conditions = conditions;
        set_creating(p, host_ip, &now);
    });
    cluster.events.record_at(
        now_ms,
        ns,
        &format!("pod/{name}"),
        "Warning",
        "FailedMount",
        message,
        "kubelet",
        &pod.spec.node_name,
        "",
    );
    cluster.timers.set(
        now_ms.saturating_add(super::volumes::MOUNT_RETRY_MS),
        Timer::PodVolumes {
            namespace: ns.clone(),
            name: name.clone(),
            uid: pod.metadata.uid.clone(),
        },
    );
}

/// The volume manager's retry for a pod waiting for its volumes.
pub(super) fn retry_volumes(cluster: &mut Cluster, ns: &str, name: &str, uid: &str) {
    let waiting = live_pod(cluster, ns, name, uid).is_some_and(|p| p.status.pod_ip.is_empty());
    if waiting {
        start(cluster, ns, name);
    }
}

/// The pod conditions in the kubelet's order: `PodReadyToStartContainers` once the sandbox
/// exists, Ready/ContainersReady set to `ready`.
fn pod_conditions(previous: &[Condition], sandbox: bool, ready: bool, now: &str) -> Vec<Condition> {
    let keep = |type_: &str, status: &str| {
        previous
            .iter()
            .find(|c| c.type_ == type_ && c.status == status)
            .map(|c| c.last_transition_time.clone())
            .unwrap_or_else(|| now.to_string())
    };
    let status = if ready { "True" } else { "False" };
    // Exactly five: every pod keeps this vector, and growing it by pushes would leave room for
    // eight (hundreds of bytes per pod at scale).
    let mut out = Vec::with_capacity(5);
    let sandbox = if sandbox { "True" } else { "False" };
    for (type_, value) in [
        ("PodReadyToStartContainers", sandbox),
        ("Initialized", "True"),
        ("Ready", status),
        ("ContainersReady", status),
        ("PodScheduled", "True"),
    ] {
        let not_ready = value == "False";
        out.push(Condition {
            type_: type_.into(),
            status: value.into(),
            last_transition_time: keep(type_, value),
            reason: if not_ready {
                "ContainersNotReady".into()
            } else {
                String::new()
            },
            message: String::new(),
        });
    }
    out
}

/// Go's `time.Duration.String()` for whole milliseconds: `850ms`, `2s`, `2.5s`.
fn go_duration(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = format!("{}.{:03}", ms / 1000, ms % 1000);
    format!("{}s", secs.trim_end_matches('0').trim_end_matches('.'))
}

/// What `EnsureImageExists` reports for an image the node has (image_manager.go).
fn image_present(image: &str) -> String {
    format!("Container image \"{image}\" already present on machine")
}

/// The size containerd reports for a pulled image: the lab has no registry, so the size is
/// near the real image's (nginx about 72 MB, curl 10 MB, busybox 2 MB) and fixed per name.
fn image_size(image: &str) -> u64 {
    let base: u64 = if image.contains("nginx") {
        72_000_000
    } else if image.contains("curl") {
        9_500_000
    } else if image.contains("busybox") {
        2_100_000
    } else {
        30_000_000
    };
    base + u64::from(crate::names::fnv32a(image.as_bytes()) % 900_000)
}

/// The containers are up: the pod is Running and Ready. When their images were pulled first,
/// the kubelet reports the pull (`images/image_manager.go`, `EnsureImageExists`).
pub(super) fn containers_ready(
    cluster: &mut Cluster,
    ns: &str,
    name: &str,
    uid: &str,
    pulled_in_ms: u64,
) {
    let Some(node) = live_pod(cluster, ns, name, uid).map(|p| p.spec.node_name.clone()) else {
        return;
    };
    if let Err(message) = super::volumes::mount(cluster, ns, name, true) {
        // The containers wait in ContainerCreating; the volume manager retries.
        let now = cluster.now_ms();
        cluster.events.record_at(
            now,
            ns,
            &format!("pod/{name}"),
            "Warning",
            "FailedMount",
            &message,
            "kubelet",
            &node,
            "",
        );
        cluster.timers.set(
            now.saturating_add(super::volumes::MOUNT_RETRY_MS),
            Timer::PodRunning {
                namespace: ns.into(),
                name: name.into(),
                uid: uid.into(),
                pulled_in_ms,
            },
        );
        return;
    }
    let Some(pod) = live_pod(cluster, ns, name, uid) else {
        return;
    };
    // startContainer, container by container: the image (EnsureImageExists), then the config
    // (generateContainerConfig reads the ConfigMap variables now), then create and start. A
    // container started on an earlier attempt keeps running.
    let mut steps: Vec<ContainerStep> = Vec::new();
    for c in pod.spec.containers.iter() {
        let status = pod
            .status
            .container_statuses
            .iter()
            .find(|cs| cs.name == c.name);
        if status.is_some_and(|cs| cs.state.running.is_some()) {
            continue;
        }
        let retried = status
            .and_then(|cs| cs.state.waiting.as_ref())
            .is_some_and(|w| w.reason == CREATE_CONTAINER_CONFIG_ERROR);
        let image = &c.image;
        let pulled = if retried {
            // A later sync finds the image present (image_manager.go `EnsureImageExists`).
            Some(image_present(image))
        } else if pulled_in_ms > 0 {
            let took = go_duration(pulled_in_ms);
            Some(format!(
                "Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {} bytes.",
                image_size(image)
            ))
        } else {
            None
        };
        steps.push(ContainerStep {
            name: c.name.clone(),
            pulled,
            config: container_config::resolve(&cluster.store, pod, c),
        });
    }
    let failed: Vec<(String, String)> = steps
        .iter()
        .filter_map(|s| Some((s.name.clone(), s.config.as_ref().err()?.clone())))
        .collect();
    let now = rfc3339(cluster.now_ms());
    let conditions = cluster.interned.pod_conditions.intern(pod_conditions(
        &pod.status.conditions,
        true,
        failed.is_empty(),
        &now,
    ));
    for step in &steps {
        let c = &step.name;
        if let Some(pulled) = &step.pulled {
            cluster.record_container_event(ns, name, c, &node, "Pulled", pulled);
        }
        match &step.config {
            Err(message) => {
                let error = format!("Error: {message}");
                cluster.record_container_event_of("Warning", ns, name, c, &node, "Failed", &error);
            }
            Ok(env) => {
                if let Some(env) = env {
                    let by_container = cluster.container_env.entry(uid.to_string()).or_default();
                    by_container.insert(c.clone(), env.clone());
                }
                // kuberuntime_container.go `startContainer` (v1.33): "Created container: NAME",
                // but "Started container NAME".
                let created = format!("Created container: {c}");
                cluster.record_container_event(ns, name, c, &node, "Created", &created);
                let started = format!("Started container {c}");
                cluster.record_container_event(ns, name, c, &node, "Started", &started);
            }
        }
    }
    let started: Vec<&str> = steps
        .iter()
        .filter(|s| s.config.is_ok())
        .map(|s| s.name.as_str())
        .collect();
    cluster.modify::<Pod>(ns, name, |p| {
        // getPhase: Pending while any container waits.
        p.status.phase = if failed.is_empty() {
            "Running"
        } else {
            "Pending"
        }
        .into();
        p.status.conditions = conditions;
        for cs in &mut p.status.container_statuses {
            if started.contains(&cs.name.as_str()) {
                cs.ready = true;
                cs.started = true;
                cs.state = ContainerState {
                    running: Some(StateDetail {
                        started_at: now.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
            } else if let Some((_, message)) = failed.iter().find(|(c, _)| *c == cs.name) {
                cs.state = ContainerState {
                    waiting: Some(StateDetail {
                        reason: CREATE_CONTAINER_CONFIG_ERROR.into(),
                        message: message.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
            }
        }
    });
    if !failed.is_empty() {
        retry_config(cluster, (ns, name, uid));
    }
}

/// One container's start on this attempt: what the image step reports, and its ConfigMap
/// variables or the error that stops it.
struct ContainerStep {
    name: String,
    pulled: Option<String>,
    config: Result<Option<crate::api::ReferencedEnv>, String>,
}

/// A container's configuration could not be made (a ConfigMap or key missing): it waits with
/// `CreateContainerConfigError` while the others run, and the pod worker tries again after its
/// back-off (pod_workers.go: 10 s, jittered by up to half).
fn retry_config(cluster: &mut Cluster, (ns, name, uid): (&str, &str, &str)) {
    let jitter = cluster.rng.below(CONFIG_RETRY_MS / 2);
    let due = cluster.now_ms().saturating_add(CONFIG_RETRY_MS + jitter);
    cluster.timers.set(
        due,
        Timer::PodRunning {
            namespace: ns.into(),
            name: name.into(),
            uid: uid.into(),
            pulled_in_ms: 0,
        },
    );
}

/// `DELETE pod`: a graceful deletion if the pod runs on a live node, at once otherwise.
pub fn delete_pod(cluster: &mut Cluster, ns: &str, name: &str) {
    let Some(pod) = cluster.store.get::<Pod>(ns, name).cloned() else {
        return;
    };
    if pod.metadata.deletion_timestamp.is_some() {
        return;
    }
    let on_live_node = cluster
        .nodes
        .get(&pod.spec.node_name)
        .is_some_and(|n| n.running);
    if !on_live_node || pod.status.start_time.is_empty() {
        remove_pod(cluster, ns, name, &pod.metadata.uid);
        return;
    }
    let grace_s = pod
        .spec
        .termination_grace_period_seconds
        .unwrap_or(30)
        .max(0) as u64;
    let now_ms = cluster.now_ms();
    let deadline = rfc3339(now_ms.saturating_add(grace_s.saturating_mul(1000)));
    cluster.modify::<Pod>(ns, name, |p| p.metadata.deletion_timestamp = Some(deadline));
    let container = pod
        .spec
        .containers
        .first()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    cluster.record_container_event(
        ns,
        name,
        &container,
        &pod.spec.node_name,
        "Killing",
        &format!("Stopping container {container}"),
    );
    cluster.timers.set(
        now_ms.saturating_add(timing::TERMINATION_MS),
        Timer::PodGone {
            namespace: ns.into(),
            name: name.into(),
            uid: pod.metadata.uid,
        },
    );
}

/// The pod object goes away and its IP returns to the node's range.
pub(super) fn remove_pod(cluster: &mut Cluster, ns: &str, name: &str, uid: &str) {
    let Some(pod) = cluster.store.get::<Pod>(ns, name) else {
        return;
    };
    if pod.metadata.uid != uid {
        return;
    }
    let (node, ip, host_network) = (
        pod.spec.node_name.clone(),
        pod.status.pod_ip.parse::<Ipv4Addr>().ok(),
        pod.spec.host_network,
    );
    cluster.store.remove::<Pod>(ns, name);
    cluster.store.next_resource_version();
    if let (Some(runtime), Some(ip), false) = (cluster.nodes.get_mut(&node), ip, host_network) {
        runtime.ipam.release(ip);
    }
}

/// The pod `ns/name` if it is still the one with `uid`, not terminating, on a running node:
/// what a timer set for that pod may still act on.
pub(super) fn live_pod<'c>(
    cluster: &'c Cluster,
    ns: &str,
    name: &str,
    uid: &str,
) -> Option<&'c Pod> {
    let pod = cluster.store.get::<Pod>(ns, name)?;
    let running = cluster
        .nodes
        .get(&pod.spec.node_name)
        .is_some_and(|n| n.running);
    (pod.metadata.uid == uid && pod.metadata.deletion_timestamp.is_none() && running).then_some(pod)
}

#[cfg(test)]
mod tests {
    use super::{go_duration, image_size};

    #[test]
    fn pull_times_print_as_go_durations_and_sizes_are_stable() {
        assert_eq!(go_duration(850), "850ms");
        assert_eq!(go_duration(3000), "3s");
        assert_eq!(go_duration(2500), "2.5s");
        assert_eq!(go_duration(1234), "1.234s");
        assert_eq!(image_size("nginx"), image_size("nginx"));
        assert!((72_000_000..73_000_000).contains(&image_size("nginx:latest")));
    }
}

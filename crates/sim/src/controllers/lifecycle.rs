//! Nodes failing and coming back: `docker stop` silences a kubelet, the node lifecycle
//! controller (pkg/controller/nodelifecycle) marks the node Unknown after the grace period and
//! its pods not ready, taint-based eviction deletes them after their 300 s toleration, and the
//! ReplicaSets replace them elsewhere. `docker start` brings the node back.

use crate::api::{Node, Pod, Taint};
use crate::cluster::{rfc3339, timing, Cluster, Timer};

use super::taint_eviction::{stay, Stay};

const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";

/// `docker stop NODE`: the container and everything in it stop.
pub fn stop_node(cluster: &mut Cluster, node: &str) -> bool {
    let Some(runtime) = cluster.nodes.get_mut(node) else {
        return false;
    };
    if !runtime.running {
        return true;
    }
    runtime.running = false;
    let due = cluster
        .now_ms()
        .saturating_add(timing::NODE_MONITOR_GRACE_MS);
    cluster
        .timers
        .set(due, Timer::NodeMonitor { node: node.into() });
    true
}

/// `docker start NODE`: the kubelet and kube-proxy come back; pods restart.
pub fn start_node(cluster: &mut Cluster, node: &str) -> bool {
    let Some(runtime) = cluster.nodes.get_mut(node) else {
        return false;
    };
    if runtime.running {
        return true;
    }
    runtime.running = true;
    runtime.needs_full_sync = true;
    let now = rfc3339(cluster.now_ms());
    cluster.modify::<Node>("", node, |n| {
        n.spec.taints.retain(|t| t.key != UNREACHABLE_TAINT);
        for c in &mut n.status.conditions {
            let (status, reason, message) = if c.type_ == "Ready" {
                ("True", "KubeletReady", "kubelet is posting ready status")
            } else {
                ("False", c.reason.as_str(), c.message.as_str())
            };
            let (status, reason, message) =
                (status.to_string(), reason.to_string(), message.to_string());
            if c.status != status {
                c.last_transition_time = now.clone();
            }
            c.status = status;
            c.reason = reason;
            c.message = message;
        }
    });
    // The kubelet finishes evicted pods and restarts the others' containers.
    let pods: Vec<Pod> = cluster
        .store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name == node)
        .cloned()
        .collect();
    for pod in pods {
        let (ns, name, uid) = (
            &pod.metadata.namespace,
            &pod.metadata.name,
            &pod.metadata.uid,
        );
        if pod.metadata.deletion_timestamp.is_some() {
            super::kubelet::remove_pod(cluster, ns, name, uid);
            continue;
        }
        cluster.modify::<Pod>(ns, name, |p| {
            for cs in &mut p.status.container_statuses {
                cs.restart_count = cs.restart_count.saturating_add(1);
            }
        });
        let due = cluster.now_ms().saturating_add(timing::CACHED_START_MS);
        cluster.timers.set(
            due,
            Timer::PodRunning {
                namespace: ns.clone(),
                name: name.clone(),
                uid: uid.clone(),
                pulled_in_ms: 0,
            },
        );
    }
    true
}

/// The grace period passed: a node still silent turns Unknown and its pods not ready.
pub(super) fn node_monitor(cluster: &mut Cluster, node: &str) {
    if cluster.nodes.get(node).is_none_or(|n| n.running) {
        return;
    }
    let now = rfc3339(cluster.now_ms());
    cluster.modify::<Node>("", node, |n| {
        for c in &mut n.status.conditions {
            c.status = "Unknown".into();
            c.reason = "NodeStatusUnknown".into();
            c.message = "Kubelet stopped posting node status.".into();
            c.last_transition_time = now.clone();
        }
        for effect in ["NoSchedule", "NoExecute"] {
            let taint = Taint {
                key: UNREACHABLE_TAINT.into(),
                value: String::new(),
                effect: effect.into(),
                time_added: if effect == "NoExecute" {
                    now.clone()
                } else {
                    String::new()
                },
            };
            if !n
                .spec
                .taints
                .iter()
                .any(|t| t.key == taint.key && t.effect == taint.effect)
            {
                n.spec.taints.push(taint);
            }
        }
    });
    let pods: Vec<(String, String)> = cluster
        .store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name == node)
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in pods {
        cluster.modify::<Pod>(&ns, &name, |p| {
            for c in p.status.conditions.iter_mut() {
                if c.type_ == "Ready" || c.type_ == "ContainersReady" {
                    c.status = "False".into();
                    c.last_transition_time = now.clone();
                }
            }
            for cs in &mut p.status.container_statuses {
                cs.ready = false;
            }
        });
        cluster.record_event(
            &ns,
            &format!("pod/{name}"),
            true,
            "NodeNotReady",
            "Node is not ready",
            "node-controller",
        );
    }
    let due = cluster
        .now_ms()
        .saturating_add(timing::DEFAULT_TOLERATION_MS);
    cluster
        .timers
        .set(due, Timer::EvictPods { node: node.into() });
}

/// The NoExecute toleration ran out: pods that do not tolerate `unreachable` for ever (judged
/// as the taint eviction controller judges tolerations) are deleted; on the silent node they
/// stay Terminating until it returns.
pub(super) fn evict_pods(cluster: &mut Cluster, node: &str) {
    if cluster.nodes.get(node).is_none_or(|n| n.running) {
        return;
    }
    let now = rfc3339(cluster.now_ms());
    let unreachable = [Taint {
        key: UNREACHABLE_TAINT.into(),
        effect: "NoExecute".into(),
        ..Taint::default()
    }];
    let victims: Vec<(String, String)> = cluster
        .store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name == node && p.metadata.deletion_timestamp.is_none())
        .filter(|p| stay(&p.spec.tolerations, &unreachable) != Stay::ForEver)
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in victims {
        cluster.modify::<Pod>(&ns, &name, |p| {
            p.metadata.deletion_timestamp = Some(now.clone())
        });
        record_eviction(cluster, &ns, &name);
    }
}

/// The event the taint eviction controller records when it deletes a pod.
pub(super) fn record_eviction(cluster: &mut Cluster, ns: &str, name: &str) {
    cluster.record_event(
        ns,
        &format!("pod/{name}"),
        false,
        "TaintManagerEviction",
        &format!("Marking for deletion Pod {ns}/{name}"),
        "taint-eviction-controller",
    );
}

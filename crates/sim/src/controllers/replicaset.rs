//! The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps `replicas` pods
//! owned by each ReplicaSet, creating from the template and deleting the lowest-ranked extras.

use crate::api::ResourceKind;
use crate::api::{Pod, ReplicaSet, ReplicaSetStatus};
use crate::cluster::{drain_in_order, Cluster};

use super::kubelet::{delete_pod, pod_is_ready};
use super::pod_from_template;

/// Reconciles the ReplicaSets whose object or pods changed (the store marks them), in key
/// order; the others would write nothing.
pub(super) fn reconcile(cluster: &mut Cluster) {
    drain_in_order(
        cluster,
        |c| &mut c.store.tracker_mut().dirty_replicasets,
        |cluster, (ns, name)| reconcile_one(cluster, ns, name),
    );
}

fn reconcile_one(cluster: &mut Cluster, ns: String, name: String) {
    let Some(rs) = cluster.store.get::<ReplicaSet>(&ns, &name).cloned() else {
        return;
    };
    if rs.metadata.deletion_timestamp.is_some() {
        return;
    }
    let desired = rs.spec.replicas.unwrap_or(1).max(0) as usize;
    // Borrowed from the store; only the pods of a scale-down are copied (to rank them), since
    // copying every owned pod on every pass dominated building a large cluster.
    let (active, mut ranked) = {
        let active: Vec<&Pod> = owned_pods(cluster, &rs)
            .into_iter()
            .filter(|p| is_active(p))
            .collect();
        let ranked: Vec<Pod> = if active.len() > desired {
            active.iter().map(|p| (*p).clone()).collect()
        } else {
            Vec::new()
        };
        (active.len(), ranked)
    };
    if active < desired {
        for _ in active..desired {
            create_pod(cluster, &rs);
        }
    } else if active > desired {
        rank_for_deletion(&mut ranked);
        for pod in ranked.iter().take(active - desired) {
            let pod_name = pod.metadata.name.clone();
            delete_pod(cluster, &ns, &pod_name);
            cluster.record_event(
                &ns,
                &format!("replicaset/{name}"),
                false,
                "SuccessfulDelete",
                &format!("Deleted pod: {pod_name}"),
                "replicaset-controller",
            );
        }
    }
    update_status(cluster, &ns, &name);
}

/// Pods whose controller reference points at this ReplicaSet.
pub(super) fn owned_pods<'a>(cluster: &'a Cluster, rs: &ReplicaSet) -> Vec<&'a Pod> {
    let ns = &rs.metadata.namespace;
    cluster
        .store
        .tracker()
        .dependents_of(ns, &rs.metadata.uid, ResourceKind::Pod)
        .iter()
        .filter_map(|name| cluster.store.get::<Pod>(ns, name))
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|r| r.uid == rs.metadata.uid)
        })
        .collect()
}

/// Counted towards replicas: not terminating and not finished (`controller.FilterActivePods`).
fn is_active(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_none()
        && pod.status.phase != "Succeeded"
        && pod.status.phase != "Failed"
}

fn create_pod(cluster: &mut Cluster, rs: &ReplicaSet) {
    let mut pod = pod_from_template(&rs.spec.template, &rs.metadata, "ReplicaSet");
    // The controller creates pods through the API server, whose admission adds the
    // not-ready/unreachable tolerations (DefaultTolerationSeconds) to each.
    crate::apiserver::validation::default_pod(&mut pod);
    crate::apiserver::validation::add_default_tolerations(&mut pod);
    let owner = format!("replicaset/{}", rs.metadata.name);
    super::create_pod(cluster, pod, &owner, "replicaset-controller");
}

/// Orders pods so the first ones are deleted first (controller_utils.go `ActivePodsWithRanks`):
/// unscheduled before scheduled, Pending before Running, not ready before ready, pods on
/// crowded nodes first, then the newest first.
fn rank_for_deletion(pods: &mut [Pod]) {
    let mut per_node: std::collections::BTreeMap<String, usize> = Default::default();
    for p in pods.iter() {
        *per_node.entry(p.spec.node_name.clone()).or_default() += 1;
    }
    let phase_rank = |p: &Pod| match p.status.phase.as_str() {
        "Pending" => 0,
        "Unknown" => 1,
        _ => 2,
    };
    pods.sort_by(|a, b| {
        let assigned = |p: &Pod| !p.spec.node_name.is_empty();
        assigned(a)
            .cmp(&assigned(b))
            .then(phase_rank(a).cmp(&phase_rank(b)))
            .then(pod_is_ready(a).cmp(&pod_is_ready(b)))
            .then(
                per_node
                    .get(&b.spec.node_name)
                    .cmp(&per_node.get(&a.spec.node_name)),
            )
            .then(
                b.metadata
                    .creation_timestamp
                    .cmp(&a.metadata.creation_timestamp),
            )
            .then(b.metadata.name.cmp(&a.metadata.name))
    });
}

fn update_status(cluster: &mut Cluster, ns: &str, name: &str) {
    let Some(rs) = cluster.store.get::<ReplicaSet>(ns, name).cloned() else {
        return;
    };
    let owned = owned_pods(cluster, &rs);
    let active: Vec<&Pod> = owned.into_iter().filter(|p| is_active(p)).collect();
    let labels_match = |p: &&&Pod| {
        rs.spec
            .template
            .metadata
            .labels
            .iter()
            .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
    };
    let ready = active.iter().filter(|p| pod_is_ready(p)).count() as i32;
    let status = ReplicaSetStatus {
        replicas: active.len() as i32,
        fully_labeled_replicas: active.iter().filter(labels_match).count() as i32,
        ready_replicas: ready,
        available_replicas: ready,
        observed_generation: rs.metadata.generation,
    };
    cluster.modify::<ReplicaSet>(ns, name, |r| r.status = status);
}

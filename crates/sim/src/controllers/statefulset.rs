//! The StatefulSet controller (pkg/controller/statefulset: stateful_set_control.go,
//! stateful_set_utils.go, stateful_pod_control.go), at Kubernetes v1.33.
//!
//! - Pods are named `<set>-<ordinal>` from `spec.ordinals.start`, with `hostname` = the pod's
//!   name and `subdomain` = `serviceName` (so a headless Service gives each one a DNS name),
//!   and the labels `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and
//!   `controller-revision-hash` (the revision's name).
//! - `OrderedReady` (the default): one pod at a time, in ordinal order, each waiting until the
//!   one before it is Running and Ready; scale-down from the highest ordinal, one at a time,
//!   each waiting until the previous one is gone. `Parallel` does neither wait.
//! - A Failed or Succeeded pod is deleted and created again under the same name.
//! - RollingUpdate: from the highest ordinal down to `partition`, the first pod of an old
//!   revision is deleted (and recreated from the new template on a later pass); the update
//!   waits on any pod that is not healthy. Pods below the partition keep, and are recreated
//!   from, the current revision. `OnDelete` replaces nothing.
//! - Each distinct template is a ControllerRevision (`history.rs`); going back to an older
//!   template reuses its revision with the next number, as `rollout undo` shows.
//!
//! - Each `volumeClaimTemplates` entry gives every pod a claim `<template>-<pod>`, made
//!   before the pod if missing and kept after it (the default Retain policies), mounted as
//!   the template's volume: a replaced pod finds its predecessor's files.
//!
//! - `persistentVolumeClaimRetentionPolicy`: `whenDeleted: Delete` gives the claims to the
//!   set, `whenScaled: Delete` gives a scaled-down pod its claims, and the garbage collector
//!   removes them with their owner.
//!
//! Not simulated: `minReadySeconds` (available = ready,
//! as for ReplicaSets), adopting orphans.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{
    ControllerRevision, PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod,
    PodTemplateSpec, ResourceKind, StatefulSet, StatefulSetStatus, Volume, POD_INDEX_LABEL,
    STATEFUL_SET_POD_NAME_LABEL,
};
use crate::apiserver::admission::Admit;
use crate::cluster::{drain_in_order, Cluster, REVISION_LABEL};

use super::history;
use super::kubelet::{delete_pod, pod_is_ready};
use super::pod_from_template;

const SOURCE: &str = "statefulset-controller";

pub(super) fn reconcile(cluster: &mut Cluster) {
    drain_in_order(
        cluster,
        |c| &mut c.store.tracker_mut().dirty_statefulsets,
        |cluster, (ns, name)| reconcile_one(cluster, &ns, &name),
    );
}

/// The two revisions a pass works with.
struct Revisions {
    current: ControllerRevision,
    update: ControllerRevision,
    collision_count: i32,
}

fn reconcile_one(cluster: &mut Cluster, ns: &str, name: &str) {
    let Some(set) = cluster.store.get::<StatefulSet>(ns, name).cloned() else {
        return;
    };
    if set.metadata.deletion_timestamp.is_some() {
        return;
    }
    let revisions = revisions(cluster, &set);
    manage_pods(cluster, &set, &revisions);
    let pods = owned_pods(cluster, &set);
    let status = status(&set, &pods, &revisions);
    cluster.modify::<StatefulSet>(ns, name, |s| s.status = status);
    truncate_history(cluster, &set, &revisions, &pods);
}

/// The set's pods by ordinal (pods whose name is not `<set>-<n>` are not its replicas).
fn owned_pods(cluster: &Cluster, set: &StatefulSet) -> BTreeMap<i32, Pod> {
    let ns = &set.metadata.namespace;
    cluster
        .store
        .tracker()
        .dependents_of(ns, &set.metadata.uid, ResourceKind::Pod)
        .iter()
        .filter_map(|name| cluster.store.get::<Pod>(ns, name))
        .filter_map(|p| Some((ordinal_of(&set.metadata.name, &p.metadata.name)?, p.clone())))
        .collect()
}

/// `getParentNameAndOrdinal`, checked against `getPodName` (no leading zeros or sign).
fn ordinal_of(set: &str, pod: &str) -> Option<i32> {
    let n: i32 = pod.strip_prefix(set)?.strip_prefix('-')?.parse().ok()?;
    (n >= 0 && format!("{set}-{n}") == pod).then_some(n)
}

fn revision_of(pod: &Pod) -> &str {
    pod.metadata
        .labels
        .get(REVISION_LABEL)
        .map_or("", String::as_str)
}

fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

fn is_running_and_ready(pod: &Pod) -> bool {
    pod.status.phase == "Running" && pod_is_ready(pod)
}

fn is_healthy(pod: &Pod) -> bool {
    is_running_and_ready(pod) && !is_terminating(pod)
}

/// `updateStatefulSet`: create, replace, scale down and roll, stopping where `OrderedReady`
/// must wait.
fn manage_pods(cluster: &mut Cluster, set: &StatefulSet, revisions: &Revisions) {
    let pods = owned_pods(cluster, set);
    let start = set.spec.start_ordinal();
    let replicas = set.spec.replicas.unwrap_or(1).max(0);
    let end = start.saturating_add(replicas);
    let monotonic = set.spec.ordered_ready();
    let in_range = |ord: i32| ord >= start && ord < end;
    // Claims follow the retention policy before any pod is created or condemned below.
    for (ord, pod) in &pods {
        update_claim_owners(cluster, set, pod, *ord, !in_range(*ord));
    }
    let first_unhealthy = (start..end)
        .find(|ord| !pods.get(ord).is_some_and(is_healthy))
        .or_else(|| {
            pods.iter()
                .filter(|(ord, p)| !in_range(**ord) && !is_healthy(p))
                .map(|(ord, _)| *ord)
                .next()
        });
    // Each replica, in ordinal order (processReplica).
    let mut created_now = BTreeSet::new();
    for ord in start..end {
        let Some(pod) = pods.get(&ord) else {
            create_pod(cluster, set, revisions, ord);
            created_now.insert(ord);
            if monotonic {
                return;
            }
            continue;
        };
        if matches!(pod.status.phase.as_str(), "Failed" | "Succeeded") {
            if !is_terminating(pod) {
                delete_stateful_pod(cluster, set, &pod.metadata.name);
            }
            if monotonic {
                return;
            }
            continue;
        }
        if monotonic && (is_terminating(pod) || !is_running_and_ready(pod)) {
            return;
        }
    }
    // Pods beyond the replicas, highest ordinal first (processCondemned).
    let condemned: Vec<(i32, &Pod)> = pods
        .iter()
        .rev()
        .filter(|(ord, _)| !in_range(**ord))
        .map(|(ord, p)| (*ord, p))
        .collect();
    for (ord, pod) in condemned {
        if is_terminating(pod) {
            if monotonic {
                return;
            }
            continue;
        }
        if monotonic && !is_running_and_ready(pod) && Some(ord) != first_unhealthy {
            return;
        }
        delete_stateful_pod(cluster, set, &pod.metadata.name);
        if monotonic {
            return;
        }
    }
    if set.spec.update_strategy.type_ == "OnDelete" {
        return;
    }
    // The rolling update: the highest ordinal of an old revision goes first.
    let partition = set.spec.update_strategy.partition().max(0);
    for ord in (start.saturating_add(partition)..end).rev() {
        if created_now.contains(&ord) {
            return;
        }
        let Some(pod) = pods.get(&ord) else { return };
        if revision_of(pod) != revisions.update.metadata.name && !is_terminating(pod) {
            delete_stateful_pod(cluster, set, &pod.metadata.name);
            return;
        }
        if !is_healthy(pod) {
            return;
        }
    }
}

/// `newVersionedStatefulSetPod` and `CreateStatefulPod`: ordinals below the partition get the
/// current revision's template, the others the update revision's.
fn create_pod(cluster: &mut Cluster, set: &StatefulSet, revisions: &Revisions, ord: i32) {
    let below_partition = set.spec.update_strategy.type_ == "RollingUpdate"
        && ord < set.spec.start_ordinal() + set.spec.update_strategy.partition();
    let (revision, template) = if below_partition {
        let template = revisions.current.template();
        (&revisions.current, template)
    } else {
        (&revisions.update, Some(set.spec.template.clone()))
    };
    let template: PodTemplateSpec = template.unwrap_or_else(|| set.spec.template.clone());
    let mut pod = pod_from_template(&template, &set.metadata, "StatefulSet");
    let name = format!("{}-{ord}", set.metadata.name);
    pod.metadata.name = name.clone();
    let labels = &mut pod.metadata.labels;
    labels.insert(STATEFUL_SET_POD_NAME_LABEL.to_string(), name.clone());
    labels.insert(POD_INDEX_LABEL.to_string(), ord.to_string());
    labels.insert(REVISION_LABEL.to_string(), revision.metadata.name.clone());
    pod.spec.hostname = name.clone();
    pod.spec.subdomain = set.spec.service_name.clone();
    add_claim_volumes(set, &mut pod, ord);
    crate::apiserver::validation::default_pod(&mut pod);
    crate::apiserver::validation::add_default_tolerations(&mut pod);
    let ns = set.metadata.namespace.clone();
    create_claims(cluster, set, &name, ord);
    super::put_new_pod(cluster, pod);
    record_pod_event(cluster, set, "create", &ns, &name);
}

/// `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>`.
fn claim_name(template: &str, set: &str, ord: i32) -> String {
    format!("{template}-{set}-{ord}")
}

/// `updateStorage`: a volume per claim template, named after it (replacing a template volume
/// of that name), listed before the template's other volumes.
fn add_claim_volumes(set: &StatefulSet, pod: &mut Pod, ord: i32) {
    let templates = &set.spec.volume_claim_templates;
    if templates.is_empty() {
        return;
    }
    let mut volumes: Vec<Volume> = templates
        .iter()
        .map(|t| Volume {
            name: t.metadata.name.clone(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: claim_name(&t.metadata.name, &set.metadata.name, ord),
                read_only: false,
            }),
            ..Default::default()
        })
        .collect();
    volumes.extend(
        pod.spec
            .volumes
            .iter()
            .filter(|v| !templates.iter().any(|t| t.metadata.name == v.name))
            .cloned(),
    );
    pod.spec.volumes = volumes;
}

/// `updateClaimOwnerRefForSetAndPod` (stateful_set_utils.go, v1.32+): the owners the
/// retention policy gives each of the pod's claims. `whenDeleted: Delete` makes the set the
/// owner of the claims of pods in range; `whenScaled: Delete` makes a scaled-down pod the owner
/// of its claims (and drops the set), so the garbage collector removes the claim when its
/// owner goes. Both refs are controller refs (`metav1.NewControllerRef`). A claim another
/// controller owns is left to it.
fn update_claim_owners(
    cluster: &mut Cluster,
    set: &StatefulSet,
    pod: &Pod,
    ord: i32,
    scaled_down: bool,
) {
    let policy = set
        .spec
        .persistent_volume_claim_retention_policy
        .clone()
        .unwrap_or_default();
    let (set_owns, pod_owns) = match (
        policy.when_scaled == "Delete",
        policy.when_deleted == "Delete",
    ) {
        (false, false) => (false, false),
        (false, true) => (true, false),
        (true, false) => (false, scaled_down),
        (true, true) => (!scaled_down, scaled_down),
    };
    let set_ref = super::owner_ref(
        "apps/v1",
        "StatefulSet",
        &set.metadata.name,
        &set.metadata.uid,
    );
    let pod_ref = super::owner_ref("v1", "Pod", &pod.metadata.name, &pod.metadata.uid);
    let ns = set.metadata.namespace.clone();
    for template in &set.spec.volume_claim_templates {
        let name = claim_name(&template.metadata.name, &set.metadata.name, ord);
        cluster.modify::<PersistentVolumeClaim>(&ns, &name, |c| {
            let refs = &mut c.metadata.owner_references;
            let ours = |uid: &str| uid == set.metadata.uid || uid == pod.metadata.uid;
            let foreign = refs
                .iter()
                .any(|r| r.controller == Some(true) && !ours(&r.uid));
            refs.retain(|r| !ours(&r.uid));
            if foreign {
                return;
            }
            if set_owns {
                refs.push(set_ref.clone());
            }
            if pod_owns {
                refs.push(pod_ref.clone());
            }
        });
    }
}

/// `createPersistentVolumeClaims`: each missing claim of the pod, labelled with the
/// template's labels and the set's selector, with the `create Claim …` event. Under the
/// default Retain policies a claim has no owner, so it outlives the pod and the set.
fn create_claims(cluster: &mut Cluster, set: &StatefulSet, pod: &str, ord: i32) {
    let ns = set.metadata.namespace.clone();
    for template in &set.spec.volume_claim_templates {
        let name = claim_name(&template.metadata.name, &set.metadata.name, ord);
        if cluster
            .store
            .get::<PersistentVolumeClaim>(&ns, &name)
            .is_some()
        {
            continue;
        }
        let mut claim = PersistentVolumeClaim {
            metadata: template.metadata.clone(),
            spec: template.spec.clone(),
            ..Default::default()
        };
        claim.metadata.name = name.clone();
        claim.metadata.namespace = ns.clone();
        for (k, v) in &set.spec.selector.match_labels {
            claim.metadata.labels.insert(k.clone(), v.clone());
        }
        crate::apiserver::validation::default_persistent_volume_claim(&mut claim);
        claim.admit_with(&cluster.store);
        cluster.stamp_new(&mut claim.metadata);
        cluster.store.put(claim);
        cluster.record_event(
            &ns,
            &format!("statefulset/{}", set.metadata.name),
            false,
            "SuccessfulCreate",
            &format!(
                "create Claim {name} Pod {pod} in StatefulSet {} success",
                set.metadata.name
            ),
            SOURCE,
        );
    }
}

/// `DeleteStatefulPod`: a graceful delete and its event.
fn delete_stateful_pod(cluster: &mut Cluster, set: &StatefulSet, pod: &str) {
    let ns = set.metadata.namespace.clone();
    delete_pod(cluster, &ns, pod);
    record_pod_event(cluster, set, "delete", &ns, pod);
}

/// `recordPodEvent`: `SuccessfulCreate` / `create Pod web-0 in StatefulSet web successful`.
fn record_pod_event(cluster: &mut Cluster, set: &StatefulSet, verb: &str, ns: &str, pod: &str) {
    let reason = match verb {
        "create" => "SuccessfulCreate",
        _ => "SuccessfulDelete",
    };
    cluster.record_event(
        ns,
        &format!("statefulset/{}", set.metadata.name),
        false,
        reason,
        &format!(
            "{verb} Pod {pod} in StatefulSet {} successful",
            set.metadata.name
        ),
        SOURCE,
    );
}

/// `getStatefulSetRevisions`: the revision of the current template (`history::record`), and
/// the revision `status.currentRevision` names (the update revision on the first pass).
fn revisions(cluster: &mut Cluster, set: &StatefulSet) -> Revisions {
    let meta = &set.metadata;
    let owned = history::owned_revisions(cluster, &meta.namespace, &meta.uid);
    let (update, collision_count) = history::record(
        cluster,
        &owned,
        set.status.collision_count.unwrap_or(0).max(0),
        |revision, collisions| {
            history::new_revision(
                meta,
                "StatefulSet",
                &set.spec.template,
                revision,
                collisions,
            )
        },
    );
    let current = owned
        .iter()
        .find(|r| r.metadata.name == set.status.current_revision)
        .cloned()
        .unwrap_or_else(|| update.clone());
    Revisions {
        current,
        update,
        collision_count,
    }
}

/// `computeReplicaStatus`, then `completeRollingUpdate`.
fn status(set: &StatefulSet, pods: &BTreeMap<i32, Pod>, r: &Revisions) -> StatefulSetStatus {
    let mut s = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        current_revision: r.current.metadata.name.clone(),
        update_revision: r.update.metadata.name.clone(),
        collision_count: Some(r.collision_count),
        ..StatefulSetStatus::default()
    };
    for pod in pods.values() {
        let created = !pod.status.phase.is_empty();
        if created {
            s.replicas += 1;
        }
        if is_running_and_ready(pod) {
            s.ready_replicas += 1;
            s.available_replicas += 1;
        }
        if created && !is_terminating(pod) {
            if revision_of(pod) == s.current_revision {
                s.current_replicas += 1;
            }
            if revision_of(pod) == s.update_revision {
                s.updated_replicas += 1;
            }
        }
    }
    let want = set.spec.replicas.unwrap_or(1);
    if set.spec.update_strategy.type_ == "RollingUpdate"
        && s.updated_replicas == want
        && s.ready_replicas == want
        && s.replicas == want
    {
        s.current_replicas = s.updated_replicas;
        s.current_revision = s.update_revision.clone();
    }
    s
}

/// `truncateHistory`: revisions no pod and neither status revision uses go, oldest first,
/// beyond `revisionHistoryLimit`.
fn truncate_history(
    cluster: &mut Cluster,
    set: &StatefulSet,
    r: &Revisions,
    pods: &BTreeMap<i32, Pod>,
) {
    let mut live: BTreeSet<&str> = pods.values().map(revision_of).collect();
    live.insert(&r.current.metadata.name);
    live.insert(&r.update.metadata.name);
    let limit = set.spec.revision_history_limit.unwrap_or(10);
    history::truncate(
        cluster,
        &set.metadata.namespace,
        &set.metadata.uid,
        &live,
        limit,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_are_read_as_get_pod_name_writes_them() {
        assert_eq!(ordinal_of("web", "web-0"), Some(0));
        assert_eq!(ordinal_of("web", "web-12"), Some(12));
        assert_eq!(ordinal_of("web", "web-01"), None);
        assert_eq!(ordinal_of("web", "web--1"), None);
        assert_eq!(ordinal_of("web", "web-x"), None);
        assert_eq!(ordinal_of("web", "webby-1"), None);
    }
}

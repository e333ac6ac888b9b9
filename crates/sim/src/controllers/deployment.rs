//! The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template,
//! named `<deployment>-<pod-template-hash>`, and a rolling update between them.

use crate::api::ResourceKind;
use crate::api::{
    Condition, Deployment, DeploymentStatus, IntOrString, PodTemplateSpec, ReplicaSet,
};
use crate::cluster::{drain_in_order, rfc3339, Cluster};
use crate::names::pod_template_hash;

use super::deployment_annotations::{
    revision, set_new_replica_set_annotations, set_replicas_annotations, REVISION,
};
use super::owner_ref;

const HASH_LABEL: &str = "pod-template-hash";

/// Reconciles the Deployments whose object or ReplicaSets changed (the store marks them), in
/// key order; the others would write nothing.
pub(super) fn reconcile(cluster: &mut Cluster) {
    drain_in_order(
        cluster,
        |c| &mut c.store.tracker_mut().dirty_deployments,
        |cluster, (ns, name)| reconcile_one(cluster, &ns, &name),
    );
}

fn reconcile_one(cluster: &mut Cluster, ns: &str, name: &str) {
    let Some(deploy) = cluster.store.get::<Deployment>(ns, name).cloned() else {
        return;
    };
    if deploy.metadata.deletion_timestamp.is_some() {
        return;
    }
    let owned = owned_replicasets(cluster, &deploy);
    let (new_rs, old): (Vec<_>, Vec<_>) = owned
        .into_iter()
        .partition(|rs| same_template(&rs.spec.template, &deploy.spec.template));
    // getNewReplicaSet: the new ReplicaSet's revision is one past every old one's.
    let new_revision = old.iter().filter_map(revision).max().unwrap_or(0) + 1;
    let new_rs = match new_rs.into_iter().next() {
        Some(rs) => update_new_replicaset(cluster, &deploy, rs, new_revision),
        None => create_replicaset(cluster, &deploy, &old, new_revision),
    };
    set_deployment_revision(cluster, &deploy, &new_rs);
    roll(cluster, &deploy, &new_rs, &old);
    update_status(cluster, &deploy);
    clean_up_history(cluster, ns, name);
}

/// `cleanupDeployment`: once a rollout is complete, the old ReplicaSets beyond
/// `revisionHistoryLimit` go, lowest revision first, and only those left without pods.
fn clean_up_history(cluster: &mut Cluster, ns: &str, name: &str) {
    let Some(deploy) = cluster.store.get::<Deployment>(ns, name) else {
        return;
    };
    let Some(limit) = deploy.spec.revision_history_limit else {
        return;
    };
    let want = desired(deploy);
    let s = &deploy.status;
    // `DeploymentComplete`.
    let complete = s.updated_replicas == want
        && s.replicas == want
        && s.available_replicas == want
        && s.observed_generation >= deploy.metadata.generation;
    // Most passes end here: the store's count of its ReplicaSets is within the limit.
    let owned = cluster
        .store
        .tracker()
        .dependents_of(ns, &deploy.metadata.uid, ResourceKind::ReplicaSet)
        .len();
    if !complete || owned <= usize::try_from(limit).unwrap_or(0) {
        return;
    }
    let deploy = deploy.clone();
    let mut old: Vec<ReplicaSet> = owned_replicasets(cluster, &deploy)
        .into_iter()
        .filter(|rs| !same_template(&rs.spec.template, &deploy.spec.template))
        .filter(|rs| rs.metadata.deletion_timestamp.is_none())
        .collect();
    let excess = old
        .len()
        .saturating_sub(usize::try_from(limit).unwrap_or(0));
    if excess == 0 {
        return;
    }
    // `ReplicaSetsByRevision` (creation time for equal or missing revisions).
    old.sort_by(|a, b| {
        let by_creation = a
            .metadata
            .creation_timestamp
            .cmp(&b.metadata.creation_timestamp);
        match (revision(a), revision(b)) {
            (Some(x), Some(y)) if x != y => x.cmp(&y),
            _ => by_creation.then(a.metadata.name.cmp(&b.metadata.name)),
        }
    });
    for rs in old.iter().take(excess) {
        let busy = rs.status.replicas != 0
            || rs.spec.replicas != Some(0)
            || rs.metadata.generation > rs.status.observed_generation;
        if !busy {
            cluster.store.remove::<ReplicaSet>(ns, &rs.metadata.name);
            cluster.store.next_resource_version();
        }
    }
}

/// The existing ReplicaSet of the current template, with the Deployment's annotations and a
/// revision past the old ones (rolling back to it makes it the newest).
fn update_new_replicaset(
    cluster: &mut Cluster,
    deploy: &Deployment,
    rs: ReplicaSet,
    new_revision: u64,
) -> ReplicaSet {
    let mut annotations = rs.metadata.annotations.clone();
    let changed = set_new_replica_set_annotations(deploy, &mut annotations, new_revision, None);
    let min_ready = deploy.spec.min_ready_seconds;
    if !changed && rs.spec.min_ready_seconds == min_ready {
        return rs;
    }
    let (ns, name) = (rs.metadata.namespace.clone(), rs.metadata.name.clone());
    cluster.modify::<ReplicaSet>(&ns, &name, |r| {
        r.metadata.annotations = annotations;
        r.spec.min_ready_seconds = min_ready;
    });
    cluster
        .store
        .get::<ReplicaSet>(&ns, &name)
        .cloned()
        .unwrap_or(rs)
}

/// `SetDeploymentRevision`: the Deployment carries its new ReplicaSet's revision.
fn set_deployment_revision(cluster: &mut Cluster, deploy: &Deployment, new_rs: &ReplicaSet) {
    let Some(rev) = new_rs.metadata.annotations.get(REVISION).cloned() else {
        return;
    };
    if deploy.metadata.annotations.get(REVISION) == Some(&rev) {
        return;
    }
    let (ns, name) = (&deploy.metadata.namespace, &deploy.metadata.name);
    cluster.modify::<Deployment>(ns, name, |d| {
        d.metadata.annotations.insert(REVISION.into(), rev);
    });
}

fn owned_replicasets(cluster: &Cluster, deploy: &Deployment) -> Vec<ReplicaSet> {
    let ns = &deploy.metadata.namespace;
    cluster
        .store
        .tracker()
        .dependents_of(ns, &deploy.metadata.uid, ResourceKind::ReplicaSet)
        .iter()
        .filter_map(|name| cluster.store.get::<ReplicaSet>(ns, name))
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|r| r.uid == deploy.metadata.uid)
        })
        .cloned()
        .collect()
}

/// Whether a ReplicaSet's template is the Deployment's, ignoring the hash label
/// (deployment/util `EqualIgnoreHash`).
fn same_template(rs_template: &PodTemplateSpec, template: &PodTemplateSpec) -> bool {
    let mut a = rs_template.clone();
    a.metadata.labels.remove(HASH_LABEL);
    let mut b = template.clone();
    b.metadata.labels.remove(HASH_LABEL);
    a == b
}

fn create_replicaset(
    cluster: &mut Cluster,
    deploy: &Deployment,
    old: &[ReplicaSet],
    new_revision: u64,
) -> ReplicaSet {
    let ns = deploy.metadata.namespace.clone();
    let text = super::canonical_template(&deploy.spec.template);
    // A name taken by a ReplicaSet with another template bumps the collision count.
    let mut collision = None;
    let hash = loop {
        let hash = pod_template_hash(&text, collision);
        let name = format!("{}-{hash}", deploy.metadata.name);
        if cluster.store.get::<ReplicaSet>(&ns, &name).is_none() {
            break hash;
        }
        collision = Some(collision.unwrap_or(0) + 1);
    };
    let mut rs = ReplicaSet::default();
    rs.metadata.namespace = ns.clone();
    rs.metadata.name = format!("{}-{hash}", deploy.metadata.name);
    rs.metadata.labels = deploy.spec.template.metadata.labels.clone();
    rs.metadata.labels.insert(HASH_LABEL.into(), hash.clone());
    rs.metadata.generation = 1;
    let sizes = (desired(deploy), desired(deploy) + max_surge(deploy));
    set_new_replica_set_annotations(
        deploy,
        &mut rs.metadata.annotations,
        new_revision,
        Some(sizes),
    );
    rs.metadata.owner_references = vec![owner_ref(
        "apps/v1",
        "Deployment",
        &deploy.metadata.name,
        &deploy.metadata.uid,
    )];
    rs.spec.selector = deploy.spec.selector.clone();
    rs.spec
        .selector
        .match_labels
        .insert(HASH_LABEL.into(), hash.clone());
    rs.spec.template = deploy.spec.template.clone();
    rs.spec
        .template
        .metadata
        .labels
        .insert(HASH_LABEL.into(), hash);
    rs.spec.min_ready_seconds = deploy.spec.min_ready_seconds;
    // The first ReplicaSet starts at full size; later ones grow as the rollout allows.
    rs.spec.replicas = Some(if old.is_empty() { desired(deploy) } else { 0 });
    cluster.stamp_new(&mut rs.metadata);
    let rs_name = rs.metadata.name.clone();
    let replicas = rs.spec.replicas.unwrap_or(0);
    cluster.store.put(rs.clone());
    // Reported only when it starts with pods; a rollout's later growth is its own event.
    if replicas > 0 {
        cluster.record_event(
            &ns,
            &format!("deployment/{}", deploy.metadata.name),
            false,
            "ScalingReplicaSet",
            &format!("Scaled up replica set {rs_name} from 0 to {replicas}"),
            "deployment-controller",
        );
    }
    rs
}

fn desired(deploy: &Deployment) -> i32 {
    deploy.spec.replicas.unwrap_or(1).max(0)
}

/// `MaxSurge`: the surge of a rolling update, absolute (0 for Recreate).
fn max_surge(deploy: &Deployment) -> i32 {
    if deploy.spec.strategy.type_ == "Recreate" {
        return 0;
    }
    let rolling = deploy.spec.strategy.rolling_update.as_ref();
    scaled(
        rolling.and_then(|r| r.max_surge.as_ref()),
        desired(deploy),
        true,
    )
}

/// A 25%-style value of `total` (25% when unset), rounded up or down.
fn scaled(value: Option<&IntOrString>, total: i32, round_up: bool) -> i32 {
    let default = IntOrString::String("25%".into());
    super::scaled_int_or_percent(value.unwrap_or(&default), total, round_up)
}

/// One step of the rollout (deployment/rolling.go): grow the new ReplicaSet within maxSurge,
/// shrink old ones while at least `replicas - maxUnavailable` pods stay available.
fn roll(cluster: &mut Cluster, deploy: &Deployment, new_rs: &ReplicaSet, old: &[ReplicaSet]) {
    let ns = deploy.metadata.namespace.as_str();
    let replicas = desired(deploy);
    let recreate = deploy.spec.strategy.type_ == "Recreate";
    let rolling = deploy.spec.strategy.rolling_update.as_ref();
    let max_surge = max_surge(deploy);
    let mut max_unavailable = scaled(
        rolling.and_then(|r| r.max_unavailable.as_ref()),
        replicas,
        false,
    );
    if max_surge == 0 && max_unavailable == 0 {
        max_unavailable = 1;
    }
    let old_total: i32 = old.iter().map(|rs| rs.spec.replicas.unwrap_or(0)).sum();
    let new_now = new_rs.spec.replicas.unwrap_or(0);

    let new_target = if recreate && old_total > 0 {
        new_now
    } else if old.is_empty() || old_total == 0 {
        replicas
    } else {
        let room = (replicas + max_surge - old_total - new_now).max(0);
        (new_now + room).min(replicas)
    };
    if new_target != new_now {
        scale(
            cluster,
            deploy,
            ns,
            &new_rs.metadata.name,
            new_now,
            new_target,
        );
    }

    let available: i32 = old
        .iter()
        .chain(std::iter::once(new_rs))
        .map(|rs| rs.status.available_replicas)
        .sum();
    let min_available = if recreate {
        0
    } else {
        replicas - max_unavailable
    };
    let mut removable = (available - min_available).max(0);
    if recreate {
        removable = old_total;
    }
    for rs in old {
        let now = rs.spec.replicas.unwrap_or(0);
        if now == 0 || removable == 0 {
            continue;
        }
        let cut = now.min(removable);
        removable -= cut;
        scale(cluster, deploy, ns, &rs.metadata.name, now, now - cut);
    }
}

/// `scaleReplicaSet`: the new size, and the Deployment's size in the annotations.
fn scale(cluster: &mut Cluster, deploy: &Deployment, ns: &str, rs: &str, from: i32, to: i32) {
    let (desired, max) = (desired(deploy), desired(deploy) + max_surge(deploy));
    let resized = cluster.modify::<ReplicaSet>(ns, rs, |r| {
        r.spec.replicas = Some(to);
        set_replicas_annotations(&mut r.metadata.annotations, desired, max);
    });
    if resized {
        let verb = if to > from { "up" } else { "down" };
        cluster.record_event(
            ns,
            &format!("deployment/{}", deploy.metadata.name),
            false,
            "ScalingReplicaSet",
            &format!("Scaled {verb} replica set {rs} from {from} to {to}"),
            "deployment-controller",
        );
    }
}

fn update_status(cluster: &mut Cluster, deploy: &Deployment) {
    let owned = owned_replicasets(cluster, deploy);
    let replicas: i32 = owned.iter().map(|rs| rs.status.replicas).sum();
    let updated: i32 = owned
        .iter()
        .filter(|rs| same_template(&rs.spec.template, &deploy.spec.template))
        .map(|rs| rs.status.replicas)
        .sum();
    let ready: i32 = owned.iter().map(|rs| rs.status.ready_replicas).sum();
    let available: i32 = owned.iter().map(|rs| rs.status.available_replicas).sum();
    let want = desired(deploy);
    let now = rfc3339(cluster.now_ms());
    let previous = deploy.status.conditions.clone();
    let condition = |type_: &str, status: &str, reason: &str, message: String| {
        let unchanged = previous
            .iter()
            .find(|c| c.type_ == type_ && c.status == status && c.reason == reason);
        Condition {
            type_: type_.into(),
            status: status.into(),
            last_transition_time: unchanged
                .map(|c| c.last_transition_time.clone())
                .unwrap_or_else(|| now.clone()),
            reason: reason.into(),
            message,
        }
    };
    let max_unavailable = scaled(
        deploy
            .spec
            .strategy
            .rolling_update
            .as_ref()
            .and_then(|r| r.max_unavailable.as_ref()),
        want,
        false,
    );
    let available_condition = if available >= want - max_unavailable {
        condition(
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".into(),
        )
    } else {
        condition(
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".into(),
        )
    };
    let new_rs_name = owned
        .iter()
        .find(|rs| same_template(&rs.spec.template, &deploy.spec.template))
        .map(|rs| rs.metadata.name.clone())
        .unwrap_or_default();
    let complete = updated == want && available == want && replicas == want;
    let progressing = if complete {
        condition(
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{new_rs_name}\" has successfully progressed."),
        )
    } else {
        condition(
            "Progressing",
            "True",
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{new_rs_name}\" is progressing."),
        )
    };
    let status = DeploymentStatus {
        observed_generation: deploy.metadata.generation,
        replicas,
        updated_replicas: updated,
        ready_replicas: ready,
        available_replicas: available,
        unavailable_replicas: (want - available).max(0),
        conditions: vec![available_condition, progressing],
    };
    let (ns, name) = (&deploy.metadata.namespace, &deploy.metadata.name);
    cluster.modify::<Deployment>(ns, name, |d| d.status = status);
}

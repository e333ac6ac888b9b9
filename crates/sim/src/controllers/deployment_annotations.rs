//! The annotations the Deployment controller keeps (pkg/controller/deployment/util
//! `deployment_util.go`): each ReplicaSet's revision, the revisions a rolled-back-to
//! ReplicaSet had before, the Deployment's size when it last scaled a ReplicaSet, the
//! Deployment's own annotations copied onto its new ReplicaSet, and the Deployment's revision.

use crate::api::{Deployment, ReplicaSet, StringMap};

/// `RevisionAnnotation`.
pub const REVISION: &str = "deployment.kubernetes.io/revision";
/// `RevisionHistoryAnnotation`: the earlier revisions of a ReplicaSet rolled back to.
const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
/// `DesiredReplicasAnnotation`.
const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
/// `MaxReplicasAnnotation`.
const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";

/// `annotationsToSkip`: what is never copied between a Deployment and its ReplicaSets (kubectl's
/// rollback uses the same list).
pub const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    REVISION_HISTORY,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    "deprecated.deployment.rollback.to",
];

/// `maxRevHistoryLengthInChars`, the deployment controller's limit on the history list.
const MAX_HISTORY_CHARS: usize = 2000;

/// A ReplicaSet's revision (`deploymentutil.Revision`), if it has a valid one.
pub fn revision(rs: &ReplicaSet) -> Option<u64> {
    rs.metadata.annotations.get(REVISION)?.parse().ok()
}

/// `SetNewReplicaSetAnnotations`: the Deployment's annotations, then `new_revision` unless the
/// ReplicaSet has a higher one (keeping the one it had in the history when rolled back to), and
/// for a ReplicaSet about to be created its size annotations. Returns whether anything changed.
pub fn set_new_replica_set_annotations(
    deploy: &Deployment,
    annotations: &mut StringMap,
    new_revision: u64,
    created: Option<(i32, i32)>,
) -> bool {
    let mut changed = copy_deployment_annotations(deploy, annotations);
    let old = annotations.get(REVISION).cloned();
    let old_revision: u64 = match old.as_deref() {
        None | Some("") => 0,
        Some(text) => match text.parse() {
            Ok(n) => n,
            // Upstream gives up on an unparsable revision.
            Err(_) => return changed,
        },
    };
    if old_revision < new_revision {
        annotations.insert(REVISION.into(), new_revision.to_string());
        changed = true;
        if let Some(old) = old.filter(|o| !o.is_empty()) {
            append_history(annotations, &old);
        }
    }
    if let Some((desired, max)) = created {
        changed |= set_replicas_annotations(annotations, desired, max);
    }
    changed
}

/// Appends `old` to the revision history, dropping the oldest entries past the length limit.
fn append_history(annotations: &mut StringMap, old: &str) {
    let history = annotations
        .get(REVISION_HISTORY)
        .cloned()
        .unwrap_or_default();
    if history.is_empty() {
        annotations.insert(REVISION_HISTORY.into(), old.to_string());
        return;
    }
    let entries: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > MAX_HISTORY_CHARS && start < entries.len() {
        total -= entries.get(start).map_or(0, |e| e.len()) + 1;
        start += 1;
    }
    if total <= MAX_HISTORY_CHARS {
        let mut kept: Vec<&str> = entries.get(start..).unwrap_or_default().to_vec();
        kept.push(old);
        annotations.insert(REVISION_HISTORY.into(), kept.join(","));
    }
}

/// `copyDeploymentAnnotationsToReplicaSet`.
fn copy_deployment_annotations(deploy: &Deployment, annotations: &mut StringMap) -> bool {
    let mut changed = false;
    for (key, value) in &deploy.metadata.annotations {
        if ANNOTATIONS_TO_SKIP.contains(&key.as_str()) || annotations.get(key) == Some(value) {
            continue;
        }
        annotations.insert(key.clone(), value.clone());
        changed = true;
    }
    changed
}

/// `SetReplicasAnnotations`: the Deployment's replicas and replicas + maxSurge.
pub fn set_replicas_annotations(annotations: &mut StringMap, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (key, value) in [(DESIRED_REPLICAS, desired), (MAX_REPLICAS, max)] {
        let value = value.to_string();
        if annotations.get(key) != Some(&value) {
            annotations.insert(key.into(), value);
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_back_to_a_replica_set_raises_its_revision_and_keeps_the_old_one() {
        let mut deploy = Deployment::default();
        deploy
            .metadata
            .annotations
            .insert("kubernetes.io/change-cause".into(), "v2".into());
        deploy
            .metadata
            .annotations
            .insert(REVISION.into(), "2".into());
        let mut rs = StringMap::default();
        assert!(set_new_replica_set_annotations(
            &deploy,
            &mut rs,
            1,
            Some((3, 4))
        ));
        assert_eq!(rs.get(REVISION).map(String::as_str), Some("1"));
        assert_eq!(rs.get(DESIRED_REPLICAS).map(String::as_str), Some("3"));
        assert_eq!(rs.get(MAX_REPLICAS).map(String::as_str), Some("4"));
        assert_eq!(
            rs.get("kubernetes.io/change-cause").map(String::as_str),
            Some("v2")
        );
        assert!(!set_new_replica_set_annotations(&deploy, &mut rs, 1, None));
        assert!(set_new_replica_set_annotations(&deploy, &mut rs, 3, None));
        assert!(set_new_replica_set_annotations(&deploy, &mut rs, 5, None));
        assert_eq!(rs.get(REVISION).map(String::as_str), Some("5"));
        assert_eq!(rs.get(REVISION_HISTORY).map(String::as_str), Some("1,3"));
    }
}

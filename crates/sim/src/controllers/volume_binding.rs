//! The scheduler's VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding):
//! what a pod's PersistentVolumeClaims say about where it can run.
//!
//! - PreFilter: a claim that does not exist, or an unbound claim of a class that binds at
//!   once, makes the pod unschedulable on every node.
//! - Filter: a bound claim's volume may be pinned to nodes by its node affinity
//!   (`node(s) had volume node affinity conflict`).
//! - Reserve/PreBind: an unbound `WaitForFirstConsumer` claim gets the chosen node in its
//!   `volume.kubernetes.io/selected-node` annotation, and the pod is bound only once the
//!   provisioner made the volume and the claim is bound.

use crate::api::{Node, NodeSelector, PersistentVolume, PersistentVolumeClaim, Pod};
use crate::cluster::Cluster;

use super::persistent_volumes::{binding_waits_for_consumer, SELECTED_NODE};

/// The reason a node is filtered out for a pinned volume.
pub(super) const NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";

/// What a pod's claims ask of its node.
#[derive(Debug, Default)]
pub(super) struct PodVolumes {
    /// The node affinities of the volumes bound to its claims.
    pinned: Vec<NodeSelector>,
    /// Claims that wait for this pod's node to be chosen.
    pub delayed: Vec<String>,
    /// A claim already has a node chosen and waits for its volume: the pod waits too.
    pub provisioning: bool,
}

impl PodVolumes {
    /// Whether every volume the pod needs can be reached from the node named `node`.
    pub(super) fn reachable_from_node(&self, cluster: &Cluster, node: &str) -> bool {
        if self.pinned.is_empty() {
            return true;
        }
        let Some(node) = cluster.store.get::<Node>("", node) else {
            return false;
        };
        self.pinned
            .iter()
            .all(|s| s.matches(&node.metadata.name, &node.metadata.labels))
    }
}

/// The pod's claims, or the PreFilter message that makes it unschedulable everywhere.
pub(super) fn pod_volumes(cluster: &Cluster, pod: &Pod) -> Result<PodVolumes, String> {
    let mut needs = PodVolumes::default();
    for source in pod.spec.claims() {
        let ns = &pod.metadata.namespace;
        let Some(claim) = cluster
            .store
            .get::<PersistentVolumeClaim>(ns, &source.claim_name)
        else {
            return Err(format!(
                "persistentvolumeclaim \"{}\" not found",
                source.claim_name
            ));
        };
        if claim.metadata.deletion_timestamp.is_some() {
            return Err(format!(
                "persistentvolumeclaim \"{}\" is being deleted",
                source.claim_name
            ));
        }
        if claim.status.phase == "Bound" {
            let pv = cluster
                .store
                .get::<PersistentVolume>("", &claim.spec.volume_name);
            if let Some(required) = pv
                .and_then(|v| v.spec.node_affinity.as_ref())
                .and_then(|a| a.required.clone())
            {
                needs.pinned.push(required);
            }
        } else if binding_waits_for_consumer(cluster, claim) {
            if claim.metadata.annotations.contains_key(SELECTED_NODE) {
                needs.provisioning = true;
            } else {
                needs.delayed.push(claim.metadata.name.clone());
            }
        } else {
            return Err("pod has unbound immediate PersistentVolumeClaims".to_string());
        }
    }
    Ok(needs)
}

/// Reserve: writes the chosen node into each delayed claim, for the provisioner.
pub(super) fn select_node(cluster: &mut Cluster, pod: &Pod, claims: &[String], node: &str) {
    for claim in claims {
        cluster.modify::<PersistentVolumeClaim>(&pod.metadata.namespace, claim, |c| {
            c.metadata
                .annotations
                .insert(SELECTED_NODE.to_string(), node.to_string());
        });
    }
}

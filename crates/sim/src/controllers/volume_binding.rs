//! The scheduler's VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding):
//! what a pod's PersistentVolumeClaims say about where it can run.
//!
//! - PreFilter: a claim that does not exist, or an unbound claim of a class that binds at
//!   once, makes the pod unschedulable on every node.
//! - Filter: a bound claim's volume may be pinned to nodes by its node affinity
//!   (`node(s) had volume node affinity conflict`); an unbound `WaitForFirstConsumer` claim
//!   needs an Available volume the node can reach or a class that provisions
//!   (`node(s) didn't find available persistent volumes to bind`; binder.go
//!   `FindPodVolumes`, `findMatchingVolumes`: the smallest claims first, each taking the
//!   smallest free volume that fits).
//! - Reserve/PreBind: such a claim gets the volume found for the chosen node reserved for it,
//!   or else the chosen node in its `volume.kubernetes.io/selected-node` annotation for the
//!   provisioner; the pod is bound only once the claim is.

use crate::api::{Node, NodeSelector, PersistentVolume, PersistentVolumeClaim, Pod, Quantity};
use crate::cluster::Cluster;

use super::persistent_volumes::{
    binding_waits_for_consumer, claim_class, reserve_volume, volume_reserved, volumes_for,
    SELECTED_NODE,
};

/// The reason a node is filtered out for a pinned volume.
pub(super) const NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
/// The reason a node is filtered out when a claim finds no volume there and cannot have one
/// made.
pub(super) const BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
/// A class whose volumes are all made by hand (`NotSupportedProvisioner`).
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// What a pod's claims ask of its node.
#[derive(Debug, Default)]
pub(super) struct PodVolumes {
    /// The node affinities of the volumes bound to its claims.
    pinned: Vec<NodeSelector>,
    /// Claims that wait for this pod's node to be chosen.
    delayed: Vec<DelayedClaim>,
    /// A claim already has a node chosen or a volume reserved and waits for its binding:
    /// the pod waits too.
    pub provisioning: bool,
}

/// An unbound `WaitForFirstConsumer` claim.
#[derive(Debug)]
struct DelayedClaim {
    claim: PersistentVolumeClaim,
    requested: i128,
    /// The volumes it could bind to, smallest first: name and node affinity.
    volumes: Vec<(String, Option<NodeSelector>)>,
    /// Whether its class can make a volume instead.
    provisions: bool,
}

impl PodVolumes {
    /// Whether the pod waits for a node to be chosen for some claim.
    pub(super) fn has_delayed(&self) -> bool {
        !self.delayed.is_empty()
    }

    /// Why the node named `node` cannot hold the pod's volumes (none when it can).
    pub(super) fn conflicts(&self, cluster: &Cluster, node: &str) -> Vec<&'static str> {
        if self.pinned.is_empty() && self.delayed.is_empty() {
            return Vec::new();
        }
        let Some(node) = cluster.store.get::<Node>("", node) else {
            return vec![NODE_CONFLICT];
        };
        let mut reasons = Vec::new();
        if !self
            .pinned
            .iter()
            .all(|s| s.matches(&node.metadata.name, &node.metadata.labels))
        {
            reasons.push(NODE_CONFLICT);
        }
        if self.volumes_on(node).is_none() {
            reasons.push(BIND_CONFLICT);
        }
        reasons
    }

    /// Per delayed claim, the volume it takes on `node` (None: one is provisioned), or None
    /// when some claim has neither.
    fn volumes_on(&self, node: &Node) -> Option<Vec<(&PersistentVolumeClaim, Option<&str>)>> {
        let mut claims: Vec<&DelayedClaim> = self.delayed.iter().collect();
        claims.sort_by_key(|c| c.requested);
        let mut taken: Vec<&str> = Vec::new();
        let mut chosen = Vec::new();
        for c in claims {
            let reachable = |affinity: &Option<NodeSelector>| {
                affinity
                    .as_ref()
                    .is_none_or(|a| a.matches(&node.metadata.name, &node.metadata.labels))
            };
            let volume = c
                .volumes
                .iter()
                .find(|(name, affinity)| !taken.contains(&name.as_str()) && reachable(affinity))
                .map(|(name, _)| name.as_str());
            match volume {
                Some(name) => taken.push(name),
                None if c.provisions => {}
                None => return None,
            }
            chosen.push((&c.claim, volume));
        }
        Some(chosen)
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
            if let Some(required) = pv.and_then(node_affinity) {
                needs.pinned.push(required);
            }
        } else if binding_waits_for_consumer(cluster, claim) {
            if claim.metadata.annotations.contains_key(SELECTED_NODE)
                || volume_reserved(cluster, claim)
            {
                needs.provisioning = true;
            } else {
                let volumes = volumes_for(cluster, claim)
                    .into_iter()
                    .map(|pv| (pv.metadata.name.clone(), node_affinity(pv)))
                    .collect();
                let provisions =
                    claim_class(cluster, claim).is_some_and(|c| c.provisioner != NO_PROVISIONER);
                needs.delayed.push(DelayedClaim {
                    claim: claim.clone(),
                    requested: claim.requested_storage().map_or(0, Quantity::value),
                    volumes,
                    provisions,
                });
            }
        } else {
            return Err("pod has unbound immediate PersistentVolumeClaims".to_string());
        }
    }
    Ok(needs)
}

/// The nodes a volume can be reached from, if it says.
fn node_affinity(pv: &PersistentVolume) -> Option<NodeSelector> {
    pv.spec.node_affinity.as_ref()?.required.clone()
}

/// Reserve/PreBind on the chosen node: each delayed claim gets the volume found there
/// reserved for it, or the node written into it for the provisioner.
pub(super) fn select_node(cluster: &mut Cluster, volumes: &PodVolumes, node: &str) {
    let Some(on_node) = cluster.store.get::<Node>("", node) else {
        return;
    };
    let chosen: Vec<(PersistentVolumeClaim, Option<String>)> = volumes
        .volumes_on(on_node)
        .unwrap_or_default()
        .into_iter()
        .map(|(claim, pv)| (claim.clone(), pv.map(str::to_string)))
        .collect();
    for (claim, pv) in chosen {
        match pv {
            Some(pv) => reserve_volume(cluster, &claim, &pv),
            None => {
                let (ns, name) = (&claim.metadata.namespace, &claim.metadata.name);
                cluster.modify::<PersistentVolumeClaim>(ns, name, |c| {
                    c.metadata
                        .annotations
                        .insert(SELECTED_NODE.to_string(), node.to_string());
                });
            }
        }
    }
}

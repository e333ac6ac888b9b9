//! Claims and volumes on kind: the PV controller (pkg/controller/volume/persistentvolume
//! `pv_controller.go`: syncUnboundClaim, syncVolume) and rancher's local-path provisioner
//! (provisioner.go `Provision`/`Delete`, driven by sig-storage-lib-external-provisioner).
//!
//! - A claim of a `WaitForFirstConsumer` class waits, with a `WaitForFirstConsumer` event
//!   (`WaitForPodScheduled` while a pod using it cannot be scheduled), until the scheduler
//!   picks a node for the first pod that uses it and writes that node into the claim's
//!   `volume.kubernetes.io/selected-node` annotation.
//! - The claim then gets the provisioner's annotations and `ExternalProvisioning` event; the
//!   local-path provisioner makes `pvc-<claim uid>`, a `hostPath` directory under
//!   `/var/local-path-provisioner` pinned to that node by node affinity (`Provisioning`,
//!   `ProvisioningSucceeded`), and the controller binds the two.
//! - A claim that names a volume, or whose class binds at once, is bound to an Available
//!   volume of its class that is large enough and has its access modes (the smallest such,
//!   as `findBestMatchForClaim` picks).
//! - When a bound claim is deleted its volume is Released; with reclaim policy `Delete` the
//!   provisioner removes it and its files.
//!
//! - A claim deleted while a scheduled pod still mounts it stays Terminating until no such pod
//!   is left (the `kubernetes.io/pvc-protection` finalizer and the pvc-protection controller,
//!   pkg/controller/volume/pvcprotection `podUsesPVC`).
//!
//! - A volume deleted while Bound stays Terminating until its claim lets it go (the
//!   `kubernetes.io/pv-protection` finalizer, pkg/controller/volume/pvprotection).
//!
//! - A `WaitForFirstConsumer` claim binds to a volume made by hand when the scheduler finds
//!   one its pod's node can reach (see `volume_binding`), else it is provisioned.
//!
//! Not simulated: the provisioner's helper pods, resizing, volume modes, and a `local`
//! volume's path having to exist on its node (the lab's nodes have no file system to make it
//! in; the kubelet mounts it as it is).

use crate::api::{
    ClaimReference, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PersistentVolume,
    PersistentVolumeClaim, Pod, Quantity, StorageClass, VolumeNodeAffinity,
};
use crate::apiserver::admission::Admit;
use crate::cluster::{rfc3339, Cluster};

/// The scheduler's choice of node for a `WaitForFirstConsumer` claim.
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// The node local-path made a volume on, on the volume.
const LOCAL_PATH_NODE: &str = "local.path.provisioner/selected-node";
/// kind's provisioner.
pub const LOCAL_PATH_PROVISIONER: &str = "rancher.io/local-path";
/// Where local-path makes its directories (kind's `local-path-config` nodePathMap).
const LOCAL_PATH_ROOT: &str = "/var/local-path-provisioner";
/// The PV controller's event source.
const PV_CONTROLLER: &str = "persistentvolume-controller";

pub(super) fn reconcile(cluster: &mut Cluster) {
    collect_orphaned_claims(cluster);
    // The protection finalizers: a Terminating claim or volume is deleted again each round
    // and goes once nothing holds it.
    let deleting: Vec<(String, String)> = cluster
        .store
        .list::<PersistentVolumeClaim>(None)
        .filter(|c| c.metadata.deletion_timestamp.is_some())
        .map(|c| (c.metadata.namespace.clone(), c.metadata.name.clone()))
        .collect();
    for (ns, name) in deleting {
        delete_claim(cluster, &ns, &name);
    }
    let releasing: Vec<String> = cluster
        .store
        .list::<PersistentVolume>(None)
        .filter(|v| v.metadata.deletion_timestamp.is_some())
        .map(|v| v.metadata.name.clone())
        .collect();
    for name in releasing {
        delete_volume(cluster, &name);
    }
    let pending: Vec<(String, String)> = cluster
        .store
        .list::<PersistentVolumeClaim>(None)
        .filter(|c| c.status.phase != "Bound" && c.metadata.deletion_timestamp.is_none())
        .map(|c| (c.metadata.namespace.clone(), c.metadata.name.clone()))
        .collect();
    for (ns, name) in pending {
        if let Some(claim) = cluster
            .store
            .get::<PersistentVolumeClaim>(&ns, &name)
            .cloned()
        {
            sync_unbound_claim(cluster, &claim);
        }
    }
    let volumes: Vec<String> = cluster
        .store
        .list::<PersistentVolume>(None)
        .map(|v| v.metadata.name.clone())
        .collect();
    for name in volumes {
        if let Some(pv) = cluster.store.get::<PersistentVolume>("", &name).cloned() {
            sync_volume(cluster, &pv);
        }
    }
}

/// The garbage collector's part for claims: a claim whose controller owner (its StatefulSet,
/// or the scaled-down pod the retention policy gave it to) is gone is deleted.
fn collect_orphaned_claims(cluster: &mut Cluster) {
    let orphans: Vec<(String, String)> = cluster
        .store
        .list::<PersistentVolumeClaim>(None)
        .filter(|c| c.metadata.deletion_timestamp.is_none())
        .filter(|c| {
            c.metadata.controller_ref().is_some_and(|owner| {
                let ns = c.metadata.namespace.as_str();
                match owner.kind.as_str() {
                    "Pod" => !cluster
                        .store
                        .list::<Pod>(Some(ns))
                        .any(|p| p.metadata.uid == owner.uid),
                    "StatefulSet" => !cluster.store.tracker().owner_stored(
                        ns,
                        &owner.uid,
                        crate::api::ResourceKind::StatefulSet,
                    ),
                    _ => false,
                }
            })
        })
        .map(|c| (c.metadata.namespace.clone(), c.metadata.name.clone()))
        .collect();
    for (ns, name) in orphans {
        delete_claim(cluster, &ns, &name);
    }
}

/// `DELETE` of a claim: gone at once, or Terminating while a scheduled pod mounts it.
pub fn delete_claim(cluster: &mut Cluster, namespace: &str, name: &str) {
    if !in_use(cluster, namespace, name) {
        cluster
            .store
            .remove::<PersistentVolumeClaim>(namespace, name);
        cluster.store.next_resource_version();
        return;
    }
    let now = rfc3339(cluster.now_ms());
    cluster.modify::<PersistentVolumeClaim>(namespace, name, |c| {
        c.metadata.deletion_timestamp.get_or_insert(now);
    });
}

/// `DELETE` of a volume: gone at once, or Terminating while it is Bound (pvprotection's
/// `isBeingUsed`).
pub fn delete_volume(cluster: &mut Cluster, name: &str) {
    let bound = cluster
        .store
        .get::<PersistentVolume>("", name)
        .is_some_and(|v| v.status.phase == "Bound");
    if !bound {
        remove_volume(cluster, name);
        return;
    }
    let now = rfc3339(cluster.now_ms());
    cluster.modify::<PersistentVolume>("", name, |v| {
        v.metadata.deletion_timestamp.get_or_insert(now);
    });
}

/// A volume and its files leave the cluster.
fn remove_volume(cluster: &mut Cluster, name: &str) {
    cluster.store.remove::<PersistentVolume>("", name);
    cluster.store.next_resource_version();
    cluster.volume_files.remove(name);
}

/// `podUsesPVC`: a pod bound to a node mounts the claim (an unscheduled pod does not hold it).
fn in_use(cluster: &Cluster, namespace: &str, claim: &str) -> bool {
    cluster
        .store
        .list::<Pod>(Some(namespace))
        .any(|p| !p.spec.node_name.is_empty() && p.spec.mounts_claim(claim))
}

/// The class a claim asks for, if it names one that exists.
pub fn claim_class<'a>(
    cluster: &'a Cluster,
    claim: &PersistentVolumeClaim,
) -> Option<&'a StorageClass> {
    let name = claim.spec.storage_class_name.as_deref().unwrap_or("");
    (!name.is_empty())
        .then(|| cluster.store.get::<StorageClass>("", name))
        .flatten()
}

/// Whether binding `claim` waits for a pod to be scheduled (its class is
/// `WaitForFirstConsumer` and it names no volume).
pub fn binding_waits_for_consumer(cluster: &Cluster, claim: &PersistentVolumeClaim) -> bool {
    claim.spec.volume_name.is_empty()
        && claim_class(cluster, claim).is_some_and(StorageClass::waits_for_first_consumer)
}

fn sync_unbound_claim(cluster: &mut Cluster, claim: &PersistentVolumeClaim) {
    let object = format!("persistentvolumeclaim/{}", claim.metadata.name);
    if let Some(pv) = matching_volume(cluster, claim) {
        bind(cluster, claim, &pv);
        return;
    }
    if !claim.spec.volume_name.is_empty() {
        // Waiting for the named volume to appear (or to be freed).
        return;
    }
    let class_name = claim.spec.storage_class_name.clone().unwrap_or_default();
    let Some(class) = claim_class(cluster, claim).cloned() else {
        let (reason, message) = if class_name.is_empty() {
            (
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set"
                    .to_string(),
            )
        } else {
            (
                "ProvisioningFailed",
                format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            )
        };
        note_once(
            cluster,
            claim,
            &object,
            true,
            reason,
            &message,
            PV_CONTROLLER,
        );
        return;
    };
    let selected = claim.metadata.annotations.get(SELECTED_NODE).cloned();
    if class.waits_for_first_consumer() && selected.is_none() {
        let (reason, message) = waiting_for(cluster, claim);
        note_once(
            cluster,
            claim,
            &object,
            false,
            reason,
            &message,
            PV_CONTROLLER,
        );
        return;
    }
    provision(cluster, claim, &class, selected.as_deref());
}

/// What a `WaitForFirstConsumer` claim waits for (`emitEventForUnboundDelayBindingClaim`):
/// its pods that are not scheduled and not terminated (`findNonScheduledPodsByPVC`, in store
/// order where the informer's is arbitrary), or a first pod. The controller syncs a claim
/// when it is written and every 15 s after, so a pod the scheduler places at once (a
/// StatefulSet's, made just after its claim) is never seen unscheduled: only pods the
/// scheduler found no node for count.
fn waiting_for(cluster: &Cluster, claim: &PersistentVolumeClaim) -> (&'static str, String) {
    let unschedulable = |p: &Pod| {
        p.spec.node_name.is_empty()
            && p.status
                .conditions
                .iter()
                .any(|c| c.type_ == "PodScheduled" && c.status == "False")
    };
    let unscheduled: Vec<&str> = cluster
        .store
        .list::<Pod>(Some(&claim.metadata.namespace))
        .filter(|p| p.spec.mounts_claim(&claim.metadata.name) && unschedulable(p))
        .filter(|p| !matches!(p.status.phase.as_str(), "Succeeded" | "Failed"))
        .map(|p| p.metadata.name.as_str())
        .collect();
    match unscheduled.as_slice() {
        [] => (
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding".into(),
        ),
        [pod] => (
            "WaitForPodScheduled",
            format!("waiting for pod {pod} to be scheduled"),
        ),
        pods => (
            "WaitForPodScheduled",
            format!("waiting for pods {} to be scheduled", pods.join(",")),
        ),
    }
}

/// Records an event about a claim unless the same one was recorded already: the controller
/// syncs claims often, the lab's loop far more often, and the count would say so.
fn note_once(
    cluster: &mut Cluster,
    claim: &PersistentVolumeClaim,
    object: &str,
    warning: bool,
    reason: &str,
    message: &str,
    source: &str,
) {
    let ns = &claim.metadata.namespace;
    let seen = cluster
        .events
        .about(ns, object)
        .any(|e| e.reason == reason && e.message == message);
    if !seen {
        cluster.record_event(ns, object, warning, reason, message, source);
    }
}

/// The Available volume `claim` binds to: the one it names, else the smallest of its class
/// that is large enough, has its access modes and matches its selector. A claim of a
/// `WaitForFirstConsumer` class binds only to a volume the scheduler bound to it
/// (`findMatchingVolume` skips the others when binding is delayed).
fn matching_volume(cluster: &Cluster, claim: &PersistentVolumeClaim) -> Option<PersistentVolume> {
    if !claim.spec.volume_name.is_empty() {
        return cluster
            .store
            .get::<PersistentVolume>("", &claim.spec.volume_name)
            .filter(|pv| reserved_for(pv, claim))
            .cloned();
    }
    let mut candidates = volumes_for(cluster, claim).into_iter();
    if binding_waits_for_consumer(cluster, claim) {
        return candidates.find(|pv| pv.spec.claim_ref.is_some()).cloned();
    }
    candidates.next().cloned()
}

/// Whether a volume is free for `claim`: no claimRef, or one naming it.
fn reserved_for(pv: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    pv.spec.claim_ref.as_ref().is_none_or(|r| {
        r.namespace == claim.metadata.namespace
            && r.name == claim.metadata.name
            && (r.uid.is_empty() || r.uid == claim.metadata.uid)
    })
}

/// The Available volumes `claim` could bind to, smallest first: free for it, of its class,
/// with its access modes, matching its selector, large enough.
pub(super) fn volumes_for<'c>(
    cluster: &'c Cluster,
    claim: &PersistentVolumeClaim,
) -> Vec<&'c PersistentVolume> {
    let class = claim.spec.storage_class_name.as_deref().unwrap_or("");
    let wanted = claim.requested_storage().map_or(0, Quantity::value);
    let mut volumes: Vec<&PersistentVolume> = cluster
        .store
        .list::<PersistentVolume>(None)
        .filter(|pv| pv.status.phase == "Available" && reserved_for(pv, claim))
        .filter(|pv| pv.spec.storage_class_name == class)
        .filter(|pv| {
            claim
                .spec
                .access_modes
                .iter()
                .all(|m| pv.spec.access_modes.contains(m))
        })
        .filter(|pv| {
            claim
                .spec
                .selector
                .as_ref()
                .is_none_or(|s| s.matches(&pv.metadata.labels))
        })
        .filter(|pv| volume_size(pv) >= wanted)
        .collect();
    // Stable: equal sizes stay in name order.
    volumes.sort_by_key(|pv| volume_size(pv));
    volumes
}

/// The scheduler's binder reserves a volume for a `WaitForFirstConsumer` claim on the node it
/// chose (`bindAPIUpdate`: `GetBindVolumeToClaim` writes the claimRef and marks the binding
/// as the controller's); the PV controller then binds the two.
pub(super) fn reserve_volume(cluster: &mut Cluster, claim: &PersistentVolumeClaim, pv: &str) {
    let reference = claim_ref(claim);
    cluster.modify::<PersistentVolume>("", pv, |v| {
        v.spec.claim_ref = Some(reference);
        v.metadata
            .annotations
            .insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
    });
}

/// Whether the scheduler reserved a volume for `claim` that is not bound yet.
pub(super) fn volume_reserved(cluster: &Cluster, claim: &PersistentVolumeClaim) -> bool {
    cluster
        .store
        .list::<PersistentVolume>(None)
        .filter(|pv| pv.status.phase == "Available")
        .any(|pv| {
            pv.spec.claim_ref.as_ref().is_some_and(|r| {
                r.namespace == claim.metadata.namespace
                    && r.name == claim.metadata.name
                    && r.uid == claim.metadata.uid
            })
        })
}

fn volume_size(pv: &PersistentVolume) -> i128 {
    pv.spec.capacity.get("storage").map_or(0, Quantity::value)
}

/// The external provisioner's turn: annotate the claim and, for local-path with a node, make
/// the volume.
fn provision(
    cluster: &mut Cluster,
    claim: &PersistentVolumeClaim,
    class: &StorageClass,
    node: Option<&str>,
) {
    let (ns, name) = (&claim.metadata.namespace, &claim.metadata.name);
    let object = format!("persistentvolumeclaim/{name}");
    let provisioner = class.provisioner.clone();
    cluster.modify::<PersistentVolumeClaim>(ns, name, |c| {
        for key in [
            "volume.beta.kubernetes.io/storage-provisioner",
            "volume.kubernetes.io/storage-provisioner",
        ] {
            c.metadata
                .annotations
                .insert(key.to_string(), provisioner.clone());
        }
    });
    let waiting = format!(
        "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
    );
    note_once(
        cluster,
        claim,
        &object,
        false,
        "ExternalProvisioning",
        &waiting,
        PV_CONTROLLER,
    );
    if provisioner != LOCAL_PATH_PROVISIONER {
        return;
    }
    let source = provisioner_identity(cluster);
    let Some(node) = node else {
        let message = format!(
            "failed to provision volume with StorageClass \"{}\": configuration error, no node was specified",
            class.metadata.name
        );
        note_once(
            cluster,
            claim,
            &object,
            true,
            "ProvisioningFailed",
            &message,
            &source,
        );
        return;
    };
    let message = format!("External provisioner is provisioning volume for claim \"{ns}/{name}\"");
    cluster.record_event(ns, &object, false, "Provisioning", &message, &source);
    let pv = local_path_volume(cluster, claim, class, node);
    let pv_name = pv.metadata.name.clone();
    cluster.store.put(pv.clone());
    let message = format!("Successfully provisioned volume {pv_name}");
    cluster.record_event(
        ns,
        &object,
        false,
        "ProvisioningSucceeded",
        &message,
        &source,
    );
    bind(cluster, claim, &pv);
}

/// The provisioner's event source: `<provisioner>_<pod>_<identity>` (the library's
/// `Provisioner` name with the leader's identity).
fn provisioner_identity(cluster: &Cluster) -> String {
    let pod = cluster
        .store
        .list::<Pod>(Some("local-path-storage"))
        .find(|p| p.metadata.name.starts_with("local-path-provisioner-"));
    match pod {
        Some(p) => format!(
            "{LOCAL_PATH_PROVISIONER}_{}_{}",
            p.metadata.name, p.metadata.uid
        ),
        None => LOCAL_PATH_PROVISIONER.to_string(),
    }
}

/// A file of a local-path volume as the node sees it, at
/// `/var/local-path-provisioner/pvc-<uid>_<ns>_<claim>/<path>` on the volume's node.
pub fn node_volume_file<'a>(
    cluster: &'a Cluster,
    node: &str,
    path: &str,
) -> Option<&'a crate::network::nginx::File> {
    cluster.store.list::<PersistentVolume>(None).find_map(|pv| {
        let dir = pv.spec.host_path.as_ref()?.path.trim_end_matches('/');
        let relative = path.strip_prefix(dir)?.strip_prefix('/')?;
        let pinned = pv
            .metadata
            .annotations
            .get(LOCAL_PATH_NODE)
            .is_some_and(|n| n == node);
        pinned
            .then(|| cluster.volume_files.get(&pv.metadata.name)?.get(relative))
            .flatten()
    })
}

/// The volume local-path makes for `claim` on `node` (provisioner.go `provisionFor`).
fn local_path_volume(
    cluster: &mut Cluster,
    claim: &PersistentVolumeClaim,
    class: &StorageClass,
    node: &str,
) -> PersistentVolume {
    let name = format!("pvc-{}", claim.metadata.uid);
    let folder = format!(
        "{name}_{}_{}",
        claim.metadata.namespace, claim.metadata.name
    );
    let mut pv = PersistentVolume::default();
    pv.metadata.name = name;
    pv.metadata
        .annotations
        .insert(LOCAL_PATH_NODE.to_string(), node.to_string());
    pv.metadata.annotations.insert(
        "pv.kubernetes.io/provisioned-by".to_string(),
        LOCAL_PATH_PROVISIONER.to_string(),
    );
    // Created through the API: admission adds the protection finalizer.
    pv.admit_with(&cluster.store);
    cluster.stamp_new_keyed("PersistentVolume", &mut pv.metadata);
    let spec = &mut pv.spec;
    spec.access_modes = claim.spec.access_modes.clone();
    if let Some(size) = claim.requested_storage() {
        spec.capacity.insert("storage".to_string(), *size);
    }
    spec.host_path = Some(crate::api::HostPathVolumeSource {
        path: format!("{LOCAL_PATH_ROOT}/{folder}"),
        type_: Some("DirectoryOrCreate".to_string()),
    });
    spec.node_affinity = Some(VolumeNodeAffinity {
        required: Some(NodeSelector {
            node_selector_terms: vec![NodeSelectorTerm {
                match_expressions: vec![NodeSelectorRequirement {
                    key: "kubernetes.io/hostname".to_string(),
                    operator: "In".to_string(),
                    values: vec![node.to_string()],
                }],
                ..Default::default()
            }],
        }),
    });
    spec.persistent_volume_reclaim_policy = class
        .reclaim_policy
        .clone()
        .unwrap_or_else(|| "Delete".to_string());
    spec.storage_class_name = class.metadata.name.clone();
    // provisioner.go always makes a Filesystem volume.
    spec.volume_mode = Some("Filesystem".to_string());
    spec.claim_ref = Some(claim_ref(claim));
    pv.status.phase = "Pending".to_string();
    pv
}

fn claim_ref(claim: &PersistentVolumeClaim) -> ClaimReference {
    ClaimReference {
        kind: "PersistentVolumeClaim".to_string(),
        namespace: claim.metadata.namespace.clone(),
        name: claim.metadata.name.clone(),
        uid: claim.metadata.uid.clone(),
        api_version: "v1".to_string(),
        resource_version: claim.metadata.resource_version.clone(),
    }
}

/// `bind`: the volume's claimRef and phase, then the claim's volumeName, annotations and
/// status (pv_controller.go bindVolumeToClaim, bindClaimToVolume, updateClaimStatus).
fn bind(cluster: &mut Cluster, claim: &PersistentVolumeClaim, pv: &PersistentVolume) {
    let now = rfc3339(cluster.now_ms());
    let reference = claim_ref(claim);
    let pv_name = pv.metadata.name.clone();
    cluster.modify::<PersistentVolume>("", &pv_name, |v| {
        if v.spec.claim_ref.as_ref().is_none_or(|r| r.uid.is_empty()) {
            v.spec.claim_ref = Some(reference);
            v.metadata
                .annotations
                .insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
        }
        set_phase(v, "Bound", now);
    });
    let by_controller = claim.spec.volume_name.is_empty();
    let (modes, capacity) = (pv.spec.access_modes.clone(), pv.spec.capacity.clone());
    let (ns, name) = (&claim.metadata.namespace, &claim.metadata.name);
    cluster.modify::<PersistentVolumeClaim>(ns, name, |c| {
        c.spec.volume_name = pv_name;
        let notes = &mut c.metadata.annotations;
        notes.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
        if by_controller {
            notes.insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
        }
        c.status.phase = "Bound".to_string();
        c.status.access_modes = modes;
        c.status.capacity = capacity;
    });
}

/// `syncVolume`: a new volume becomes Available; a bound one whose claim is gone is Released,
/// and deleted with its files when its policy says so.
fn sync_volume(cluster: &mut Cluster, pv: &PersistentVolume) {
    let name = pv.metadata.name.clone();
    let now = rfc3339(cluster.now_ms());
    let Some(reference) = &pv.spec.claim_ref else {
        cluster.modify::<PersistentVolume>("", &name, |v| set_phase(v, "Available", now));
        return;
    };
    let claim_alive = cluster
        .store
        .get::<PersistentVolumeClaim>(&reference.namespace, &reference.name)
        .is_some_and(|c| reference.uid.is_empty() || c.metadata.uid == reference.uid);
    if claim_alive || reference.uid.is_empty() {
        return;
    }
    if pv.spec.persistent_volume_reclaim_policy == "Delete" {
        remove_volume(cluster, &name);
        return;
    }
    cluster.modify::<PersistentVolume>("", &name, |v| set_phase(v, "Released", now));
}

/// A volume's phase, with the time it changed (left alone when it is the phase already).
fn set_phase(pv: &mut PersistentVolume, phase: &str, now: String) {
    if pv.status.phase != phase {
        pv.status.phase = phase.to_string();
        pv.status.last_phase_transition_time = Some(now);
    }
}

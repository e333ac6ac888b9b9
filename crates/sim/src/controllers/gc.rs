//! The garbage collector (pkg/controller/garbagecollector), for the owners the lab stores:
//! an object whose controller owner is gone is deleted in the background, as
//! `kubectl delete` (propagationPolicy Background) leaves it to do.

use crate::api::{ControllerRevision, EndpointSlice, Namespace, Pod, ReplicaSet, ResourceKind};
use crate::cluster::{Cluster, Resource};

use super::kubelet::delete_pod;

/// Whether an owner of this kind and uid exists in the namespace. Owners of kinds the lab
/// does not store (Node) are taken to exist.
fn owner_exists(cluster: &Cluster, namespace: &str, kind: &str, uid: &str) -> bool {
    let kind = match kind {
        "ReplicaSet" => ResourceKind::ReplicaSet,
        "Deployment" => ResourceKind::Deployment,
        "DaemonSet" => ResourceKind::DaemonSet,
        "StatefulSet" => ResourceKind::StatefulSet,
        "Service" => ResourceKind::Service,
        _ => return true,
    };
    cluster.store.tracker().owner_stored(namespace, uid, kind)
}

/// Whether the object's controller owner is gone.
fn orphaned(cluster: &Cluster, meta: &crate::api::ObjectMeta) -> bool {
    meta.controller_ref()
        .is_some_and(|r| !owner_exists(cluster, &meta.namespace, &r.kind, &r.uid))
}

/// Looks only at the objects the store marked (written, or their owner went): an object
/// becomes orphaned only by one of the two.
pub(super) fn reconcile(cluster: &mut Cluster) {
    let candidates = std::mem::take(&mut cluster.store.tracker_mut().gc_pods);
    let orphaned_pods: Vec<(String, String)> = candidates
        .into_iter()
        .filter(|(ns, name)| {
            cluster.store.get::<Pod>(ns, name).is_some_and(|p| {
                p.metadata.deletion_timestamp.is_none() && orphaned(cluster, &p.metadata)
            })
        })
        .collect();
    for (ns, name) in orphaned_pods {
        delete_pod(cluster, &ns, &name);
    }
    let replicasets = std::mem::take(&mut cluster.store.tracker_mut().gc_replicasets);
    remove_orphans::<ReplicaSet>(cluster, ResourceKind::ReplicaSet, replicasets);
    let revisions = std::mem::take(&mut cluster.store.tracker_mut().gc_revisions);
    remove_orphans::<ControllerRevision>(cluster, ResourceKind::ControllerRevision, revisions);
    let slices = std::mem::take(&mut cluster.store.tracker_mut().gc_slices);
    remove_orphans::<EndpointSlice>(cluster, ResourceKind::EndpointSlice, slices);
    finish_terminating_namespaces(cluster);
}

/// The namespace controller (pkg/controller/namespace): a Terminating namespace's contents are
/// deleted, and the namespace goes once nothing is left in it.
fn finish_terminating_namespaces(cluster: &mut Cluster) {
    let terminating: Vec<String> = cluster
        .store
        .list::<Namespace>(None)
        .filter(|ns| ns.status.phase == "Terminating")
        .map(|ns| ns.metadata.name.clone())
        .collect();
    for ns in terminating {
        let pods: Vec<String> = cluster
            .store
            .list::<Pod>(Some(&ns))
            .map(|p| p.metadata.name.clone())
            .collect();
        for pod in &pods {
            delete_pod(cluster, &ns, pod);
        }
        for key in cluster
            .store
            .keys_of(ResourceKind::PersistentVolumeClaim, Some(&ns))
        {
            super::persistent_volumes::delete_claim(cluster, &ns, &key.1);
        }
        for kind in [
            ResourceKind::Deployment,
            ResourceKind::DaemonSet,
            ResourceKind::StatefulSet,
            ResourceKind::ControllerRevision,
            ResourceKind::ReplicaSet,
            ResourceKind::ConfigMap,
            ResourceKind::Secret,
            ResourceKind::Service,
            ResourceKind::Endpoints,
            ResourceKind::EndpointSlice,
        ] {
            for key in cluster.store.keys_of(kind, Some(&ns)) {
                if let Some(crate::api::Object::Service(svc)) =
                    cluster.store.remove_object(kind, &key)
                {
                    if let Ok(ip) = svc.spec.cluster_ip.parse() {
                        cluster.cluster_ips.release(ip);
                    }
                    for port in svc.spec.ports.iter().filter_map(|p| p.node_port) {
                        cluster.node_ports.release(port);
                    }
                }
                cluster.store.next_resource_version();
            }
        }
        let empty = cluster.store.list::<Pod>(Some(&ns)).next().is_none()
            && cluster
                .store
                .keys_of(ResourceKind::PersistentVolumeClaim, Some(&ns))
                .is_empty();
        if empty {
            cluster.store.remove::<Namespace>("", &ns);
            cluster.store.next_resource_version();
        }
    }
}

fn remove_orphans<T: Resource>(
    cluster: &mut Cluster,
    kind: ResourceKind,
    candidates: std::collections::BTreeSet<(String, String)>,
) {
    let orphans: Vec<(String, String)> = candidates
        .into_iter()
        .filter(|(ns, name)| {
            cluster
                .store
                .get::<T>(ns, name)
                .is_some_and(|o| orphaned(cluster, o.meta()))
        })
        .collect();
    for key in orphans {
        cluster.store.remove_object(kind, &key);
        cluster.store.next_resource_version();
    }
}

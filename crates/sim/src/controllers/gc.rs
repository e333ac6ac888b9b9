//! The garbage collector (pkg/controller/garbagecollector), for the owners the lab stores:
//! an object whose controller owner is gone is deleted in the background, as
//! `kubectl delete` (propagationPolicy Background) leaves it to do.

use crate::api::{Deployment, EndpointSlice, Namespace, Pod, ReplicaSet, ResourceKind, Service};
use crate::cluster::{Cluster, Resource};

use super::kubelet::delete_pod;

/// Whether an owner of this kind and uid exists in the namespace. Owners of kinds the lab
/// does not store (DaemonSet, Node) are taken to exist.
fn owner_exists(cluster: &Cluster, namespace: &str, kind: &str, uid: &str) -> bool {
    fn has<T: Resource>(cluster: &Cluster, namespace: &str, uid: &str) -> bool {
        cluster
            .store
            .list::<T>(Some(namespace))
            .any(|o| o.meta().uid == uid)
    }
    match kind {
        "ReplicaSet" => has::<ReplicaSet>(cluster, namespace, uid),
        "Deployment" => has::<Deployment>(cluster, namespace, uid),
        "Service" => has::<Service>(cluster, namespace, uid),
        _ => true,
    }
}

pub(super) fn reconcile(cluster: &mut Cluster) {
    let orphaned_pods: Vec<(String, String)> = cluster
        .store
        .list::<Pod>(None)
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|r| !owner_exists(cluster, &p.metadata.namespace, &r.kind, &r.uid))
        })
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in orphaned_pods {
        delete_pod(cluster, &ns, &name);
    }
    remove_orphans::<ReplicaSet>(cluster, ResourceKind::ReplicaSet);
    remove_orphans::<EndpointSlice>(cluster, ResourceKind::EndpointSlice);
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
        for kind in [
            ResourceKind::Deployment,
            ResourceKind::ReplicaSet,
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
        if cluster.store.list::<Pod>(Some(&ns)).next().is_none() {
            cluster.store.remove::<Namespace>("", &ns);
            cluster.store.next_resource_version();
        }
    }
}

fn remove_orphans<T: Resource>(cluster: &mut Cluster, kind: ResourceKind) {
    let orphans: Vec<(String, String)> = cluster
        .store
        .list::<T>(None)
        .filter(|o| {
            o.meta()
                .controller_ref()
                .is_some_and(|r| !owner_exists(cluster, &o.meta().namespace, &r.kind, &r.uid))
        })
        .map(|o| (o.meta().namespace.clone(), o.meta().name.clone()))
        .collect();
    for key in orphans {
        cluster.store.remove_object(kind, &key);
        cluster.store.next_resource_version();
    }
}

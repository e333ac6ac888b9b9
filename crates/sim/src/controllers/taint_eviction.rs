//! The taint eviction controller (pkg/controller/tainteviction) for NoExecute taints someone put
//! on a running node (`kubectl taint nodes NODE key=value:NoExecute`): every pod there that
//! does not tolerate one of them is marked for deletion at once, and its ReplicaSet replaces
//! it on a node it may run on. The `unreachable`/`not-ready` taints of a stopped node, with
//! their 300 s default tolerations, are the node lifecycle's (`lifecycle.rs`).
//!
//! Not modelled: a toleration with `tolerationSeconds` keeps its pod for good here, where the
//! real controller deletes it once those seconds run out.

use crate::api::{Node, Pod, Taint};
use crate::cluster::Cluster;

use super::kubelet::delete_pod;
use super::lifecycle::record_eviction;
use super::scheduler::tolerated;

/// The taints the node lifecycle controller manages on its own timers.
const LIFECYCLE_TAINTS: [&str; 2] = [
    "node.kubernetes.io/unreachable",
    "node.kubernetes.io/not-ready",
];

pub(super) fn reconcile(cluster: &mut Cluster) {
    let tainted: Vec<(String, Vec<Taint>)> = cluster
        .store
        .list::<Node>(None)
        .filter(|n| {
            cluster
                .nodes
                .get(&n.metadata.name)
                .is_some_and(|r| r.running)
        })
        .filter_map(|n| {
            let taints: Vec<Taint> = n
                .spec
                .taints
                .iter()
                .filter(|t| t.effect == "NoExecute" && !LIFECYCLE_TAINTS.contains(&t.key.as_str()))
                .cloned()
                .collect();
            (!taints.is_empty()).then(|| (n.metadata.name.clone(), taints))
        })
        .collect();
    if tainted.is_empty() {
        return;
    }
    let victims: Vec<(String, String)> = cluster
        .store
        .list::<Pod>(None)
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| {
            tainted.iter().any(|(node, taints)| {
                p.spec.node_name == *node
                    && taints.iter().any(|t| !tolerated(&p.spec.tolerations, t))
            })
        })
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in victims {
        record_eviction(cluster, &ns, &name);
        delete_pod(cluster, &ns, &name);
    }
}

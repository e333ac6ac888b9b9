//! The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go) for NoExecute
//! taints someone put on a running node (`kubectl taint nodes NODE key=value:NoExecute`): a
//! pod there that does not tolerate one of them is marked for deletion at once; one that
//! tolerates them for `tolerationSeconds` is deleted when the shortest of those runs out; one
//! that tolerates them for ever stays. Its ReplicaSet replaces a deleted pod on a node it may
//! run on. The `unreachable`/`not-ready` taints of a stopped node, with their 300 s default
//! tolerations, are the node lifecycle's (`lifecycle.rs`).

use crate::api::{Node, Pod, Taint, Toleration};
use crate::cluster::{Cluster, Timer};

use super::kubelet::{delete_pod, live_pod};
use super::lifecycle::record_eviction;
use super::scheduler::tolerates;

/// The taints the node lifecycle controller manages on its own timers.
const LIFECYCLE_TAINTS: [&str; 2] = [
    "node.kubernetes.io/unreachable",
    "node.kubernetes.io/not-ready",
];

/// How long a pod may stay under `taints`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Stay {
    /// Some taint is not tolerated, or a toleration's time is 0 or less.
    NotAtAll,
    /// This many seconds, the shortest `tolerationSeconds` of the tolerations used.
    For(i64),
    /// Every taint is tolerated with no time limit.
    ForEver,
}

/// `GetMatchingTolerations` then `getMinTolerationTime`: the first toleration that tolerates
/// each taint, and the shortest time among them.
pub(super) fn stay(tolerations: &[Toleration], taints: &[Taint]) -> Stay {
    let mut shortest: Option<i64> = None;
    for taint in taints {
        let Some(used) = tolerations.iter().find(|t| tolerates(t, taint)) else {
            return Stay::NotAtAll;
        };
        if let Some(seconds) = used.toleration_seconds {
            shortest = Some(shortest.map_or(seconds, |s| s.min(seconds)));
        }
    }
    match shortest {
        None => Stay::ForEver,
        Some(s) if s <= 0 => Stay::NotAtAll,
        Some(s) => Stay::For(s),
    }
}

/// The NoExecute taints of `node` this controller acts on.
fn user_no_execute_taints(node: &Node) -> Vec<Taint> {
    node.spec
        .taints
        .iter()
        .filter(|t| t.effect == "NoExecute" && !LIFECYCLE_TAINTS.contains(&t.key.as_str()))
        .cloned()
        .collect()
}

/// The nodes with NoExecute taints this controller acts on, and those taints. Kept on the
/// cluster while the store's Node stamp and count stay the same, so that a pass over 5,000
/// untainted nodes is not made after every change (it made the threshold build ten times
/// slower).
#[derive(Clone, Debug, Default)]
pub struct NoExecuteNodes {
    key: Option<(u64, usize)>,
    nodes: Vec<(String, Vec<Taint>)>,
}

/// The tainted nodes that are running (a stopped node's pods are the node lifecycle's).
fn tainted_running_nodes(cluster: &mut Cluster) -> Vec<(String, Vec<Taint>)> {
    let key = (
        cluster.store.tracker().node_stamp,
        cluster.store.count::<Node>(),
    );
    if cluster.no_execute_nodes.key != Some(key) {
        let nodes = cluster
            .store
            .list::<Node>(None)
            .map(|n| (n.metadata.name.clone(), user_no_execute_taints(n)))
            .filter(|(_, taints)| !taints.is_empty())
            .collect();
        cluster.no_execute_nodes = NoExecuteNodes {
            key: Some(key),
            nodes,
        };
    }
    cluster
        .no_execute_nodes
        .nodes
        .iter()
        .filter(|(n, _)| cluster.nodes.get(n).is_some_and(|r| r.running))
        .cloned()
        .collect()
}

fn evict(cluster: &mut Cluster, ns: &str, name: &str) {
    record_eviction(cluster, ns, name);
    delete_pod(cluster, ns, name);
}

pub(super) fn reconcile(cluster: &mut Cluster) {
    let tainted = tainted_running_nodes(cluster);
    if tainted.is_empty() {
        return;
    }
    let mut now = Vec::new();
    let mut later = Vec::new();
    for pod in cluster.store.list::<Pod>(None) {
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some((_, taints)) = tainted.iter().find(|(n, _)| *n == pod.spec.node_name) else {
            continue;
        };
        let key = (
            pod.metadata.namespace.clone(),
            pod.metadata.name.clone(),
            pod.metadata.uid.clone(),
        );
        match stay(&pod.spec.tolerations, taints) {
            Stay::NotAtAll => now.push(key),
            Stay::For(seconds) => later.push((key, seconds)),
            Stay::ForEver => {}
        }
    }
    for (ns, name, _) in now {
        evict(cluster, &ns, &name);
    }
    for ((namespace, name, uid), seconds) in later {
        let waiting = cluster
            .timers
            .any(|t| matches!(t, Timer::TaintToleranceEnds { uid: u, .. } if *u == uid));
        if !waiting {
            let due = cluster
                .now_ms()
                .saturating_add((seconds as u64).saturating_mul(1000));
            cluster.timers.set(
                due,
                Timer::TaintToleranceEnds {
                    namespace,
                    name,
                    uid,
                },
            );
        }
    }
}

/// The toleration time ran out: the pod goes if its node still has NoExecute taints it does
/// not tolerate for ever (taken off in the meantime, they no longer apply).
pub(super) fn tolerance_ends(cluster: &mut Cluster, ns: &str, name: &str, uid: &str) {
    let Some(pod) = live_pod(cluster, ns, name, uid) else {
        return;
    };
    let Some(node) = cluster.store.get::<Node>("", &pod.spec.node_name) else {
        return;
    };
    let taints = user_no_execute_taints(node);
    if !taints.is_empty() && stay(&pod.spec.tolerations, &taints) != Stay::ForEver {
        evict(cluster, ns, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str) -> Taint {
        Taint {
            key: key.into(),
            effect: "NoExecute".into(),
            ..Taint::default()
        }
    }

    fn toleration(key: &str, seconds: Option<i64>) -> Toleration {
        Toleration {
            key: key.into(),
            operator: "Exists".into(),
            effect: "NoExecute".into(),
            toleration_seconds: seconds,
            ..Toleration::default()
        }
    }

    #[test]
    fn the_shortest_time_of_the_tolerations_used_decides() {
        let taints = [taint("a"), taint("b")];
        assert_eq!(stay(&[], &taints), Stay::NotAtAll);
        assert_eq!(stay(&[toleration("a", None)], &taints), Stay::NotAtAll);
        assert_eq!(
            stay(&[toleration("a", None), toleration("b", None)], &taints),
            Stay::ForEver
        );
        assert_eq!(
            stay(
                &[toleration("a", Some(60)), toleration("b", Some(30))],
                &taints
            ),
            Stay::For(30)
        );
        assert_eq!(
            stay(&[toleration("a", None), toleration("b", Some(0))], &taints),
            Stay::NotAtAll
        );
        // A toleration that matches no taint is not used.
        assert_eq!(
            stay(
                &[
                    toleration("a", None),
                    toleration("b", None),
                    toleration("c", Some(5))
                ],
                &taints
            ),
            Stay::ForEver
        );
    }
}

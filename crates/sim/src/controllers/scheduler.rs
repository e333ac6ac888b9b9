//! The default scheduler, reduced to what decides placement in a kind cluster
//! (pkg/scheduler/framework/plugins): NodeUnschedulable, TaintToleration and NodeAffinity
//! (nodeSelector and required node affinity) filter nodes; the default PodTopologySpread
//! constraint (hostname, maxSkew 3, ScheduleAnyway) and the resource-balancing scores spread
//! pods, fewest matching pods first, then fewest pods; ties are broken at random, as
//! `selectHost` does.

use std::collections::BTreeMap;

use crate::api::{Node, Pod, Taint, Toleration};
use crate::cluster::{rfc3339, Cluster};

use super::resource_fit::{Allocatable, NodeUsage, Requests};
use super::volume_binding;

pub(super) fn reconcile(cluster: &mut Cluster) {
    // The queue is the store's index of unbound, non-terminating pods, in store order.
    let pending: Vec<(String, String)> = cluster
        .store
        .tracker()
        .pending_pods
        .iter()
        .cloned()
        .collect();
    if pending.is_empty() {
        return;
    }
    // Nodes do not change while the scheduler binds pods, so one view serves the pass; it is
    // kept for later passes until a Node is written (rebuilding it for every pass is what
    // dominated building a 5,000-node cluster).
    let mut pass = Pass::new(cluster);
    for (ns, name) in pending {
        let Some(pod) = cluster.store.get::<Pod>(&ns, &name).cloned() else {
            continue;
        };
        schedule(cluster, &mut pass, &pod);
    }
    cluster.scheduler_nodes = pass.nodes;
}

/// What the scheduler derives from the nodes: their names in name order and the filter's
/// verdict per distinct pod constraint (tolerations and nodeSelector). Kept on the cluster
/// between passes while the store's Node stamp and count stay the same.
#[derive(Clone, Debug, Default)]
pub struct NodeCache {
    key: Option<(u64, usize)>,
    names: Vec<String>,
    allocatable: Vec<Allocatable>,
    verdicts: Vec<Verdict>,
}

impl NodeCache {
    /// The cache for the store's current nodes: the kept one if no Node was written since.
    fn current(cluster: &mut Cluster) -> NodeCache {
        let key = (
            cluster.store.tracker().node_stamp,
            cluster.store.count::<Node>(),
        );
        let kept = std::mem::take(&mut cluster.scheduler_nodes);
        if kept.key == Some(key) {
            return kept;
        }
        let nodes = cluster.store.list::<Node>(None);
        let (names, allocatable) = nodes
            .map(|n| (n.metadata.name.clone(), Allocatable::of(n)))
            .unzip();
        NodeCache {
            key: Some(key),
            names,
            allocatable,
            verdicts: Vec::new(),
        }
    }
}

/// What one scheduling pass knows: the node cache, the live pod count per node, and the
/// requests already bound to the nodes it weighed.
struct Pass {
    nodes: NodeCache,
    pods_on_node: Vec<usize>,
    same_owner: Vec<usize>,
    usage: NodeUsage,
}

/// The filter's outcome for one set of pod constraints.
#[derive(Clone, Debug)]
struct Verdict {
    tolerations: crate::api::Shared<Vec<Toleration>>,
    node_selector: crate::api::StringMap,
    affinity: Option<Box<crate::api::Affinity>>,
    feasible: Vec<usize>,
    rejected: BTreeMap<String, usize>,
}

impl Pass {
    fn new(cluster: &mut Cluster) -> Pass {
        let nodes = NodeCache::current(cluster);
        // Both are in name order, so one merge walk finds each node's count.
        let mut live = cluster.store.tracker().live_pods_on_node.iter().peekable();
        let pods_on_node = nodes
            .names
            .iter()
            .map(|name| {
                while live.next_if(|(k, _)| k.as_str() < name.as_str()).is_some() {}
                match live.peek() {
                    Some((k, n)) if *k == name => **n,
                    _ => 0,
                }
            })
            .collect();
        let same_owner = vec![0; nodes.names.len()];
        let usage = NodeUsage::new(nodes.names.len());
        Pass {
            nodes,
            pods_on_node,
            same_owner,
            usage,
        }
    }

    /// The filter's verdict for this pod's constraints (computed once while nodes are
    /// unchanged).
    fn verdict(&mut self, cluster: &Cluster, pod: &Pod) -> usize {
        let verdicts = &mut self.nodes.verdicts;
        let found = verdicts.iter().position(|v| {
            v.tolerations == pod.spec.tolerations
                && v.node_selector == pod.spec.node_selector
                && v.affinity == pod.spec.affinity
        });
        if let Some(i) = found {
            return i;
        }
        let mut feasible = Vec::new();
        let mut rejected: BTreeMap<String, usize> = BTreeMap::new();
        for (i, node) in cluster.store.list::<Node>(None).enumerate() {
            match filter(pod, node) {
                Ok(()) => feasible.push(i),
                Err(reason) => *rejected.entry(reason).or_default() += 1,
            }
        }
        verdicts.push(Verdict {
            tolerations: pod.spec.tolerations.clone(),
            node_selector: pod.spec.node_selector.clone(),
            affinity: pod.spec.affinity.clone(),
            feasible,
            rejected,
        });
        verdicts.len() - 1
    }
}

fn schedule(cluster: &mut Cluster, pass: &mut Pass, pod: &Pod) {
    let volumes = match volume_binding::pod_volumes(cluster, pod) {
        Ok(v) if v.provisioning => return,
        Ok(v) => v,
        Err(prefilter) => {
            let total = pass.nodes.names.len();
            unschedulable(cluster, pod, total, Diagnosis::PreFilter(&prefilter));
            return;
        }
    };
    let verdict = pass.verdict(cluster, pod);
    let want = Requests::of(pod);
    // Score: fewer pods of the same owner first (spreading), then fewer pods overall. The
    // counts come from the store's index of live pods per node (and per owner and node).
    let owned: Vec<(usize, usize)> = pod
        .metadata
        .controller_ref()
        .and_then(|r| cluster.store.tracker().live_owned_on_node.get(&r.uid))
        .map(|per_node| {
            per_node
                .iter()
                .filter_map(|(node, n)| {
                    // Nodes are in name order (the store's), so a binary search finds one.
                    let i = pass.nodes.names.binary_search(node).ok()?;
                    Some((i, *n))
                })
                .collect()
        })
        .unwrap_or_default();
    for (i, n) in &owned {
        pass.same_owner[*i] = *n;
    }
    let mut best_score = None;
    let mut best: Vec<usize> = Vec::new();
    let Pass {
        nodes,
        pods_on_node,
        same_owner,
        usage,
    } = &mut *pass;
    let mut volume_conflicts: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in &nodes.verdicts[verdict].feasible {
        // NodeResourcesFit (most pods request nothing: then only the pod count is weighed).
        let (Some(name), Some(room)) = (nodes.names.get(i), nodes.allocatable.get(i)) else {
            continue;
        };
        let conflicts = volumes.conflicts(cluster, name);
        if !conflicts.is_empty() {
            for reason in conflicts {
                *volume_conflicts.entry(reason).or_default() += 1;
            }
            continue;
        }
        let fits = if want.is_zero() {
            room.takes_one_more(pods_on_node[i])
        } else {
            usage
                .misfits(cluster, (i, name), pods_on_node[i], *room, want)
                .is_empty()
        };
        if !fits {
            continue;
        }
        let score = (same_owner[i], pods_on_node[i]);
        if best_score.is_none_or(|b| score < b) {
            best_score = Some(score);
            best.clear();
        }
        if best_score == Some(score) {
            best.push(i);
        }
    }
    for (i, _) in &owned {
        same_owner[*i] = 0;
    }
    if best.is_empty() {
        // Every filtered node lacks room (or none passed the filters): say why, per node.
        let mut reasons: BTreeMap<String, usize> = nodes.verdicts[verdict].rejected.clone();
        for (reason, n) in volume_conflicts {
            *reasons.entry(reason.to_string()).or_default() += n;
        }
        let mut misfit_nodes = 0;
        for &i in &nodes.verdicts[verdict].feasible {
            let (Some(name), Some(room)) = (nodes.names.get(i), nodes.allocatable.get(i)) else {
                continue;
            };
            if !volumes.conflicts(cluster, name).is_empty() {
                continue;
            }
            let misfits = usage.misfits(cluster, (i, name), pods_on_node[i], *room, want);
            misfit_nodes += 1;
            for r in misfits {
                *reasons.entry(r.to_string()).or_default() += 1;
            }
        }
        let total = nodes.names.len();
        unschedulable(
            cluster,
            pod,
            total,
            Diagnosis::Filters {
                reasons: &reasons,
                misfit_nodes,
            },
        );
        return;
    }
    let pick = cluster.rng.below(best.len() as u64) as usize;
    let Some(&chosen) = best.get(pick) else {
        return;
    };
    let Some(node) = pass.nodes.names.get(chosen).cloned() else {
        return;
    };
    if volumes.has_delayed() {
        // The claims' volumes are found or made for this node first; a later pass binds
        // the pod.
        volume_binding::select_node(cluster, &volumes, &node);
        return;
    }
    if pod.metadata.deletion_timestamp.is_none() {
        pass.pods_on_node[chosen] += 1;
        pass.usage.bound(chosen, want);
    }
    let (ns, name) = (&pod.metadata.namespace, &pod.metadata.name);
    bind(cluster, ns, name, &node);
}

/// Why no node can take a pod (framework/types.go `Diagnosis`).
enum Diagnosis<'a> {
    /// A PreFilter plugin's message: no node was even weighed.
    PreFilter(&'a str),
    /// Each filter's reason with the number of nodes that gave it; of the nodes that passed
    /// the filters, how many lacked room.
    Filters {
        reasons: &'a BTreeMap<String, usize>,
        misfit_nodes: usize,
    },
}

/// Marks the pod unschedulable with the FailedScheduling message (framework/types.go
/// `FitError.Error`): the PreFilter message, or each reason with the number of nodes that gave
/// it, the strings sorted; then preemption's verdict (no pod has a lower priority to evict, so
/// preemption finds no victims where only room was missing and is not helpful elsewhere).
fn unschedulable(cluster: &mut Cluster, pod: &Pod, total: usize, diagnosis: Diagnosis<'_>) {
    let histogram = |counts: Vec<(usize, &str)>| {
        let mut lines: Vec<String> = counts
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, r)| format!("{n} {r}"))
            .collect();
        lines.sort();
        lines.join(", ")
    };
    let (filters, misfit_nodes) = match diagnosis {
        Diagnosis::PreFilter(message) => (message.to_string(), 0),
        Diagnosis::Filters {
            reasons,
            misfit_nodes,
        } => (
            histogram(reasons.iter().map(|(r, n)| (*n, r.as_str())).collect()),
            misfit_nodes,
        ),
    };
    let preemption = histogram(vec![
        (
            total.saturating_sub(misfit_nodes),
            "Preemption is not helpful for scheduling",
        ),
        (misfit_nodes, "No preemption victims found for incoming pod"),
    ]);
    let message = format!(
        "0/{total} nodes are available: {filters}. preemption: 0/{total} nodes are available: {preemption}."
    );
    let (ns, name) = (&pod.metadata.namespace, &pod.metadata.name);
    let now = rfc3339(cluster.now_ms());
    let changed = cluster.modify::<Pod>(ns, name, |p| {
        p.status.phase = "Pending".into();
        p.status.conditions = crate::api::Shared::from(vec![crate::api::Condition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            last_transition_time: now,
            reason: "Unschedulable".into(),
            message: message.clone(),
        }]);
    });
    if changed {
        cluster.record_event(
            ns,
            &format!("pod/{name}"),
            true,
            "FailedScheduling",
            &message,
            "default-scheduler",
        );
    }
}

fn bind(cluster: &mut Cluster, ns: &str, name: &str, node: &str) {
    let now = rfc3339(cluster.now_ms());
    cluster.modify::<Pod>(ns, name, |p| {
        p.spec.node_name = node.into();
        p.status.phase = "Pending".into();
        p.status.conditions = crate::api::Shared::from(vec![crate::api::Condition {
            type_: "PodScheduled".into(),
            status: "True".into(),
            last_transition_time: now,
            ..Default::default()
        }]);
    });
    cluster.record_event(
        ns,
        &format!("pod/{name}"),
        false,
        "Scheduled",
        &format!("Successfully assigned {ns}/{name} to {node}"),
        "default-scheduler",
    );
}

/// Whether `node` can take `pod`; if not, the reason as the FailedScheduling message counts it.
fn filter(pod: &Pod, node: &Node) -> Result<(), String> {
    if node.spec.unschedulable
        && !tolerates_key(&pod.spec.tolerations, "node.kubernetes.io/unschedulable")
    {
        return Err("node(s) were unschedulable".into());
    }
    if let Some(taint) = node.spec.taints.iter().find(|t| {
        (t.effect == "NoSchedule" || t.effect == "NoExecute")
            && !tolerated(&pod.spec.tolerations, t)
    }) {
        return Err(format!(
            "node(s) had untolerated taint {{{}: {}}}",
            taint.key, taint.value
        ));
    }
    let selected = pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v));
    let affine = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| a.required())
        .is_none_or(|s| s.matches(&node.metadata.name, &node.metadata.labels));
    if !selected || !affine {
        return Err("node(s) didn't match Pod's node affinity/selector".into());
    }
    let ready = node
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    if !ready {
        return Err("node(s) were not ready".into());
    }
    Ok(())
}

/// `v1helper.TolerationsTolerateTaint`: a toleration matches the taint's key (or is a bare
/// `Exists`), its effect (or has none), and for `Equal` its value.
pub(super) fn tolerated(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| tolerates(t, taint))
}

/// `Toleration.ToleratesTaint`: one toleration against one taint.
pub(super) fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect_ok = t.effect.is_empty() || t.effect == taint.effect;
    let key_ok = t.key.is_empty() && t.operator == "Exists" || t.key == taint.key;
    let value_ok = match t.operator.as_str() {
        "Exists" => true,
        _ => t.value == taint.value,
    };
    effect_ok && key_ok && value_ok
}

fn tolerates_key(tolerations: &[Toleration], key: &str) -> bool {
    tolerated(
        tolerations,
        &Taint {
            key: key.into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            effect: effect.into(),
            ..Default::default()
        }
    }

    #[test]
    fn tolerations_match_like_the_api_helper() {
        let cp = taint("node-role.kubernetes.io/control-plane", "NoSchedule");
        let exact = Toleration {
            key: cp.key.clone(),
            effect: "NoSchedule".into(),
            ..Default::default()
        };
        let everything = Toleration {
            operator: "Exists".into(),
            ..Default::default()
        };
        let other = Toleration {
            key: "dedicated".into(),
            operator: "Exists".into(),
            ..Default::default()
        };
        assert!(tolerated(&[exact], &cp));
        assert!(tolerated(&[everything], &cp));
        assert!(!tolerated(&[other], &cp));
        assert!(!tolerated(&[], &cp));
    }
}

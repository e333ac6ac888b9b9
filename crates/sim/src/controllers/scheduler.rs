//! The default scheduler, reduced to what decides placement in a kind cluster
//! (pkg/scheduler/framework/plugins): NodeUnschedulable, TaintToleration and NodeAffinity
//! (nodeSelector) filter nodes; the default PodTopologySpread constraint (hostname, maxSkew 3,
//! ScheduleAnyway) and the resource-balancing scores spread pods, fewest matching pods first,
//! then fewest pods; ties are broken at random, as `selectHost` does.

use std::collections::BTreeMap;

use crate::api::{Node, Pod, Taint, Toleration};
use crate::cluster::{rfc3339, Cluster};

pub(super) fn reconcile(cluster: &mut Cluster) {
    let pending: Vec<(String, String)> = cluster
        .store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name.is_empty() && p.metadata.deletion_timestamp.is_none())
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in pending {
        let Some(pod) = cluster.store.get::<Pod>(&ns, &name).cloned() else {
            continue;
        };
        schedule(cluster, &pod);
    }
}

fn schedule(cluster: &mut Cluster, pod: &Pod) {
    let nodes: Vec<Node> = cluster.store.list::<Node>(None).cloned().collect();
    let mut feasible = Vec::new();
    let mut rejected: BTreeMap<String, usize> = BTreeMap::new();
    for node in &nodes {
        match filter(pod, node) {
            Ok(()) => feasible.push(node),
            Err(reason) => *rejected.entry(reason).or_default() += 1,
        }
    }
    let (ns, name) = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
    if feasible.is_empty() {
        let reasons: Vec<String> = rejected
            .iter()
            .map(|(reason, count)| format!("{count} {reason}"))
            .collect();
        let total = nodes.len();
        let message = format!(
            "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.",
            reasons.join(", ")
        );
        let now = rfc3339(cluster.now_ms());
        let changed = cluster.modify::<Pod>(&ns, &name, |p| {
            p.status.phase = "Pending".into();
            p.status.conditions = vec![crate::api::Condition {
                type_: "PodScheduled".into(),
                status: "False".into(),
                last_transition_time: now,
                reason: "Unschedulable".into(),
                message: message.clone(),
            }];
        });
        if changed {
            cluster.record_event(
                &ns,
                &format!("pod/{name}"),
                true,
                "FailedScheduling",
                &message,
                "default-scheduler",
            );
        }
        return;
    }
    // Score: fewer pods of the same owner first (spreading), then fewer pods overall.
    let owner = pod.metadata.controller_ref().map(|r| r.uid.clone());
    let score = |node: &Node| {
        let on_node = cluster.store.list::<Pod>(None).filter(|p| {
            p.spec.node_name == node.metadata.name && p.metadata.deletion_timestamp.is_none()
        });
        let (mut same, mut all) = (0usize, 0usize);
        for p in on_node {
            all += 1;
            let same_owner =
                owner.is_some() && p.metadata.controller_ref().map(|r| &r.uid) == owner.as_ref();
            if same_owner {
                same += 1;
            }
        }
        (same, all)
    };
    let scored: Vec<((usize, usize), &Node)> = feasible.iter().map(|n| (score(n), *n)).collect();
    let best_score = scored.iter().map(|(s, _)| *s).min();
    let best: Vec<&Node> = scored
        .iter()
        .filter(|(s, _)| Some(*s) == best_score)
        .map(|(_, n)| *n)
        .collect();
    let pick = cluster.rng.below(best.len() as u64) as usize;
    let Some(node) = best.get(pick).map(|n| n.metadata.name.clone()) else {
        return;
    };
    bind(cluster, &ns, &name, &node);
}

fn bind(cluster: &mut Cluster, ns: &str, name: &str, node: &str) {
    let now = rfc3339(cluster.now_ms());
    cluster.modify::<Pod>(ns, name, |p| {
        p.spec.node_name = node.into();
        p.status.phase = "Pending".into();
        p.status.conditions = vec![crate::api::Condition {
            type_: "PodScheduled".into(),
            status: "True".into(),
            last_transition_time: now,
            ..Default::default()
        }];
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
    if !selected {
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
    tolerations.iter().any(|t| {
        let effect_ok = t.effect.is_empty() || t.effect == taint.effect;
        let key_ok = t.key.is_empty() && t.operator == "Exists" || t.key == taint.key;
        let value_ok = match t.operator.as_str() {
            "Exists" => true,
            _ => t.value == taint.value,
        };
        effect_ok && key_ok && value_ok
    })
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

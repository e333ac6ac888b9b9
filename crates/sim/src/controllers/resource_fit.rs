//! The scheduler's NodeResourcesFit filter (pkg/scheduler/framework/plugins/noderesources/
//! fit.go): a node takes a pod only if its allocatable pods, CPU and memory leave room for
//! the pod's requests beside the requests of the pods already bound to it. The reasons are
//! fit.go's (`Too many pods`, `Insufficient cpu`, `Insufficient memory`); they are the kind
//! preemption could resolve, which the FailedScheduling message counts apart.

use crate::api::{Node, Pod, Quantity};

/// A node's allocatable pods, CPU (thousandths) and memory (bytes); `None` where the node
/// does not say.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Allocatable {
    pods: Option<i128>,
    cpu_milli: Option<i128>,
    memory: Option<i128>,
}

impl Allocatable {
    /// Whether a pod that requests nothing fits beside `pods` others (the common case,
    /// weighed without building any reasons).
    #[inline]
    pub(super) fn takes_one_more(&self, pods: usize) -> bool {
        self.pods.is_none_or(|max| (pods as i128) < max)
    }

    pub(super) fn of(node: &Node) -> Allocatable {
        let get = |r: &str| node.status.allocatable.get(r).copied();
        Allocatable {
            pods: get("pods").map(|q| q.value()),
            cpu_milli: get("cpu").map(|q| q.milli_value()),
            memory: get("memory").map(|q| q.value()),
        }
    }
}
use crate::cluster::Cluster;

/// A pod's (or a node's bound pods') CPU and memory requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Requests {
    cpu_milli: i128,
    memory: i128,
}

impl Requests {
    /// The pod's CPU and memory requests (`PodRequestsAndLimits`).
    pub(super) fn of(pod: &Pod) -> Requests {
        let [requests, _] = pod.requests_and_limits();
        Requests {
            cpu_milli: requests.get("cpu").map_or(0, Quantity::milli_value),
            memory: requests.get("memory").map_or(0, Quantity::value),
        }
    }

    pub(super) fn is_zero(&self) -> bool {
        self.cpu_milli == 0 && self.memory == 0
    }

    fn add(&mut self, other: Requests) {
        self.cpu_milli += other.cpu_milli;
        self.memory += other.memory;
    }
}

/// What one scheduling pass has learned of each node's requested resources (by the node's
/// index in name order), counted only for nodes a pod with requests was weighed against.
#[derive(Default)]
pub(super) struct NodeUsage {
    requested: Vec<Option<Requests>>,
}

impl NodeUsage {
    pub(super) fn new(nodes: usize) -> NodeUsage {
        NodeUsage {
            requested: vec![None; nodes],
        }
    }

    /// Why node `i` (named `name`, with `pods` live pods and `room`) cannot take a pod
    /// requesting `want`; empty if it can. Without requests only the pod count is weighed.
    pub(super) fn misfits(
        &mut self,
        cluster: &Cluster,
        (i, name): (usize, &str),
        pods: usize,
        room: Allocatable,
        want: Requests,
    ) -> Vec<&'static str> {
        let mut reasons = Vec::new();
        if !room.takes_one_more(pods) {
            reasons.push("Too many pods");
        }
        if want.is_zero() {
            return reasons;
        }
        let used = self.requested_on(cluster, i, name);
        let short = |max: Option<i128>, used: i128, want: i128| {
            want > 0 && max.is_some_and(|max| used + want > max)
        };
        if short(room.cpu_milli, used.cpu_milli, want.cpu_milli) {
            reasons.push("Insufficient cpu");
        }
        if short(room.memory, used.memory, want.memory) {
            reasons.push("Insufficient memory");
        }
        reasons
    }

    /// Records a pod bound to node `i` in this pass.
    pub(super) fn bound(&mut self, i: usize, want: Requests) {
        if let Some(Some(used)) = self.requested.get_mut(i) {
            used.add(want);
        }
    }

    /// The requests of the pods bound to node `i` that have not finished.
    fn requested_on(&mut self, cluster: &Cluster, i: usize, name: &str) -> Requests {
        if let Some(Some(known)) = self.requested.get(i) {
            return *known;
        }
        let mut used = Requests::default();
        if let Some(keys) = cluster.store.tracker().pods_by_node.get(name) {
            for (ns, pod) in keys.iter() {
                let Some(p) = cluster.store.get::<Pod>(ns, pod) else {
                    continue;
                };
                if !matches!(p.status.phase.as_str(), "Succeeded" | "Failed") {
                    used.add(Requests::of(p));
                }
            }
        }
        if let Some(slot) = self.requested.get_mut(i) {
            *slot = Some(used);
        }
        used
    }
}

//! Work the cluster has scheduled for later virtual instants (a container finishing its start,
//! a grace period ending, a load balancer being provisioned), run in time order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Something that happens by itself after a delay.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Timer {
    /// The pod's containers are up and ready (the kubelet reports Running).
    PodRunning {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// The uid, so a replaced pod of the same name is not touched.
        uid: String,
        /// How long its images took to pull (0: they were on the node already).
        pulled_in_ms: u64,
    },
    /// A terminating pod's containers have exited: the kubelet removes it.
    PodGone {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// The uid.
        uid: String,
    },
    /// The volume manager tries again to set up the volumes of a pod waiting for them.
    PodVolumes {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// The uid.
        uid: String,
    },
    /// The kubelet's periodic sync of a pod refreshes its ConfigMap and Secret volumes.
    VolumesSync {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// The uid.
        uid: String,
    },
    /// The cloud provider gives a LoadBalancer Service its IP.
    LoadBalancerReady {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
    /// The node controller notices a silent kubelet (node-monitor-grace-period).
    NodeMonitor {
        /// The node.
        node: String,
    },
    /// NoExecute taint-based eviction of pods on an unreachable node.
    EvictPods {
        /// The node.
        node: String,
    },
    /// A pod's `tolerationSeconds` for a NoExecute taint on its running node ran out.
    TaintToleranceEnds {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// The uid.
        uid: String,
    },
}

/// Timers ordered by due time, then by the order they were set.
#[derive(Clone, Debug, Default)]
pub struct Timers {
    heap: BinaryHeap<Reverse<(u64, u64, Timer)>>,
    next_seq: u64,
}

impl Timers {
    /// Schedules `timer` to fire at `due_ms`.
    pub fn set(&mut self, due_ms: u64, timer: Timer) {
        self.next_seq = self.next_seq.saturating_add(1);
        self.heap.push(Reverse((due_ms, self.next_seq, timer)));
    }

    /// The earliest timer due at or before `until_ms`, removed from the queue.
    pub fn pop_due(&mut self, until_ms: u64) -> Option<(u64, Timer)> {
        let due = self
            .heap
            .peek()
            .is_some_and(|Reverse((at, _, _))| *at <= until_ms);
        if !due {
            return None;
        }
        self.heap.pop().map(|Reverse((at, _, timer))| (at, timer))
    }

    /// Whether a timer that `matches` is waiting.
    pub fn any(&self, matches: impl Fn(&Timer) -> bool) -> bool {
        self.heap.iter().any(|Reverse((_, _, t))| matches(t))
    }

    /// When the next timer is due, if any.
    pub fn next_due(&self) -> Option<u64> {
        self.heap.peek().map(|Reverse((at, _, _))| *at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(n: &str) -> Timer {
        Timer::NodeMonitor { node: n.into() }
    }

    #[test]
    fn timers_fire_in_time_then_insertion_order() {
        let mut t = Timers::default();
        t.set(30, node("c"));
        t.set(10, node("a"));
        t.set(10, node("b"));
        assert_eq!(t.next_due(), Some(10));
        assert_eq!(t.pop_due(5), None);
        assert_eq!(t.pop_due(10), Some((10, node("a"))));
        assert_eq!(t.pop_due(10), Some((10, node("b"))));
        assert_eq!(t.pop_due(100), Some((30, node("c"))));
        assert_eq!(t.pop_due(100), None);
    }
}

//! The pods behind a `POD` or `TYPE/NAME` operand of `kubectl logs` and `kubectl exec`.
//!
//! kubectl turns a workload or Service into its label selector
//! (`k8s.io/kubectl/pkg/polymorphichelpers/helpers.go`, `SelectorsForObject`), lists the
//! pods it selects and, when it needs one, takes the first after sorting them: `logs` by
//! `podutils.ByLogging`, `exec` by `sort.Reverse(podutils.ActivePods)`
//! (`k8s.io/kubectl/pkg/util/podutils/podutils.go`, `attachablepodforobject.go`).

use std::cmp::Ordering;

use svclab_sim::api::{
    map_selector_matches, DaemonSet, Deployment, Pod, ReplicaSet, ResourceKind, Service,
    StatefulSet,
};
use svclab_sim::cluster::Cluster;
use svclab_sim::controllers::pod_is_ready;

/// Why an operand names no pod.
#[derive(Debug, PartialEq, Eq)]
pub enum NoPod {
    /// The named object does not exist: the API server's `resource "name"`, e.g.
    /// `deployments.apps "web"`.
    NotFound(String),
    /// A type the server does not have.
    UnknownType(String),
    /// A kind kubectl cannot turn into a selector (its Go type), or a Service without one.
    NoSelector {
        /// The object's Go type, e.g. `*v1.Node`.
        go_type: String,
        /// Why, e.g. `selector for *v1.Node not implemented`.
        reason: String,
    },
}

impl NoPod {
    /// kubectl's message for this error (without `error: ` or a newline); `doing` is what
    /// the verb says it could not do, e.g. `get the logs from` or `attach to`.
    pub fn message(&self, namespace: &str, doing: &str) -> String {
        match self {
            NoPod::NotFound(what) => {
                format!(
                    "error from server (NotFound): {what} not found in namespace \"{namespace}\""
                )
            }
            NoPod::UnknownType(kind) => super::resource_types::unknown_type(kind),
            NoPod::NoSelector { go_type, reason } => format!("cannot {doing} {go_type}: {reason}"),
        }
    }
}

/// The pods an operand stands for: the pod itself, or every pod its object selects (in the
/// API server's list order, by name).
pub fn pods_for_operand(
    cluster: &Cluster,
    namespace: &str,
    operand: &str,
) -> Result<Vec<Pod>, NoPod> {
    let (kind_arg, name) = operand.split_once('/').unwrap_or(("pod", operand));
    let kind = ResourceKind::from_resource_arg(kind_arg)
        .ok_or_else(|| NoPod::UnknownType(kind_arg.to_string()))?;
    let not_found = || NoPod::NotFound(format!("{} \"{name}\"", kind.qualified_plural()));
    let selects: PodTest = match kind {
        ResourceKind::Pod => {
            return cluster
                .store
                .get::<Pod>(namespace, name)
                .map(|p| vec![p.clone()])
                .ok_or_else(not_found)
        }
        ResourceKind::Deployment => {
            workload_selector::<Deployment>(cluster, namespace, name, |d| &d.spec.selector)
                .ok_or_else(not_found)?
        }
        ResourceKind::DaemonSet => {
            workload_selector::<DaemonSet>(cluster, namespace, name, |d| &d.spec.selector)
                .ok_or_else(not_found)?
        }
        ResourceKind::StatefulSet => {
            workload_selector::<StatefulSet>(cluster, namespace, name, |s| &s.spec.selector)
                .ok_or_else(not_found)?
        }
        ResourceKind::ReplicaSet => {
            workload_selector::<ReplicaSet>(cluster, namespace, name, |r| &r.spec.selector)
                .ok_or_else(not_found)?
        }
        ResourceKind::Service => {
            let selector = cluster
                .store
                .get::<Service>(namespace, name)
                .ok_or_else(not_found)?
                .spec
                .selector
                .clone();
            if selector.is_empty() {
                return Err(NoPod::NoSelector {
                    go_type: "*v1.Service".into(),
                    reason: format!(
                        "invalid service '{name}': Service is defined without a selector"
                    ),
                });
            }
            Box::new(move |p: &Pod| map_selector_matches(&selector, &p.metadata.labels))
        }
        other => {
            let go_type = format!("*v1.{}", other.info().kind);
            return Err(NoPod::NoSelector {
                reason: format!("selector for {go_type} not implemented"),
                go_type,
            });
        }
    };
    Ok(cluster
        .store
        .list::<Pod>(Some(namespace))
        .filter(|p| selects(p))
        .cloned()
        .collect())
}

/// Which pod a verb prefers when an object has several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preference {
    /// `logs`: `podutils.ByLogging` (more restarts first).
    Logging,
    /// `exec`/`attach`: `sort.Reverse(podutils.ActivePods)` (fewer restarts first).
    Attaching,
}

/// The order both sorts share: scheduled before unscheduled; Running, Unknown, then
/// Pending; ready before not ready; ready for longer first; then restarts as `preference`
/// says; older first.
fn preferred_first(a: &Pod, b: &Pod, preference: Preference) -> Ordering {
    let phase_rank = |p: &Pod| match p.status.phase.as_str() {
        "Running" => 0,
        "Unknown" => 1,
        "Pending" => 2,
        _ => 3,
    };
    let ready_since = |p: &Pod| {
        p.status
            .conditions
            .iter()
            .find(|c| c.type_ == "Ready")
            .map(|c| c.last_transition_time.clone())
            .unwrap_or_default()
    };
    let restarts = |p: &Pod| {
        p.status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .max()
            .unwrap_or(0)
    };
    // RFC 3339 times in UTC with a fixed width sort as strings; empty sorts last.
    let earlier_first = |x: String, y: String| match (x.is_empty(), y.is_empty()) {
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        _ => x.cmp(&y),
    };
    let by_restarts = match preference {
        Preference::Logging => restarts(b).cmp(&restarts(a)),
        Preference::Attaching => restarts(a).cmp(&restarts(b)),
    };
    (a.spec.node_name.is_empty())
        .cmp(&b.spec.node_name.is_empty())
        .then(phase_rank(a).cmp(&phase_rank(b)))
        .then(pod_is_ready(b).cmp(&pod_is_ready(a)))
        .then_with(|| {
            if pod_is_ready(a) && pod_is_ready(b) {
                earlier_first(ready_since(a), ready_since(b))
            } else {
                Ordering::Equal
            }
        })
        .then(by_restarts)
        .then_with(|| {
            earlier_first(
                a.metadata.creation_timestamp.clone(),
                b.metadata.creation_timestamp.clone(),
            )
        })
}

/// The pod kubectl picks from `pods` (`GetFirstPod`), and how many there were.
pub fn first_pod(mut pods: Vec<Pod>, preference: Preference) -> Option<(Pod, usize)> {
    let count = pods.len();
    pods.sort_by(|a, b| preferred_first(a, b, preference));
    pods.into_iter().next().map(|p| (p, count))
}

/// Whether a pod is one an object stands for.
type PodTest = Box<dyn Fn(&Pod) -> bool>;

/// A test of a pod against the label selector of the workload stored under `name`, if any.
fn workload_selector<T: svclab_sim::cluster::Resource + 'static>(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    selector: impl Fn(&T) -> &svclab_sim::api::LabelSelector,
) -> Option<PodTest> {
    let selector = selector(cluster.store.get::<T>(namespace, name)?).clone();
    Some(Box::new(move |p: &Pod| {
        selector.matches(&p.metadata.labels)
    }))
}

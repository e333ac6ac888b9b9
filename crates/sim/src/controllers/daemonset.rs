//! The DaemonSet controller (pkg/controller/daemon/daemon_controller.go and update.go): one pod
//! of each DaemonSet on every node that should run it, a rolling update one node at a time
//! when the template changes, and the status `kubectl get ds` prints.
//!
//! - Which nodes: `NodeShouldRunDaemonPod` — the template's nodeName, nodeSelector and required
//!   node affinity, and the node's taints against the template's tolerations plus the ones
//!   the controller adds to every daemon pod (`util.AddOrUpdateDaemonPodTolerations`). A node
//!   whose only untolerated taints are NoSchedule keeps the pod it has but gets no new one.
//! - Each pod is pinned to its node by required node affinity (`metadata.name In [node]`) and
//!   bound by the default scheduler, as since Kubernetes 1.12.
//! - Rolling update (`rollingUpdate`): with maxSurge 0, old pods are deleted while fewer than
//!   `maxUnavailable` nodes are without an available pod, and the next pass creates the new
//!   pod once the old one is gone; with maxSurge, up to that many nodes at a time get the new
//!   pod beside the old one, which goes once the new one is available.
//!
//! At the scale threshold the two system DaemonSets have 5,000 pods each, and every pod's
//! start marks its DaemonSet dirty. So the pass reads the store's counts (live pods per node
//! and owner, ready pods and pods per revision per owner) and visits pods one by one only
//! when some are unbound, terminating or of an old revision.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::api::{
    Affinity, DaemonSet, DaemonSetStatus, IntOrString, Node, Pod, PodTemplateSpec, ResourceKind,
    Taint, Toleration,
};
use crate::cluster::{drain_in_order, Cluster, REVISION_LABEL};
use crate::names::pod_template_hash;

use super::history;
use super::kubelet::{delete_pod, pod_is_ready};
use super::pod_from_template;
use super::scheduler::tolerated;

/// The label carrying the DaemonSet's template generation.
const GENERATION_LABEL: &str = "pod-template-generation";

/// What the controller keeps between passes, per DaemonSet uid (kept on the cluster).
#[derive(Clone, Debug, Default)]
pub struct DaemonSetCache {
    nodes: BTreeMap<String, Arc<DaemonNodes>>,
    settled: BTreeMap<String, Settled>,
    /// The template hash whose ControllerRevision was last recorded, per DaemonSet uid.
    recorded: BTreeMap<String, String>,
}

/// What the controller derived for one DaemonSet, kept while its generation and the nodes
/// stay the same: the revision hash and the nodes that should run its pod.
#[derive(Clone, Debug, Default)]
struct DaemonNodes {
    key: (i64, u64, usize),
    hash: String,
    /// Nodes that should run the pod, in name order.
    should_run: Vec<String>,
    /// Nodes that may keep a pod they run (a superset of `should_run`).
    may_keep: Vec<String>,
}

/// A placement a pass found in order (one pod of the current revision on every node that
/// should run one), for the nodes under `nodes_key` and the store's placement stamp of the
/// DaemonSet's pods then, with the counts it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Settled {
    nodes_key: (i64, u64, usize),
    placement: u64,
    current: i32,
    misscheduled: i32,
}

pub(super) fn reconcile(cluster: &mut Cluster) {
    drain_in_order(
        cluster,
        |c| &mut c.store.tracker_mut().dirty_daemonsets,
        |cluster, (ns, name)| reconcile_one(cluster, &ns, &name),
    );
}

fn reconcile_one(cluster: &mut Cluster, ns: &str, name: &str) {
    let Some(ds) = cluster.store.get::<DaemonSet>(ns, name).cloned() else {
        return;
    };
    if ds.metadata.deletion_timestamp.is_some() {
        return;
    }
    let nodes = daemon_nodes(cluster, &ds);
    record_revision(cluster, &ds, &nodes.hash);
    let uid = &ds.metadata.uid;
    let tracker = cluster.store.tracker();
    let placement = tracker.owned_placement.get(uid).copied().unwrap_or(0);
    let unmoved = cluster
        .daemonsets
        .settled
        .get(uid)
        .copied()
        .filter(|s| s.placement == placement && s.nodes_key == nodes.key);
    let all_current = PodsByNode::counts_only(cluster, &ds, &nodes.hash);
    if let (Some(settled), true) = (unmoved, all_current) {
        // Nothing moved since a pass found everything in place: only readiness may have
        // changed, and the status reads that from the store's counts.
        update_status(cluster, &ds, &nodes, settled, None);
        return;
    }
    let mut pods = PodsByNode::read(cluster, &ds, !all_current);
    let must_look = pods
        .live
        .iter()
        .any(|(node, on)| on.len() > 1 || nodes.may_keep.binary_search(node).is_err());
    if must_look && !pods.whole {
        pods = PodsByNode::read(cluster, &ds, true);
    }
    // manage(): a pod where one should run, none where none may.
    let mut created = false;
    for node in &nodes.should_run {
        if !pods.any_on(node) {
            create_pod(cluster, &ds, node, &nodes.hash);
            created = true;
        }
    }
    let surge = match ds.spec.update_strategy.type_.as_str() {
        "OnDelete" => 0,
        _ => max_surge(&ds, nodes.should_run.len()),
    };
    let mut to_delete: Vec<String> = Vec::new();
    for (node, on_node) in &pods.live {
        if nodes.may_keep.binary_search(node).is_err() {
            to_delete.extend(on_node.iter().map(|p| p.name.clone()));
        } else if on_node.len() > 1 {
            to_delete.extend(excess_pods(on_node, &nodes.hash, surge > 0));
        }
    }
    if ds.spec.update_strategy.type_ != "OnDelete" {
        if surge > 0 {
            let (delete, create) = rolling_update_with_surge(&nodes, &pods, surge);
            to_delete.extend(delete);
            for node in create {
                create_pod(cluster, &ds, &node, &nodes.hash);
                created = true;
            }
        } else {
            to_delete.extend(rolling_update(&ds, &nodes, &pods));
        }
    }
    to_delete.sort();
    to_delete.dedup();
    let deleted = !to_delete.is_empty();
    for pod in to_delete {
        delete_pod(cluster, ns, &pod);
        cluster.record_event(
            ns,
            &format!("daemonset/{name}"),
            false,
            "SuccessfulDelete",
            &format!("Deleted pod: {pod}"),
            "daemonset-controller",
        );
    }
    let settled = placement_counts(cluster, &ds, &nodes);
    if !created && !deleted && all_current && pods.terminating.is_empty() {
        cluster.daemonsets.settled.insert(uid.clone(), settled);
    }
    // The status reads the pods as this pass found them (as the controller's informer cache
    // would); the pass that the changes trigger counts them again.
    let facts = if all_current && !created && !deleted {
        None
    } else if pods.whole {
        Some(pods)
    } else {
        Some(PodsByNode::read(cluster, &ds, true))
    };
    update_status(cluster, &ds, &nodes, settled, facts.as_ref());
}

/// One pod's facts the controller decides on.
#[derive(Clone, Debug)]
struct PodFacts {
    name: String,
    created: String,
    ready: bool,
    revision: String,
}

/// A DaemonSet's non-terminating pods by the node they are bound or pinned to, and the nodes
/// that still have a terminating one.
struct PodsByNode {
    live: BTreeMap<String, Vec<PodFacts>>,
    terminating: Vec<String>,
    /// Whether the facts are whole (false: only the nodes with pods and their counts are
    /// known; every pod is bound, not terminating, and of the current revision).
    whole: bool,
}

impl PodsByNode {
    /// Whether the store's counts say every pod of the DaemonSet is bound, not terminating
    /// and of revision `hash` (then the counts alone describe them).
    fn counts_only(cluster: &Cluster, ds: &DaemonSet, hash: &str) -> bool {
        let tracker = cluster.store.tracker();
        let uid = &ds.metadata.uid;
        let bound: usize = tracker
            .live_owned_on_node
            .get(uid)
            .map_or(0, |v| v.iter().map(|(_, n)| n).sum());
        let dependents = tracker.dependent_count(&ds.metadata.namespace, uid, ResourceKind::Pod);
        let at_current = tracker
            .live_owned_by_revision
            .get(&(uid.clone(), hash.to_string()))
            .copied()
            .unwrap_or(0);
        dependents == bound && at_current == bound
    }

    /// The pods: from the store's counts alone (where [`PodsByNode::counts_only`] holds),
    /// or `whole`, visiting each pod.
    fn read(cluster: &Cluster, ds: &DaemonSet, whole: bool) -> PodsByNode {
        let tracker = cluster.store.tracker();
        let uid = &ds.metadata.uid;
        let ns = &ds.metadata.namespace;
        if !whole {
            // The common case, and the only one at scale: read the counts alone.
            let bound = tracker.live_owned_on_node.get(uid);
            let live = bound
                .map(|v| {
                    v.iter()
                        .map(|(node, n)| {
                            let facts = PodFacts {
                                name: String::new(),
                                created: String::new(),
                                ready: true,
                                revision: String::new(),
                            };
                            (node.clone(), vec![facts; *n])
                        })
                        .collect()
                })
                .unwrap_or_default();
            return PodsByNode {
                live,
                terminating: Vec::new(),
                whole: false,
            };
        }
        let mut live: BTreeMap<String, Vec<PodFacts>> = BTreeMap::new();
        let mut terminating = Vec::new();
        for name in tracker.dependents_of(ns, uid, crate::api::ResourceKind::Pod) {
            let Some(pod) = cluster.store.get::<Pod>(ns, &name) else {
                continue;
            };
            if pod.metadata.controller_ref().map(|r| &r.uid) != Some(uid) {
                continue;
            }
            let node = target_node(pod);
            if pod.metadata.deletion_timestamp.is_some() {
                terminating.push(node);
                continue;
            }
            live.entry(node).or_default().push(PodFacts {
                name,
                created: pod.metadata.creation_timestamp.clone(),
                ready: pod_is_ready(pod),
                revision: pod
                    .metadata
                    .labels
                    .get(REVISION_LABEL)
                    .cloned()
                    .unwrap_or_default(),
            });
        }
        terminating.sort();
        PodsByNode {
            live,
            terminating,
            whole: true,
        }
    }

    /// Whether the node has any of the DaemonSet's pods, terminating ones included (a new
    /// pod waits until the old one is gone).
    fn any_on(&self, node: &str) -> bool {
        self.live.contains_key(node)
            || self
                .terminating
                .binary_search_by(|n| n.as_str().cmp(node))
                .is_ok()
    }
}

/// `util.GetTargetNodeName`: the node a pod is bound to, or pinned to by its affinity.
fn target_node(pod: &Pod) -> String {
    if !pod.spec.node_name.is_empty() {
        return pod.spec.node_name.clone();
    }
    pod.spec
        .affinity
        .as_ref()
        .and_then(|a| a.required())
        .and_then(|s| s.node_selector_terms.first())
        .and_then(|t| t.match_fields.iter().find(|f| f.key == "metadata.name"))
        .and_then(|f| f.values.first())
        .cloned()
        .unwrap_or_default()
}

/// `rollingUpdate` with maxSurge 0: the old pods to delete now.
fn rolling_update(ds: &DaemonSet, nodes: &DaemonNodes, pods: &PodsByNode) -> Vec<String> {
    if !pods.whole {
        return Vec::new();
    }
    let max_unavailable = max_unavailable(ds, nodes.should_run.len());
    let mut unavailable = 0usize;
    let mut replace_now = Vec::new();
    let mut candidates = Vec::new();
    // `updatedDesiredNodeCounts` adds every node that should run the pod, so a node whose
    // pod is still terminating (or not created yet) counts as unavailable.
    let mut all: BTreeMap<&str, &[PodFacts]> = nodes
        .should_run
        .iter()
        .map(|n| (n.as_str(), &[][..]))
        .collect();
    for (node, on_node) in &pods.live {
        all.insert(node.as_str(), on_node.as_slice());
    }
    for on_node in all.into_values() {
        let new = on_node.iter().find(|p| p.revision == nodes.hash);
        let old = on_node.iter().find(|p| p.revision != nodes.hash);
        match (new, old) {
            (Some(_), Some(_)) => unavailable += 1,
            (Some(new), None) => {
                if !new.ready {
                    unavailable += 1;
                }
            }
            (None, Some(old)) if !old.ready => replace_now.push(old.name.clone()),
            (None, Some(_)) if unavailable >= max_unavailable => {}
            (None, Some(old)) => candidates.push(old.name.clone()),
            (None, None) => unavailable += 1,
        }
    }
    let room = max_unavailable
        .saturating_sub(unavailable)
        .min(candidates.len());
    replace_now.extend(candidates.into_iter().take(room));
    replace_now
}

/// `podByCreationTimestampAndPhase` for the lab's pods: oldest first, then by name.
fn oldest_first(a: &PodFacts, b: &PodFacts) -> std::cmp::Ordering {
    a.created.cmp(&b.created).then(a.name.cmp(&b.name))
}

/// `podsShouldBeOnNode`'s pruning of a node with several pods: without surge all but the
/// oldest go; with surge the oldest of the current revision and the oldest other one may stay
/// together while the new one is not ready yet and the old one still is.
fn excess_pods(on_node: &[PodFacts], hash: &str, surge: bool) -> Vec<String> {
    let mut sorted = on_node.to_vec();
    sorted.sort_by(oldest_first);
    if !surge {
        return sorted.iter().skip(1).map(|p| p.name.clone()).collect();
    }
    let mut delete = Vec::new();
    let (mut oldest_new, mut oldest_old): (Option<&PodFacts>, Option<&PodFacts>) = (None, None);
    for pod in &sorted {
        let slot = if pod.revision == hash {
            &mut oldest_new
        } else {
            &mut oldest_old
        };
        match slot {
            None => *slot = Some(pod),
            Some(_) => delete.push(pod.name.clone()),
        }
    }
    if let (Some(new), Some(old)) = (oldest_new, oldest_old) {
        if !old.ready || new.ready {
            delete.push(old.name.clone());
        }
    }
    delete
}

/// `rollingUpdate` with maxSurge (update.go): a node whose old pod is unavailable gets its
/// new pod at once; up to `max_surge` other nodes get a new pod beside the old one; an old pod
/// goes once the new one beside it is available. Returns the pods to delete and the nodes to
/// create a pod on.
fn rolling_update_with_surge(
    nodes: &DaemonNodes,
    pods: &PodsByNode,
    max_surge: usize,
) -> (Vec<String>, Vec<String>) {
    if !pods.whole {
        return (Vec::new(), Vec::new());
    }
    let should_run = |node: &str| {
        nodes
            .should_run
            .binary_search_by(|n| n.as_str().cmp(node))
            .is_ok()
    };
    let mut delete = Vec::new();
    let mut should_not_run = Vec::new();
    let mut allowed = Vec::new();
    let mut candidates = Vec::new();
    let (mut surging, mut available) = (0usize, 0usize);
    for (node, on_node) in &pods.live {
        let new: Vec<&PodFacts> = on_node
            .iter()
            .filter(|p| p.revision == nodes.hash)
            .collect();
        let old: Vec<&PodFacts> = on_node
            .iter()
            .filter(|p| p.revision != nodes.hash)
            .collect();
        // findUpdatedPodsOnNode: more than one of either kind is the manage loop's to clean.
        let (Some(new), Some(old)) = (at_most_one(&new), at_most_one(&old)) else {
            surging += 1;
            continue;
        };
        if old.or(new).is_some_and(|p| p.ready) {
            available += 1;
        }
        match (new, old) {
            (_, None) => {}
            (None, Some(old)) if !old.ready => {
                if should_run(node) {
                    allowed.push(node.clone());
                } else {
                    delete.push(old.name.clone());
                }
            }
            (None, Some(old)) => {
                if !should_run(node) {
                    should_not_run.push(old.name.clone());
                } else if surging < max_surge {
                    candidates.push(node.clone());
                }
            }
            (Some(new), Some(_)) if !new.ready => surging += 1,
            (Some(_), Some(old)) => delete.push(old.name.clone()),
        }
    }
    // Pods on nodes that should no longer run one go only while enough others are available.
    let deletable = available.saturating_sub(nodes.should_run.len());
    delete.extend(should_not_run.into_iter().take(deletable));
    let remaining = max_surge.saturating_sub(surging).min(candidates.len());
    allowed.extend(candidates.into_iter().take(remaining));
    (delete, allowed)
}

/// `Some(None)` for no pod, `Some(Some(pod))` for one, `None` for several.
fn at_most_one<'p>(pods: &[&'p PodFacts]) -> Option<Option<&'p PodFacts>> {
    match pods {
        [] => Some(None),
        [one] => Some(Some(one)),
        _ => None,
    }
}

/// `maxSurge` scaled to the nodes that should run the pod (a percentage rounds up); 0 when
/// unset.
fn max_surge(ds: &DaemonSet, desired: usize) -> usize {
    let Some(value) = ds
        .spec
        .update_strategy
        .rolling_update
        .as_ref()
        .and_then(|r| r.max_surge.clone())
    else {
        return 0;
    };
    let desired = i32::try_from(desired).unwrap_or(i32::MAX);
    super::scaled_int_or_percent(&value, desired, true).max(0) as usize
}

/// `maxUnavailable` scaled to the nodes that should run the pod (a percentage rounds up),
/// at least one.
fn max_unavailable(ds: &DaemonSet, desired: usize) -> usize {
    let value = ds
        .spec
        .update_strategy
        .rolling_update
        .as_ref()
        .and_then(|r| r.max_unavailable.clone())
        .unwrap_or(IntOrString::Int(1));
    let desired = i32::try_from(desired).unwrap_or(i32::MAX);
    super::scaled_int_or_percent(&value, desired, true).max(1) as usize
}

/// The revision hash of the DaemonSet's template (`controller.ComputeHash`, as for a
/// Deployment's pod-template-hash; see `names::pod_template_hash`).
pub fn daemon_hash(ds: &DaemonSet) -> String {
    pod_template_hash(&super::canonical_template(&ds.spec.template), None)
}

/// `constructHistory`: the template's ControllerRevision (named `<ds>-<hash>`, the hash its
/// pods carry), and old ones beyond `revisionHistoryLimit` that no pod uses gone. Done when
/// the template hash changes, not on every pass: at the scale threshold a DaemonSet has
/// 5,000 pods.
fn record_revision(cluster: &mut Cluster, ds: &DaemonSet, hash: &str) {
    let meta = &ds.metadata;
    if cluster
        .daemonsets
        .recorded
        .get(&meta.uid)
        .map(String::as_str)
        == Some(hash)
    {
        return;
    }
    let owned = history::owned_revisions(cluster, &meta.namespace, &meta.uid);
    let (current, _) = history::record(cluster, &owned, 0, |revision, _| {
        history::daemon_revision(meta, &ds.spec.template, hash, revision)
    });
    let tracker = cluster.store.tracker();
    let live_hashes: BTreeSet<String> = tracker
        .live_owned_by_revision
        .range((meta.uid.clone(), String::new())..)
        .take_while(|((uid, _), _)| *uid == meta.uid)
        .map(|((_, h), _)| h.clone())
        .collect();
    let live_names: Vec<String> = live_hashes
        .iter()
        .map(|h| history::revision_name(&meta.name, h))
        .collect();
    let mut live: BTreeSet<&str> = live_names.iter().map(String::as_str).collect();
    live.insert(&current.metadata.name);
    let limit = ds.spec.revision_history_limit.unwrap_or(10);
    history::truncate(cluster, &meta.namespace, &meta.uid, &live, limit);
    cluster
        .daemonsets
        .recorded
        .insert(meta.uid.clone(), hash.to_string());
}

/// The nodes for `ds`, from the cache when neither it nor any Node changed.
fn daemon_nodes(cluster: &mut Cluster, ds: &DaemonSet) -> Arc<DaemonNodes> {
    let key = (
        ds.metadata.generation,
        cluster.store.tracker().node_stamp,
        cluster.store.count::<Node>(),
    );
    if let Some(kept) = cluster.daemonsets.nodes.get(&ds.metadata.uid) {
        if kept.key == key {
            return Arc::clone(kept);
        }
    }
    let tolerations = daemon_tolerations(&ds.spec.template);
    let mut should_run = Vec::new();
    let mut may_keep = Vec::new();
    for node in cluster.store.list::<Node>(None) {
        let (run, keep) = node_should_run(&ds.spec.template, &tolerations, node);
        if run {
            should_run.push(node.metadata.name.clone());
        }
        if keep {
            may_keep.push(node.metadata.name.clone());
        }
    }
    let nodes = Arc::new(DaemonNodes {
        key,
        hash: daemon_hash(ds),
        should_run,
        may_keep,
    });
    cluster
        .daemonsets
        .nodes
        .insert(ds.metadata.uid.clone(), Arc::clone(&nodes));
    nodes
}

/// `NodeShouldRunDaemonPod`: whether the node should run the pod, and whether it may keep
/// one it already runs.
fn node_should_run(
    template: &PodTemplateSpec,
    tolerations: &[Toleration],
    node: &Node,
) -> (bool, bool) {
    let spec = &template.spec;
    let name = &node.metadata.name;
    if !spec.node_name.is_empty() && spec.node_name != *name {
        return (false, false);
    }
    let labels = &node.metadata.labels;
    let selected = spec
        .node_selector
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v));
    let affinity_ok = spec
        .affinity
        .as_ref()
        .and_then(|a| a.required())
        .is_none_or(|s| s.matches(name, labels));
    if !selected || !affinity_ok {
        return (false, false);
    }
    let untolerated = |effects: &[&str]| {
        node.spec
            .taints
            .iter()
            .any(|t: &Taint| effects.contains(&t.effect.as_str()) && !tolerated(tolerations, t))
    };
    if untolerated(&["NoSchedule", "NoExecute"]) {
        return (false, !untolerated(&["NoExecute"]));
    }
    (true, true)
}

/// The template's tolerations plus those `AddOrUpdateDaemonPodTolerations` gives every daemon
/// pod: it stays through not-ready and unreachable, and lands despite pressure, cordoning and
/// (with host networking) an unavailable network.
pub fn daemon_tolerations(template: &PodTemplateSpec) -> Vec<Toleration> {
    let mut out = template.spec.tolerations.to_vec();
    let mut add = |key: &str, effect: &str| {
        let present = out.iter().any(|t| t.key == key && t.effect == effect);
        if !present {
            out.push(Toleration {
                key: key.into(),
                operator: "Exists".into(),
                value: String::new(),
                effect: effect.into(),
                toleration_seconds: None,
            });
        }
    };
    add("node.kubernetes.io/not-ready", "NoExecute");
    add("node.kubernetes.io/unreachable", "NoExecute");
    add("node.kubernetes.io/disk-pressure", "NoSchedule");
    add("node.kubernetes.io/memory-pressure", "NoSchedule");
    add("node.kubernetes.io/pid-pressure", "NoSchedule");
    add("node.kubernetes.io/unschedulable", "NoSchedule");
    if template.spec.host_network {
        add("node.kubernetes.io/network-unavailable", "NoSchedule");
    }
    out
}

/// The pod the controller creates for `node` (`NewPod` plus `CreatePods`' labels and owner).
pub fn daemon_pod(ds: &DaemonSet, node: &str, hash: &str) -> Pod {
    let mut pod = pod_from_template(&ds.spec.template, &ds.metadata, "DaemonSet");
    let generation = ds
        .metadata
        .annotations
        .get(crate::apiserver::validation::defaults::TEMPLATE_GENERATION)
        .cloned()
        .unwrap_or_else(|| "1".into());
    pod.metadata
        .labels
        .insert(REVISION_LABEL.into(), hash.into());
    pod.metadata
        .labels
        .insert(GENERATION_LABEL.into(), generation);
    pod.spec.affinity = Some(Box::new(Affinity::to_node(node)));
    pod.spec.tolerations = daemon_tolerations(&ds.spec.template).into();
    crate::apiserver::validation::default_pod(&mut pod);
    pod
}

fn create_pod(cluster: &mut Cluster, ds: &DaemonSet, node: &str, hash: &str) {
    let pod = daemon_pod(ds, node, hash);
    let owner = format!("daemonset/{}", ds.metadata.name);
    super::create_pod(cluster, pod, &owner, "daemonset-controller");
}

/// Where the DaemonSet's pods are against where they should be: nodes that should run one
/// and do (current), and nodes running one that should not (misscheduled).
fn placement_counts(cluster: &Cluster, ds: &DaemonSet, nodes: &DaemonNodes) -> Settled {
    let tracker = cluster.store.tracker();
    let uid = &ds.metadata.uid;
    let on_nodes = tracker
        .live_owned_on_node
        .get(uid)
        .map_or(&[][..], |v| v.as_slice());
    let current = on_nodes
        .iter()
        .filter(|(n, _)| nodes.should_run.binary_search(n).is_ok())
        .count() as i32;
    Settled {
        nodes_key: nodes.key,
        placement: tracker.owned_placement.get(uid).copied().unwrap_or(0),
        current,
        misscheduled: on_nodes.len() as i32 - current,
    }
}

/// `updateDaemonSetStatus`: the placement counts, and per node that should run the pod its
/// oldest pod's readiness and revision, from the pods' `facts`. Without them every pod is of
/// the current revision and the store's counts suffice: the ready pods less those on nodes
/// that should not run one.
fn update_status(
    cluster: &mut Cluster,
    ds: &DaemonSet,
    nodes: &DaemonNodes,
    placed: Settled,
    facts: Option<&PodsByNode>,
) {
    let tracker = cluster.store.tracker();
    let uid = &ds.metadata.uid;
    let (ready, updated) = if let Some(facts) = facts {
        let oldest = nodes.should_run.iter().filter_map(|node| {
            let on_node = facts.live.get(node)?;
            on_node.iter().min_by(|a, b| oldest_first(a, b))
        });
        oldest.fold((0, 0), |(ready, updated), pod| {
            (
                ready + i32::from(pod.ready),
                updated + i32::from(pod.revision == nodes.hash),
            )
        })
    } else {
        let ready = tracker.ready_owned.get(uid).copied().unwrap_or(0) as i32;
        let misscheduled = if placed.misscheduled > 0 {
            ready_misscheduled(cluster, ds, nodes)
        } else {
            0
        };
        (ready - misscheduled, placed.current)
    };
    let desired = nodes.should_run.len() as i32;
    let status = DaemonSetStatus {
        current_number_scheduled: placed.current,
        number_misscheduled: placed.misscheduled,
        desired_number_scheduled: desired,
        number_ready: ready,
        observed_generation: ds.metadata.generation,
        updated_number_scheduled: updated,
        number_available: ready,
        number_unavailable: (desired - ready).max(0),
        conditions: Vec::new(),
    };
    let (ns, name) = (&ds.metadata.namespace, &ds.metadata.name);
    cluster.modify::<DaemonSet>(ns, name, |d| d.status = status);
}

/// The DaemonSet's ready pods on nodes that should not run one (kept there by a NoSchedule
/// taint, say): they are misscheduled, not ready, in the status. Visits only those nodes.
fn ready_misscheduled(cluster: &Cluster, ds: &DaemonSet, nodes: &DaemonNodes) -> i32 {
    let tracker = cluster.store.tracker();
    let uid = &ds.metadata.uid;
    let Some(on_nodes) = tracker.live_owned_on_node.get(uid) else {
        return 0;
    };
    let mut ready = 0;
    for (node, _) in on_nodes {
        if nodes.should_run.binary_search(node).is_ok() {
            continue;
        }
        for (ns, name) in tracker.pods_by_node.get(node).into_iter().flatten() {
            let Some(pod) = cluster.store.get::<Pod>(ns, name) else {
                continue;
            };
            let owned = pod.metadata.controller_ref().is_some_and(|r| &r.uid == uid);
            if owned && pod.metadata.deletion_timestamp.is_none() && pod_is_ready(pod) {
                ready += 1;
            }
        }
    }
    ready
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, revision: &str, ready: bool) -> PodFacts {
        PodFacts {
            name: name.into(),
            created: name.into(),
            ready,
            revision: revision.into(),
        }
    }

    fn three_nodes() -> DaemonNodes {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|n| n.to_string()).collect();
        DaemonNodes {
            key: (0, 0, 0),
            hash: "new".into(),
            should_run: names.clone(),
            may_keep: names,
        }
    }

    fn on_nodes(pods: &[(&str, PodFacts)]) -> PodsByNode {
        let mut live: BTreeMap<String, Vec<PodFacts>> = BTreeMap::new();
        for (node, p) in pods {
            live.entry(node.to_string()).or_default().push(p.clone());
        }
        PodsByNode {
            live,
            terminating: Vec::new(),
            whole: true,
        }
    }

    #[test]
    fn surge_adds_at_most_max_surge_new_pods_and_drops_an_old_one_once_its_new_one_is_ready() {
        let nodes = three_nodes();
        let all_old = on_nodes(&[
            ("a", pod("a-old", "old", true)),
            ("b", pod("b-old", "old", true)),
            ("c", pod("c-old", "old", true)),
        ]);
        assert_eq!(
            rolling_update_with_surge(&nodes, &all_old, 1),
            (vec![], vec!["a".to_string()])
        );
        assert_eq!(rolling_update_with_surge(&nodes, &all_old, 2).1, ["a", "b"]);
        // a surging, its new pod not ready: nothing more.
        let surging = on_nodes(&[
            ("a", pod("a-old", "old", true)),
            ("a", pod("a-new", "new", false)),
            ("b", pod("b-old", "old", true)),
            ("c", pod("c-old", "old", true)),
        ]);
        assert_eq!(
            rolling_update_with_surge(&nodes, &surging, 1),
            (vec![], vec![])
        );
        assert_eq!(
            excess_pods(&surging.live["a"], "new", true),
            Vec::<String>::new()
        );
        // a's new pod ready: its old pod goes and b surges.
        let a_ready = on_nodes(&[
            ("a", pod("a-old", "old", true)),
            ("a", pod("a-new", "new", true)),
            ("b", pod("b-old", "old", true)),
            ("c", pod("c-old", "old", false)),
        ]);
        assert_eq!(
            rolling_update_with_surge(&nodes, &a_ready, 1),
            (
                vec!["a-old".to_string()],
                vec!["c".to_string(), "b".to_string()]
            )
        );
        assert_eq!(excess_pods(&a_ready.live["a"], "new", true), ["a-old"]);
        assert_eq!(excess_pods(&a_ready.live["a"], "new", false), ["a-old"]);
    }
}

#[cfg(test)]
mod settled_tests {
    use super::*;
    use crate::cluster::tests::article_cluster;

    /// With every pod in place, a pass reads the store's counts alone, though the DaemonSet
    /// also owns its ControllerRevision (counting that as a pod once sent every pass of the
    /// scale threshold's 5,000-pod DaemonSets through every pod).
    #[test]
    fn a_settled_daemonset_is_read_from_the_counts_alone() {
        let cluster = article_cluster(3);
        for name in ["kindnet", "kube-proxy"] {
            let ds = cluster
                .store
                .get::<DaemonSet>("kube-system", name)
                .expect("kind's DaemonSet");
            let tracker = cluster.store.tracker();
            let uid = &ds.metadata.uid;
            assert_eq!(
                tracker.dependent_count("kube-system", uid, ResourceKind::ControllerRevision),
                1
            );
            assert_eq!(
                tracker.dependent_count("kube-system", uid, ResourceKind::Pod),
                3
            );
            assert!(
                PodsByNode::counts_only(&cluster, ds, &daemon_hash(ds)),
                "{name}"
            );
        }
    }
}

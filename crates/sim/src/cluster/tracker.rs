//! What the store keeps up to date on every write so that the controllers never scan every
//! object: indexes (pods per node, dependents per owner, pods and Services per label) and the
//! dirty sets each controller drains (the objects whose inputs changed since it last looked).
//!
//! The store calls one hook per kind with the object before and after the write, so no write
//! can bypass it. A dirty set may hold more than changed (a controller reconciling an object
//! whose inputs did not change writes nothing); it never holds less.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::api::{
    map_selector_matches, ConfigMap, ControllerRevision, DaemonSet, DataSource, Deployment,
    EndpointSlice, Endpoints, Namespace, Node, ObjectMeta, PersistentVolume, PersistentVolumeClaim,
    Pod, ReplicaSet, ResourceKind, Secret, Service, StatefulSet, StorageClass, StringMap,
};

use super::store::ObjectKey;

/// The label carrying a DaemonSet pod's template revision.
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// The label naming a slice's Service (`kubernetes.io/service-name`).
const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// The next [`Tracker::node_stamp`] (and [`Tracker::owned_placement`] value); starts at 1 so
/// that 0 means "none yet".
static NODE_STAMPS: AtomicU64 = AtomicU64::new(1);

/// A namespace and an owner's uid.
pub type OwnerKey = (String, String);

/// Indexes and dirty sets over one store. Read by the controllers; written only by the store.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    /// Pods not bound to a node and not terminating (the scheduler's queue).
    pub pending_pods: BTreeSet<ObjectKey>,
    /// Pods bound but not started and not terminating (the kubelets' queue).
    pub unstarted_pods: BTreeSet<ObjectKey>,
    /// Every pod bound to each node, in store order.
    pub pods_by_node: BTreeMap<String, SortedSet<ObjectKey>>,
    /// Non-terminating pods per node (the scheduler's balancing score).
    pub live_pods_on_node: BTreeMap<String, usize>,
    /// Non-terminating pods per controller uid and node (the scheduler's spreading score).
    /// (Each owner's nodes as a vector sorted by node name: see [`SortedSet`] for why.)
    pub live_owned_on_node: BTreeMap<String, Vec<(String, usize)>>,
    /// Per controller uid, a value that changes whenever its entry in `live_owned_on_node`
    /// does (unique in this process), so that a controller can keep what it derived from
    /// where an owner's pods are until they move.
    pub owned_placement: BTreeMap<String, u64>,
    /// Objects by the namespace and uid of their controller owner.
    pub dependents: BTreeMap<OwnerKey, SortedSet<(ResourceKind, String)>>,
    /// Deployments, ReplicaSets and Services by namespace and uid (owners the lab stores).
    pub owners: BTreeMap<OwnerKey, BTreeSet<(ResourceKind, String)>>,
    /// Pod names by namespace and label (`key`, `value`).
    pub pods_by_label: BTreeMap<(String, String, String), SortedSet<String>>,
    /// Services with a selector, by namespace and the selector's first pair.
    pub services_by_selector: BTreeMap<(String, String, String), BTreeSet<String>>,
    /// Services without a selector (their Endpoints are mirrored into slices).
    pub selectorless_services: BTreeSet<ObjectKey>,
    /// Services of type LoadBalancer.
    pub load_balancer_services: BTreeSet<ObjectKey>,
    /// EndpointSlice names by namespace and the Service their label names.
    pub slices_by_service: BTreeMap<ObjectKey, BTreeSet<String>>,
    /// Dirty for the Deployment controller.
    pub dirty_deployments: BTreeSet<ObjectKey>,
    /// Dirty for the ReplicaSet controller.
    pub dirty_replicasets: BTreeSet<ObjectKey>,
    /// Every DaemonSet (a Node write concerns them all).
    pub daemonsets: BTreeSet<ObjectKey>,
    /// Dirty for the DaemonSet controller.
    pub dirty_daemonsets: BTreeSet<ObjectKey>,
    /// Dirty for the StatefulSet controller.
    pub dirty_statefulsets: BTreeSet<ObjectKey>,
    /// Ready, non-terminating pods per controller uid (a DaemonSet's status counts them
    /// without visiting its pods: at the scale threshold it has 5,000).
    pub ready_owned: BTreeMap<String, usize>,
    /// Non-terminating pods per controller uid and `controller-revision-hash` label.
    pub live_owned_by_revision: BTreeMap<(String, String), usize>,
    /// ConfigMaps and Secrets written since the kubelets last looked (pods mounting them
    /// resync).
    pub dirty_volume_sources: BTreeSet<(DataSource, ObjectKey)>,
    /// Pods with downward API files whose labels or annotations changed (they resync).
    pub dirty_downward_pods: BTreeSet<ObjectKey>,
    /// Namespaces whose `kube-root-ca.crt` ConfigMap the root CA publisher must check.
    pub dirty_root_ca: BTreeSet<String>,
    /// Services dirty for the EndpointSlice and Endpoints controllers.
    pub dirty_services: BTreeSet<ObjectKey>,
    /// Services whose kube-proxy inputs may have changed.
    pub dirty_proxy: BTreeSet<ObjectKey>,
    /// Pods the garbage collector must look at (new, or their owner went).
    pub gc_pods: BTreeSet<ObjectKey>,
    /// ControllerRevisions the garbage collector must look at.
    pub gc_revisions: BTreeSet<ObjectKey>,
    /// ReplicaSets the garbage collector must look at.
    pub gc_replicasets: BTreeSet<ObjectKey>,
    /// EndpointSlices the garbage collector must look at (new, or their owner went).
    pub gc_slices: BTreeSet<ObjectKey>,
    /// EndpointSlices the cleanup of deleted Services' mirrored slices must look at.
    pub cleanup_slices: BTreeSet<ObjectKey>,
    /// Endpoints the cleanup of deleted Services must look at.
    pub gc_endpoints: BTreeSet<ObjectKey>,
    /// Changes on every Node write, to a value no other write in this process had (0 before
    /// the first): the scheduler keeps what it derives from the nodes until this moves. Unique
    /// rather than a count so that a replaced store or tracker cannot repeat an old value.
    pub node_stamp: u64,
}

fn controller_uid(meta: &ObjectMeta) -> Option<&str> {
    meta.controller_ref().map(|r| r.uid.as_str())
}

fn owner_key(meta: &ObjectMeta) -> Option<OwnerKey> {
    controller_uid(meta).map(|uid| (meta.namespace.clone(), uid.to_string()))
}

/// A set kept as a sorted vector. The per-owner, per-node and per-label sets hold a few to a
/// few dozen entries each, where a B-tree's mostly empty nodes cost several times the entries
/// themselves (over 100 MiB of indexes at 150,000 pods). Iterates in order, like a `BTreeSet`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedSet<T>(Vec<T>);

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet(Vec::new())
    }
}

impl<T: Ord> SortedSet<T> {
    /// Adds `value`; whether it was not there yet.
    pub fn insert(&mut self, value: T) -> bool {
        match self.0.binary_search(&value) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, value);
                true
            }
        }
    }

    /// Removes `value`; whether it was there.
    pub fn remove(&mut self, value: &T) -> bool {
        match self.0.binary_search(value) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `value` is in the set.
    pub fn contains(&self, value: &T) -> bool {
        self.0.binary_search(value).is_ok()
    }
}

impl<T> SortedSet<T> {
    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

fn add_sorted<K: Ord, V: Ord>(map: &mut BTreeMap<K, SortedSet<V>>, key: K, value: V) {
    map.entry(key).or_default().insert(value);
}

fn remove_sorted<K: Ord, V: Ord>(map: &mut BTreeMap<K, SortedSet<V>>, key: &K, value: &V) {
    if let Some(set) = map.get_mut(key) {
        set.remove(value);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

/// [`bump`] over a vector of counts sorted by key.
fn bump_sorted(counts: &mut Vec<(String, usize)>, key: &str, up: bool) {
    match counts.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
        Ok(at) => {
            let Some((_, n)) = counts.get_mut(at) else {
                return;
            };
            if up {
                *n += 1;
            } else {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    counts.remove(at);
                }
            }
        }
        Err(at) if up => counts.insert(at, (key.to_string(), 1)),
        Err(_) => {}
    }
}

fn add_to<K: Ord, V: Ord>(map: &mut BTreeMap<K, BTreeSet<V>>, key: K, value: V) {
    map.entry(key).or_default().insert(value);
}

fn remove_from<K: Ord, V: Ord>(map: &mut BTreeMap<K, BTreeSet<V>>, key: &K, value: &V) {
    if let Some(set) = map.get_mut(key) {
        set.remove(value);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

/// Counts one more (`up`) or one less under `key`; a count that reaches 0 is removed.
fn bump<K, Q>(map: &mut BTreeMap<K, usize>, key: &Q, up: bool)
where
    K: Ord + std::borrow::Borrow<Q>,
    Q: Ord + ToOwned<Owned = K> + ?Sized,
{
    if up {
        *map.entry(key.to_owned()).or_default() += 1;
    } else if let Some(n) = map.get_mut(key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(key);
        }
    }
}

impl Tracker {
    /// The dependents of an owner (by namespace and uid) of one kind, in name order.
    pub fn dependents_of(&self, ns: &str, uid: &str, kind: ResourceKind) -> Vec<String> {
        self.dependents
            .get(&(ns.to_string(), uid.to_string()))
            .map(|set| {
                set.iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, n)| n.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many objects of one kind name this owner (by namespace and uid) as their
    /// controller (a DaemonSet owns its pods and its ControllerRevisions).
    pub fn dependent_count(&self, ns: &str, uid: &str, kind: ResourceKind) -> usize {
        self.dependents
            .get(&(ns.to_string(), uid.to_string()))
            .map_or(0, |set| {
                // Sorted by kind first: the kind's entries are one run.
                let start = set.0.partition_point(|(k, _)| *k < kind);
                let end = set.0.partition_point(|(k, _)| *k <= kind);
                end - start
            })
    }

    /// Whether an owner of this kind and uid is stored in the namespace.
    pub fn owner_stored(&self, ns: &str, uid: &str, kind: ResourceKind) -> bool {
        self.owners
            .get(&(ns.to_string(), uid.to_string()))
            .is_some_and(|set| set.iter().any(|(k, _)| *k == kind))
    }

    /// Marks the controllers of an owner uid dirty (its dependents changed).
    fn owner_changed(&mut self, owner: Option<OwnerKey>) {
        let Some(owner) = owner else { return };
        let Some(set) = self.owners.get(&owner) else {
            return;
        };
        for (kind, name) in set {
            let key = (owner.0.clone(), name.clone());
            match kind {
                ResourceKind::Deployment => {
                    self.dirty_deployments.insert(key);
                }
                ResourceKind::ReplicaSet => {
                    self.dirty_replicasets.insert(key);
                }
                ResourceKind::DaemonSet => {
                    self.dirty_daemonsets.insert(key);
                }
                ResourceKind::StatefulSet => {
                    self.dirty_statefulsets.insert(key);
                }
                _ => {}
            }
        }
    }

    /// An owner went (or changed uid): the garbage collector looks at its dependents.
    fn owner_gone(&mut self, owner: &OwnerKey) {
        let Some(set) = self.dependents.get(owner) else {
            return;
        };
        for (kind, name) in set {
            let key = (owner.0.clone(), name.clone());
            match kind {
                ResourceKind::Pod => self.gc_pods.insert(key),
                ResourceKind::ReplicaSet => self.gc_replicasets.insert(key),
                ResourceKind::ControllerRevision => self.gc_revisions.insert(key),
                ResourceKind::EndpointSlice => self.gc_slices.insert(key),
                _ => false,
            };
        }
    }

    fn owner_index(
        &mut self,
        kind: ResourceKind,
        old: Option<&ObjectMeta>,
        new: Option<&ObjectMeta>,
    ) {
        let old_key = old.map(|m| (m.namespace.clone(), m.uid.clone()));
        let new_key = new.map(|m| (m.namespace.clone(), m.uid.clone()));
        if let (Some(k), Some(m)) = (&old_key, old) {
            remove_from(&mut self.owners, k, &(kind, m.name.clone()));
            if old_key != new_key {
                self.owner_gone(k);
            }
        }
        if let (Some(k), Some(m)) = (new_key, new) {
            add_to(&mut self.owners, k, (kind, m.name.clone()));
        }
    }

    fn dependent_index(
        &mut self,
        kind: ResourceKind,
        old: Option<&ObjectMeta>,
        new: Option<&ObjectMeta>,
    ) {
        if let Some(m) = old {
            if let Some(k) = owner_key(m) {
                remove_sorted(&mut self.dependents, &k, &(kind, m.name.clone()));
            }
        }
        if let Some(m) = new {
            if let Some(k) = owner_key(m) {
                add_sorted(&mut self.dependents, k, (kind, m.name.clone()));
            }
        }
        self.owner_changed(old.and_then(owner_key));
        self.owner_changed(new.and_then(owner_key));
    }

    /// A namespace was written.
    pub fn namespaces(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        _old: Option<&Namespace>,
        _new: Option<&Namespace>,
    ) {
        self.dirty_root_ca.insert(key.1.clone());
    }

    /// A ConfigMap was written: the root CA publisher puts back a changed or deleted
    /// `kube-root-ca.crt`.
    pub fn configmaps(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        _old: Option<&ConfigMap>,
        _new: Option<&ConfigMap>,
    ) {
        if key.1 == crate::controllers::ROOT_CA_CONFIGMAP {
            self.dirty_root_ca.insert(key.0.clone());
        }
        self.dirty_volume_sources
            .insert((DataSource::ConfigMap, key.clone()));
    }

    /// A Secret was written: pods mounting it resync.
    pub fn secrets(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        _old: Option<&Secret>,
        _new: Option<&Secret>,
    ) {
        self.dirty_volume_sources
            .insert((DataSource::Secret, key.clone()));
    }

    /// A PersistentVolumeClaim was written (the claims controller lists them: no index).
    pub fn persistentvolumeclaims(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        _key: &ObjectKey,
        _old: Option<&PersistentVolumeClaim>,
        _new: Option<&PersistentVolumeClaim>,
    ) {
    }

    /// A PersistentVolume was written.
    pub fn persistentvolumes(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        _key: &ObjectKey,
        _old: Option<&PersistentVolume>,
        _new: Option<&PersistentVolume>,
    ) {
    }

    /// A StorageClass was written.
    pub fn storageclasses(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        _key: &ObjectKey,
        _old: Option<&StorageClass>,
        _new: Option<&StorageClass>,
    ) {
    }

    /// A DaemonSet was written.
    pub fn daemonsets(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&DaemonSet>,
        new: Option<&DaemonSet>,
    ) {
        self.owner_index(
            ResourceKind::DaemonSet,
            old.map(|d| &d.metadata),
            new.map(|d| &d.metadata),
        );
        if new.is_some() {
            self.daemonsets.insert(key.clone());
            self.dirty_daemonsets.insert(key.clone());
        } else {
            self.daemonsets.remove(key);
        }
    }

    /// A StatefulSet was written.
    pub fn statefulsets(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&StatefulSet>,
        new: Option<&StatefulSet>,
    ) {
        self.owner_index(
            ResourceKind::StatefulSet,
            old.map(|s| &s.metadata),
            new.map(|s| &s.metadata),
        );
        if new.is_some() {
            self.dirty_statefulsets.insert(key.clone());
        }
    }

    /// A ControllerRevision was written (the garbage collector deletes it with its owner).
    pub fn controllerrevisions(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&ControllerRevision>,
        new: Option<&ControllerRevision>,
    ) {
        self.dependent_index(
            ResourceKind::ControllerRevision,
            old.map(|r| &r.metadata),
            new.map(|r| &r.metadata),
        );
        if new.is_some() {
            self.gc_revisions.insert(key.clone());
        }
    }

    /// A node was written.
    pub fn nodes(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        _key: &ObjectKey,
        _old: Option<&Node>,
        _new: Option<&Node>,
    ) {
        self.node_stamp = NODE_STAMPS.fetch_add(1, Ordering::Relaxed);
        self.dirty_daemonsets
            .extend(self.daemonsets.iter().cloned());
    }

    /// A pod was written; `services` are the stored Services (to find those selecting it).
    /// (Every hook gets them, so that the store calls all hooks alike.)
    pub fn pods(
        &mut self,
        services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&Pod>,
        new: Option<&Pod>,
    ) {
        for (pod, up) in [(old, false), (new, true)] {
            let Some(pod) = pod else { continue };
            self.pod_entries(key, pod, up);
            self.services_selecting(services, pod);
        }
        self.placement_moved(old, new);
        self.dependent_index(
            ResourceKind::Pod,
            old.map(|p| &p.metadata),
            new.map(|p| &p.metadata),
        );
        if new.is_some() {
            self.gc_pods.insert(key.clone());
        }
        // A running pod's downward API files follow its labels and annotations.
        // (Volumes first: most pods have none, and labels are compared only for those that do.)
        if let (Some(old), Some(new)) = (old, new) {
            let shows_metadata = new
                .spec
                .volumes
                .iter()
                .any(|v| v.downward_api.is_some() || v.projected.is_some());
            if shows_metadata
                && (old.metadata.labels != new.metadata.labels
                    || old.metadata.annotations != new.metadata.annotations)
            {
                self.dirty_downward_pods.insert(key.clone());
            }
        }
    }

    /// Gives the pod's controller a new [`Tracker::owned_placement`] value if the write
    /// moved it (bound, unbound, started or stopped terminating, changed owner); a write that
    /// only changed its status leaves the value as it was.
    fn placement_moved(&mut self, old: Option<&Pod>, new: Option<&Pod>) {
        fn placed(p: Option<&Pod>) -> Option<(&str, &str, bool)> {
            let p = p?;
            let uid = controller_uid(&p.metadata)?;
            let live = p.metadata.deletion_timestamp.is_none();
            Some((uid, p.spec.node_name.as_str(), live))
        }
        let (before, after) = (placed(old), placed(new));
        if before == after {
            return;
        }
        for (uid, _, _) in [before, after].into_iter().flatten() {
            if self.live_owned_on_node.contains_key(uid) {
                let stamp = NODE_STAMPS.fetch_add(1, Ordering::Relaxed);
                self.owned_placement.insert(uid.to_string(), stamp);
            } else {
                self.owned_placement.remove(uid);
            }
        }
    }

    /// Adds (`up`) or removes one pod's index entries.
    fn pod_entries(&mut self, key: &ObjectKey, pod: &Pod, up: bool) {
        let node = pod.spec.node_name.as_str();
        let live = pod.metadata.deletion_timestamp.is_none();
        let set = |s: &mut BTreeSet<ObjectKey>, on: bool| {
            if on && up {
                s.insert(key.clone());
            } else if on {
                s.remove(key);
            }
        };
        set(&mut self.pending_pods, node.is_empty() && live);
        set(
            &mut self.unstarted_pods,
            !node.is_empty() && pod.status.start_time.is_empty() && live,
        );
        if !node.is_empty() {
            if up {
                add_sorted(&mut self.pods_by_node, node.to_string(), key.clone());
            } else {
                remove_sorted(&mut self.pods_by_node, &node.to_string(), key);
            }
            if live {
                bump(&mut self.live_pods_on_node, node, up);
                if let Some(uid) = controller_uid(&pod.metadata) {
                    let per_node = self.live_owned_on_node.entry(uid.to_string()).or_default();
                    bump_sorted(per_node, node, up);
                    if per_node.is_empty() {
                        self.live_owned_on_node.remove(uid);
                    }
                }
            }
        }
        if let (true, Some(uid)) = (live, controller_uid(&pod.metadata)) {
            if crate::controllers::pod_is_ready(pod) {
                bump(&mut self.ready_owned, uid, up);
            }
            if let Some(hash) = pod.metadata.labels.get(REVISION_LABEL) {
                let key = (uid.to_string(), hash.clone());
                bump(&mut self.live_owned_by_revision, &key, up);
            }
        }
        for (k, v) in &pod.metadata.labels {
            let label = (key.0.clone(), k.clone(), v.clone());
            if up {
                add_sorted(&mut self.pods_by_label, label, key.1.clone());
            } else {
                remove_sorted(&mut self.pods_by_label, &label, &key.1);
            }
        }
    }

    /// Marks dirty every Service of the pod's namespace whose selector matches its labels.
    fn services_selecting(&mut self, services: &BTreeMap<ObjectKey, Box<Service>>, pod: &Pod) {
        let ns = &pod.metadata.namespace;
        for (k, v) in &pod.metadata.labels {
            let Some(names) = self
                .services_by_selector
                .get(&(ns.clone(), k.clone(), v.clone()))
            else {
                continue;
            };
            for name in names {
                let key = (ns.clone(), name.clone());
                let selects = services
                    .get(&key)
                    .is_some_and(|s| map_selector_matches(&s.spec.selector, &pod.metadata.labels));
                if selects {
                    self.dirty_services.insert(key);
                }
            }
        }
    }

    /// A ReplicaSet was written.
    pub fn replicasets(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&ReplicaSet>,
        new: Option<&ReplicaSet>,
    ) {
        let (old_meta, new_meta) = (old.map(|r| &r.metadata), new.map(|r| &r.metadata));
        self.owner_index(ResourceKind::ReplicaSet, old_meta, new_meta);
        self.dependent_index(ResourceKind::ReplicaSet, old_meta, new_meta);
        if new.is_some() {
            self.dirty_replicasets.insert(key.clone());
            self.gc_replicasets.insert(key.clone());
        }
    }

    /// A Deployment was written.
    pub fn deployments(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&Deployment>,
        new: Option<&Deployment>,
    ) {
        let (old_meta, new_meta) = (old.map(|d| &d.metadata), new.map(|d| &d.metadata));
        self.owner_index(ResourceKind::Deployment, old_meta, new_meta);
        if new.is_some() {
            self.dirty_deployments.insert(key.clone());
        }
    }

    /// A Service was written.
    pub fn services(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&Service>,
        new: Option<&Service>,
    ) {
        for (svc, up) in [(old, false), (new, true)] {
            let Some(svc) = svc else { continue };
            let selector: &StringMap = &svc.spec.selector;
            match selector.iter().next() {
                Some((k, v)) => {
                    let idx = (key.0.clone(), k.clone(), v.clone());
                    if up {
                        add_to(&mut self.services_by_selector, idx, key.1.clone());
                    } else {
                        remove_from(&mut self.services_by_selector, &idx, &key.1);
                    }
                }
                None if up => {
                    self.selectorless_services.insert(key.clone());
                }
                None => {
                    self.selectorless_services.remove(key);
                }
            }
            if svc.spec.type_ == "LoadBalancer" {
                if up {
                    self.load_balancer_services.insert(key.clone());
                } else {
                    self.load_balancer_services.remove(key);
                }
            }
        }
        self.owner_index(
            ResourceKind::Service,
            old.map(|s| &s.metadata),
            new.map(|s| &s.metadata),
        );
        self.dirty_services.insert(key.clone());
        self.dirty_proxy.insert(key.clone());
        if new.is_none() {
            // Its controller-made Endpoints and mirrored slices may now be stale.
            self.gc_endpoints.insert(key.clone());
            if let Some(names) = self.slices_by_service.get(key) {
                for name in names {
                    self.cleanup_slices.insert((key.0.clone(), name.clone()));
                }
            }
        }
    }

    /// An Endpoints object was written.
    pub fn endpoints(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        _old: Option<&Endpoints>,
        new: Option<&Endpoints>,
    ) {
        self.dirty_services.insert(key.clone());
        if new.is_some() {
            self.gc_endpoints.insert(key.clone());
        }
    }

    /// An EndpointSlice was written.
    pub fn endpointslices(
        &mut self,
        _services: &BTreeMap<ObjectKey, Box<Service>>,
        key: &ObjectKey,
        old: Option<&EndpointSlice>,
        new: Option<&EndpointSlice>,
    ) {
        for (slice, up) in [(old, false), (new, true)] {
            let Some(slice) = slice else { continue };
            let Some(service) = slice.metadata.labels.get(SERVICE_NAME_LABEL) else {
                continue;
            };
            let svc_key = (key.0.clone(), service.clone());
            if up {
                add_to(&mut self.slices_by_service, svc_key.clone(), key.1.clone());
            } else {
                remove_from(&mut self.slices_by_service, &svc_key, &key.1);
            }
            self.dirty_proxy.insert(svc_key.clone());
            self.dirty_services.insert(svc_key);
        }
        self.dependent_index(
            ResourceKind::EndpointSlice,
            old.map(|s| &s.metadata),
            new.map(|s| &s.metadata),
        );
        if new.is_some() {
            self.gc_slices.insert(key.clone());
            self.cleanup_slices.insert(key.clone());
        }
    }
}

/// Drains `dirty` in key order, as a full scan in key order would visit it: a key marked
/// during the walk is visited in this walk if it comes after the current one, and is left for
/// the next pass otherwise. `visit` gets the cluster-owning context and the key.
pub fn drain_in_order<C>(
    ctx: &mut C,
    dirty: fn(&mut C) -> &mut BTreeSet<ObjectKey>,
    mut visit: impl FnMut(&mut C, ObjectKey),
) {
    let mut after: Option<ObjectKey> = None;
    loop {
        let set = dirty(ctx);
        let next = match &after {
            None => set.iter().next().cloned(),
            Some(k) => set
                .range((
                    std::ops::Bound::Excluded(k.clone()),
                    std::ops::Bound::Unbounded,
                ))
                .next()
                .cloned(),
        };
        let Some(key) = next else { break };
        set.remove(&key);
        visit(ctx, key.clone());
        after = Some(key);
    }
}

//! The API server's storage: every object of one cluster, keyed by namespace and name.
//!
//! Lists come back sorted by namespace, then name, as etcd's key order makes the real API
//! server return them (and so kubectl prints them).

use std::collections::BTreeMap;

use super::tracker::Tracker;
use crate::api::{
    ConfigMap, ControllerRevision, DaemonSet, Deployment, EndpointSlice, Endpoints, Namespace,
    Node, Object, ObjectMeta, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet,
    ResourceKind, Secret, Service, StatefulSet, StorageClass,
};

/// Where an object lives: its namespace (empty for cluster-scoped kinds) and its name.
pub type ObjectKey = (String, String);

/// A stored kind: how to find its map in the [`Store`] and its metadata.
pub trait Resource: Clone {
    /// The kind.
    const KIND: ResourceKind;
    /// This kind's objects (boxed: see [`Store`]).
    fn map(store: &Store) -> &BTreeMap<ObjectKey, Box<Self>>;
    /// This kind's objects, to change.
    fn map_mut(store: &mut Store) -> &mut BTreeMap<ObjectKey, Box<Self>>;
    /// The object's metadata.
    fn meta(&self) -> &ObjectMeta;
    /// The object's metadata, to change.
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    /// The object as the [`Object`] enum.
    fn into_object(self) -> Object;
    /// Tells the store's [`Tracker`] that the object under `key` was written (it is now what
    /// the map holds) and was `old` before.
    #[doc(hidden)]
    fn track(store: &mut Store, key: &ObjectKey, old: Option<&Self>);
}

macro_rules! stored_kinds {
    ($($ty:ident => $field:ident),* $(,)?) => {
        /// Every object of one cluster, one sorted map per kind. The maps are private so that
        /// every write goes through [`Store::put`] or [`Store::remove`] and reaches the tracker.
        /// Objects are boxed: a B-tree node holds eleven values inline and is on average about
        /// two-thirds full, so storing 600-byte pods inline wasted hundreds of bytes per pod.
        #[derive(Clone, Debug, Default)]
        pub struct Store {
            $(
                $field: BTreeMap<ObjectKey, Box<$ty>>,
            )*
            tracker: Tracker,
            resource_version: u64,
        }

        $(
            impl Resource for $ty {
                const KIND: ResourceKind = ResourceKind::$ty;
                fn map(store: &Store) -> &BTreeMap<ObjectKey, Box<Self>> {
                    &store.$field
                }
                fn map_mut(store: &mut Store) -> &mut BTreeMap<ObjectKey, Box<Self>> {
                    &mut store.$field
                }
                fn meta(&self) -> &ObjectMeta {
                    &self.metadata
                }
                fn meta_mut(&mut self) -> &mut ObjectMeta {
                    &mut self.metadata
                }
                fn into_object(self) -> Object {
                    Object::$ty(self)
                }
                fn track(store: &mut Store, key: &ObjectKey, old: Option<&Self>) {
                    let new = store.$field.get(key).map(|o| &**o);
                    store.tracker.$field(&store.services, key, old, new);
                }
            }
        )*

        impl Store {
            /// Stores any object, replacing one with the same key.
            pub fn put_object(&mut self, object: Object) {
                match object {
                    $(Object::$ty(o) => self.put(o),)*
                }
            }

            /// Removes any object by kind and key; returns it if it was there.
            pub fn remove_object(&mut self, kind: ResourceKind, key: &ObjectKey) -> Option<Object> {
                match kind {
                    $(ResourceKind::$ty => self.remove::<$ty>(&key.0, &key.1).map(Object::$ty),)*
                }
            }

            /// Any object by kind and key.
            pub fn get_object(&self, kind: ResourceKind, key: &ObjectKey) -> Option<Object> {
                match kind {
                    $(ResourceKind::$ty => self.$field.get(key).map(|o| Object::$ty((**o).clone())),)*
                }
            }

            /// The keys of one kind's objects, in list order, optionally in one namespace.
            pub fn keys_of(&self, kind: ResourceKind, namespace: Option<&str>) -> Vec<ObjectKey> {
                match kind {
                    $(ResourceKind::$ty => filter_keys(&self.$field, namespace),)*
                }
            }
        }
    };
}

stored_kinds! {
    Namespace => namespaces,
    Node => nodes,
    Pod => pods,
    ReplicaSet => replicasets,
    Deployment => deployments,
    DaemonSet => daemonsets,
    StatefulSet => statefulsets,
    ControllerRevision => controllerrevisions,
    ConfigMap => configmaps,
    Secret => secrets,
    PersistentVolumeClaim => persistentvolumeclaims,
    PersistentVolume => persistentvolumes,
    StorageClass => storageclasses,
    Service => services,
    Endpoints => endpoints,
    EndpointSlice => endpointslices,
}

fn filter_keys<T>(map: &BTreeMap<ObjectKey, T>, namespace: Option<&str>) -> Vec<ObjectKey> {
    match namespace {
        None => map.keys().cloned().collect(),
        Some(ns) => map
            .range((ns.to_string(), String::new())..)
            .take_while(|((n, _), _)| n == ns)
            .map(|(k, _)| k.clone())
            .collect(),
    }
}

/// The key of an object with this metadata.
pub fn key_of(meta: &ObjectMeta) -> ObjectKey {
    (meta.namespace.clone(), meta.name.clone())
}

impl Store {
    /// One object by namespace and name.
    pub fn get<T: Resource>(&self, namespace: &str, name: &str) -> Option<&T> {
        T::map(self)
            .get(&(namespace.to_string(), name.to_string()))
            .map(|o| &**o)
    }

    /// How many objects of one kind are stored.
    pub fn count<T: Resource>(&self) -> usize {
        T::map(self).len()
    }

    /// Stores an object under its metadata's key, replacing any previous one.
    pub fn put<T: Resource>(&mut self, object: T) {
        let key = key_of(object.meta());
        let old = T::map_mut(self).insert(key.clone(), Box::new(object));
        T::track(self, &key, old.as_deref());
    }

    /// Removes an object; returns it if it was there.
    pub fn remove<T: Resource>(&mut self, namespace: &str, name: &str) -> Option<T> {
        let key = (namespace.to_string(), name.to_string());
        let old = T::map_mut(self).remove(&key);
        if old.is_some() {
            T::track(self, &key, old.as_deref());
        }
        old.map(|o| *o)
    }

    /// The indexes and dirty sets kept over the objects.
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// The indexes and dirty sets, for a controller to drain its dirty set.
    pub fn tracker_mut(&mut self) -> &mut Tracker {
        &mut self.tracker
    }

    /// The objects of one namespace (or all, for `None`), in list order.
    pub fn list<'a, T: Resource + 'a>(
        &'a self,
        namespace: Option<&'a str>,
    ) -> Box<dyn Iterator<Item = &'a T> + 'a> {
        let map = T::map(self);
        match namespace {
            None => Box::new(map.values().map(|v| &**v)),
            Some(ns) => Box::new(
                map.range((ns.to_string(), String::new())..)
                    .take_while(move |((n, _), _)| n == ns)
                    .map(|(_, v)| &**v),
            ),
        }
    }

    /// The next resourceVersion: one counter for the whole cluster, as etcd's revision.
    pub fn next_resource_version(&mut self) -> String {
        self.resource_version = self.resource_version.saturating_add(1);
        self.resource_version.to_string()
    }

    /// The last resourceVersion handed out (to tell whether anything was written).
    pub fn next_resource_version_peek(&self) -> u64 {
        self.resource_version
    }

    /// Starts the resourceVersion counter where a freshly created cluster's would be.
    pub fn set_resource_version(&mut self, version: u64) {
        self.resource_version = version;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ns: &str, name: &str) -> Pod {
        let mut p = Pod::default();
        p.metadata.namespace = ns.into();
        p.metadata.name = name.into();
        p
    }

    #[test]
    fn lists_are_sorted_and_scoped_to_a_namespace() {
        let mut store = Store::default();
        for (ns, name) in [("dev", "b"), ("default", "z"), ("dev", "a"), ("devx", "c")] {
            store.put(pod(ns, name));
        }
        let dev: Vec<&str> = store
            .list::<Pod>(Some("dev"))
            .map(|p| p.metadata.name.as_str())
            .collect();
        assert_eq!(dev, ["a", "b"]);
        let all: Vec<String> = store
            .list::<Pod>(None)
            .map(|p| format!("{}/{}", p.metadata.namespace, p.metadata.name))
            .collect();
        assert_eq!(all, ["default/z", "dev/a", "dev/b", "devx/c"]);
        assert_eq!(store.keys_of(ResourceKind::Pod, Some("devx")).len(), 1);
    }

    #[test]
    fn objects_round_trip_through_the_enum() {
        let mut store = Store::default();
        store.put_object(Object::Pod(pod("dev", "a")));
        let key = ("dev".to_string(), "a".to_string());
        assert!(store.get_object(ResourceKind::Pod, &key).is_some());
        assert!(store.get::<Pod>("dev", "a").is_some());
        assert!(store.remove_object(ResourceKind::Pod, &key).is_some());
        assert!(store.get::<Pod>("dev", "a").is_none());
    }

    #[test]
    fn resource_versions_increase() {
        let mut store = Store::default();
        store.set_resource_version(500);
        assert_eq!(store.next_resource_version(), "501");
        assert_eq!(store.next_resource_version(), "502");
    }
}

//! Shared, copy-on-write values for the parts of objects that many objects hold alike.
//!
//! At Kubernetes' scale thresholds (150,000 pods) a copy of the same data per pod costs a lot:
//! the labels each pod takes from its ReplicaSet's template (about 90 MB), the two default
//! tolerations every pod gets, the five conditions of pods that became ready at the same
//! moment. Cloning a [`Shared`] shares the value; the first change to one copy gives it its
//! own (`Arc::make_mut`). It serializes as the value itself.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A shared, copy-on-write `T`.
#[derive(Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared<T>(Arc<T>);

/// Labels or annotations: string to string, sorted by key as Go's JSON encoder sorts map keys.
pub type StringMap = Shared<BTreeMap<String, String>>;

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Shared<T> {
    /// Whether two values are one shared allocation (what interning aims for).
    pub fn ptr_eq(a: &Shared<T>, b: &Shared<T>) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl<T: Default> Shared<T> {
    /// An empty value.
    pub fn new() -> Shared<T> {
        Shared::default()
    }
}

impl<K, V> Shared<BTreeMap<K, V>> {
    /// Whether the map has no key (also for `skip_serializing_if`: Go's `omitempty` leaves an
    /// empty map out).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// For `skip_serializing_if` on a shared list: an empty one is left out (Go's `omitempty`).
pub fn no_items<T>(list: &Shared<Vec<T>>) -> bool {
    list.0.is_empty()
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Shared<T> {
        Shared(Arc::new(value))
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for Shared<BTreeMap<K, V>> {
    fn from(pairs: [(K, V); N]) -> Self {
        Shared::from(BTreeMap::from(pairs))
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Shared<BTreeMap<K, V>> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Shared::from(iter.into_iter().collect::<BTreeMap<_, _>>())
    }
}

impl<T> FromIterator<T> for Shared<Vec<T>> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Shared::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<K: Ord + Clone, V: Clone> Extend<(K, V)> for Shared<BTreeMap<K, V>> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        Arc::make_mut(&mut self.0).extend(iter);
    }
}

impl<'a, K, V> IntoIterator for &'a Shared<BTreeMap<K, V>> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::collections::btree_map::Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T> IntoIterator for &'a Shared<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shared<T>, D::Error> {
        T::deserialize(deserializer).map(|v| Shared(Arc::new(v)))
    }
}

/// Hands out one shared copy of values that come out equal: the last value handed out is kept,
/// and an equal new one is given the kept copy instead of its own.
#[derive(Clone, Debug, Default)]
pub struct Interner<T> {
    last: Option<Shared<T>>,
}

impl<T: PartialEq> Interner<T> {
    /// `value`, shared with the last equal value interned.
    pub fn intern(&mut self, value: T) -> Shared<T> {
        match &self.last {
            Some(last) if **last == value => last.clone(),
            _ => {
                let shared = Shared::from(value);
                self.last = Some(shared.clone());
                shared
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Interner, Shared, StringMap};

    #[test]
    fn clones_share_until_one_changes() {
        let mut a: StringMap = [("app".to_string(), "web".to_string())].into();
        let b = a.clone();
        assert!(Shared::ptr_eq(&a, &b));
        a.insert("tier".into(), "front".into());
        assert!(!Shared::ptr_eq(&a, &b));
        assert_eq!((a.len(), b.len()), (2, 1));
    }

    #[test]
    fn equal_values_interned_in_a_row_share_one_copy() {
        let mut interner = Interner::default();
        let a = interner.intern(vec![1, 2]);
        let b = interner.intern(vec![1, 2]);
        let c = interner.intern(vec![3]);
        assert!(Shared::ptr_eq(&a, &b));
        assert!(!Shared::ptr_eq(&a, &c));
    }
}

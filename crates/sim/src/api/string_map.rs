//! Labels and annotations: string to string, sorted by key as Go's JSON encoder sorts map keys.
//!
//! The map is shared, copy on write: the pods of a ReplicaSet all carry their template's labels,
//! and at Kubernetes' scale thresholds (150,000 pods) a copy each costs about 90 MB. Cloning
//! shares the map; the first change to one copy gives it its own.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A shared, copy-on-write `BTreeMap<String, String>`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StringMap(Arc<BTreeMap<String, String>>);

impl StringMap {
    /// An empty map.
    pub fn new() -> StringMap {
        StringMap::default()
    }

    /// Whether it has no key (also for `skip_serializing_if`: Go's `omitempty` leaves an empty
    /// map out).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Deref for StringMap {
    type Target = BTreeMap<String, String>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for StringMap {
    fn deref_mut(&mut self) -> &mut Self::Target {
        Arc::make_mut(&mut self.0)
    }
}

impl std::fmt::Debug for StringMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<BTreeMap<String, String>> for StringMap {
    fn from(map: BTreeMap<String, String>) -> StringMap {
        StringMap(Arc::new(map))
    }
}

impl<const N: usize> From<[(String, String); N]> for StringMap {
    fn from(pairs: [(String, String); N]) -> StringMap {
        StringMap::from(BTreeMap::from(pairs))
    }
}

impl FromIterator<(String, String)> for StringMap {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> StringMap {
        StringMap::from(iter.into_iter().collect::<BTreeMap<_, _>>())
    }
}

impl Extend<(String, String)> for StringMap {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, iter: I) {
        Arc::make_mut(&mut self.0).extend(iter);
    }
}

impl<'a> IntoIterator for &'a StringMap {
    type Item = (&'a String, &'a String);
    type IntoIter = std::collections::btree_map::Iter<'a, String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for StringMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for StringMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StringMap, D::Error> {
        BTreeMap::deserialize(deserializer).map(StringMap::from)
    }
}

#[cfg(test)]
mod tests {
    use super::StringMap;

    #[test]
    fn clones_share_until_one_changes() {
        let mut a: StringMap = [("app".to_string(), "web".to_string())].into();
        let b = a.clone();
        assert!(std::sync::Arc::ptr_eq(&a.0, &b.0));
        a.insert("tier".into(), "front".into());
        assert!(!std::sync::Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(b.len(), 1);
        assert_eq!(a.len(), 2);
    }
}

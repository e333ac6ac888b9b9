//! The JSON-like tree `-o json|yaml|jsonpath|custom-columns` read. `kubectl get` decodes
//! objects as `unstructured.Unstructured` (maps), so every printer sees keys sorted as Go's
//! encoders sort map keys; `apiVersion` and `kind`, which the lab's structs leave out, are
//! added from [`ResourceKind::info`].

use serde::Serialize;
use svclab_sim::api::{Object, ResourceKind};

/// A JSON value with object keys kept sorted.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys sorted.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// A field of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A field of an object, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A field of an object, added as an empty object if missing (nothing for a non-object).
    pub fn object_field(&mut self, key: &str) -> Option<&mut Value> {
        if self.get(key).is_none() {
            self.set(key, Value::Object(Vec::new()));
        }
        self.get_mut(key)
    }

    /// Sets (or adds, keeping keys sorted) a field of an object.
    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(m) = self {
            match m.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
                Ok(i) => m[i].1 = value,
                Err(i) => m.insert(i, (key.to_string(), value)),
            }
        }
    }

    /// Builds a sorted object from pairs.
    pub fn object(pairs: Vec<(&str, Value)>) -> Value {
        let mut v = Value::Object(Vec::new());
        for (k, x) in pairs {
            v.set(k, x);
        }
        v
    }

    /// Parses JSON or YAML text (kubectl turns a YAML patch into JSON before sending it).
    pub fn parse_yaml(text: &str) -> Result<Value, String> {
        serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
            .map(Value::from_yaml)
            .map_err(|e| e.to_string())
    }

    fn from_yaml(y: serde_yaml_ng::Value) -> Value {
        use serde_yaml_ng::Value as Y;
        match y {
            Y::Null => Value::Null,
            Y::Bool(b) => Value::Bool(b),
            Y::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Value::Int(i64::try_from(u).unwrap_or(i64::MAX))
                } else {
                    Value::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            Y::String(s) => Value::Str(s),
            Y::Sequence(s) => Value::Array(s.into_iter().map(Value::from_yaml).collect()),
            Y::Mapping(m) => {
                let mut pairs: Vec<(String, Value)> = m
                    .into_iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Y::String(s) => s,
                            other => serde_yaml_ng::to_string(&other)
                                .unwrap_or_default()
                                .trim_end()
                                .to_string(),
                        };
                        (key, Value::from_yaml(v))
                    })
                    .collect();
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(pairs)
            }
            Y::Tagged(t) => Value::from_yaml(t.value),
        }
    }

    /// The value of any serializable struct, keys sorted.
    pub fn from_serialize<T: Serialize>(v: &T) -> Value {
        match serde_yaml_ng::to_value(v) {
            Ok(y) => Value::from_yaml(y),
            Err(_) => Value::Null,
        }
    }
}

/// The object's own fields as they serialize, nothing derived and no type meta.
pub fn own_value(obj: &Object) -> Value {
    match obj {
        Object::Namespace(o) => Value::from_serialize(o),
        Object::Node(o) => Value::from_serialize(o),
        Object::Pod(o) => Value::from_serialize(o),
        Object::ReplicaSet(o) => Value::from_serialize(o),
        Object::Deployment(o) => Value::from_serialize(o),
        Object::DaemonSet(o) => Value::from_serialize(o),
        Object::StatefulSet(o) => Value::from_serialize(o),
        Object::ControllerRevision(o) => Value::from_serialize(o),
        Object::ConfigMap(o) => Value::from_serialize(o),
        Object::Secret(o) => Value::from_serialize(o),
        Object::PersistentVolumeClaim(o) => Value::from_serialize(o),
        Object::PersistentVolume(o) => Value::from_serialize(o),
        Object::StorageClass(o) => Value::from_serialize(o),
        Object::Service(o) => Value::from_serialize(o),
        Object::Endpoints(o) => Value::from_serialize(o),
        Object::EndpointSlice(o) => Value::from_serialize(o),
    }
}

/// The object as `kubectl get -o json` sees it: its fields plus `apiVersion` and `kind`.
pub fn object_value(obj: &Object) -> Value {
    let mut v = own_value(obj);
    if !matches!(v, Value::Object(_)) {
        v = Value::Object(Vec::new());
    }
    match obj {
        Object::Pod(p) => super::derived_pod::add_pod_fields(&mut v, p.qos_class()),
        Object::ReplicaSet(_)
        | Object::Deployment(_)
        | Object::DaemonSet(_)
        | Object::StatefulSet(_) => super::derived_pod::add_template_defaults(&mut v),
        _ => {}
    }
    with_type_meta(v, obj.kind())
}

/// `v` with the kind's `apiVersion` and `kind`.
pub fn with_type_meta(mut v: Value, kind: ResourceKind) -> Value {
    let info = kind.info();
    v.set("apiVersion", Value::Str(info.api_version.to_string()));
    v.set("kind", Value::Str(info.kind.to_string()));
    v
}

/// The list `kubectl get` prints for `-o json|yaml` when more than one object (or a whole
/// kind) was asked for: `{"apiVersion":"v1","items":[…],"kind":"List","metadata":
/// {"resourceVersion":""}}` (get.go builds an `unstructured.UnstructuredList` of kind List).
pub fn list_value(items: Vec<Value>) -> Value {
    Value::object(vec![
        ("apiVersion", Value::Str("v1".into())),
        ("items", Value::Array(items)),
        ("kind", Value::Str("List".into())),
        (
            "metadata",
            Value::object(vec![("resourceVersion", Value::Str(String::new()))]),
        ),
    ])
}

/// `-o name`: `kind.group/name` in lower case, e.g. `pod/web-x2k9z`,
/// `replicaset.apps/web-6d4b8f9c7` (printers/name.go with the mapping's GroupKind).
pub fn object_name(kind: ResourceKind, name: &str) -> String {
    format!("{}/{}", kind.qualified_lower(), name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use svclab_sim::api::Pod;

    #[test]
    fn objects_gain_type_meta_and_sorted_keys() {
        let mut p = Pod::default();
        p.metadata.name = "web".into();
        p.metadata.namespace = "dev".into();
        let v = object_value(&Object::Pod(p));
        let keys: Vec<&str> = match &v {
            Value::Object(m) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => vec![],
        };
        assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec", "status"]);
        let meta_keys: Vec<&str> = match v.get("metadata") {
            Some(Value::Object(m)) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => vec![],
        };
        assert_eq!(meta_keys, ["name", "namespace"]);
        assert_eq!(
            object_name(ResourceKind::ReplicaSet, "a"),
            "replicaset.apps/a"
        );
        assert_eq!(object_name(ResourceKind::Pod, "a"), "pod/a");
    }
}

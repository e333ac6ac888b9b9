//! From a checked JSON value to the lab's typed object, and what the lab leaves out.
//!
//! The value goes through serde (`serde_yaml_ng::Value` → `from_value`). Go decodes a missing
//! non-pointer field as its zero value where the lab's structs may require it, so when serde
//! reports `missing field`, those fields are filled with Go's zero values from the schema and
//! the decode retried. Then the object is serialized again and compared with the input: a field
//! present in the input with a non-empty value but absent after the round trip is one the lab
//! does not simulate, reported as a note rather than silently dropped.

use serde_yaml_ng::{Mapping, Number, Value};

use super::json::{JNode, JValue};
use super::schema::{Schema, Shape};
use crate::api::{Object, ResourceKind};
use crate::yaml::Location;

/// A field the lab did not keep: its path and the position of its key.
pub(crate) type Dropped = (String, Location);

/// Decodes `root` (already accepted by the strict check) into the lab's object.
pub(crate) fn decode(
    schema: &Schema,
    kind: ResourceKind,
    def: &'static str,
    root: &JNode,
) -> Result<(Object, Vec<Dropped>), String> {
    let mut input = root.clone();
    let mut filled: Vec<String> = Vec::new();
    let object = loop {
        match from_value(kind, to_value(&input.value)) {
            Ok(o) => break o,
            Err(e) => {
                let Some(field) = missing_field(&e) else {
                    return Err(e);
                };
                if filled.contains(&field) || filled.len() > 64 {
                    return Err(e);
                }
                fill_zero(schema, &Shape::Def(def), &mut input, &field);
                filled.push(field);
            }
        }
    };
    let back = to_yaml_value(&object).map_err(|e| e.to_string())?;
    let mut dropped = Vec::new();
    if let (JValue::Object(m), Value::Mapping(out)) = (&root.value, &back) {
        for (k, e) in m {
            // TypeMeta is not kept by the lab's structs; it is checked separately.
            if k == "apiVersion" || k == "kind" {
                continue;
            }
            diff(&e.value, out.get(k.as_str()), k, e.key_loc, &mut dropped);
        }
    }
    Ok((object, dropped))
}

fn from_value(kind: ResourceKind, v: Value) -> Result<Object, String> {
    let e = |e: serde_yaml_ng::Error| e.to_string();
    Ok(match kind {
        ResourceKind::Namespace => Object::Namespace(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::Node => Object::Node(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::Pod => Object::Pod(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::ReplicaSet => Object::ReplicaSet(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::Deployment => Object::Deployment(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::DaemonSet => Object::DaemonSet(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::ControllerRevision => {
            Object::ControllerRevision(serde_yaml_ng::from_value(v).map_err(e)?)
        }
        ResourceKind::StatefulSet => Object::StatefulSet(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::ConfigMap => Object::ConfigMap(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::Secret => Object::Secret(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::PersistentVolumeClaim => {
            Object::PersistentVolumeClaim(serde_yaml_ng::from_value(v).map_err(e)?)
        }
        ResourceKind::PersistentVolume => {
            Object::PersistentVolume(serde_yaml_ng::from_value(v).map_err(e)?)
        }
        ResourceKind::StorageClass => {
            Object::StorageClass(serde_yaml_ng::from_value(v).map_err(e)?)
        }
        ResourceKind::Service => Object::Service(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::Endpoints => Object::Endpoints(serde_yaml_ng::from_value(v).map_err(e)?),
        ResourceKind::EndpointSlice => {
            Object::EndpointSlice(serde_yaml_ng::from_value(v).map_err(e)?)
        }
    })
}

fn to_yaml_value(o: &Object) -> Result<Value, serde_yaml_ng::Error> {
    match o {
        Object::Namespace(x) => serde_yaml_ng::to_value(x),
        Object::Node(x) => serde_yaml_ng::to_value(x),
        Object::Pod(x) => serde_yaml_ng::to_value(x),
        Object::ReplicaSet(x) => serde_yaml_ng::to_value(x),
        Object::Deployment(x) => serde_yaml_ng::to_value(x),
        Object::DaemonSet(x) => serde_yaml_ng::to_value(x),
        Object::StatefulSet(x) => serde_yaml_ng::to_value(x),
        Object::ControllerRevision(x) => serde_yaml_ng::to_value(x),
        Object::ConfigMap(x) => serde_yaml_ng::to_value(x),
        Object::Secret(x) => serde_yaml_ng::to_value(x),
        Object::PersistentVolumeClaim(x) => serde_yaml_ng::to_value(x),
        Object::PersistentVolume(x) => serde_yaml_ng::to_value(x),
        Object::StorageClass(x) => serde_yaml_ng::to_value(x),
        Object::Service(x) => serde_yaml_ng::to_value(x),
        Object::Endpoints(x) => serde_yaml_ng::to_value(x),
        Object::EndpointSlice(x) => serde_yaml_ng::to_value(x),
    }
}

/// The field name in serde's ``missing field `x` `` message.
fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.split("missing field `").nth(1)?;
    rest.split('`').next().map(str::to_owned)
}

/// The JSON value as serde sees it; numbers by their literal (Go's JSON has no other kind).
fn to_value(v: &JValue) -> Value {
    match v {
        JValue::Null => Value::Null,
        JValue::Bool(b) => Value::Bool(*b),
        JValue::Number(n) => {
            if let Ok(i) = n.parse::<i64>() {
                Value::Number(Number::from(i))
            } else if let Ok(u) = n.parse::<u64>() {
                Value::Number(Number::from(u))
            } else {
                Value::Number(Number::from(n.parse::<f64>().unwrap_or(0.0)))
            }
        }
        JValue::String(s) => Value::String(s.clone()),
        JValue::Array(items) => Value::Sequence(items.iter().map(|i| to_value(&i.value)).collect()),
        JValue::Object(m) => {
            let mut out = Mapping::new();
            // Go decodes `null` into a field as its zero value (or nil): the same as leaving
            // the field out, which is what the lab's structs understand
            // (`creationTimestamp: null` in kubectl's generated YAML).
            for (k, e) in m
                .iter()
                .filter(|(_, e)| !matches!(e.value.value, JValue::Null))
            {
                out.insert(Value::String(k.clone()), to_value(&e.value.value));
            }
            Value::Mapping(out)
        }
    }
}

/// Gives every object of a definition with a non-pointer field `field` that the input leaves
/// out Go's zero value for it (`""`, `0`, `false`, an empty list).
fn fill_zero(schema: &Schema, shape: &Shape, node: &mut JNode, field: &str) {
    match (shape, &mut node.value) {
        (Shape::Def(d), JValue::Object(m)) => {
            let Some(def) = schema.def(d) else { return };
            if let Some(f) = def.field(field) {
                if !f.pointer && !m.contains_key(field) {
                    let zero = match &f.shape {
                        Shape::Str => Some(JValue::String(String::new())),
                        Shape::Int32 | Shape::Int64 | Shape::Float => {
                            Some(JValue::Number("0".to_owned()))
                        }
                        Shape::Bool => Some(JValue::Bool(false)),
                        Shape::Array(_) => Some(JValue::Array(Vec::new())),
                        _ => None,
                    };
                    if let Some(value) = zero {
                        let loc = node.loc;
                        m.insert(
                            field.to_owned(),
                            super::json::JEntry {
                                key_loc: loc,
                                value: JNode { value, loc },
                            },
                        );
                    }
                }
            }
            for (k, e) in m.iter_mut() {
                if let Some(f) = def.field(k) {
                    fill_zero(schema, &f.shape, &mut e.value, field);
                }
            }
        }
        (Shape::Array(elem), JValue::Array(items)) => {
            for i in items {
                fill_zero(schema, elem, i, field);
            }
        }
        (Shape::Map(elem), JValue::Object(m)) => {
            for e in m.values_mut() {
                fill_zero(schema, elem, &mut e.value, field);
            }
        }
        _ => {}
    }
}

/// Go's zero values and empty collections: dropping them changes nothing.
fn is_empty(v: &JValue) -> bool {
    match v {
        JValue::Null => true,
        JValue::Bool(b) => !b,
        JValue::Number(n) => n.parse::<f64>().is_ok_and(|f| f == 0.0),
        JValue::String(s) => s.is_empty(),
        JValue::Array(items) => items.is_empty(),
        JValue::Object(m) => m.values().all(|e| is_empty(&e.value.value)),
    }
}

/// Records the non-empty parts of `input` that `output` lacks.
fn diff(input: &JNode, output: Option<&Value>, path: &str, loc: Location, out: &mut Vec<Dropped>) {
    if is_empty(&input.value) {
        return;
    }
    let Some(output) = output else {
        out.push((path.to_owned(), loc));
        return;
    };
    match (&input.value, output) {
        (JValue::Object(m), Value::Mapping(o)) => {
            for (k, e) in m {
                diff(
                    &e.value,
                    o.get(k.as_str()),
                    &format!("{path}.{k}"),
                    e.key_loc,
                    out,
                );
            }
        }
        (JValue::Array(items), Value::Sequence(o)) => {
            for (i, item) in items.iter().enumerate() {
                diff(item, o.get(i), &format!("{path}[{i}]"), item.loc, out);
            }
        }
        _ => {}
    }
}

//! The three patch formats `kubectl patch --type` sends, applied to an object's JSON tree as
//! the API server applies them:
//!
//! - `strategic` (the default): maps merge, `null` deletes a key, and the lists the API marks
//!   with a `patchMergeKey` merge item by item on that key (`$patch: delete` removes one);
//!   other lists are replaced (`k8s.io/apimachinery/pkg/util/strategicpatch/patch.go`).
//! - `merge`: RFC 7386 JSON merge patch: maps merge, `null` deletes, lists are replaced.
//! - `json`: RFC 6902 operations (`add`, `remove`, `replace`, `move`, `copy`, `test`) with
//!   errors worded as `github.com/evanphx/json-patch` words them.

use super::value::Value;

/// The list fields of the lab's kinds that strategic merge patch merges by a key, and the key
/// (the `patchMergeKey` tags in `k8s.io/api/core/v1/types.go` and `apps/v1/types.go`).
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    Some(match field {
        "containers" | "initContainers" | "env" | "volumes" | "imagePullSecrets" => "name",
        "volumeMounts" => "mountPath",
        "conditions" => "type",
        "ownerReferences" => "uid",
        // Container ports merge on containerPort, Service ports on port.
        "ports" if items.iter().any(|i| i.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        _ => return None,
    })
}

fn fields(v: &Value) -> &[(String, Value)] {
    match v {
        Value::Object(m) => m,
        _ => &[],
    }
}

fn remove(target: &mut Value, key: &str) {
    if let Value::Object(m) = target {
        m.retain(|(k, _)| k != key);
    }
}

/// What both merges start from: a patch that is not an object replaces the target; else the
/// target as an object (a non-object target counts as empty).
fn merge_start(target: &Value, patch: &Value) -> Result<Value, Value> {
    match (patch, target) {
        (Value::Object(_), Value::Object(_)) => Ok(target.clone()),
        (Value::Object(_), _) => Ok(Value::Object(Vec::new())),
        _ => Err(patch.clone()),
    }
}

/// RFC 7386: `target` with `patch` merged in.
pub fn json_merge(target: &Value, patch: &Value) -> Value {
    let mut out = match merge_start(target, patch) {
        Ok(out) => out,
        Err(replaced) => return replaced,
    };
    for (k, pv) in fields(patch) {
        match pv {
            Value::Null => remove(&mut out, k),
            _ => {
                let merged = json_merge(out.get(k).unwrap_or(&Value::Null), pv);
                out.set(k, merged);
            }
        }
    }
    out
}

/// Strategic merge patch: `target` with `patch` merged in.
pub fn strategic_merge(target: &Value, patch: &Value) -> Value {
    let mut out = match merge_start(target, patch) {
        Ok(out) => out,
        Err(replaced) => return replaced,
    };
    for (k, pv) in fields(patch) {
        let current = out.get(k).cloned().unwrap_or(Value::Null);
        let merged = match (&current, pv) {
            (_, Value::Null) => {
                remove(&mut out, k);
                continue;
            }
            (Value::Array(have), Value::Array(want)) => match merge_key(k, have) {
                Some(key) => Value::Array(merge_list(have, want, key)),
                None => pv.clone(),
            },
            (_, Value::Object(_)) => strategic_merge(&current, pv),
            _ => pv.clone(),
        };
        out.set(k, merged);
    }
    out
}

/// Merges list items that share `key`; new ones are appended; `$patch: delete` removes.
fn merge_list(have: &[Value], want: &[Value], key: &str) -> Vec<Value> {
    let mut out = have.to_vec();
    for item in want {
        let id = item.get(key);
        let delete = matches!(item.get("$patch"), Some(Value::Str(s)) if s == "delete");
        let at = id.and_then(|id| out.iter().position(|o| o.get(key) == Some(id)));
        match (at, delete) {
            (Some(i), true) => {
                out.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => out[i] = strategic_merge(&out[i], item),
            (None, false) => out.push(item.clone()),
        }
    }
    out
}

/// A JSON pointer's tokens (`/spec/ports/0` → `spec`, `ports`, `0`), `~1` and `~0` decoded.
fn pointer(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!(
            "JSON pointer must be empty or start with a \"/\": {path}"
        ));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn child<'a>(v: &'a mut Value, token: &str) -> Option<&'a mut Value> {
    match v {
        Value::Object(m) => m.iter_mut().find(|(k, _)| k == token).map(|(_, v)| v),
        Value::Array(a) => a.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The container a pointer's last token lives in, and that token.
fn parent<'a>(doc: &'a mut Value, tokens: &'a [String]) -> Option<(&'a mut Value, &'a str)> {
    let (last, init) = tokens.split_last()?;
    let mut at = doc;
    for t in init {
        at = child(at, t)?;
    }
    Some((at, last.as_str()))
}

fn get_at(doc: &Value, tokens: &[String]) -> Option<Value> {
    let mut copy = doc.clone();
    let mut at = &mut copy;
    for t in tokens {
        at = child(at, t)?;
    }
    Some(at.clone())
}

fn add_at(doc: &mut Value, tokens: &[String], value: Value, path: &str) -> Result<(), String> {
    if tokens.is_empty() {
        *doc = value;
        return Ok(());
    }
    let missing =
        || format!("add operation does not apply: doc is missing path: \"{path}\": missing value");
    let (container, last) = parent(doc, tokens).ok_or_else(missing)?;
    match container {
        Value::Object(_) => {
            container.set(last, value);
            Ok(())
        }
        Value::Array(a) => {
            let index = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>()
                    .ok()
                    .filter(|i| *i <= a.len())
                    .ok_or_else(|| format!("add operation does not apply: doc is missing path: \"{path}\": missing value"))?
            };
            a.insert(index, value);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove_at(doc: &mut Value, tokens: &[String], op: &str, path: &str) -> Result<Value, String> {
    let missing =
        || format!("{op} operation does not apply: doc is missing path: \"{path}\": missing value");
    let (container, last) = parent(doc, tokens).ok_or_else(missing)?;
    match container {
        Value::Object(m) => {
            let i = m.iter().position(|(k, _)| k == last).ok_or_else(missing)?;
            Ok(m.remove(i).1)
        }
        Value::Array(a) => {
            let i = last
                .parse::<usize>()
                .ok()
                .filter(|i| *i < a.len())
                .ok_or_else(missing)?;
            Ok(a.remove(i))
        }
        _ => Err(missing()),
    }
}

/// RFC 6902: applies the operations in order; the first that fails stops them all.
pub fn json_patch(doc: &Value, ops: &Value) -> Result<Value, String> {
    let Value::Array(ops) = ops else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = doc.clone();
    for op in ops {
        let text = |k: &str| match op.get(k) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let name = text("op").unwrap_or_default();
        let path = text("path").unwrap_or_default();
        let tokens = pointer(&path)?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("{name} operation does not apply: value is missing"))
        };
        match name.as_str() {
            "add" => add_at(&mut doc, &tokens, value()?, &path)?,
            "remove" => {
                remove_at(&mut doc, &tokens, "remove", &path)?;
            }
            "replace" => {
                remove_at(&mut doc, &tokens, "replace", &path)?;
                add_at(&mut doc, &tokens, value()?, &path)?;
            }
            "move" | "copy" => {
                let from = text("from").unwrap_or_default();
                let from_tokens = pointer(&from)?;
                let moved = if name == "move" {
                    remove_at(&mut doc, &from_tokens, &name, &from)?
                } else {
                    get_at(&doc, &from_tokens).ok_or_else(|| {
                        format!("copy operation does not apply: doc is missing from path: \"{from}\": missing value")
                    })?
                };
                add_at(&mut doc, &tokens, moved, &path)?;
            }
            "test" => {
                if get_at(&doc, &tokens) != Some(value()?) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        Value::parse_yaml(json).expect("json")
    }

    #[test]
    fn strategic_merge_merges_service_ports_by_port_and_replaces_plain_lists() {
        let svc = v(
            r#"{"spec":{"type":"ClusterIP","ports":[{"port":80,"targetPort":80},{"port":443}],"externalIPs":["1.2.3.4"]}}"#,
        );
        let patch = v(
            r#"{"spec":{"type":"NodePort","ports":[{"port":80,"nodePort":30080},{"port":443,"$patch":"delete"}],"externalIPs":["5.6.7.8"]}}"#,
        );
        let out = strategic_merge(&svc, &patch);
        assert_eq!(
            out,
            v(
                r#"{"spec":{"type":"NodePort","ports":[{"port":80,"targetPort":80,"nodePort":30080}],"externalIPs":["5.6.7.8"]}}"#
            )
        );
        // JSON merge patch replaces the list instead.
        let merged = json_merge(&svc, &v(r#"{"spec":{"ports":[{"port":8080}]}}"#));
        assert_eq!(
            merged.get("spec").and_then(|s| s.get("ports")),
            Some(&v(r#"[{"port":8080}]"#))
        );
    }

    #[test]
    fn null_deletes_and_containers_merge_by_name() {
        let pod = v(
            r#"{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"web","image":"nginx:1"},{"name":"side","image":"busybox"}]}}"#,
        );
        let patch = v(
            r#"{"metadata":{"labels":{"b":null}},"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}"#,
        );
        let out = strategic_merge(&pod, &patch);
        assert_eq!(
            out,
            v(
                r#"{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"web","image":"nginx:2"},{"name":"side","image":"busybox"}]}}"#
            )
        );
    }

    #[test]
    fn json_patch_operations_and_their_errors() {
        let doc = v(r#"{"spec":{"replicas":2,"ports":[{"port":80}]}}"#);
        let ops = v(
            r#"[{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/spec/ports/-","value":{"port":443}},{"op":"test","path":"/spec/replicas","value":3},{"op":"copy","from":"/spec/replicas","path":"/spec/copy"},{"op":"move","from":"/spec/copy","path":"/spec/moved"}]"#,
        );
        assert_eq!(
            json_patch(&doc, &ops),
            Ok(v(
                r#"{"spec":{"replicas":3,"ports":[{"port":80},{"port":443}],"moved":3}}"#
            ))
        );
        assert_eq!(
            json_patch(&doc, &v(r#"[{"op":"remove","path":"/spec/nope"}]"#)),
            Err("remove operation does not apply: doc is missing path: \"/spec/nope\": missing value".into())
        );
        assert_eq!(
            json_patch(
                &doc,
                &v(r#"[{"op":"test","path":"/spec/replicas","value":9}]"#)
            ),
            Err("testing value /spec/replicas failed: test failed".into())
        );
    }
}

//! `kubectl describe` for a kind without its own describer (ControllerRevisions):
//! describe.go's `genericDescriber`, which prints the object's unstructured content with
//! `printUnstructuredContent` and labels each field with `smartLabelFor`.

use svclab_sim::api::Object;
use svclab_sim::cluster::Event;

use super::describe::{annotations_multiline, describe_events, labels_multiline, W};
use super::value::{object_value, Value};

/// The fields already printed above the content (`.metadata.name`, …) or never printed.
const SKIPPED: [&str; 5] = [
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

/// `genericDescriber.Describe`.
pub fn describe_generic(object: &Object, events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let meta = object.meta();
    w.line(0, &format!("Name:\t{}\n", meta.name));
    w.line(0, &format!("Namespace:\t{}\n", meta.namespace));
    labels_multiline(&mut w, "", "Labels", &meta.labels);
    annotations_multiline(&mut w, "Annotations", &meta.annotations);
    if let Value::Object(fields) = object_value(object) {
        content(&mut w, 0, &fields, "");
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `printUnstructuredContent`: keys sorted, maps and lists as nested blocks, scalars as `%v`.
fn content(w: &mut W, level: usize, fields: &[(String, Value)], prefix: &str) {
    for (field, value) in fields {
        let path = format!("{prefix}.{field}");
        if SKIPPED.contains(&path.as_str()) {
            continue;
        }
        match value {
            Value::Object(inner) => {
                w.line(level, &format!("{}:\n", smart_label(field)));
                content(w, level + 1, inner, &path);
            }
            Value::Array(items) => {
                w.line(level, &format!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(inner) => content(w, level + 1, inner, &path),
                        other => w.line(level + 1, &format!("{}\n", go_value(other))),
                    }
                }
            }
            other => w.line(
                level,
                &format!("{}:\t{}\n", smart_label(field), go_value(other)),
            ),
        }
    }
}

/// `%v` of a decoded JSON scalar.
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// `smartLabelFor`: `creationTimestamp` → `Creation Timestamp`, `apiVersion` → `API Version`;
/// a name with characters other than letters and `-` is left as it is (`$patch`).
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    camel_split(field)
        .into_iter()
        .map(|part| {
            let upper = part.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                let mut chars = part.chars();
                chars.next().map_or(String::new(), |c| {
                    c.to_uppercase().collect::<String>() + chars.as_str()
                })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `camelcase.Split` (fatih/camelcase) for letters and dashes: a new part starts where the
/// character class changes, and an upper-case run followed by lower case gives its last
/// letter to the next part (`HTTPServer` → `HTTP`, `Server`).
fn camel_split(s: &str) -> Vec<String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Lower,
        Upper,
        Other,
    }
    let class = |c: char| {
        if c.is_lowercase() {
            Class::Lower
        } else if c.is_uppercase() {
            Class::Upper
        } else {
            Class::Other
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last: Option<Class> = None;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if last == Some(k) => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = Some(k);
    }
    for i in 0..runs.len().saturating_sub(1) {
        let (upper_run, lower_next) = match (runs.get(i), runs.get(i + 1)) {
            (Some(a), Some(b)) => (
                a.first().is_some_and(|c| c.is_uppercase()),
                b.first().is_some_and(|c| c.is_lowercase()),
            ),
            _ => (false, false),
        };
        if upper_run && lower_next {
            if let Some(moved) = runs.get_mut(i).and_then(Vec::pop) {
                if let Some(next) = runs.get_mut(i + 1) {
                    next.insert(0, moved);
                }
            }
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_kubectl_writes_them() {
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("blockOwnerDeletion"), "Block Owner Deletion");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("revision"), "Revision");
        assert_eq!(smart_label("$patch"), "$patch");
        assert_eq!(smart_label("HTTPServer"), "HTTP Server");
    }
}

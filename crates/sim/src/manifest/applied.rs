//! `kubectl.kubernetes.io/last-applied-configuration`: what `kubectl apply` records on the
//! object (staging/src/k8s.io/kubectl/pkg/util/apply.go `GetModifiedConfiguration`). It takes
//! the object as read from the file, with the namespace kubectl resolved, sets its annotations
//! without that key (an empty map if it had none), encodes it as compact JSON with sorted keys,
//! and stores that text plus the JSON encoder's trailing newline.

use std::collections::BTreeMap;

use super::json::{to_go_json, JEntry, JNode, JValue};
use crate::yaml::Location;

/// The annotation's key.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A document's JSON as kubectl read it, kept to compute the annotation later.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedJson {
    root: JValue,
}

fn entry(value: JValue) -> JEntry {
    JEntry {
        key_loc: Location { line: 0, column: 0 },
        value: JNode {
            value,
            loc: Location { line: 0, column: 0 },
        },
    }
}

// JSON numbers are kept as their literal text, so equality is total.
impl Eq for AppliedJson {}

impl AppliedJson {
    pub(super) fn new(root: JValue) -> Self {
        AppliedJson { root }
    }

    /// The annotation's value for this document, with `namespace` filled in when the document
    /// names none (for namespaced kinds only: pass `None` for cluster-scoped ones).
    pub fn last_applied(&self, namespace: Option<&str>) -> String {
        let mut root = self.root.clone();
        if let JValue::Object(top) = &mut root {
            let meta = top
                .entry("metadata".to_string())
                .or_insert_with(|| entry(JValue::Object(BTreeMap::new())));
            if let JValue::Object(m) = &mut meta.value.value {
                if let Some(ns) = namespace {
                    m.entry("namespace".to_string())
                        .or_insert_with(|| entry(JValue::String(ns.to_string())));
                }
                let annotations = m
                    .entry("annotations".to_string())
                    .or_insert_with(|| entry(JValue::Object(BTreeMap::new())));
                match &mut annotations.value.value {
                    JValue::Object(a) => {
                        a.remove(LAST_APPLIED);
                    }
                    other => *other = JValue::Object(BTreeMap::new()),
                }
            }
        }
        let mut out = String::new();
        to_go_json(&root, &mut out);
        out.push('\n');
        out
    }
}

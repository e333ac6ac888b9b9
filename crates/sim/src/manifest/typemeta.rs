//! `apiVersion` and `kind`: kubectl's client-side checks and its REST mapping.
//!
//! 1. cli-runtime pkg/resource/visitor.go `ValidateSchema` with kubectl's default
//!    `--validate=strict` (kubectl pkg/validation/schema.go `paramVerifyingSchema`, and
//!    pkg/validation/validation.go `getObjectKind`): `apiVersion not set`, `apiVersion isn't
//!    string type`, `unexpected GroupVersion string: %v`, `kind not set`, `kind isn't string
//!    type`, or `invalid object to validate` for a document that is not a mapping; aggregated
//!    and printed as `error validating "x.yaml": error validating data: …; if you choose to
//!    ignore these errors, turn validation off with --validate=false`. The stream stops there.
//! 2. cli-runtime pkg/resource/mapper.go `infoForData`: the unstructured decoder refuses an empty
//!    kind (`unable to decode "x.yaml": Object 'Kind' is missing in '<json>'`, apimachinery
//!    runtime/error.go), and the REST mapper an unknown kind or version (`resource mapping not
//!    found for name: %q namespace: %q from %q: %w\nensure CRDs are installed first`, with
//!    meta.NoKindMatchError `no matches for kind %q in version %q`).

use super::error::aggregate;
use super::json::{to_go_json, JNode, JValue};
use super::schema::Schema;
use crate::api::ResourceKind;
use crate::yaml::{go_quote, Location};

/// cli-runtime visitor.go `stopValidateMessage`.
pub(crate) const STOP_VALIDATE_MESSAGE: &str =
    "if you choose to ignore these errors, turn validation off with --validate=false";

/// A type-meta failure: kubectl's text (without `error: `), where, and whether it stops the
/// stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TypeMetaError {
    /// Client-side validation (stops the stream).
    Validation(String, Option<Location>),
    /// `kind: ""`.
    MissingKind(String, Option<Location>),
    /// No such kind in that version.
    NoMatch(String, Option<Location>),
    /// A real kind the lab does not simulate.
    NotSimulated(String, Option<Location>),
}

/// The kind a document names, with its root schema definition and group version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TypeMeta {
    pub kind: ResourceKind,
    pub def: &'static str,
    /// The version part of `apiVersion` (`v1`), as the API server's messages print it.
    pub version: String,
    /// The kind as written.
    pub kind_name: String,
}

fn member<'a>(root: &'a JNode, key: &str) -> Option<(&'a JNode, Location)> {
    match &root.value {
        JValue::Object(m) => m.get(key).map(|e| (&e.value, e.key_loc)),
        _ => None,
    }
}

/// schema.ParseGroupVersion (apimachinery pkg/runtime/schema/group_version.go).
fn parse_group_version(gv: &str) -> Result<(String, String), String> {
    if gv.is_empty() || gv == "/" {
        return Ok((String::new(), String::new()));
    }
    match gv.matches('/').count() {
        0 => Ok((String::new(), gv.to_owned())),
        1 => {
            let (g, v) = gv.split_once('/').unwrap_or(("", gv));
            Ok((g.to_owned(), v.to_owned()))
        }
        _ => Err(format!("unexpected GroupVersion string: {gv}")),
    }
}

/// Runs kubectl's checks on a document's `apiVersion` and `kind`.
pub(crate) fn resolve(
    schema: &Schema,
    root: &JNode,
    source: &str,
) -> Result<TypeMeta, TypeMetaError> {
    if !matches!(root.value, JValue::Object(_)) {
        return Err(TypeMetaError::Validation(
            validation_message(source, "invalid object to validate"),
            Some(root.loc),
        ));
    }
    let mut errs = Vec::new();
    let mut first_loc = None;
    let api = member(root, "apiVersion");
    let kind = member(root, "kind");
    let mut gv = (String::new(), String::new());
    match api {
        None
        | Some((
            JNode {
                value: JValue::Null,
                ..
            },
            _,
        )) => {
            errs.push("apiVersion not set".to_owned());
            first_loc = first_loc.or(api.map(|a| a.1));
        }
        Some((
            JNode {
                value: JValue::String(s),
                ..
            },
            loc,
        )) => match parse_group_version(s) {
            Ok(parsed) => gv = parsed,
            Err(e) => {
                errs.push(e);
                first_loc = first_loc.or(Some(loc));
            }
        },
        Some((_, loc)) => {
            errs.push("apiVersion isn't string type".to_owned());
            first_loc = first_loc.or(Some(loc));
        }
    }
    let kind_name = match kind {
        None
        | Some((
            JNode {
                value: JValue::Null,
                ..
            },
            _,
        )) => {
            errs.push("kind not set".to_owned());
            first_loc = first_loc.or(kind.map(|k| k.1));
            String::new()
        }
        Some((
            JNode {
                value: JValue::String(s),
                ..
            },
            _,
        )) => s.clone(),
        Some((_, loc)) => {
            errs.push("kind isn't string type".to_owned());
            first_loc = first_loc.or(Some(loc));
            String::new()
        }
    };
    if !errs.is_empty() {
        return Err(TypeMetaError::Validation(
            validation_message(source, &aggregate(&errs)),
            first_loc.or(Some(root.loc)),
        ));
    }
    let kind_loc = kind.map(|k| k.1);
    if kind_name.is_empty() {
        let mut json = String::new();
        to_go_json(&root.value, &mut json);
        return Err(TypeMetaError::MissingKind(
            format!(
                "unable to decode {}: Object 'Kind' is missing in '{json}'",
                go_quote(source)
            ),
            kind_loc,
        ));
    }
    let (group, version) = gv;
    let group_version = if group.is_empty() {
        version.clone()
    } else {
        format!("{group}/{version}")
    };
    // An empty apiVersion maps to the group's preferred version (core only: the group is "").
    let lookup_version = if group_version.is_empty() {
        "v1"
    } else {
        group_version.as_str()
    };
    let found = ResourceKind::from_type_meta(lookup_version, &kind_name)
        .and_then(|k| {
            schema
                .root(k.info().api_version, &kind_name)
                .map(|d| (k, d))
        })
        .filter(|(k, _)| !group_version.is_empty() || k.info().group.is_empty());
    if let Some((kind, def)) = found {
        return Ok(TypeMeta {
            kind,
            def,
            version: if version.is_empty() {
                "v1".to_owned()
            } else {
                version
            },
            kind_name,
        });
    }
    let api_loc = api.map(|a| a.1);
    if schema.served(&group_version, &kind_name) {
        return Err(TypeMetaError::NotSimulated(
            not_simulated(&kind_name, &group_version),
            kind_loc,
        ));
    }
    let name = string_at(root, &["metadata", "name"]);
    let namespace = string_at(root, &["metadata", "namespace"]);
    Err(TypeMetaError::NoMatch(
        format!(
            "resource mapping not found for name: {} namespace: {} from {}: no matches for kind {} in version {}\nensure CRDs are installed first",
            go_quote(&name),
            go_quote(&namespace),
            go_quote(source),
            go_quote(&kind_name),
            go_quote(&group_version)
        ),
        api_loc.or(kind_loc),
    ))
}

fn validation_message(source: &str, detail: &str) -> String {
    format!(
        "error validating {}: error validating data: {detail}; {STOP_VALIDATE_MESSAGE}",
        go_quote(source)
    )
}

/// unstructured's `NestedString`-style accessor: the string at `path`, else empty.
fn string_at(root: &JNode, path: &[&str]) -> String {
    let mut node = root;
    for key in path {
        match member(node, key) {
            Some((n, _)) => node = n,
            None => return String::new(),
        }
    }
    match &node.value {
        JValue::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// The lab's words for a real Kubernetes kind it does not simulate (`ConfigMap`, `v1`).
pub fn not_simulated(kind: &str, group_version: &str) -> String {
    format!(
        "the lab does not simulate {kind} objects ({group_version}): it serves Namespaces, \
         Nodes, Pods, ReplicaSets, Deployments, DaemonSets, StatefulSets, ControllerRevisions, ConfigMaps, Secrets, \
         PersistentVolumeClaims, PersistentVolumes, StorageClasses, Services, Endpoints and EndpointSlices"
    )
}

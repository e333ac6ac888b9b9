//! Manifests as `kubectl apply -f` / `create -f` read them (kubectl v1.33, Kubernetes v1.33.1):
//! from a file's text to the lab's typed objects, with kubectl's and the API server's exact
//! error texts and positions for the editor.
//!
//! Per document, in kubectl's order:
//! 1. the file is split at `---` lines ([`split`], apimachinery `YAMLReader`);
//! 2. each chunk is parsed with libyaml and converted to JSON as sigs.k8s.io/yaml does (go-yaml
//!    v2 rules: `yes`/`on` are booleans, duplicate keys keep the last value) (`json.rs`);
//!    empty documents are skipped;
//! 3. `apiVersion`/`kind` are checked and mapped (`typemeta.rs`);
//! 4. the object is strictly decoded against the real v1.33 schema, as the API server does with
//!    `fieldValidation=Strict` (`strict.rs`, `schema.txt`);
//! 5. it is decoded into [`crate::api::Object`], and every non-empty field the lab's types do
//!    not keep is reported as a [`Note::NotSimulated`] (`typed.rs`).
//!
//! Errors of steps 1–3 that kubectl reports while reading (`error parsing …`,
//! `error validating …`) stop kubectl's reading of the file: [`ManifestError::stops_stream`].
//! [`decode_manifests`] still decodes the later documents for the editor;
//! [`kubectl_view`] gives what kubectl itself would go on to send.

mod applied;
mod error;
mod json;
mod quantity;
mod schema;
mod split;
mod strict;
mod typed;
mod typemeta;

pub use applied::{AppliedJson, LAST_APPLIED};
pub use error::{ManifestError, ManifestErrorKind, ManifestLocation, Note};
pub use json::go_json_string;
pub use typemeta::not_simulated;

use crate::api::Object;
use crate::yaml::tree::{parse_first_document_as, Dialect};
use crate::yaml::Location;
use typemeta::TypeMetaError;

/// A document that decoded into a lab object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedDocument {
    /// The object, as written (no defaults applied).
    pub object: Object,
    /// 0-based index of the document in the file (every `---`-separated chunk counts).
    pub index: usize,
    /// 1-based file line where the document's text starts.
    pub start_line: usize,
    /// Fields the lab ignores and keys written twice.
    pub notes: Vec<Note>,
    /// The document as kubectl read it, for `kubectl apply`'s last-applied annotation.
    pub applied: AppliedJson,
}

/// The outcome for one non-empty document.
pub type DocumentResult = Result<DecodedDocument, ManifestError>;

/// Decodes every document of a manifest file, as `kubectl apply -f <source_name>` reads it.
///
/// Empty documents are skipped, as kubectl skips them. Every later document is still decoded
/// after a failure, even where kubectl would stop reading ([`ManifestError::stops_stream`]).
pub fn decode_manifests(source_name: &str, text: &str) -> Vec<DocumentResult> {
    run(source_name, text, true)
}

/// The editor's fast path: only the errors, without building the lab's objects or the notes.
pub fn check_manifests(source_name: &str, text: &str) -> Vec<ManifestError> {
    run(source_name, text, false)
        .into_iter()
        .filter_map(Result::err)
        .collect()
}

/// What kubectl itself goes on with: the results up to and including the first error that
/// stops its reading of the file.
pub fn kubectl_view(results: &[DocumentResult]) -> &[DocumentResult] {
    let end = results
        .iter()
        .position(|r| r.as_ref().err().is_some_and(|e| e.stops_stream))
        .map_or(results.len(), |i| i + 1);
    results.get(..end).unwrap_or(results)
}

fn run(source: &str, text: &str, build: bool) -> Vec<DocumentResult> {
    let schema = schema::schema();
    let mut out = Vec::new();
    for (index, chunk) in split::split_documents(text).into_iter().enumerate() {
        let at = |loc: Location, path: &str| ManifestLocation {
            document: index,
            location: Location {
                line: loc.line.saturating_add(chunk.first_line).saturating_sub(1),
                column: loc.column,
            },
            path: path.to_owned(),
        };
        let err = |kind, message: String, location: Option<ManifestLocation>, stops| {
            Err(ManifestError {
                kind,
                message,
                reason: None,
                location,
                related: Vec::new(),
                stops_stream: stops,
            })
        };
        if let Some((message, line)) = &chunk.separator_error {
            out.push(err(
                ManifestErrorKind::Syntax,
                format!("error parsing {source}: {message}"),
                Some(ManifestLocation {
                    document: index,
                    location: Location {
                        line: *line,
                        column: 1,
                    },
                    path: String::new(),
                }),
                true,
            ));
            break;
        }
        // sigs.k8s.io/yaml `Unmarshal`, wrapped by visitor.go as `error parsing %s: %v`.
        let tree = match parse_first_document_as(&chunk.text, Dialect::V2) {
            Ok(t) => t,
            Err(e) => {
                out.push(err(
                    ManifestErrorKind::Syntax,
                    format!(
                        "error parsing {source}: error converting YAML to JSON: {}",
                        e.message
                    ),
                    e.location.map(|l| at(l, "")),
                    true,
                ));
                continue;
            }
        };
        let converted = match json::convert(&tree) {
            Ok(c) => c,
            Err(e) => {
                let (kind, message) = if e.lab_limit {
                    (ManifestErrorKind::Lab, e.message)
                } else {
                    (
                        ManifestErrorKind::Syntax,
                        format!(
                            "error parsing {source}: error converting YAML to JSON: {}",
                            e.message
                        ),
                    )
                };
                out.push(err(kind, message, e.location.map(|l| at(l, "")), true));
                continue;
            }
        };
        let Some(root) = converted.root else {
            continue;
        };
        if matches!(root.value, json::JValue::Null) {
            continue;
        }
        // `kubectl get -o yaml` of several objects writes a v1 List; kubectl's builder
        // flattens it into its items (cli-runtime `FlattenListVisitor`).
        let objects = list_items(&root).unwrap_or_else(|| vec![root]);
        let mut duplicates = converted.duplicates;
        for root in objects {
            let tm = match typemeta::resolve(schema, &root, source) {
                Ok(tm) => tm,
                Err(e) => {
                    let (kind, message, loc, stops) = match e {
                        TypeMetaError::Validation(m, l) => {
                            (ManifestErrorKind::Validation, m, l, true)
                        }
                        TypeMetaError::MissingKind(m, l) => {
                            (ManifestErrorKind::MissingKind, m, l, false)
                        }
                        TypeMetaError::NoMatch(m, l) => {
                            (ManifestErrorKind::NoKindMatch, m, l, false)
                        }
                        TypeMetaError::NotSimulated(m, l) => {
                            (ManifestErrorKind::KindNotSimulated, m, l, false)
                        }
                    };
                    out.push(err(kind, message, loc.map(|l| at(l, "")), stops));
                    continue;
                }
            };
            if let Some(f) = strict::check(schema, tm.def, &root) {
                let mut places = f.places.iter().map(|(p, l)| at(*l, p));
                let location = places.next();
                out.push(Err(ManifestError {
                    kind: ManifestErrorKind::BadRequest,
                    message: format!(
                        "error when creating {}: {} in version {} cannot be handled as a {}: {}",
                        crate::yaml::go_quote(source),
                        tm.kind_name,
                        crate::yaml::go_quote(&tm.version),
                        tm.kind_name,
                        f.message
                    ),
                    reason: Some("BadRequest"),
                    location,
                    related: places.collect(),
                    stops_stream: false,
                }));
                continue;
            }
            let mut notes: Vec<Note> = std::mem::take(&mut duplicates)
                .iter()
                .map(|d| Note::DuplicateKey {
                    path: d.path.clone(),
                    location: at(d.last, &d.path),
                    first: at(d.first, &d.path),
                })
                .collect();
            if !build {
                continue;
            }
            match typed::decode(schema, tm.kind, tm.def, &root) {
                Ok((object, dropped)) => {
                    notes.extend(dropped.into_iter().map(|(path, loc)| Note::NotSimulated {
                        location: at(loc, &path),
                        path,
                    }));
                    out.push(Ok(DecodedDocument {
                        object,
                        applied: AppliedJson::new(root.value.clone()),
                        index,
                        start_line: chunk.first_line,
                        notes,
                    }));
                }
                Err(e) => out.push(err(
                    ManifestErrorKind::Lab,
                    format!("the lab could not read this {}: {e}", tm.kind_name),
                    Some(at(root.loc, "")),
                    false,
                )),
            }
        }
    }
    out
}

/// The items of a `kind: List` (`apiVersion: v1`), or `None` for any other object.
fn list_items(root: &json::JNode) -> Option<Vec<json::JNode>> {
    let json::JValue::Object(fields) = &root.value else {
        return None;
    };
    let is = |key: &str, want: &str| matches!(fields.get(key).map(|e| &e.value.value), Some(json::JValue::String(s)) if s == want);
    if !(is("kind", "List") && is("apiVersion", "v1")) {
        return None;
    }
    match fields.get("items").map(|e| &e.value.value) {
        Some(json::JValue::Array(items)) => Some(items.clone()),
        _ => Some(Vec::new()),
    }
}

#[cfg(test)]
mod tests;

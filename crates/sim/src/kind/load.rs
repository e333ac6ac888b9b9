//! Reading a kind config from YAML text, as `encoding.Parse` does
//! (`pkg/internal/apis/config/encoding/load.go`, kind v0.29.0):
//!
//! 1. `yaml.Unmarshal` into `typeMeta` (not strict); a failure is wrapped as
//!    `could not determine kind / apiVersion for config: …`;
//! 2. apiVersion `kind.x-k8s.io/v1alpha4` with kind `Cluster`, else `unknown kind %s for
//!    apiVersion: %s` / `unknown apiVersion: %s` (an absent field prints as empty);
//! 3. a strict decode (`KnownFields(true)`) into `v1alpha4.Cluster`, failures wrapped as
//!    `unable to decode config: …`.
//!
//! Only the first YAML document is read, as go-yaml's decoder does.

use super::config::{Cluster, SourceMap, API_VERSION, KIND};
use super::config_decode::{decode_cluster, decode_type_meta, TypeMeta};
use super::error::{Location, Problem};
use super::yaml_decode::{Decoder, Fatal};
use crate::yaml::tree::parse_first_document;

/// A config read from YAML: the values as written (no defaults yet) and where each field was.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadedConfig {
    /// The decoded config, before defaulting.
    pub cluster: Cluster,
    /// Positions of the fields present in the YAML.
    pub source_map: SourceMap,
}

/// Why a config could not be read: kind's message plus positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// kind's error text (what follows `ERROR: failed to create cluster: `).
    pub message: String,
    /// Each underlying problem with its YAML position when known.
    pub problems: Vec<Problem>,
}

const TYPE_META_PREFIX: &str = "could not determine kind / apiVersion for config";
const DECODE_PREFIX: &str = "unable to decode config";

/// Parses a kind config from YAML text, strictly, with kind's error texts.
pub fn parse_config(yaml: &str) -> Result<LoadedConfig, LoadError> {
    let tree = match parse_first_document(yaml) {
        Ok(t) => t,
        Err(e) => {
            return Err(wrapped(
                TYPE_META_PREFIX,
                e.message.clone(),
                vec![problem(&e.message, e.location)],
            ))
        }
    };

    // Pass 1: typeMeta, not strict.
    let mut tm = TypeMeta::default();
    let mut d = Decoder::new(&tree, false);
    if let Some(root) = d.document_content() {
        if let Err(f) = decode_type_meta(&mut d, root, &mut tm) {
            return Err(fatal(TYPE_META_PREFIX, f));
        }
    }
    if let Some(msg) = d.type_error_message() {
        let problems = d
            .errors
            .iter()
            .map(|e| problem(&e.text, Some(e.location)))
            .collect();
        return Err(wrapped(TYPE_META_PREFIX, msg, problems));
    }
    let spans = d.spans;

    if tm.api_version != API_VERSION {
        let message = format!("unknown apiVersion: {}", tm.api_version);
        let location = spans.value("apiVersion");
        return Err(LoadError {
            problems: vec![Problem {
                message: message.clone(),
                path: "apiVersion".to_owned(),
                location,
            }],
            message,
        });
    }
    if tm.kind != KIND {
        let message = format!(
            "unknown kind {} for apiVersion: {}",
            tm.kind, tm.api_version
        );
        let location = spans.value("kind");
        return Err(LoadError {
            problems: vec![Problem {
                message: message.clone(),
                path: "kind".to_owned(),
                location,
            }],
            message,
        });
    }

    // Pass 2: the whole v1alpha4.Cluster, strict.
    let mut cluster = Cluster::default();
    let mut d = Decoder::new(&tree, true);
    if let Some(root) = d.document_content() {
        if let Err(f) = decode_cluster(&mut d, root, &mut cluster) {
            return Err(fatal(DECODE_PREFIX, f));
        }
    }
    if let Some(msg) = d.type_error_message() {
        let problems = d
            .errors
            .iter()
            .map(|e| problem(&e.text, Some(e.location)))
            .collect();
        return Err(wrapped(DECODE_PREFIX, msg, problems));
    }
    Ok(LoadedConfig {
        cluster,
        source_map: d.spans,
    })
}

fn problem(message: &str, location: Option<Location>) -> Problem {
    Problem {
        message: message.to_owned(),
        path: String::new(),
        location,
    }
}

/// `errors.Wrap(err, prefix)`: `prefix: err`.
fn wrapped(prefix: &str, message: String, problems: Vec<Problem>) -> LoadError {
    LoadError {
        message: format!("{prefix}: {message}"),
        problems,
    }
}

fn fatal(prefix: &str, f: Fatal) -> LoadError {
    let p = problem(&f.message, f.location);
    wrapped(prefix, f.message, vec![p])
}

//! A file's problems as its tool reports them, for the editors: the kind config as
//! `kind create cluster --config` reads it, anything else as `kubectl apply -f` reads it.

use svclab_protocol::Diagnostic;
use svclab_sim::kind::{plan_create, CreateRequest};
use svclab_sim::manifest::{decode_manifests, Note};

/// Whether a file is a kind config: by name, or by its `kind: Cluster` header.
fn is_kind_config(path: &str, text: &str) -> bool {
    path.ends_with("kind-config.yaml") || text.contains("apiVersion: kind.x-k8s.io/")
}

/// The problems and notes of one file.
pub fn diagnose(path: &str, text: &str) -> Vec<Diagnostic> {
    if is_kind_config(path, text) {
        return kind_config(text);
    }
    let mut out = Vec::new();
    for result in decode_manifests(path, text) {
        match result {
            Err(e) => {
                let (line, column) = e
                    .location
                    .as_ref()
                    .map_or((0, 0), |l| (l.location.line, l.location.column));
                out.push(Diagnostic {
                    line,
                    column,
                    message: e.printed(),
                    note: false,
                });
            }
            Ok(doc) => out.extend(doc.notes.iter().map(note)),
        }
    }
    out
}

fn note(n: &Note) -> Diagnostic {
    let (location, message) = match n {
        Note::NotSimulated { path, location } => (
            location,
            format!("{path}: accepted, not simulated by the lab"),
        ),
        Note::DuplicateKey {
            path,
            location,
            first,
        } => (
            location,
            format!(
                "{path}: written twice; kubectl keeps this one and drops line {}",
                first.location.line
            ),
        ),
    };
    Diagnostic {
        line: location.location.line,
        column: location.location.column,
        message,
        note: true,
    }
}

/// The config as `kind create cluster --config` plans it: parse, defaults, validation. Notes
/// are kept for the fields the learner wrote (defaults they did not write are no news).
fn kind_config(text: &str) -> Vec<Diagnostic> {
    let request = CreateRequest {
        config_yaml: Some(text),
        name_flag: None,
        env_cluster_name: None,
        image_flag: None,
        existing_clusters: &[],
    };
    match plan_create(&request) {
        Err(e) => {
            let message = e.cli_message();
            // kind prints several problems as one `[a, b]` line; each is placed on its own.
            let several = e.problems.len() > 1;
            let mut out: Vec<Diagnostic> = e
                .problems
                .iter()
                .map(|p| Diagnostic {
                    line: p.location.map_or(0, |l| l.line),
                    column: p.location.map_or(0, |l| l.column),
                    message: if several {
                        p.message.clone()
                    } else {
                        message.clone()
                    },
                    note: false,
                })
                .collect();
            if out.is_empty() {
                out.push(Diagnostic {
                    line: 0,
                    column: 0,
                    message,
                    note: false,
                });
            }
            out.dedup();
            out
        }
        Ok(plan) => plan
            .notes
            .into_iter()
            .filter_map(|n| {
                let at = n.location?;
                Some(Diagnostic {
                    line: at.line,
                    column: at.column,
                    message: format!("{}: {}", n.path, n.reason),
                    note: true,
                })
            })
            .collect(),
    }
}

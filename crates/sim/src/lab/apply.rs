//! `kubectl apply -f FILE` against one cluster: each document decoded, sent to the API server
//! and reported as kubectl reports it — a `kind.group/name created|configured|unchanged` line
//! per object on stdout, the errors on stderr after the run (kubectl collects them and prints
//! one as `error: …` / `Error from server (…): …`, several one per line).

use crate::apiserver::errors::kubectl_error_output;
use crate::apiserver::rest::{self, Applied};
use crate::cluster::Cluster;
use crate::manifest::{decode_manifests, kubectl_view, Note, LAST_APPLIED};

/// The result of applying one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// What kubectl prints on stdout.
    pub stdout: String,
    /// What kubectl prints on stderr.
    pub stderr: String,
    /// Fields the lab accepted but does not simulate, as `path (line L, column C)`.
    pub notes: Vec<String>,
    /// Whether every document was applied (kubectl's exit status 0).
    pub success: bool,
}

/// Applies every document of `text` (named `source` in messages) in `namespace` unless a
/// document names its own.
pub fn apply_file(cluster: &mut Cluster, source: &str, text: &str, namespace: &str) -> ApplyReport {
    let decoded = decode_manifests(source, text);
    let mut report = ApplyReport::default();
    let mut errors: Vec<String> = Vec::new();
    let mut single_forms: Vec<String> = Vec::new();
    for result in kubectl_view(&decoded) {
        match result {
            Err(e) => {
                errors.push(e.printed_in_list());
                single_forms.push(e.printed());
            }
            Ok(doc) => {
                for note in &doc.notes {
                    if let Note::NotSimulated { path, location } = note {
                        report.notes.push(format!(
                            "{path} (line {}, column {})",
                            location.location.line, location.location.column
                        ));
                    }
                }
                let kind = doc.object.kind();
                let name = doc.object.meta().name.clone();
                // kubectl records what it applied on the object itself.
                let mut object = doc.object.clone();
                let ns = kind.info().namespaced.then_some(namespace);
                object
                    .meta_mut()
                    .annotations
                    .insert(LAST_APPLIED.to_string(), doc.applied.last_applied(ns));
                match rest::apply(cluster, object, namespace) {
                    Ok((outcome, stored)) => {
                        let shown = if name.is_empty() {
                            stored.meta().name.clone()
                        } else {
                            name
                        };
                        report.stdout.push_str(&format!(
                            "{}/{} {}\n",
                            kind.qualified_lower(),
                            shown,
                            outcome_word(outcome)
                        ));
                    }
                    Err(err) => {
                        let printed = kubectl_error_output(&err, Some(("creating", source)));
                        let line = printed.trim_end().to_string();
                        errors.push(line.clone());
                        single_forms.push(line);
                    }
                }
            }
        }
    }
    report.success = errors.is_empty();
    report.stderr = match single_forms.as_slice() {
        [] => String::new(),
        [one] => format!("{one}\n"),
        _ => errors.iter().map(|e| format!("{e}\n")).collect(),
    };
    report
}

fn outcome_word(outcome: Applied) -> &'static str {
    outcome.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::tests::article_cluster;

    const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n";
    const REPLICASET: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 6\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n";

    #[test]
    fn the_articles_replicaset_applies_then_is_unchanged() {
        let mut cluster = article_cluster(2);
        let ns = apply_file(&mut cluster, "ns.yaml", NAMESPACE, "default");
        assert_eq!(ns.stdout, "namespace/dev created\n");
        let first = apply_file(
            &mut cluster,
            "./manifests/nginx-replicaset.yaml",
            REPLICASET,
            "default",
        );
        assert_eq!(first.stdout, "replicaset.apps/nginx-replicaset created\n");
        assert!(first.success && first.stderr.is_empty() && first.notes.is_empty());
        let again = apply_file(
            &mut cluster,
            "./manifests/nginx-replicaset.yaml",
            REPLICASET,
            "default",
        );
        assert_eq!(again.stdout, "replicaset.apps/nginx-replicaset unchanged\n");
        let scaled = REPLICASET.replace("replicas: 6", "replicas: 3");
        let third = apply_file(
            &mut cluster,
            "./manifests/nginx-replicaset.yaml",
            &scaled,
            "default",
        );
        assert_eq!(
            third.stdout,
            "replicaset.apps/nginx-replicaset configured\n"
        );
    }

    #[test]
    fn apply_records_the_last_applied_configuration_as_kubectl_does() {
        let mut cluster = article_cluster(2);
        apply_file(&mut cluster, "ns.yaml", NAMESPACE, "default");
        apply_file(&mut cluster, "rs.yaml", REPLICASET, "default");
        let ns = cluster
            .store
            .get::<crate::api::Namespace>("", "dev")
            .expect("namespace");
        assert_eq!(
            ns.metadata.annotations[LAST_APPLIED],
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},\"name\":\"dev\"}}\n"
        );
        let rs = cluster
            .store
            .get::<crate::api::ReplicaSet>("dev", "nginx-replicaset")
            .expect("replicaset");
        assert!(rs.metadata.annotations[LAST_APPLIED].starts_with(
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"annotations\":{},\"name\":\"nginx-replicaset\",\"namespace\":\"dev\"},\"spec\":{\"replicas\":6,"
        ));
    }

    #[test]
    fn a_missing_namespace_fails_with_kubectls_words_and_changes_nothing() {
        let mut cluster = article_cluster(2);
        let before = cluster.store.next_resource_version_peek();
        let report = apply_file(
            &mut cluster,
            "./manifests/nginx-replicaset.yaml",
            REPLICASET,
            "default",
        );
        assert!(!report.success);
        assert_eq!(report.stdout, "");
        assert_eq!(
            report.stderr,
            "Error from server (NotFound): error when creating \"./manifests/nginx-replicaset.yaml\": namespaces \"dev\" not found\n"
        );
        assert_eq!(cluster.store.next_resource_version_peek(), before);
    }

    #[test]
    fn a_broken_document_does_not_stop_the_good_ones_before_it() {
        let mut cluster = article_cluster(2);
        let text = format!("{NAMESPACE}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  namespace: dev\nspec:\n  ports:\n  - port: 80\n    bogus: 1\n");
        let report = apply_file(&mut cluster, "both.yaml", &text, "default");
        assert_eq!(report.stdout, "namespace/dev created\n");
        assert!(
            report
                .stderr
                .contains("strict decoding error: unknown field \"spec.ports[0].bogus\""),
            "{}",
            report.stderr
        );
    }
}

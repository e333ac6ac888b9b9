//! `kubectl apply -f` and `kubectl delete -f`.

use svclab_sim::apiserver::errors::kubectl_error_output;
use svclab_sim::apiserver::rest;
use svclab_sim::lab::apply_file;
use svclab_sim::manifest::{decode_manifests, kubectl_view};

use crate::io::Output;
use crate::programs::Context;

use super::dry_run::{with_suffix, DryRun};
use super::files::read_all;
use super::target::Target;

/// `kubectl apply -f …`: each file's documents in order; stdout lines, then the errors.
pub fn apply(
    paths: &[&str],
    dry_run: DryRun,
    target: &Target,
    stdin: &str,
    ctx: &mut Context<'_>,
) -> Output {
    let sources = match read_all(paths, ctx.workspace, stdin) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    let mut errors = String::new();
    for source in sources {
        let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
            continue;
        };
        let report = dry_run.against(cluster, |c| {
            apply_file(c, &source.name, &source.text, &target.namespace)
        });
        out.out(with_suffix(&report.stdout, dry_run));
        errors.push_str(&report.stderr);
        if !report.success {
            out.status = 1;
        }
    }
    out.err(errors);
    out
}

/// `kubectl delete -f …`: `kind "name" deleted` per object, NotFound errors at the end.
pub fn delete(
    paths: &[&str],
    dry_run: DryRun,
    target: &Target,
    stdin: &str,
    ctx: &mut Context<'_>,
) -> Output {
    let sources = match read_all(paths, ctx.workspace, stdin) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    let mut errors = String::new();
    for source in sources {
        let decoded = decode_manifests(&source.name, &source.text);
        for result in kubectl_view(&decoded) {
            let doc = match result {
                Ok(doc) => doc,
                Err(e) => {
                    errors.push_str(&format!("{}\n", e.printed()));
                    out.status = 1;
                    continue;
                }
            };
            let kind = doc.object.kind();
            let meta = doc.object.meta();
            let ns = if meta.namespace.is_empty() {
                target.namespace.clone()
            } else {
                meta.namespace.clone()
            };
            let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
                continue;
            };
            match dry_run.against(cluster, |c| rest::delete(c, kind, &ns, &meta.name)) {
                Ok(()) => {
                    out.out(format!(
                        "{} \"{}\" deleted{}\n",
                        kind.qualified_lower(),
                        meta.name,
                        dry_run.suffix()
                    ));
                    if dry_run == DryRun::None {
                        super::wait_for_pods_gone(ctx, &target.cluster);
                    }
                }
                Err(e) => {
                    errors.push_str(&kubectl_error_output(&e, Some(("deleting", &source.name))));
                    out.status = 1;
                }
            }
        }
    }
    out.err(errors);
    out
}

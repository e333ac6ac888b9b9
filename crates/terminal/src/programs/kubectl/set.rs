//! `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE…` (`*=IMAGE` for every
//! container), as `k8s.io/kubectl/pkg/cmd/set/set_image.go` does it: the new images are
//! patched into the pod template (or the pod), the result goes through the API server's
//! update, and `kind/name image updated` is printed for each object that changed.

use svclab_sim::api::{Container, Object, ResourceKind};
use svclab_sim::apiserver::errors::{kubectl_error_output, StatusError};
use svclab_sim::apiserver::rest;

use crate::io::Output;
use crate::programs::Context;

use super::fail;
use super::target::Target;

/// Runs `kubectl set SUBCOMMAND …`.
pub fn run(operands: &[&str], target: &Target, ctx: &mut Context<'_>) -> Output {
    match operands {
        ["image", rest @ ..] => image(rest, target, ctx),
        [] => fail(
            "error: Required subcommand not specified.\nSee 'kubectl set -h' for help and examples",
        ),
        [other, ..] => fail(&format!(
            "error: the lab's kubectl set knows image (got {other})"
        )),
    }
}

fn image(operands: &[&str], target: &Target, ctx: &mut Context<'_>) -> Output {
    let (objects, pairs): (Vec<&str>, Vec<&str>) = operands.iter().partition(|o| !o.contains('='));
    let images: Vec<(&str, &str)> = pairs.iter().filter_map(|p| p.split_once('=')).collect();
    if images.is_empty() {
        return fail("error: at least one image update is required");
    }
    let names: Vec<(ResourceKind, String)> = match objects.as_slice() {
        [one] if one.contains('/') => match one.split_once('/') {
            Some((kind, name)) => match ResourceKind::from_resource_arg(kind) {
                Some(k) => vec![(k, name.to_string())],
                None => return fail(&format!("error: the server doesn't have a resource type \"{kind}\"")),
            },
            None => Vec::new(),
        },
        [kind, names @ ..] if !names.is_empty() => match ResourceKind::from_resource_arg(kind) {
            Some(k) => names.iter().map(|n| (k, n.to_string())).collect(),
            None => return fail(&format!("error: the server doesn't have a resource type \"{kind}\"")),
        },
        _ => return fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
    };
    let mut out = Output::status(0);
    for (kind, name) in names {
        let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
            return Output::status(1);
        };
        let info = kind.info();
        let key = (target.namespace.clone(), name.clone());
        let Some(mut object) = cluster.store.get_object(kind, &key) else {
            out.status = 1;
            out.err(kubectl_error_output(
                &StatusError::not_found(info.group, info.plural, &name),
                None,
            ));
            continue;
        };
        let Some(containers) = containers_of(&mut object) else {
            out.status = 1;
            out.err(format!(
                "error: {}/{name} does not have a pod template\n",
                kind.qualified_lower()
            ));
            continue;
        };
        let mut changed = false;
        for (container, image) in &images {
            let mut found = false;
            for c in containers.iter_mut() {
                if *container == "*" || c.name == *container {
                    found = true;
                    changed |= c.image != *image;
                    c.image = image.to_string();
                }
            }
            if !found {
                out.status = 1;
                out.err(format!(
                    "error: unable to find container named \"{container}\"\n"
                ));
                return out;
            }
        }
        if !changed {
            continue;
        }
        match rest::apply(cluster, object, &target.namespace) {
            Ok(_) => out.out(format!("{}/{name} image updated\n", kind.qualified_lower())),
            Err(e) => {
                out.status = 1;
                out.err(kubectl_error_output(&e, None));
            }
        }
    }
    out
}

/// The containers `set image` changes: a pod's, or a workload's template's.
fn containers_of(object: &mut Object) -> Option<&mut Vec<Container>> {
    let spec = match object {
        Object::Pod(p) => &mut p.spec,
        Object::ReplicaSet(r) => &mut r.spec.template.spec,
        Object::Deployment(d) => &mut d.spec.template.spec,
        Object::DaemonSet(d) => &mut d.spec.template.spec,
        Object::StatefulSet(s) => &mut s.spec.template.spec,
        _ => return None,
    };
    Some(&mut spec.containers)
}

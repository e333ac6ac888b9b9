//! Verbs that change existing objects: `delete TYPE NAME`, `scale`, `label`, `cordon`,
//! `uncordon`, `drain`, `rollout status`.

use svclab_sim::api::{Deployment, Node, Pod, ReplicaSet, ResourceKind, StatefulSet};
use svclab_sim::apiserver::errors::{kubectl_error_output, StatusError};
use svclab_sim::apiserver::rest;
use svclab_sim::cluster::Cluster;

use crate::io::Output;
use crate::kubectl::field_selector::FieldSelector;
use crate::kubectl::object_value;
use crate::programs::args::Args;
use crate::programs::Context;

use super::dry_run::DryRun;
use super::target::Target;
use super::wait_for_pods_gone;

pub(super) fn error(text: &str) -> Output {
    let mut out = Output::status(1);
    out.err(format!("{text}\n"));
    out
}

fn unknown_type(kind: &str) -> Output {
    error(&format!(
        "error: {}",
        super::resource_types::unknown_type(kind)
    ))
}

/// `TYPE NAME…` or `TYPE/NAME…` operands as (kind, name) pairs.
pub(super) fn objects(operands: &[&str]) -> Result<Vec<(ResourceKind, String)>, Output> {
    let mut out = Vec::new();
    let mut pending_kind: Option<ResourceKind> = None;
    for op in operands {
        if let Some((kind, name)) = op.split_once('/') {
            let k = ResourceKind::from_resource_arg(kind).ok_or_else(|| unknown_type(kind))?;
            out.push((k, name.to_string()));
        } else if let Some(k) = pending_kind {
            out.push((k, op.to_string()));
        } else {
            pending_kind =
                Some(ResourceKind::from_resource_arg(op).ok_or_else(|| unknown_type(op))?);
        }
    }
    if out.is_empty() {
        return Err(match pending_kind {
            Some(k) => error(&format!(
                "error: resource(s) were provided, but no name was specified for {}",
                k.info().plural
            )),
            None => error("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"),
        });
    }
    Ok(out)
}

fn cluster<'a>(ctx: &'a mut Context<'_>, target: &Target) -> Option<&'a mut Cluster> {
    ctx.lab.cluster_mut(&target.cluster)
}

/// `kubectl delete TYPE NAME…` (and `TYPE --all`, `TYPE -l SELECTOR`, `TYPE --field-selector F`).
pub fn delete_by_name(
    operands: &[&str],
    args: &Args,
    target: &Target,
    ctx: &mut Context<'_>,
) -> Output {
    let by_query = args.has("all")
        || args.value("selector").is_some()
        || args.value("field-selector").is_some();
    let list: Vec<(ResourceKind, String)> = if by_query {
        let Some(kind) = operands
            .first()
            .and_then(|k| ResourceKind::from_resource_arg(k))
        else {
            return error("error: resource type required");
        };
        let Some(c) = ctx.lab.cluster(&target.cluster) else {
            return Output::status(1);
        };
        let ns = kind.info().namespaced.then_some(target.namespace.as_str());
        let selector = args
            .value("selector")
            .map(crate::kubectl::selector::parse_selector);
        // The list behind the delete goes through the API server's field filter too.
        let fields = match FieldSelector::from_flag(args.value("field-selector")) {
            Ok(f) => f,
            Err(e) => return error(&format!("error: {e}")),
        };
        if let Some(refused) = fields
            .as_ref()
            .and_then(|f| f.unsupported(kind, args.value("selector").unwrap_or("")))
        {
            let mut out = Output::status(1);
            out.err(refused);
            return out;
        }
        c.store
            .keys_of(kind, ns)
            .into_iter()
            .filter(|key| {
                let Some(o) = c.store.get_object(kind, key) else {
                    return false;
                };
                let labels_pass = match &selector {
                    None => true,
                    Some(Ok(sel)) => sel.matches(&o.meta().labels),
                    Some(Err(_)) => false,
                };
                labels_pass && fields.as_ref().is_none_or(|f| f.matches(&object_value(&o)))
            })
            .map(|(_, name)| (kind, name))
            .collect()
    } else {
        match objects(operands) {
            Ok(l) => l,
            Err(out) => return out,
        }
    };
    let mut out = Output::status(0);
    if list.is_empty() {
        out.err("No resources found\n");
        return out;
    }
    let mut errors = String::new();
    let dry_run = DryRun::from_args(args).unwrap_or(DryRun::None);
    for (kind, name) in list {
        let Some(c) = cluster(ctx, target) else {
            continue;
        };
        match dry_run.against(c, |c| rest::delete(c, kind, &target.namespace, &name)) {
            Ok(()) => out.out(format!(
                "{} \"{name}\" deleted{}\n",
                kind.qualified_lower(),
                dry_run.suffix()
            )),
            Err(e) => {
                out.status = 1;
                errors.push_str(&kubectl_error_output(&e, None));
            }
        }
    }
    if dry_run == DryRun::None {
        wait_for_pods_gone(ctx, &target.cluster);
    }
    out.err(errors);
    out
}

/// The /scale subresource's write: `set` on the stored object; false when there is none.
fn set_replicas<T: svclab_sim::cluster::Resource + PartialEq>(
    c: &mut Cluster,
    (ns, name): (&str, &str),
    set: impl FnOnce(&mut T),
) -> bool {
    c.store.get::<T>(ns, name).is_some() && {
        c.modify::<T>(ns, name, set);
        true
    }
}

/// `kubectl scale (rs|deploy|sts) NAME --replicas=N`.
pub fn scale(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let Some(value) = args.value("replicas") else {
        return error("error: required flag(s) \"replicas\" not set");
    };
    let Ok(replicas) = value.parse::<i32>() else {
        return error(&format!(
            "error: invalid argument \"{value}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax"
        ));
    };
    // scale.go `Validate`, before any request.
    if replicas < 0 {
        return error(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
    }
    let list = match objects(operands) {
        Ok(l) => l,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    for (kind, name) in list {
        let Some(c) = cluster(ctx, target) else {
            continue;
        };
        let ns = target.namespace.clone();
        let changed = match kind {
            ResourceKind::ReplicaSet => {
                set_replicas::<ReplicaSet>(c, (&ns, &name), |r| r.spec.replicas = Some(replicas))
            }
            ResourceKind::Deployment => {
                set_replicas::<Deployment>(c, (&ns, &name), |d| d.spec.replicas = Some(replicas))
            }
            ResourceKind::StatefulSet => {
                set_replicas::<StatefulSet>(c, (&ns, &name), |s| s.spec.replicas = Some(replicas))
            }
            _ => {
                // Only ReplicaSets, Deployments and StatefulSets (of the lab's kinds) have a /scale
                // subresource; the server answers 404 to the scale client's GET.
                out.status = 1;
                out.err("Error from server (NotFound): the server could not find the requested resource\n");
                continue;
            }
        };
        if changed {
            c.settle();
            out.out(format!("{}/{name} scaled\n", kind.qualified_lower()));
        } else {
            out.status = 1;
            out.err(kubectl_error_output(
                &StatusError::not_found(kind.info().group, kind.info().plural, &name),
                None,
            ));
        }
    }
    out
}

/// Which map of `metadata` `kubectl label` and `kubectl annotate` change.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MetaMap {
    /// `kubectl label`: `labeled`, or `unlabeled` when it only removed.
    Labels,
    /// `kubectl annotate`: `annotated` either way.
    Annotations,
}

/// `kubectl label|annotate TYPE NAME k=v… [k-…] [--overwrite]`.
pub fn label(
    operands: &[&str],
    args: &Args,
    target: &Target,
    ctx: &mut Context<'_>,
    map: MetaMap,
) -> Output {
    let (object_ops, changes): (Vec<&str>, Vec<&str>) = operands
        .iter()
        .partition(|o| !o.contains('=') && !o.ends_with('-'));
    let list = match objects(&object_ops) {
        Ok(l) => l,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    for (kind, name) in list {
        let ns = if kind.info().namespaced {
            target.namespace.clone()
        } else {
            String::new()
        };
        let key = (ns.clone(), name.clone());
        let Some(c) = cluster(ctx, target) else {
            continue;
        };
        let Some(mut object) = c.store.get_object(kind, &key) else {
            out.status = 1;
            out.err(kubectl_error_output(
                &StatusError::not_found(kind.info().group, kind.info().plural, &name),
                None,
            ));
            continue;
        };
        let labels = match map {
            MetaMap::Labels => &mut object.meta_mut().labels,
            MetaMap::Annotations => &mut object.meta_mut().annotations,
        };
        let mut removed_only = true;
        for change in &changes {
            if let Some(k) = change.strip_suffix('-') {
                labels.remove(k);
            } else if let Some((k, v)) = change.split_once('=') {
                removed_only = false;
                if let Some(old) = labels.get(k) {
                    if old != v && !args.has("overwrite") {
                        return error(&format!(
                            "error: '{k}' already has a value ({old}), and --overwrite is false"
                        ));
                    }
                }
                labels.insert(k.to_string(), v.to_string());
            }
        }
        c.stamp_update(object.meta_mut());
        c.store.put_object(object);
        c.settle();
        let word = match map {
            MetaMap::Annotations => "annotated",
            MetaMap::Labels if removed_only => "unlabeled",
            MetaMap::Labels => "labeled",
        };
        out.out(format!("{}/{name} {word}\n", kind.qualified_lower()));
    }
    out
}

/// `kubectl cordon|uncordon NODE`.
pub fn cordon(verb: &str, operands: &[&str], target: &Target, ctx: &mut Context<'_>) -> Output {
    let Some(node) = operands.first() else {
        return error(&format!(
            "error: resource(s) were provided, but no name was specified for {verb}"
        ));
    };
    set_unschedulable(verb == "cordon", node, target, ctx)
}

fn set_unschedulable(on: bool, node: &str, target: &Target, ctx: &mut Context<'_>) -> Output {
    let Some(c) = cluster(ctx, target) else {
        return Output::status(1);
    };
    if c.store.get::<Node>("", node).is_none() {
        return error(&format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        ));
    }
    let changed = c.modify::<Node>("", node, |n| n.spec.unschedulable = on);
    c.settle();
    let mut out = Output::status(0);
    let word = match (on, changed) {
        (true, true) => "cordoned",
        (false, true) => "uncordoned",
        (true, false) => "already cordoned",
        (false, false) => "already uncordoned",
    };
    out.out(format!("node/{node} {word}\n"));
    out
}

/// `kubectl drain NODE --ignore-daemonsets`: cordon, then evict every pod not owned by a
/// DaemonSet (or refuse without `--ignore-daemonsets`, as kubectl does).
pub fn drain(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let Some(node) = operands.first().copied() else {
        return error(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples",
        );
    };
    let mut out = set_unschedulable(true, node, target, ctx);
    if out.status != 0 {
        return out;
    }
    let Some(c) = cluster(ctx, target) else {
        return out;
    };
    let pods: Vec<Pod> = c
        .store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name == node && p.metadata.deletion_timestamp.is_none())
        .cloned()
        .collect();
    let (daemon, evictable): (Vec<&Pod>, Vec<&Pod>) = pods.iter().partition(|p| {
        p.metadata
            .controller_ref()
            .is_some_and(|r| r.kind == "DaemonSet" || r.kind == "Node")
    });
    let daemon_names: Vec<String> = daemon
        .iter()
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|r| r.kind == "DaemonSet")
        })
        .map(|p| format!("{}/{}", p.metadata.namespace, p.metadata.name))
        .collect();
    if !daemon_names.is_empty() && !args.has("ignore-daemonsets") {
        out.status = 1;
        out.err(format!(
            "error: unable to drain node \"{node}\" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}, continuing command...\nThere are pending nodes to be drained:\n {node}\ncannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}\n",
            daemon_names.join(", "),
            daemon_names.join(", ")
        ));
        return out;
    }
    if !daemon_names.is_empty() {
        out.err(format!(
            "Warning: ignoring DaemonSet-managed Pods: {}\n",
            daemon_names.join(", ")
        ));
    }
    for pod in &evictable {
        out.out(format!(
            "evicting pod {}/{}\n",
            pod.metadata.namespace, pod.metadata.name
        ));
    }
    for pod in &evictable {
        svclab_sim::controllers::delete_pod(c, &pod.metadata.namespace, &pod.metadata.name);
    }
    c.settle();
    wait_for_pods_gone(ctx, &target.cluster);
    for pod in &evictable {
        out.out(format!("pod/{} evicted\n", pod.metadata.name));
    }
    out.out(format!("node/{node} drained\n"));
    out
}

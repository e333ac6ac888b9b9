//! `kubectl rollout status|restart|history|undo` (k8s.io/kubectl/pkg/cmd/rollout and
//! pkg/polymorphichelpers: `rollout_status.go`, `objectrestarter.go`, `history.go`,
//! `rollback.go`). A Deployment's history is its ReplicaSets' revisions; StatefulSets' and
//! DaemonSets' are their ControllerRevisions (`rollout_revisions.rs`).

use svclab_sim::api::{DaemonSet, Deployment, Object, ReplicaSet, ResourceKind};
use svclab_sim::apiserver::errors::{kubectl_error_output, StatusError};
use svclab_sim::apiserver::rest;
use svclab_sim::cluster::{rfc3339, Cluster};
use svclab_sim::controllers::deployment_annotations::{revision, ANNOTATIONS_TO_SKIP};

use crate::io::Output;
use crate::programs::args::Args;
use crate::programs::Context;

use super::mutate::{error, objects};
use super::target::Target;

/// `kubectl.kubernetes.io/restartedAt`, the template annotation `rollout restart` sets.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// `ChangeCauseAnnotation`.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const HASH_LABEL: &str = "pod-template-hash";

/// Runs `kubectl rollout SUBCOMMAND …`.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let [sub, rest @ ..] = operands else {
        return error("error: Required resource not specified.");
    };
    match *sub {
        "status" => status(rest, target, ctx),
        "restart" => restart(rest, target, ctx),
        "history" => history(rest, args, target, ctx),
        "undo" => undo(rest, args, target, ctx),
        other => error(&format!(
            "error: the lab's kubectl rollout knows status, restart, history and undo (got {other})"
        )),
    }
}

/// The object's API error for a missing `kind/name`.
fn not_found(kind: ResourceKind, name: &str) -> String {
    let info = kind.info();
    kubectl_error_output(&StatusError::not_found(info.group, info.plural, name), None)
}

/// `kubectl rollout restart`: stamps `restartedAt` (RFC 3339, now) on the pod template, so the
/// controller rolls every pod.
fn restart(rest: &[&str], target: &Target, ctx: &mut Context<'_>) -> Output {
    let list = match objects(rest) {
        Ok(l) => l,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    for (kind, name) in list {
        let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
            return Output::status(1);
        };
        let key = (target.namespace.clone(), name.clone());
        let Some(mut object) = cluster.store.get_object(kind, &key) else {
            out.status = 1;
            out.err(not_found(kind, &name));
            continue;
        };
        let template = match &mut object {
            Object::Deployment(d) => &mut d.spec.template,
            Object::DaemonSet(d) => &mut d.spec.template,
            Object::StatefulSet(s) => &mut s.spec.template,
            _ => {
                out.status = 1;
                let what = kind.qualified_plural();
                out.err(format!(
                    "error: {what} \"{name}\" restarting is not supported\n"
                ));
                continue;
            }
        };
        let now = rfc3339(cluster.now_ms());
        let annotations = &mut template.metadata.annotations;
        if annotations.get(RESTARTED_AT) == Some(&now) {
            // The same patch twice within a second changes nothing.
            out.status = 1;
            out.err(format!("error: failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another\n"));
            continue;
        }
        annotations.insert(RESTARTED_AT.into(), now);
        match rest::apply(cluster, object, &target.namespace) {
            Ok(_) => out.out(format!("{}/{name} restarted\n", kind.qualified_lower())),
            Err(e) => {
                out.status = 1;
                out.err(kubectl_error_output(&e, None));
            }
        }
    }
    out
}

/// The ReplicaSets a Deployment controls.
fn replica_sets_of<'c>(c: &'c Cluster, d: &'c Deployment) -> Vec<&'c ReplicaSet> {
    c.store
        .list::<ReplicaSet>(Some(&d.metadata.namespace))
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|r| r.uid == d.metadata.uid)
        })
        .collect()
}

/// `--to-revision` / `--revision`: a whole number (0 when absent).
fn revision_flag(args: &Args, flag: &str) -> Result<u64, Output> {
    match args.value(flag) {
        None => Ok(0),
        Some(v) => v.parse().map_err(|_| {
            error(&format!(
                "error: invalid argument \"{v}\" for \"--{flag}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
            ))
        }),
    }
}

/// `history` and `undo` work on Deployments, StatefulSets and DaemonSets; other kinds have
/// none (kubectl's "no history viewer/rollbacker has been implemented for \"ReplicaSet.apps\"").
fn with_history(kind: ResourceKind, helper: &str) -> Result<(), String> {
    match kind {
        ResourceKind::Deployment | ResourceKind::StatefulSet | ResourceKind::DaemonSet => Ok(()),
        other => {
            let info = other.info();
            let group_kind = if info.group.is_empty() {
                info.kind.to_string()
            } else {
                format!("{}.{}", info.kind, info.group)
            };
            Err(format!(
                "error: no {helper} has been implemented for \"{group_kind}\"\n"
            ))
        }
    }
}

/// `kubectl rollout history deployment/NAME [--revision=N]` (`DeploymentHistoryViewer`).
fn history(rest: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let list = match objects(rest) {
        Ok(l) => l,
        Err(out) => return out,
    };
    let wanted = match revision_flag(args, "revision") {
        Ok(r) => r,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    let Some(c) = ctx.lab.cluster(&target.cluster) else {
        return Output::status(1);
    };
    for (kind, name) in list {
        if let Err(message) = with_history(kind, "history viewer") {
            out.status = 1;
            out.err(message);
            continue;
        }
        if kind != ResourceKind::Deployment {
            let key = (target.namespace.as_str(), name.as_str());
            match super::rollout_revisions::history(c, kind, key, wanted) {
                Ok(text) => out.out(text),
                Err(message) => {
                    out.status = 1;
                    out.err(message);
                }
            }
            continue;
        }
        let Some(d) = c.store.get::<Deployment>(&target.namespace, &name) else {
            out.status = 1;
            out.err(not_found(kind, &name));
            continue;
        };
        // Each revision's template, with the ReplicaSet's change cause on it.
        let mut by_revision: std::collections::BTreeMap<u64, svclab_sim::api::PodTemplateSpec> =
            Default::default();
        for rs in replica_sets_of(c, d) {
            let Some(r) = revision(rs) else { continue };
            let mut template = rs.spec.template.clone();
            if let Some(cause) = rs
                .metadata
                .annotations
                .get(CHANGE_CAUSE)
                .filter(|c| !c.is_empty())
            {
                template
                    .metadata
                    .annotations
                    .insert(CHANGE_CAUSE.into(), cause.clone());
            }
            by_revision.insert(r, template);
        }
        let head = format!("{}/{name}", kind.qualified_lower());
        if by_revision.is_empty() {
            out.out(format!("{head} \nNo rollout history found.\n"));
        } else if wanted > 0 {
            let Some(template) = by_revision.get(&wanted) else {
                out.status = 1;
                out.err("error: unable to find the specified revision\n".to_string());
                continue;
            };
            let text = crate::kubectl::describe::pod_template_text(template);
            out.out(format!("{head} with revision #{wanted}\n{text}\n"));
        } else {
            let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
            for (r, template) in &by_revision {
                let cause = template
                    .metadata
                    .annotations
                    .get(CHANGE_CAUSE)
                    .map_or("<none>", String::as_str);
                table.push_str(&format!("{r}\t{cause}\n"));
            }
            let table = crate::kubectl::tabwriter::format_describe(&table);
            out.out(format!("{head} \n{table}\n"));
        }
    }
    out
}

/// `kubectl rollout undo deployment/NAME [--to-revision=N]` (`DeploymentRollbacker`): the
/// template of the previous (or the given) revision, and its ReplicaSet's annotations, go back
/// into the Deployment.
fn undo(rest: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let list = match objects(rest) {
        Ok(l) => l,
        Err(out) => return out,
    };
    let to_revision = match revision_flag(args, "to-revision") {
        Ok(r) => r,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    for (kind, name) in list {
        if let Err(message) = with_history(kind, "rollbacker") {
            out.status = 1;
            out.err(message);
            continue;
        }
        let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
            return Output::status(1);
        };
        if kind != ResourceKind::Deployment {
            let key = (target.namespace.as_str(), name.as_str());
            match super::rollout_revisions::undo(cluster, kind, key, to_revision) {
                Ok(text) => out.out(text),
                Err(message) => {
                    out.status = 1;
                    out.err(message);
                }
            }
            continue;
        }
        let Some(d) = cluster
            .store
            .get::<Deployment>(&target.namespace, &name)
            .cloned()
        else {
            out.status = 1;
            out.err(not_found(kind, &name));
            continue;
        };
        let target_rs = match rollback_target(cluster, &d, to_revision) {
            Ok(rs) => rs,
            Err(message) => {
                out.status = 1;
                out.err(format!("error: {message}\n"));
                continue;
            }
        };
        let mut template = target_rs.spec.template.clone();
        template.metadata.labels.remove(HASH_LABEL);
        let head = format!("{}/{name}", kind.qualified_lower());
        if template == d.spec.template {
            out.out(format!(
                "{head} skipped rollback (current template already matches revision {to_revision})\n"
            ));
            continue;
        }
        // The Deployment keeps its own controller annotations and takes the ReplicaSet's others.
        let mut annotations = svclab_sim::api::StringMap::default();
        for key in ANNOTATIONS_TO_SKIP {
            if let Some(v) = d.metadata.annotations.get(key) {
                annotations.insert(key.into(), v.clone());
            }
        }
        for (k, v) in target_rs.metadata.annotations.iter() {
            if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        let mut rolled = d;
        rolled.spec.template = template;
        rolled.metadata.annotations = annotations;
        match rest::apply(cluster, Object::Deployment(rolled), &target.namespace) {
            Ok(_) => out.out(format!("{head} rolled back\n")),
            Err(e) => {
                out.status = 1;
                out.err(kubectl_error_output(&e, None));
            }
        }
    }
    out
}

/// `deploymentRevision`: the ReplicaSet of `to_revision`, or the second newest.
fn rollback_target(c: &Cluster, d: &Deployment, to_revision: u64) -> Result<ReplicaSet, String> {
    let mut revisions: Vec<(u64, &ReplicaSet)> = replica_sets_of(c, d)
        .into_iter()
        .filter_map(|rs| Some((revision(rs)?, rs)))
        .collect();
    if to_revision > 0 {
        return revisions
            .iter()
            .find(|(r, _)| *r == to_revision)
            .map(|(_, rs)| (*rs).clone())
            .ok_or_else(|| format!("unable to find specified revision {to_revision} in history"));
    }
    revisions.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
    revisions
        .get(1)
        .map(|(_, rs)| (*rs).clone())
        .ok_or_else(|| {
            format!(
                "no rollout history found for deployment \"{}\"",
                d.metadata.name
            )
        })
}

/// What a status viewer says about a rollout (`kubectl/pkg/polymorphichelpers/rollout_status.go`).
pub(super) enum Rollout {
    Waiting(String),
    Done(String),
    Failed(String),
}

/// `DeploymentStatusViewer`, for the cases the lab's Deployments reach.
fn deployment_rollout(c: &Cluster, ns: &str, name: &str) -> Option<Rollout> {
    let d = c.store.get::<Deployment>(ns, name)?;
    let want = d.spec.replicas.unwrap_or(1);
    let s = &d.status;
    Some(
        if s.updated_replicas == want && s.available_replicas == want && s.replicas == want {
            Rollout::Done(format!("deployment \"{name}\" successfully rolled out\n"))
        } else {
            Rollout::Waiting(format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} of {want} updated replicas are available...\n",
                s.available_replicas
            ))
        },
    )
}

/// `DaemonSetStatusViewer`.
fn daemon_set_rollout(c: &Cluster, ns: &str, name: &str) -> Option<Rollout> {
    let d = c.store.get::<DaemonSet>(ns, name)?;
    let s = &d.status;
    Some(if d.spec.update_strategy.type_ != "RollingUpdate" {
        Rollout::Failed(
            "error: rollout status is only available for RollingUpdate strategy type\n".into(),
        )
    } else if d.metadata.generation > s.observed_generation {
        Rollout::Waiting("Waiting for daemon set spec update to be observed...\n".into())
    } else if s.updated_number_scheduled < s.desired_number_scheduled {
        Rollout::Waiting(format!(
            "Waiting for daemon set \"{name}\" rollout to finish: {} out of {} new pods have been updated...\n",
            s.updated_number_scheduled, s.desired_number_scheduled
        ))
    } else if s.number_available < s.desired_number_scheduled {
        Rollout::Waiting(format!(
            "Waiting for daemon set \"{name}\" rollout to finish: {} of {} updated pods are available...\n",
            s.number_available, s.desired_number_scheduled
        ))
    } else {
        Rollout::Done(format!("daemon set \"{name}\" successfully rolled out\n"))
    })
}

/// `kubectl rollout status (deployment|daemonset)/NAME`: waits (in virtual time) for the
/// rollout.
fn status(rest: &[&str], target: &Target, ctx: &mut Context<'_>) -> Output {
    let list = match objects(rest) {
        Ok(l) => l,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    for (kind, name) in list {
        let status: fn(&Cluster, &str, &str) -> Option<Rollout> = match kind {
            ResourceKind::Deployment => deployment_rollout,
            ResourceKind::DaemonSet => daemon_set_rollout,
            ResourceKind::StatefulSet => super::rollout_revisions::status,
            other => {
                out.status = 1;
                out.err(format!(
                    "error: no status viewer has been implemented for {}\n",
                    other.info().kind
                ));
                continue;
            }
        };
        let mut last = String::new();
        for _ in 0..120 {
            let Some(rollout) = ctx
                .lab
                .cluster(&target.cluster)
                .and_then(|c| status(c, &target.namespace, &name))
            else {
                out.status = 1;
                out.err(format!(
                    "Error from server (NotFound): {}.apps \"{name}\" not found\n",
                    kind.info().plural
                ));
                break;
            };
            match rollout {
                Rollout::Done(message) => {
                    out.out(message);
                    break;
                }
                Rollout::Failed(message) => {
                    out.status = 1;
                    out.err(message);
                    break;
                }
                Rollout::Waiting(message) => {
                    // kubectl prints a waiting line each time the status it watches changes.
                    if message != last {
                        out.out(message.clone());
                        last = message;
                    }
                }
            }
            ctx.lab.advance_ms(1_000);
        }
    }
    out
}

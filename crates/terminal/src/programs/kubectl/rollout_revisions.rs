//! `kubectl rollout` for the kinds whose history is ControllerRevisions, StatefulSets and
//! DaemonSets (k8s.io/kubectl/pkg/polymorphichelpers: `StatefulSetStatusViewer` in
//! rollout_status.go; `StatefulSetHistoryViewer`/`DaemonSetHistoryViewer` in history.go, which
//! print alike; `StatefulSetRollbacker`/`DaemonSetRollbacker` in rollback.go).

use svclab_sim::api::{Object, ObjectMeta, PodTemplateSpec, ResourceKind, StatefulSet};
use svclab_sim::apiserver::rest;
use svclab_sim::cluster::Cluster;
use svclab_sim::controllers::history::{owned_revisions, template_patch};

use super::rollout::Rollout;

/// `ChangeCauseAnnotation`.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// `StatefulSetStatusViewer`. apps/v1 always defaults a partition, so a RollingUpdate set ends
/// with "partitioned roll out complete".
pub(super) fn status(c: &Cluster, ns: &str, name: &str) -> Option<Rollout> {
    let set = c.store.get::<StatefulSet>(ns, name)?;
    let s = &set.status;
    let want = set.spec.replicas.unwrap_or(1);
    let strategy = &set.spec.update_strategy;
    Some(if strategy.type_ != "RollingUpdate" {
        Rollout::Failed(
            "error: rollout status is only available for RollingUpdate strategy type\n".into(),
        )
    } else if s.observed_generation == 0 || set.metadata.generation > s.observed_generation {
        Rollout::Waiting("Waiting for statefulset spec update to be observed...\n".into())
    } else if s.ready_replicas < want {
        Rollout::Waiting(format!(
            "Waiting for {} pods to be ready...\n",
            want - s.ready_replicas
        ))
    } else if let Some(partition) = strategy.rolling_update.as_ref().and_then(|r| r.partition) {
        if s.updated_replicas < want - partition {
            Rollout::Waiting(format!(
                "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...\n",
                s.updated_replicas,
                want - partition
            ))
        } else {
            Rollout::Done(format!(
                "partitioned roll out complete: {} new pods have been updated...\n",
                s.updated_replicas
            ))
        }
    } else if s.update_revision != s.current_revision {
        Rollout::Waiting(format!(
            "waiting for statefulset rolling update to complete {} pods at revision {}...\n",
            s.updated_replicas, s.update_revision
        ))
    } else {
        Rollout::Done(format!(
            "statefulset rolling update complete {} pods at revision {}...\n",
            s.current_replicas, s.current_revision
        ))
    })
}

/// The owner (a StatefulSet or DaemonSet) as an object, its metadata and its template.
fn owner(c: &Cluster, kind: ResourceKind, ns: &str, name: &str) -> Result<Object, String> {
    let key = (ns.to_string(), name.to_string());
    c.store
        .get_object(kind, &key)
        .ok_or_else(|| not_found(kind, name))
}

fn parts(object: &mut Object) -> Option<(&ObjectMeta, &mut PodTemplateSpec)> {
    match object {
        Object::StatefulSet(s) => Some((&s.metadata, &mut s.spec.template)),
        Object::DaemonSet(d) => Some((&d.metadata, &mut d.spec.template)),
        _ => None,
    }
}

/// `ViewHistory`: the revisions and their change causes, or one revision's pod template.
pub(super) fn history(
    c: &Cluster,
    kind: ResourceKind,
    (ns, name): (&str, &str),
    wanted: u64,
) -> Result<String, String> {
    let mut object = owner(c, kind, ns, name)?;
    let Some((meta, _)) = parts(&mut object) else {
        return Err(not_found(kind, name));
    };
    let all = owned_revisions(c, &meta.namespace, &meta.uid);
    let head = format!("{}/{name}", kind.qualified_lower());
    if all.is_empty() {
        return Ok(format!("{head} \nNo rollout history found.\n"));
    }
    if wanted > 0 {
        let r = all
            .iter()
            .find(|r| u64::try_from(r.revision).is_ok_and(|n| n == wanted))
            .ok_or_else(|| "error: unable to find the specified revision\n".to_string())?;
        let template = r.template().unwrap_or_default();
        let text = crate::kubectl::describe::pod_template_text(&template);
        return Ok(format!("{head} with revision #{wanted}\n{text}\n"));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for r in &all {
        let cause = r
            .metadata
            .annotations
            .get(CHANGE_CAUSE)
            .map_or("<none>", String::as_str);
        table.push_str(&format!("{}\t{cause}\n", r.revision));
    }
    let table = crate::kubectl::tabwriter::format_describe(&table);
    Ok(format!("{head} \n{table}\n"))
}

/// `Rollback`: the owner's template becomes the revision's (the previous one without
/// `--to-revision`), unless it already is.
pub(super) fn undo(
    c: &mut Cluster,
    kind: ResourceKind,
    (ns, name): (&str, &str),
    to_revision: u64,
) -> Result<String, String> {
    let mut object = owner(c, kind, ns, name)?;
    let head = format!("{}/{name}", kind.qualified_lower());
    {
        let Some((meta, template)) = parts(&mut object) else {
            return Err(not_found(kind, name));
        };
        let all = owned_revisions(c, &meta.namespace, &meta.uid);
        if to_revision == 0 && all.len() <= 1 {
            return Err("error: no last revision to roll back to\n".into());
        }
        let target = if to_revision == 0 {
            all.get(all.len().saturating_sub(2))
        } else {
            all.iter()
                .find(|r| u64::try_from(r.revision).is_ok_and(|n| n == to_revision))
        };
        let Some(target) = target else {
            return Err(format!(
                "error: unable to find specified revision {to_revision} in history\n"
            ));
        };
        if template_patch(template).0 == target.data {
            return Ok(format!(
                "{head} skipped rollback (current template already matches revision {to_revision})\n"
            ));
        }
        *template = target
            .template()
            .ok_or_else(|| format!("error: failed restoring revision {to_revision}\n"))?;
    }
    rest::apply(c, object, ns)
        .map(|_| format!("{head} rolled back\n"))
        .map_err(|e| svclab_sim::apiserver::errors::kubectl_error_output(&e, None))
}

fn not_found(kind: ResourceKind, name: &str) -> String {
    let info = kind.info();
    svclab_sim::apiserver::errors::kubectl_error_output(
        &svclab_sim::apiserver::errors::StatusError::not_found(info.group, info.plural, name),
        None,
    )
}

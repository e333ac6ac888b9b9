//! `kubectl rollout status|history|undo` for StatefulSets (k8s.io/kubectl/pkg/polymorphichelpers:
//! `StatefulSetStatusViewer` in rollout_status.go, `StatefulSetHistoryViewer` in history.go,
//! `StatefulSetRollbacker` in rollback.go). Their history is the set's ControllerRevisions.

use svclab_sim::api::{ControllerRevision, Object, PodTemplateSpec, ResourceKind, StatefulSet};
use svclab_sim::apiserver::rest;
use svclab_sim::cluster::Cluster;
use svclab_sim::controllers::history::template_patch;

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

/// The set's ControllerRevisions, by revision number (`controlledHistories`).
fn revisions<'c>(c: &'c Cluster, set: &StatefulSet) -> Vec<&'c ControllerRevision> {
    let uid = set.metadata.uid.as_str();
    let mut all: Vec<&'c ControllerRevision> = c
        .store
        .list::<ControllerRevision>(None)
        .filter(|r| r.metadata.namespace == set.metadata.namespace)
        .filter(|r| r.metadata.controller_ref().is_some_and(|o| o.uid == uid))
        .collect();
    all.sort_by_key(|r| r.revision);
    all
}

/// `StatefulSetHistoryViewer.ViewHistory`: the revisions and their change causes, or one
/// revision's pod template.
pub(super) fn history(c: &Cluster, ns: &str, name: &str, wanted: u64) -> Result<String, String> {
    let set = c
        .store
        .get::<StatefulSet>(ns, name)
        .ok_or_else(|| not_found(name))?;
    let all = revisions(c, set);
    let head = format!("{}/{name}", ResourceKind::StatefulSet.qualified_lower());
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

/// `StatefulSetRollbacker.Rollback`: the set's template becomes the revision's (the previous
/// one without `--to-revision`), unless it already is.
pub(super) fn undo(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    to_revision: u64,
) -> Result<String, String> {
    let set = c
        .store
        .get::<StatefulSet>(ns, name)
        .cloned()
        .ok_or_else(|| not_found(name))?;
    let all = revisions(c, &set);
    let head = format!("{}/{name}", ResourceKind::StatefulSet.qualified_lower());
    if to_revision == 0 && all.len() <= 1 {
        return Err("error: no last revision to roll back to\n".into());
    }
    let target = if to_revision == 0 {
        all.get(all.len().saturating_sub(2)).copied()
    } else {
        all.iter()
            .find(|r| u64::try_from(r.revision).is_ok_and(|n| n == to_revision))
            .copied()
    };
    let Some(target) = target else {
        return Err(format!(
            "error: unable to find specified revision {to_revision} in history\n"
        ));
    };
    if template_patch(&set.spec.template).0 == target.data {
        return Ok(format!(
            "{head} skipped rollback (current template already matches revision {to_revision})\n"
        ));
    }
    let template: PodTemplateSpec = target
        .template()
        .ok_or_else(|| format!("error: failed restoring revision {to_revision}\n"))?;
    let mut rolled = set;
    rolled.spec.template = template;
    rest::apply(c, Object::StatefulSet(rolled), ns)
        .map(|_| format!("{head} rolled back\n"))
        .map_err(|e| svclab_sim::apiserver::errors::kubectl_error_output(&e, None))
}

fn not_found(name: &str) -> String {
    let info = ResourceKind::StatefulSet.info();
    svclab_sim::apiserver::errors::kubectl_error_output(
        &svclab_sim::apiserver::errors::StatusError::not_found(info.group, info.plural, name),
        None,
    )
}

//! StatefulSets and ControllerRevisions as kubectl v1.33 prints them: the table rows of
//! `printStatefulSet` and `printControllerRevision` (pkg/printers/internalversion/printers.go)
//! and `describeStatefulSet` with `describeVolumeClaimTemplates`
//! (staging/src/k8s.io/kubectl/pkg/describe/describe.go).

use svclab_sim::api::{ControllerRevision, Pod, StatefulSet};
use svclab_sim::cluster::Event;

use super::describe::{
    annotations_multiline, describe_events, describe_pod_template, labels_multiline, pod_counts, W,
};
use super::duration::{age, rfc1123z};
use super::printers::{container_cells, row};
use super::selector::Selector;
use super::table::{Column, Table};

/// `kubectl get statefulsets`: READY is `readyReplicas/spec.replicas`; `-o wide` adds the
/// containers and images (no selector column, unlike Deployments).
pub fn stateful_sets_table<'a>(
    sets: impl IntoIterator<Item = &'a StatefulSet>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Ready"),
        Column::base("Age"),
        Column::wide("Containers"),
        Column::wide("Images"),
    ];
    let rows = sets
        .into_iter()
        .map(|s| {
            let (names, images) = container_cells(&s.spec.template.spec.containers);
            row(
                &s.metadata,
                vec![
                    s.metadata.name.clone(),
                    format!(
                        "{}/{}",
                        s.status.ready_replicas,
                        s.spec.replicas.unwrap_or(1)
                    ),
                    age(&s.metadata.creation_timestamp, now_ms),
                    names,
                    images,
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl get controllerrevisions`: CONTROLLER is the owner as `statefulset.apps/web`
/// (`formatResourceName` of its group and kind), `<none>` without one.
pub fn controller_revisions_table<'a>(
    revisions: impl IntoIterator<Item = &'a ControllerRevision>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Controller"),
        Column::base("Revision"),
        Column::base("Age"),
    ];
    let rows = revisions
        .into_iter()
        .map(|r| {
            let controller = r
                .metadata
                .controller_ref()
                .map_or("<none>".to_string(), |o| {
                    let group = o.api_version.split_once('/').map_or("", |(g, _)| g);
                    let kind = if group.is_empty() {
                        o.kind.to_ascii_lowercase()
                    } else {
                        format!("{}.{group}", o.kind.to_ascii_lowercase())
                    };
                    format!("{kind}/{}", o.name)
                });
            row(
                &r.metadata,
                vec![
                    r.metadata.name.clone(),
                    controller,
                    r.revision.to_string(),
                    age(&r.metadata.creation_timestamp, now_ms),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl describe statefulset`; `pods` are the pods of its namespace (those it controls
/// are counted).
pub fn describe_stateful_set(
    set: &StatefulSet,
    pods: &[&Pod],
    events: &[&Event],
    now_ms: u64,
) -> String {
    let mut w = W::new();
    let m = &set.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    w.line(
        0,
        &format!("CreationTimestamp:\t{}\n", rfc1123z(&m.creation_timestamp)),
    );
    w.line(
        0,
        &format!(
            "Selector:\t{}\n",
            Selector::from_label_selector(&set.spec.selector).to_selector_string()
        ),
    );
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} total\n",
            set.spec.replicas.unwrap_or(1),
            set.status.replicas
        ),
    );
    let strategy = &set.spec.update_strategy;
    w.line(0, &format!("Update Strategy:\t{}\n", strategy.type_));
    if let Some(partition) = strategy.rolling_update.as_ref().and_then(|r| r.partition) {
        w.line(1, &format!("Partition:\t{partition}\n"));
    }
    let (r, wa, su, f) = pod_counts(pods, &m.uid);
    w.line(
        0,
        &format!("Pods Status:\t{r} Running / {wa} Waiting / {su} Succeeded / {f} Failed\n"),
    );
    describe_pod_template(&mut w, &set.spec.template);
    describe_volume_claim_templates(&mut w, set);
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `describeVolumeClaimTemplates`: the access modes print as Go prints a slice.
fn describe_volume_claim_templates(w: &mut W, set: &StatefulSet) {
    let claims = &set.spec.volume_claim_templates;
    if claims.is_empty() {
        w.line(0, "Volume Claims:\t<none>\n");
        return;
    }
    w.line(0, "Volume Claims:\n");
    for pvc in claims {
        w.line(1, &format!("Name:\t{}\n", pvc.metadata.name));
        w.line(
            1,
            &format!(
                "StorageClass:\t{}\n",
                pvc.spec.storage_class_name.as_deref().unwrap_or("")
            ),
        );
        labels_multiline(w, "  ", "Labels", &pvc.metadata.labels);
        labels_multiline(w, "  ", "Annotations", &pvc.metadata.annotations);
        let capacity = pvc
            .spec
            .resources
            .requests
            .get("storage")
            .map_or("<default>".to_string(), ToString::to_string);
        w.line(1, &format!("Capacity:\t{capacity}\n"));
        w.line(
            1,
            &format!("Access Modes:\t[{}]\n", pvc.spec.access_modes.join(" ")),
        );
    }
}

//! PersistentVolumeClaims, PersistentVolumes and StorageClasses as kubectl v1.33 prints them:
//! the rows of `printPersistentVolumeClaim`, `printPersistentVolume` and `printStorageClass`
//! (pkg/printers/internalversion/printers.go) and `describePersistentVolumeClaim`,
//! `describePersistentVolume` and `describeStorageClass` (staging/src/k8s.io/kubectl/pkg/
//! describe/describe.go).

use svclab_sim::api::{NodeSelector, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass};
use svclab_sim::cluster::Event;

use super::describe::{annotations_multiline, describe_events, labels_multiline, W};
use super::duration::age;
use super::printers::row;
use super::selector::format_labels;
use super::table::{Column, Table};

/// `GetAccessModesAsString`: each mode once, always in the order RWO, ROX, RWX, RWOP.
pub fn access_modes(modes: &[String]) -> String {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| modes.iter().any(|m| m == mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

/// The `storage` capacity as the API prints a quantity, or "".
fn storage(capacity: &std::collections::BTreeMap<String, svclab_sim::api::Quantity>) -> String {
    capacity
        .get("storage")
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// A claim's capacity and access modes: blank until it names a volume.
fn claim_capacity_and_modes(claim: &PersistentVolumeClaim) -> (String, String) {
    if claim.spec.volume_name.is_empty() {
        return (String::new(), String::new());
    }
    (
        storage(&claim.status.capacity),
        access_modes(&claim.status.access_modes),
    )
}

/// A claim's or volume's phase, `Terminating` while it is being deleted.
fn phase(meta: &svclab_sim::api::ObjectMeta, phase: &str) -> String {
    if meta.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else {
        phase.to_string()
    }
}

/// An optional field's value, `<unset>` without one (the VOLUMEMODE and
/// VOLUMEATTRIBUTESCLASS columns).
fn or_unset(value: Option<&str>) -> String {
    value.unwrap_or("<unset>").to_string()
}

/// `kubectl get pvc`.
pub fn persistent_volume_claims_table<'a>(
    claims: impl IntoIterator<Item = &'a PersistentVolumeClaim>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Status"),
        Column::base("Volume"),
        Column::base("Capacity"),
        Column::base("Access Modes"),
        Column::base("StorageClass"),
        Column::base("VolumeAttributesClass"),
        Column::base("Age"),
        Column::wide("VolumeMode"),
    ];
    let rows = claims
        .into_iter()
        .map(|c| {
            let (capacity, modes) = claim_capacity_and_modes(c);
            row(
                &c.metadata,
                vec![
                    c.metadata.name.clone(),
                    phase(&c.metadata, &c.status.phase),
                    c.spec.volume_name.clone(),
                    capacity,
                    modes,
                    c.spec.storage_class_name.clone().unwrap_or_default(),
                    // VOLUMEATTRIBUTESCLASS: the lab keeps no volumeAttributesClassName.
                    or_unset(None),
                    age(&c.metadata.creation_timestamp, now_ms),
                    or_unset(c.spec.volume_mode.as_deref()),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl get pv`.
pub fn persistent_volumes_table<'a>(
    volumes: impl IntoIterator<Item = &'a PersistentVolume>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Capacity"),
        Column::base("Access Modes"),
        Column::base("Reclaim Policy"),
        Column::base("Status"),
        Column::base("Claim"),
        Column::base("StorageClass"),
        Column::base("VolumeAttributesClass"),
        Column::base("Reason"),
        Column::base("Age"),
        Column::wide("VolumeMode"),
    ];
    let rows = volumes
        .into_iter()
        .map(|v| {
            row(
                &v.metadata,
                vec![
                    v.metadata.name.clone(),
                    storage(&v.spec.capacity),
                    access_modes(&v.spec.access_modes),
                    v.spec.persistent_volume_reclaim_policy.clone(),
                    phase(&v.metadata, &v.status.phase),
                    claim_of(v),
                    v.spec.storage_class_name.clone(),
                    // VOLUMEATTRIBUTESCLASS as above; REASON: the lab sets no status.reason.
                    or_unset(None),
                    String::new(),
                    age(&v.metadata.creation_timestamp, now_ms),
                    or_unset(v.spec.volume_mode.as_deref()),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// A volume's claim as `namespace/name`, or "".
fn claim_of(pv: &PersistentVolume) -> String {
    pv.spec
        .claim_ref
        .as_ref()
        .map(|r| format!("{}/{}", r.namespace, r.name))
        .unwrap_or_default()
}

/// `kubectl get storageclass`: the default is marked `(default)`; unset fields print as the
/// API server defaults them.
pub fn storage_classes_table<'a>(
    classes: impl IntoIterator<Item = &'a StorageClass>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Provisioner"),
        Column::base("ReclaimPolicy"),
        Column::base("VolumeBindingMode"),
        Column::base("AllowVolumeExpansion"),
        Column::base("Age"),
    ];
    let rows = classes
        .into_iter()
        .map(|c| {
            let name = if c.is_default() {
                format!("{} (default)", c.metadata.name)
            } else {
                c.metadata.name.clone()
            };
            row(
                &c.metadata,
                vec![
                    name,
                    c.provisioner.clone(),
                    c.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
                    c.volume_binding_mode
                        .clone()
                        .unwrap_or_else(|| "Immediate".into()),
                    c.allow_volume_expansion.unwrap_or(false).to_string(),
                    age(&c.metadata.creation_timestamp, now_ms),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl describe pvc`; `pods` are the pods of its namespace (those mounting it are listed
/// under Used By).
pub fn describe_persistent_volume_claim(
    claim: &PersistentVolumeClaim,
    pods: &[&Pod],
    events: &[&Event],
    now_ms: u64,
) -> String {
    let mut w = W::new();
    let m = &claim.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    w.line(
        0,
        &format!(
            "StorageClass:\t{}\n",
            claim.spec.storage_class_name.as_deref().unwrap_or("")
        ),
    );
    status_line(&mut w, m, &claim.status.phase, now_ms);
    w.line(0, &format!("Volume:\t{}\n", claim.spec.volume_name));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    finalizers_line(&mut w, m);
    let (capacity, modes) = claim_capacity_and_modes(claim);
    w.line(0, &format!("Capacity:\t{capacity}\n"));
    w.line(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = &claim.spec.volume_mode {
        w.line(0, &format!("VolumeMode:\t{mode}\n"));
    }
    let mut users: Vec<&str> = pods
        .iter()
        .filter(|p| p.spec.mounts_claim(&m.name))
        .map(|p| p.metadata.name.as_str())
        .collect();
    users.sort_unstable();
    match users.split_first() {
        None => w.line(0, "Used By:\t<none>\n"),
        Some((first, rest)) => {
            w.line(0, &format!("Used By:\t{first}\n"));
            for name in rest {
                w.line(0, &format!("\t{name}\n"));
            }
        }
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// describe's `Status:` line: the phase, or `Terminating (lasts AGE)` once deleted.
/// `Finalizers:` as describe prints them (Go's `%v` of the list: `[a b]`).
fn finalizers_line(w: &mut W, meta: &svclab_sim::api::ObjectMeta) {
    w.line(
        0,
        &format!("Finalizers:\t[{}]\n", meta.finalizers.join(" ")),
    );
}

fn status_line(w: &mut W, meta: &svclab_sim::api::ObjectMeta, phase: &str, now_ms: u64) {
    match &meta.deletion_timestamp {
        Some(since) => w.line(
            0,
            &format!("Status:\tTerminating (lasts {})\n", age(since, now_ms)),
        ),
        None => w.line(0, &format!("Status:\t{phase}\n")),
    }
}

/// `kubectl describe pv`.
pub fn describe_persistent_volume(pv: &PersistentVolume, events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let m = &pv.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    finalizers_line(&mut w, m);
    w.line(
        0,
        &format!("StorageClass:\t{}\n", pv.spec.storage_class_name),
    );
    status_line(&mut w, m, &pv.status.phase, now_ms);
    w.line(0, &format!("Claim:\t{}\n", claim_of(pv)));
    w.line(
        0,
        &format!(
            "Reclaim Policy:\t{}\n",
            pv.spec.persistent_volume_reclaim_policy
        ),
    );
    w.line(
        0,
        &format!("Access Modes:\t{}\n", access_modes(&pv.spec.access_modes)),
    );
    if let Some(mode) = &pv.spec.volume_mode {
        w.line(0, &format!("VolumeMode:\t{mode}\n"));
    }
    w.line(0, &format!("Capacity:\t{}\n", storage(&pv.spec.capacity)));
    describe_node_affinity(
        &mut w,
        pv.spec.node_affinity.as_ref().map(|a| a.required.as_ref()),
    );
    w.line(0, "Message:\t\n");
    w.line(0, "Source:\n");
    if let Some(host) = &pv.spec.host_path {
        w.line(2, "Type:\tHostPath (bare host directory volume)\n");
        w.line(2, &format!("Path:\t{}\n", host.path));
        w.line(
            2,
            &format!(
                "HostPathType:\t{}\n",
                host.type_.as_deref().unwrap_or("<none>")
            ),
        );
    } else if let Some(local) = &pv.spec.local {
        w.line(
            2,
            "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n",
        );
        w.line(2, &format!("Path:\t{}\n", local.path));
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `describeNodeAffinity`: each required term's expressions as `key op [values]`, the operator
/// in lower case.
fn describe_node_affinity(w: &mut W, affinity: Option<Option<&NodeSelector>>) {
    let Some(required) = affinity else {
        w.line(0, "Node Affinity:\t<none>\n");
        return;
    };
    w.line(0, "Node Affinity:\t\n");
    let Some(required) = required else {
        w.line(1, "Required Terms:\t<none>\n");
        return;
    };
    w.line(1, "Required Terms:\t\n");
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        let expressions: Vec<String> = term
            .match_expressions
            .iter()
            .chain(&term.match_fields)
            .map(|e| {
                format!(
                    "{} {} [{}]",
                    e.key,
                    e.operator.to_ascii_lowercase(),
                    e.values.join(", ")
                )
            })
            .collect();
        match expressions.split_first() {
            None => w.line(2, &format!("Term {i}:\t<none>\n")),
            Some((first, rest)) => {
                w.line(2, &format!("Term {i}:\t{first}\n"));
                for e in rest {
                    w.line(2, &format!("\t{e}\n"));
                }
            }
        }
    }
}

/// `kubectl describe storageclass`: annotations print as `k=v,…` (with the last-applied
/// configuration, whose trailing newline starts a new alignment block, as on kind).
pub fn describe_storage_class(class: &StorageClass, events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let m = &class.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    let default = if class.is_default() { "Yes" } else { "No" };
    w.line(0, &format!("IsDefaultClass:\t{default}\n"));
    w.line(
        0,
        &format!("Annotations:\t{}\n", format_labels(&m.annotations)),
    );
    w.line(0, &format!("Provisioner:\t{}\n", class.provisioner));
    w.line(
        0,
        &format!("Parameters:\t{}\n", format_labels(&class.parameters)),
    );
    let expansion = match class.allow_volume_expansion {
        None => "<unset>",
        Some(true) => "True",
        Some(false) => "False",
    };
    w.line(0, &format!("AllowVolumeExpansion:\t{expansion}\n"));
    w.line(0, "MountOptions:\t<none>\n");
    if let Some(policy) = &class.reclaim_policy {
        w.line(0, &format!("ReclaimPolicy:\t{policy}\n"));
    }
    if let Some(mode) = &class.volume_binding_mode {
        w.line(0, &format!("VolumeBindingMode:\t{mode}\n"));
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

//! StatefulSets (k8s.io/api/apps/v1/types.go `StatefulSet`): pods with a stable name
//! (`web-0`, `web-1`, …) and a stable DNS name under a headless Service.

use serde::{Deserialize, Serialize};

use super::intorstr::IntOrString;
use super::meta::{is_zero, ObjectMeta};
use super::pod::{Condition, PodTemplateSpec};
use super::selector::LabelSelector;
use super::storage::PersistentVolumeClaim;

/// The label naming a StatefulSet pod (`statefulset.kubernetes.io/pod-name`), which lets a
/// Service select one replica.
pub const STATEFUL_SET_POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// The label carrying a StatefulSet pod's ordinal (`apps.kubernetes.io/pod-index`, the
/// PodIndexLabel feature, GA in v1.32).
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

/// A StatefulSet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSet {
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: StatefulSetSpec,
    /// `status`, written by the StatefulSet controller.
    #[serde(default)]
    pub status: StatefulSetStatus,
}

/// `spec` of a StatefulSet, in types.go's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetSpec {
    /// Desired pods; defaults to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Which pods the StatefulSet owns; must match the template's labels.
    #[serde(default)]
    pub selector: LabelSelector,
    /// The pods it creates, one per ordinal.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// Claims each pod gets its own copy of (the lab does not provision them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_claim_templates: Vec<PersistentVolumeClaim>,
    /// The headless Service that gives the pods their DNS names (`web-0.nginx`).
    #[serde(default)]
    pub service_name: String,
    /// `OrderedReady` (default: one pod at a time, in order) or `Parallel`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pod_management_policy: String,
    /// How a template change reaches the pods.
    #[serde(default)]
    pub update_strategy: StatefulSetUpdateStrategy,
    /// Old revisions kept; defaults to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    /// Seconds a pod must be ready before it counts as available.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_ready_seconds: i32,
    /// What happens to the claims on delete and scale-down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim_retention_policy: Option<RetentionPolicy>,
    /// The first ordinal (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinals: Option<StatefulSetOrdinals>,
}

impl StatefulSetSpec {
    /// The first ordinal (`spec.ordinals.start`, 0 when unset).
    pub fn start_ordinal(&self) -> i32 {
        self.ordinals.as_ref().map_or(0, |o| o.start)
    }

    /// Whether pods are created and deleted one at a time, in order.
    pub fn ordered_ready(&self) -> bool {
        self.pod_management_policy != "Parallel"
    }
}

/// `spec.ordinals`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetOrdinals {
    /// The first replica's index (always printed: no `omitempty` in types.go).
    #[serde(default)]
    pub start: i32,
}

/// `spec.persistentVolumeClaimRetentionPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionPolicy {
    /// `Retain` or `Delete`, when the StatefulSet is deleted.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub when_deleted: String,
    /// `Retain` or `Delete`, when it scales down.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub when_scaled: String,
}

/// `spec.updateStrategy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetUpdateStrategy {
    /// `RollingUpdate` (default) or `OnDelete`.
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Where a rolling update stops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateStatefulSet>,
}

impl StatefulSetUpdateStrategy {
    /// `rollingUpdate.partition`: ordinals below it keep the current revision.
    pub fn partition(&self) -> i32 {
        self.rolling_update
            .as_ref()
            .and_then(|r| r.partition)
            .unwrap_or(0)
    }
}

/// `spec.updateStrategy.rollingUpdate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateStatefulSet {
    /// Ordinals at or above it are updated; defaults to 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<i32>,
    /// Pods that may be unavailable during an update (alpha MaxUnavailableStatefulSet, off in
    /// v1.33: kept but not honoured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

/// `status` of a StatefulSet. `replicas` and `availableReplicas` have no `omitempty`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetStatus {
    /// The generation this status describes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    /// Pods created (terminating ones included).
    #[serde(default)]
    pub replicas: i32,
    /// Pods Ready.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    /// Pods of `currentRevision`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub current_replicas: i32,
    /// Pods of `updateRevision`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub updated_replicas: i32,
    /// The revision the pods below the update ran before it (`web-<hash>`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub current_revision: String,
    /// The revision of the current template.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub update_revision: String,
    /// Hash collisions met naming revisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    /// Conditions (none are set by today's controller).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Pods Ready for `minReadySeconds`.
    #[serde(default)]
    pub available_replicas: i32,
}

/// A ControllerRevision (apps/v1): an immutable snapshot of a StatefulSet's (or DaemonSet's)
/// template, which `kubectl rollout history` lists and `rollout undo` goes back to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControllerRevision {
    /// `metadata` (named `<owner>-<hash>`, owned by its StatefulSet).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The patch that turns the owner back into this revision:
    /// `{"spec":{"template":{…,"$patch":"replace"}}}`.
    #[serde(default)]
    pub data: serde_yaml_ng::Value,
    /// The revision number, 1 for the first.
    #[serde(default)]
    pub revision: i64,
}

impl ControllerRevision {
    /// The pod template this revision holds, if its data has one the lab can read.
    pub fn template(&self) -> Option<PodTemplateSpec> {
        let template = self.data.get("spec")?.get("template")?.clone();
        let mut template = match template {
            serde_yaml_ng::Value::Mapping(m) => m,
            _ => return None,
        };
        template.remove("$patch");
        // Go writes a zero creationTimestamp as null; the lab's metadata has no null.
        if let Some(serde_yaml_ng::Value::Mapping(meta)) = template.get_mut("metadata") {
            meta.remove("creationTimestamp");
        }
        serde_yaml_ng::from_value(serde_yaml_ng::Value::Mapping(template)).ok()
    }
}
